"""Demo step: a year (and the year before) of believable work records for every demo community,
the school and the health units. Idempotent: an org that already has records in a year is skipped."""

from __future__ import annotations

import io
import random
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from shequ.orgs.models import OrgKind, UnitType
from shequ.records import tallies
from shequ.records.catalogue import load_activity_types
from shequ.records.models import ActivityType, Record, RecordPhoto, photo_path

BOARD_TOPICS = [
    "冬季呼吸道传染病预防",
    "春节期间合理膳食",
    "结核病防治知识（世界防治结核病日）",
    "爱国卫生月：清洁家园",
    "控烟：烟草危害与科学戒烟",
    "手足口病预防",
    "夏季食品安全与防溺水",
    "高温中暑的预防与急救",
    "心脑血管疾病防治",
    "合理膳食 平衡营养",
    "心理健康与压力调适",
    "糖尿病的早发现与自我管理",
    "全民健康生活方式",
    "高血压防治（全国高血压日）",
    "流感疫苗接种与慢阻肺防治",
    "艾滋病防治知识（世界艾滋病日）",
]
LECTURE_TOPICS = [
    "高血压的自我管理",
    "糖尿病饮食指导",
    "老年人防跌倒",
    "春季传染病预防",
    "科学戒烟 远离烟草危害",
    "夏季肠道传染病预防",
    "中医养生与慢病调理",
    "心理健康讲座",
    "儿童青少年近视防控",
    "慢阻肺的识别与康复",
    "冬季心脑血管疾病预防",
    "居民健康素养66条解读",
]
# (area, type code, schedule, [titles], participants (lo, hi), place key)
COMMUNITY_PLAN = [
    ("health", "board", "board", BOARD_TOPICS, (0, 0), "board"),
    ("health", "lecture", "bimonthly", LECTURE_TOPICS, (25, 60), "hall"),
    ("health", "consult", "summer", ["纳凉广场义诊咨询", "慢病健康咨询", "免费测血压血糖"], (40, 120), "square"),
    (
        "health",
        "materials",
        "quarterly",
        ["发放高血压防治折页", "发放控烟处方", "发放健康素养手册", "发放防溺水宣传单"],
        (50, 200),
        "square",
    ),
    (
        "health",
        "video",
        "quarterly",
        ["播放《健康中国》宣传片", "播放慢病防治宣传片", "播放急救知识宣传片", "播放心理健康宣传片"],
        (20, 40),
        "hall",
    ),
    (
        "health",
        "door",
        "summer",
        ["入户宣传社区卫生服务政策", "入户更新居民健康档案", "入户开展健康素养宣传"],
        (15, 40),
        "grid",
    ),
    ("health", "theme_day", "no_tobacco", ["世界无烟日控烟宣传"], (80, 150), "square"),
    ("health", "meeting", "twice", ["健康教育工作专题会议", "健康教育工作推进会"], (8, 14), "room"),
    (
        "health",
        "report",
        "quarterly",
        ["报送健康教育工作动态", "报送控烟宣传亮点做法", "报送夏季健康宣传成效", "报送年度健康教育工作总结"],
        (0, 0),
        "office",
    ),
    (
        "selfgov",
        "resident_meeting",
        "twice",
        ["居民代表会议：审议年度工作计划", "居民代表会议：通报年度工作"],
        (35, 60),
        "hall",
    ),
    (
        "selfgov",
        "council",
        "quarterly",
        [
            "协商议事会：老旧小区加装电梯",
            "协商议事会：停车位规划",
            "协商议事会：垃圾分类点设置",
            "年底专题会：审议年度工作报告",
        ],
        (12, 20),
        "room",
    ),
    ("selfgov", "opinion_board", "monthly", ["民情民意交流栏答复"], (0, 0), "board"),
    ("selfgov", "supervision", "monthly", ["环境卫生监督员巡查", "治安隐患监督员巡查"], (3, 6), "grid"),
    (
        "selfgov",
        "culture",
        "quarterly",
        ["迎新春文艺汇演", "邻里节广场舞展示", "中秋游园活动", "重阳敬老活动"],
        (60, 200),
        "square",
    ),
    ("disability", "group_meeting", "twice", ["残疾人康复工作领导小组会议", "残疾人康复工作总结会"], (6, 10), "room"),
    ("disability", "needs_survey", "once_spring", ["残疾人康复需求入户调查"], (20, 40), "grid"),
    ("disability", "helper_visit", "monthly", ["帮扶对子上门走访"], (2, 4), "home"),
    ("disability", "rehab_service", "monthly", ["康复训练指导", "辅助器具适配回访", "上门康复服务"], (1, 3), "home"),
    (
        "disability",
        "knowledge",
        "quarterly",
        ["全国助残日康复知识宣传", "爱耳日宣传", "精神卫生知识宣传", "国际残疾人日宣传"],
        (30, 80),
        "square",
    ),
    ("safety", "screening", "monthly", ["矛盾纠纷月度排查"], (4, 8), "grid"),
    ("safety", "reception", "monthly", ["领导接待日"], (3, 12), "office"),
    ("safety", "patrol", "half_monthly", ["红袖标治安巡逻", "夜间治安巡逻"], (4, 10), "grid"),
    (
        "safety",
        "work_meeting",
        "quarterly",
        ["平安建设工作例会", "综治信息员例会", "维稳形势分析会", "年度平安建设总结会"],
        (8, 15),
        "room",
    ),
    (
        "safety",
        "legal_publicity",
        "quarterly",
        ["宪法宣传进社区", "反诈骗宣传", "国家安全教育日宣传", "禁毒宣传"],
        (50, 150),
        "square",
    ),
    ("safety", "drill", "twice", ["社区消防应急疏散演练", "防汛应急演练"], (40, 80), "square"),
    (
        "education",
        "training",
        "bimonthly",
        [
            "老年人智能手机培训",
            "再就业技能培训",
            "外来人员适应城市生活培训",
            "家庭教育指导培训",
            "电子商务入门培训",
            "养老护理培训",
        ],
        (20, 45),
        "school",
    ),
    (
        "education",
        "lecture",
        "quarterly",
        ["讲师团：家风家训", "讲师团：法律常识", "讲师团：健康养生", "讲师团：书法欣赏"],
        (30, 60),
        "school",
    ),
    ("education", "evaluation", "once_autumn", ["学习型家庭评比"], (10, 20), "room"),
    (
        "education",
        "reading",
        "quarterly",
        ["世界读书日读书会", "亲子共读活动", "暑期读书分享会", "书香家庭交流会"],
        (15, 40),
        "library",
    ),
    ("education", "funds", "once_spring", ["街道拨付社区教育经费"], (0, 0), "office"),
    (
        "education",
        "funds",
        "quarterly",
        ["社区学校讲师课酬", "社区教育资料印制", "读书活动图书购置", "培训设备维护"],
        (0, 0),
        "office",
    ),
]
HEALTH_UNIT_PLAN = [
    ("health", "board", "board", BOARD_TOPICS, (0, 0), "board"),
    ("health", "lecture", "monthly", LECTURE_TOPICS, (30, 70), "hall"),
    ("health", "consult", "consult9", ["义诊咨询", "健康咨询进社区", "纳凉广场知识问答"], (40, 150), "square"),
    ("health", "materials", "bimonthly", ["发放健康教育处方", "发放慢病防治手册", "发放控烟折页"], (100, 300), "hall"),
    ("health", "video", "bimonthly", ["候诊区循环播放健康宣传片"], (30, 80), "hall"),
    ("health", "street", "twice", ["集中上街宣传", "卫生日上街宣传"], (100, 300), "square"),
    ("health", "theme_day", "no_tobacco", ["世界无烟日控烟宣传"], (100, 200), "square"),
    ("health", "meeting", "twice", ["健康教育专题办公会", "健康教育工作部署会"], (6, 12), "room"),
    ("health", "staff_training", "twice", ["健康教育人员业务培训", "健康素养知识培训"], (8, 20), "room"),
    ("health", "report", "bimonthly", ["向区卫生局报送健康教育信息"], (0, 0), "office"),
]
SCHOOL_PLAN = [
    # The safety group's meetings are the groups demo's (meetings of the group, with sign-in), not plain records.
    ("school", "inspection", "school_monthly", ["校园安全隐患排查"], (3, 6), "campus"),
    ("school", "drill", "terms", ["消防应急疏散演练", "防震应急演练"], (600, 900), "campus"),
    (
        "school",
        "lesson",
        "school_monthly",
        [
            "防溺水安全教育课",
            "交通安全教育课",
            "防传染病教育课",
            "防雷击安全教育",
            "校园欺凌防范教育",
            "食品安全教育课",
        ],
        (40, 50),
        "class",
    ),
    ("school", "legal_lesson", "twice", ["法制副校长法制教育课", "青少年自我保护法制讲座"], (300, 600), "hall"),
    ("school", "parent_contact", "twice", ["家长会：假期安全", "发放《告家长书》"], (200, 500), "hall"),
    ("school", "responsibility", "once_spring", ["签订年度安全工作责任书"], (30, 50), "room"),
    ("school", "campaign", "once_june", ["安全教育活动月"], (600, 900), "campus"),
    ("school", "staff_training", "twice", ["教职工学习《教师法》", "教职工安全知识培训"], (30, 50), "room"),
]
# The education content (教育内容) of the demo school's safety lessons, by title.
LESSON_TOPICS = {
    "防溺水安全教育课": "防溺水",
    "交通安全教育课": "防交通事故",
    "防传染病教育课": "防传染病",
    "防雷击安全教育": "防雷击",
    "食品安全教育课": "食品安全",
}
PLACES = {
    "board": ["社区服务站门口1号宣传栏", "小区主入口健康教育宣传栏", "卫生服务站候诊区宣传橱窗"],
    "hall": ["党群服务中心多功能厅", "社区服务站一楼大厅", "居民活动中心"],
    "square": ["社区文化广场", "小区中心花园", "菜市场门口"],
    "grid": ["第1网格各居民楼", "第2网格各居民楼", "辖区各小区"],
    "room": ["社区二楼会议室", "党群服务中心会议室"],
    "office": ["社区办公室"],
    "home": ["帮扶对象家中"],
    "school": ["社区学校教室", "党群服务中心培训室"],
    "library": ["社区书屋"],
    "campus": ["学校操场", "教学楼"],
    "class": ["各班教室"],
}


def _dates(rng: random.Random, year: int, schedule: str) -> list[date]:
    def d(m, lo=3, hi=26):
        return date(year, m, rng.randint(lo, hi))

    if schedule == "board":
        out = []
        for m in range(1, 13):
            if 5 <= m <= 8:
                out += [d(m, 1, 12), d(m, 16, 28)]
            else:
                out.append(d(m, 2, 20))
        return out
    if schedule == "monthly":
        return [d(m) for m in range(1, 13)]
    if schedule == "half_monthly":
        return [x for m in range(1, 13) for x in (d(m, 2, 13), d(m, 16, 28))]
    if schedule == "bimonthly":
        return [d(m) for m in range(1, 13, 2)]
    if schedule == "quarterly":
        return [d(m) for m in (3, 6, 9, 12)]
    if schedule == "twice":
        return [d(4), d(10)]
    if schedule == "summer":
        return [d(m, 2, 13) for m in (5, 6, 7, 8)] + [d(m, 16, 28) for m in (6, 7)]
    if schedule == "consult9":
        return [d(m) for m in (1, 3, 4, 5, 6, 7, 8, 9, 11)]
    if schedule == "no_tobacco":
        return [date(year, 5, 31)]
    if schedule == "once_spring":
        return [d(3)]
    if schedule == "once_autumn":
        return [d(11)]
    if schedule == "once_june":
        return [d(6, 2, 10)]
    if schedule == "school_monthly":
        return [d(m) for m in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)]
    if schedule == "terms":
        return [d(3, 10, 25), d(5, 10, 20), d(9, 15, 28), d(11, 10, 25)]
    raise ValueError(schedule)


def _extra(code: str, n: int, rng: random.Random, title: str) -> dict:
    if code == "board":
        return {"issue_no": n, "location": "", "topics": title, "maker": "社区卫生服务站",
                "archive": ["图片材料", "书面材料"]}  # fmt: skip
    if code in {"lecture", "consult", "materials", "video", "door", "street", "theme_day"}:
        out = {
            "activity_form": {
                "lecture": ["健康讲座"],
                "consult": ["义诊咨询", "知识问答"],
                "materials": ["发放资料/处方"],
                "video": ["播放宣传片"],
                "door": ["入户宣传"],
                "street": ["上街宣传", "发放资料/处方"],
                "theme_day": ["上街宣传", "展板挂图", "发放资料/处方"],
            }[code],
            "audience": rng.sample(["辖区居民", "老年人", "慢性病患者", "妇女", "青少年"], 2),
            "materials_kinds": "健康教育折页",
            "materials_count": rng.randint(30, 150),
            "archive": ["图片材料", "签到表", "书面材料"],
        }
        if code == "theme_day":
            out["theme_day"] = "世界无烟日"
        if code == "lecture":
            out["speaker"] = rng.choice(["张医生", "刘主任医师", "陈护士长", "社区卫生服务站王医生"])
        return out
    if code in {"meeting", "group_meeting", "resident_meeting", "council", "work_meeting"}:
        expected = rng.randint(10, 16)
        return {"host": "李书记", "recorder": "王专干", "expected": expected, "agenda": title,
                "resolutions": "1. 明确分工和完成时限;\n2. 下次会议通报落实情况。"}  # fmt: skip
    if code == "screening":
        found = rng.choice([0, 0, 1, 2, 3])
        return {"scope": "辖区各网格", "found": found, "resolved": found}
    if code == "drill":
        return {"drill_kind": "防震避险" if "防震" in title else "消防疏散", "start_time": "9:30", "end_time": "10:10",
                "evacuation": rng.randint(150, 260),
                "problems": "个别楼层疏散用时偏长。", "improvements": "增加楼道引导员。"}  # fmt: skip
    if code == "lesson":
        return {"classes": "全校各班", "topic_kind": [LESSON_TOPICS.get(title, "其他")]}
    if code == "reception":
        v = rng.randint(3, 12)
        return {"leader": "李书记", "visitors": v, "issues": rng.randint(1, v)}
    if code == "patrol":
        return {"route": "小区主干道—菜市场—学校周边", "issues": rng.choice([0, 0, 1, 2])}
    if code in {"helper_visit", "rehab_service"}:
        return {"care_items": rng.sample(["康复医疗", "训练指导", "心理疏导", "生活帮扶"], 2), "care_way": "上门服务"}
    if code == "evaluation":
        return {"org_kind": "学习型家庭", "candidates": 18, "awarded": 6}
    if code == "training":
        return {"lecturer": "社区学校讲师团", "audience": ["居民"], "hours": rng.choice([2, 4, 6])}
    if code == "funds":
        if "拨付" in title:
            return {"flow": "收入", "amount": "3000.00", "item": title, "counterpart": "街道办事处",
                    "voucher_no": f"SR{n:03d}"}  # fmt: skip
        payee = rng.choice(["社区学校讲师团", "区印刷厂", "新华书店"])
        return {"flow": "支出", "amount": f"{rng.randint(30, 90) * 10}.00", "item": title, "counterpart": payee,
                "voucher_no": f"ZC{n:03d}"}  # fmt: skip
    if code == "inspection":
        return {"check_kind": "月度", "parts": rng.sample(["校舍", "消防", "电气", "食堂", "周边环境"], 3),
                "hazards": rng.choice([0, 0, 1, 2])}  # fmt: skip
    return {}


def _content(code: str, day: date, place: str, topic: str) -> str:
    if code == "board":
        return f"更换{place}宣传内容，本期主题：{topic}。底稿和照片已存档。"
    if "meeting" in code or code == "council":
        return f"会议围绕“{topic}”传达上级文件精神，分析当前工作，研究部署下一阶段任务。"
    if code == "funds":
        return f"{day.month}月{day.day}日{topic}，凭证已作为附件存档。"
    if code in {"patrol", "screening", "inspection", "supervision"}:
        return f"{day.month}月{day.day}日在{place}开展{topic}，对发现的问题逐一登记并跟踪处理。"
    return f"{day.month}月{day.day}日在{place}开展“{topic}”活动，按计划完成各项内容。"


def _photo(seed: int) -> ContentFile:
    """A small generated picture of a notice board (no real person, no location)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (480, 320), (235, 238, 242))
    draw = ImageDraw.Draw(img)
    frame = (rng.randint(120, 200), 40, 46)
    draw.rectangle((30, 30, 450, 290), fill=(250, 250, 245), outline=frame, width=8)
    draw.rectangle((50, 50, 430, 90), fill=frame)
    for i in range(5):
        y = 110 + i * 32
        draw.rectangle((60, y, 60 + rng.randint(180, 360), y + 14), fill=(rng.randint(60, 160), 120, 190))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    return ContentFile(out.getvalue(), name="demo.jpg")


def _plan_for(org) -> list:
    if org.kind == OrgKind.COMMUNITY:
        return COMMUNITY_PLAN
    if org.unit_type in {UnitType.HEALTH_CENTER, UnitType.HEALTH_STATION}:
        plan = HEALTH_UNIT_PLAN
        if org.unit_type == UnitType.HEALTH_STATION:  # 社卫站: 讲座 every two months
            plan = [(a, c, "bimonthly" if c == "lecture" else s, t, p, pl) for a, c, s, t, p, pl in plan]
        return plan
    if org.unit_type == UnitType.SCHOOL:
        return SCHOOL_PLAN
    return []


def _author(ctx, org, area_code):
    users = ctx.users
    if org == ctx.orgs.get("communityA"):
        return users.get("a_safety") if area_code == "safety" else users.get("a_worker")
    if org == ctx.orgs.get("communityB"):
        return users.get("b_worker")
    if org == ctx.orgs.get("school"):
        return users.get("school_officer")
    return users.get("admin")


def build_org_year(ctx, org, year: int, types: dict, *, until: date, with_photos: bool) -> int:
    plan = _plan_for(org)
    rng = random.Random(f"{org.pk}-{year}")
    records: list[Record] = []
    for area_code, code, schedule, titles, (lo, hi), place_key in plan:
        t = types.get((area_code, code))
        if t is None:
            continue
        author = _author(ctx, org, area_code)
        for n, day in enumerate(sorted(_dates(rng, year, schedule)), start=1):
            if day > until:
                break
            topic = titles[(n - 1) % len(titles)]
            title = f"第{n}期 {topic}" if code == "board" else topic
            place = rng.choice(PLACES[place_key])
            extra = _extra(code, n, rng, topic)
            if code == "board":
                extra["location"] = place
            records.append(
                Record(
                    org=org,
                    area_id=t.area_id,
                    activity_type=t,
                    date=day,
                    year=day.year,
                    title=title,
                    place=place,
                    organiser=org.name,
                    participant_count=rng.randint(lo, hi) if hi else 0,
                    content=_content(code, day, place, topic),
                    summary="活动组织有序，群众参与积极，达到预期效果。" if hi else "",
                    extra=extra,
                    created_by=author,
                )
            )
    Record.objects.bulk_create(records, batch_size=500)
    if with_photos:
        photos = []
        for r in records:
            if r.activity_type.code in {"board", "lecture", "drill"}:
                name = default_storage.save(photo_path(None, "demo.jpg"), _photo(r.pk))
                photos.append(RecordPhoto(record=r, image=name, thumb=name, width=480, height=320, caption="现场照片"))
        RecordPhoto.objects.bulk_create(photos, batch_size=500)
    return len(records)


def step(ctx, options) -> None:
    from shequ.orgs.models import Area

    load_activity_types(ActivityType, Area)
    types = {(t.area.code, t.code): t for t in ActivityType.objects.select_related("area")}
    today = timezone.localdate()
    years = [ctx.year] if options.get("records_one_year") else [ctx.year - 1, ctx.year]
    orgs = list(ctx.communities) + [ctx.orgs[k] for k in ("school", "health_center", "health_station") if k in ctx.orgs]
    created = 0
    with transaction.atomic():
        for year in years:
            if year > today.year:
                continue
            until = today if year == today.year else date(year, 12, 31)
            done = set(Record.objects.filter(year=year, org__in=orgs).values_list("org_id", flat=True).distinct())
            for org in orgs:
                if org.pk in done:
                    continue
                named = org in {ctx.orgs.get(k) for k in ("communityA", "communityB", "health_station", "school")}
                created += build_org_year(ctx, org, year, types, until=until, with_photos=named)
            if created:
                tallies.rebuild(year)  # the year's records were written in bulk, past the services
    if not options.get("quiet"):
        print(f"工作记录：新增 {created} 条。")


def add_arguments(parser) -> None:
    parser.add_argument(
        "--records-one-year",
        action="store_true",
        help="demo records only for --year (default: that year and the one before)",
    )
