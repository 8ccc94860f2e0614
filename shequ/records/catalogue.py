"""The activity types of the six reference plans, loaded as data (a data migration and the demo).

Codes are stable: targets refer to a type by ``(area code, type code)``, e.g. ``("health", "board")``
for 宣传栏更换. Administrators add more types in the UI; this list only seeds the six areas.

Each type's ``extra_fields`` follows :mod:`shequ.records.extra` (kinds text, textarea, int, date,
choice, multichoice). The health-education fields follow the national 健康教育活动记录表
(domain-formats §1.1); 宣传栏更换 adds 期数/位置/主题/制作单位 (§1.3).
"""

from __future__ import annotations


def field(name: str, label: str, kind: str = "text", *, required: bool = False, choices=None, help: str = ""):
    out = {"name": name, "label": label, "kind": kind, "required": required}
    if choices:
        out["choices"] = list(choices)
    if help:
        out["help"] = help
    return out


ARCHIVE_CHOICES = ["书面材料", "图片材料", "印刷材料", "影音材料", "签到表", "其他材料"]
HEALTH_FORMS = [
    "健康讲座",
    "义诊咨询",
    "发放资料/处方",
    "播放宣传片",
    "展板挂图",
    "上街宣传",
    "入户宣传",
    "知识问答",
    "其他",
]
HEALTH_AUDIENCE = [
    "辖区居民",
    "老年人",
    "青少年",
    "妇女",
    "残疾人",
    "0~6岁儿童家长",
    "慢性病患者",
    "农民工",
    "学生",
    "其他",
]

# The fields of the 健康教育活动记录表 beyond the record's own (date, place, title, organiser, count, content, summary).
HEALTH_FORM_FIELDS = [
    field("activity_form", "活动形式", "multichoice", choices=HEALTH_FORMS),
    field("audience", "接受健康教育人员类别", "multichoice", choices=HEALTH_AUDIENCE),
    field("materials_kinds", "健康教育资料发放种类", help="如:高血压防治折页、控烟处方"),
    field("materials_count", "健康教育资料发放数量(份)", "int"),
    field("archive", "存档材料", "multichoice", choices=ARCHIVE_CHOICES),
]
SPEAKER = field("speaker", "主讲人")
MEETING_FIELDS = [
    field("host", "主持人"),
    field("recorder", "记录人"),
    field("expected", "应到人数", "int"),
    field("absent", "缺席人员及原因"),
    field("agenda", "议题", "textarea"),
    field("resolutions", "决议事项", "textarea", help="每行一项;可写明责任人和期限"),
]
# A drill's participants are the record's 参加人数; its kinds cover the school plan's eight key prevention items
# (shequ.education.schoolyear) as far as a drill can practise them.
DRILL_KINDS = ["消防疏散", "防震避险", "防溺水", "防踩踏", "防暴反恐", "防雷击", "交通安全", "传染病防控", "其他"]
DRILL_FIELDS = [
    field("drill_kind", "演练类别", "choice", choices=DRILL_KINDS),
    field("start_time", "开始时间", help="如 9:30"),
    field("end_time", "结束时间"),
    field("evacuation", "疏散用时", "duration", help="如：3分20秒、200秒、4分钟"),
    field("commander", "总指挥"),
    field("problems", "发现的问题", "textarea"),
    field("lessons", "经验教训", "textarea"),
    field("improvements", "改进措施", "textarea"),
]
CARE_ITEMS = [
    "康复医疗",
    "训练指导",
    "心理疏导",
    "知识普及",
    "辅助器具",
    "职业培训",
    "教育咨询",
    "转介",
    "生活帮扶",
    "其他",
]
CARE_FIELDS = [
    field("served", "服务对象", help="可在下方签到名单中选择居民档案中的人员"),
    field("care_items", "服务项目", "multichoice", choices=CARE_ITEMS),
    field("care_way", "服务方式", "choice", choices=["上门服务", "集中服务", "电话随访", "其他"]),
    field("progress", "康复进展情况", "textarea"),
    field("next_plan", "下一步服务计划", "textarea"),
]
ACCIDENT_FIELDS = [
    field("level", "事故等级", "choice", required=True, choices=["一般", "较大", "重大", "特别重大"]),
    field("liable", "是否责任事故", "choice", required=True, choices=["是", "否"]),
    field("casualties", "伤亡情况"),
    field("handling", "处置情况", "textarea"),
]
CASE_FIELDS = [
    field("case_kind", "案件类别", "choice", choices=["刑事案件", "治安案件"]),
    field("handling", "处置情况", "textarea"),
]
TRAINING_FIELDS = [
    field("lecturer", "授课人(单位)"),
    field(
        "audience",
        "对象类别",
        "multichoice",
        choices=["在职人员", "下岗失业人员", "老年人", "弱势人群", "外来人员", "青少年", "婴幼儿家长", "居民", "其他"],
    ),
    field("hours", "学时", "int"),
]
# The funds ledger (经费收支台账) of a line of work: one record per income or spending, its voucher attached.
FUNDS_TYPE = "funds"
INCOME = "收入"
SPENDING = "支出"
FUNDS_FIELDS = [
    field("flow", "收支", "choice", required=True, choices=[INCOME, SPENDING]),
    field("amount", "金额（元）", "money", required=True),
    field("item", "科目/用途", required=True, help="如：社区教育讲师课酬、宣传资料印制"),
    field("counterpart", "来源/收款方", help="如：街道拨款、某印刷厂"),
    field("voucher_no", "凭证号", help="凭证、发票扫描件请作为附件上传"),
]
FUNDS = (FUNDS_TYPE, "经费收支", "经费收入与支出，凭证作为附件。", FUNDS_FIELDS)
SCHOOL_PARTS = ["校舍", "消防", "电气", "食堂", "体育器材", "校车", "周边环境", "其他"]

# area code -> [(type code, name, description, extra fields)]
ACTIVITY_TYPES: dict[str, list[tuple[str, str, str, list[dict]]]] = {
    "health": [
        (
            "board",
            "宣传栏更换",
            "健康教育宣传栏/橱窗更换:每月至少1次,5–8月每半月1次。",
            [
                field("issue_no", "期数", "int", required=True, help="本年第几期"),
                field("location", "宣传栏位置", required=True, help="如:社区服务站门口1号宣传栏"),
                field("topics", "主题(可多个)", help="用顿号分隔,如:防溺水、食品安全"),
                field("maker", "制作单位"),
                field("archive", "存档材料", "multichoice", choices=ARCHIVE_CHOICES),
            ],
        ),
        ("lecture", "健康讲座", "健康知识集中讲座。", [SPEAKER, *HEALTH_FORM_FIELDS]),
        ("consult", "义诊/咨询", "义诊、健康咨询、纳凉广场知识问答。", HEALTH_FORM_FIELDS),
        ("materials", "发放资料/处方", "印制宣传单、发放健康教育资料和处方。", HEALTH_FORM_FIELDS),
        (
            "video",
            "播放宣传片",
            "播放健康教育宣传片、音像资料。",
            [field("video_title", "片名"), field("minutes", "播放时长(分钟)", "int"), *HEALTH_FORM_FIELDS],
        ),
        ("street", "上街宣传", "集中上街宣传、广场宣传。", HEALTH_FORM_FIELDS),
        (
            "door",
            "入户宣传",
            "深入居民小区入户宣传、发放资料。",
            [field("households", "入户户数", "int"), *HEALTH_FORM_FIELDS],
        ),
        (
            "theme_day",
            "主题宣传日活动",
            "世界无烟日等重大节日、卫生日的宣传活动。",
            [
                field(
                    "theme_day",
                    "宣传日",
                    "choice",
                    required=True,
                    choices=[
                        "世界无烟日",
                        "世界防治结核病日",
                        "全国高血压日",
                        "世界艾滋病日",
                        "全民健康生活方式日",
                        "其他",
                    ],
                ),
                *HEALTH_FORM_FIELDS,
            ],
        ),
        ("meeting", "专题会议", "专题研究健康教育工作的办公会。", MEETING_FIELDS),
        ("group_meeting", "领导小组会议", "健康教育领导小组会议。", MEETING_FIELDS),
        ("staff_training", "健康教育人员培训", "健康教育专职人员业务培训。", TRAINING_FIELDS),
        (
            "report",
            "信息报送",
            "向区卫生局报送健康教育信息和宣传动态。",
            [
                field("report_to", "报送单位", help="如:区卫生健康局"),
                field(
                    "report_kind",
                    "信息类别",
                    "choice",
                    choices=["工作动态", "亮点做法", "工作成效", "先进人物", "其他"],
                ),
            ],
        ),
        FUNDS,
    ],
    "selfgov": [
        ("resident_meeting", "居民会议", "居民会议、居民代表会议。", MEETING_FIELDS),
        (
            "council",
            "协商议事会",
            "社区协商议事委员会会议:讨论决定重要事项,表决过半数通过。",
            [
                *MEETING_FIELDS,
                field("votes", "表决情况", help="如:赞成12、反对1、弃权0"),
                field("vote_result", "表决结果", "choice", choices=["通过", "未通过", "部分通过"]),
            ],
        ),
        ("committee_meeting", "居委会工作会议", "居委会、政务工作站工作会议。", MEETING_FIELDS),
        (
            "review",
            "民主评议",
            "议事委员会、居民对居委会及居干工作的评议监督。",
            [field("reviewed", "评议对象"), field("satisfaction", "满意率(%)", "int")],
        ),
        (
            "opinion_board",
            "民情民意交流栏",
            "民情、民意交流栏更新与答复。",
            [
                field("location", "交流栏位置"),
                field("opinions", "收到意见建议(条)", "int"),
                field("replies", "答复(条)", "int"),
            ],
        ),
        (
            "supervision",
            "监督员巡查",
            "环境卫生、治安隐患监督员巡查。",
            [
                field("supervisor_kind", "监督员类别", "choice", choices=["环境卫生监督员", "治安隐患监督员", "其他"]),
                field("issues", "发现问题(个)", "int"),
            ],
        ),
        ("culture", "文体活动", "群众性文化娱乐、体育活动。", []),
        ("volunteer", "志愿服务", "居民志愿者、党员志愿者服务活动。", [field("volunteers", "志愿者人数", "int")]),
        ("publicity", "宣传教育", "社会公德、家庭美德宣传教育。", []),
        FUNDS,
    ],
    "disability": [
        ("group_meeting", "领导小组会议", "残疾人康复工作领导小组会议。", MEETING_FIELDS),
        (
            "needs_survey",
            "康复需求入户调查",
            "残疾人康复需求入户调查、登记、建档立卡。",
            [
                field("surveyed", "调查人数", "int"),
                field("with_needs", "有康复需求人数", "int"),
                field("needs", "需求类别", "multichoice", choices=CARE_ITEMS),
            ],
        ),
        (
            "home_visit",
            "入户走访",
            "五清走访:家庭、经济、残疾、康复、需求状况。",
            [field("households", "走访户数", "int"), field("findings", "了解情况", "textarea")],
        ),
        ("helper_visit", "帮扶走访", "帮扶对子上门帮扶服务。", CARE_FIELDS),
        ("rehab_service", "康复服务", "社区康复训练指导、康复服务记录。", CARE_FIELDS),
        ("training", "康复培训", "组织残疾人、亲属参加康复培训。", TRAINING_FIELDS),
        ("knowledge", "康复知识宣传", "普及康复知识、推广科普读物、心理疏导。", []),
        (
            "referral",
            "转诊转介",
            "社区无法满足的康复需求转诊转介。",
            [field("referred_to", "转介机构"), field("reason", "转介原因", "textarea")],
        ),
        ("volunteer", "助残志愿活动", "助残志愿者服务活动。", [field("volunteers", "志愿者人数", "int")]),
        (
            "prevention",
            "残疾预防",
            "残疾预防宣传、儿童残疾早发现早干预。",
            [field("screened", "筛查人数", "int"), field("found", "发现疑似人数", "int")],
        ),
        FUNDS,
    ],
    "safety": [
        ("group_meeting", "领导小组会议", "平安建设(综治)领导小组会议。", MEETING_FIELDS),
        ("work_meeting", "平安建设工作会议", "综治、维稳、信息员例会。", MEETING_FIELDS),
        (
            "screening",
            "矛盾纠纷排查",
            "定期、专项矛盾纠纷大排查;无纠纷时在信息报送中报零报告。",
            [
                field("scope", "排查范围"),
                field("found", "排查出纠纷(件)", "int"),
                field("resolved", "调处成功(件)", "int"),
            ],
        ),
        (
            "mediation_day",
            "集中调解日",
            "社区集中调解日、调解会。",
            [field("cases", "调解纠纷(件)", "int"), field("success", "调解成功(件)", "int")],
        ),
        (
            "reception",
            "领导接待日",
            "领导接待日、大接访。",
            [field("leader", "接待领导"), field("visitors", "接待人次", "int"), field("issues", "反映问题(件)", "int")],
        ),
        ("visit", "大走访", "深入居民大走访。", [field("households", "走访户数", "int")]),
        (
            "patrol",
            "治安巡逻",
            "群防群治治安巡逻(红袖标)。",
            [field("route", "巡逻路线"), field("issues", "发现问题(个)", "int")],
        ),
        (
            "inspection",
            "安全检查",
            "治安重点地区、消防、出租房屋等安全隐患排查。",
            [
                field("targets", "检查对象"),
                field("hazards", "发现隐患(处)", "int"),
                field("rectify", "整改要求", "textarea"),
            ],
        ),
        (
            "risk_assessment",
            "社会稳定风险评估",
            "征地、拆迁、项目建设等社会稳定风险评估。",
            [
                field("project", "评估事项", required=True),
                field("risk", "风险等级", "choice", choices=["低", "中", "高"]),
            ],
        ),
        (
            "special_group",
            "特殊人群帮教",
            "社区矫正、安置帮教、吸毒人员、严重精神障碍患者的帮教走访。",
            [
                field(
                    "group",
                    "人群类别",
                    "choice",
                    choices=["社区矫正", "刑释解教", "吸毒人员", "严重精神障碍患者", "重点青少年"],
                )
            ],
        ),
        ("floating", "流动人口信息采集", "流动人口信息社会化采集。", [field("collected", "采集人数", "int")]),
        ("legal_publicity", "法治宣传", "普法、平安建设、反邪教、国家安全宣传。", []),
        ("drill", "应急演练", "突发事件应急处置实战演练。", DRILL_FIELDS),
        ("accident", "安全事故", "发生的安全事故(重大安全责任事故一票否决)。", ACCIDENT_FIELDS),
        ("criminal_case", "刑事/治安案件", "辖区发生的刑事案件、有影响的治安案件。", CASE_FIELDS),
        (
            "mass_incident",
            "群体性事件",
            "群体性上访、越级上访等事件。",
            [field("people", "涉及人数", "int"), field("handling", "处置情况", "textarea")],
        ),
        FUNDS,
    ],
    "school": [
        ("group_meeting", "安全工作领导小组会议", "开学、期末、每月一次的安全工作会议。", MEETING_FIELDS),
        (
            "inspection",
            "安全检查",
            "安全大检查、隐患排查(开学前、结束前、假期后、灾后、每月)。",
            [
                field(
                    "check_kind",
                    "检查类别",
                    "choice",
                    choices=["开学前", "期末", "假期后", "灾后", "月度", "专项", "其他"],
                ),
                field("parts", "检查部位", "multichoice", choices=SCHOOL_PARTS),
                field("hazards", "发现隐患(处)", "int"),
                field("rectify", "整改措施及时限", "textarea"),
            ],
        ),
        ("drill", "应急演练", "消防疏散、防震等应急演练。", DRILL_FIELDS),
        (
            "lesson",
            "安全教育课",
            "安全教育课、班会课、专题讲座。",
            [
                field("classes", "班级"),
                field(
                    "topic_kind",
                    "教育内容",
                    "multichoice",
                    choices=[
                        "防溺水",
                        "防雷击",
                        "防交通事故",
                        "防传染病",
                        "防地质灾害",
                        "防活动伤害",
                        "防体罚伤害",
                        "防校舍设施事故",
                        "消防安全",
                        "食品安全",
                        "其他",
                    ],
                ),
            ],
        ),
        ("legal_lesson", "法制教育课", "法制副校长法制教育课、普法。", [field("lecturer", "授课人")]),
        (
            "parent_contact",
            "家长会/家访",
            "家长会、家访、发放《告家长书》。",
            [field("families", "涉及家庭(户)", "int")],
        ),
        (
            "responsibility",
            "安全责任书签订",
            "层层签订安全工作责任书。",
            [field("signers", "签订份数", "int"), field("parties", "签订对象", help="如:各处室、班主任")],
        ),
        ("campaign", "安全教育活动周/月", "安全教育活动月、活动周、活动日。", []),
        ("staff_training", "教职工安全与法制学习", "组织教职工学习《教师法》等法律法规和安全知识。", TRAINING_FIELDS),
        (
            "screening",
            "矛盾纠纷排查",
            "学校内部矛盾纠纷排查调处。",
            [field("found", "排查出纠纷(件)", "int"), field("resolved", "调处成功(件)", "int")],
        ),
        ("accident", "安全事故", "师生伤亡等安全事故(责任事故一票否决)。", ACCIDENT_FIELDS),
        ("criminal_case", "刑事/治安案件", "学校发生的刑事案件、治安灾害事故。", CASE_FIELDS),
        FUNDS,
    ],
    "education": [
        ("training", "培训班", "各类短期教育培训。", TRAINING_FIELDS),
        ("lecture", "社区教育讲座", "讲师团专题讲座。", [SPEAKER]),
        (
            "remote",
            "远程教育",
            "播放教学光盘、卫星电视、网络教学。",
            [field("course", "课程名称"), field("minutes", "时长(分钟)", "int")],
        ),
        (
            "evaluation",
            "学习型组织评比",
            "学习型家庭、单位、企业、居委会评比。",
            [
                field(
                    "org_kind",
                    "评比类别",
                    "choice",
                    required=True,
                    choices=["学习型家庭", "学习型单位", "学习型企业", "学习型居委会"],
                ),
                field("candidates", "参评数", "int"),
                field("awarded", "评出数", "int"),
            ],
        ),
        ("reading", "读书活动", "读书会、书香家庭活动。", []),
        ("youth", "青少年校外教育", "青少年校外素质教育、未成年人德育活动。", []),
        ("meeting", "社区教育工作会议", "社区教育领导机构工作会议。", MEETING_FIELDS),
        (
            "inspection",
            "检查评估",
            "对社区学校、教学点的检查评估。",
            [field("inspected", "检查对象"), field("result", "评估结果", "textarea")],
        ),
        ("teacher_training", "社区教育工作者培训", "专兼职社区教育工作者业务培训。", TRAINING_FIELDS),
        FUNDS,
    ],
}


def load_activity_types(ActivityType, Area) -> int:
    """Create the missing types of the six areas; leave existing ones (an administrator may have edited them).

    Returns the number of types created. Safe to run again.
    """
    areas = {a.code: a for a in Area.objects.filter(code__in=ACTIVITY_TYPES)}
    existing = set(ActivityType.objects.values_list("area__code", "code"))
    new = []
    for area_code, types in ACTIVITY_TYPES.items():
        area = areas.get(area_code)
        if area is None:
            continue
        for sort, (code, name, description, extra) in enumerate(types, start=1):
            if (area_code, code) in existing:
                continue
            new.append(
                ActivityType(
                    area=area, code=code, name=name, description=description, extra_fields=extra, sort=sort * 10
                )
            )
    ActivityType.objects.bulk_create(new)
    return len(new)


def merge_extra_fields(existing: list[dict], declared: list[dict]) -> list[dict]:
    """An existing type's fields with what the catalogue declares since: missing fields added after the field
    they follow in the declaration, missing choices appended; what an administrator changed stays."""
    out = [dict(f) for f in existing]
    names = [f["name"] for f in out]
    for i, spec in enumerate(declared):
        if spec["name"] in names:
            have = out[names.index(spec["name"])]
            if "choices" in spec and "choices" in have:
                have["choices"] = have["choices"] + [c for c in spec["choices"] if c not in have["choices"]]
            continue
        before = declared[i - 1]["name"] if i else None
        at = names.index(before) + 1 if before in names else len(out)
        out.insert(at, dict(spec))
        names.insert(at, spec["name"])
    return out


def update_activity_types(ActivityType, codes: list[tuple[str, str]]) -> int:
    """Bring the named existing types' fields up to the catalogue (``merge_extra_fields``). Safe to run again."""
    declared = {(a, c): extra for a, types in ACTIVITY_TYPES.items() for c, _n, _d, extra in types}
    changed = 0
    for t in ActivityType.objects.filter(code__in={c for _a, c in codes}).select_related("area"):
        key = (t.area.code, t.code)
        if key not in codes:
            continue
        merged = merge_extra_fields(t.extra_fields, declared[key])
        if merged != t.extra_fields:
            t.extra_fields = merged
            t.save(update_fields=["extra_fields"])
            changed += 1
    return changed
