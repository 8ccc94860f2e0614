"""The letter kinds the reference plans name, loaded by a data migration and kept by administrators afterwards:
the 平安建设目标责任书 the district signs with its streets and they with their communities, the school's 安全工作
责任书 signed level by level (“层层签订”) down to each 任课教师, and the 消防安全责任书."""

from __future__ import annotations

KINDS = [
    {
        "code": "safety-goals",
        "name": "平安建设目标责任书",
        "area": "safety",
        "holders": "orgs",
        "roles": [],
        "clauses": "\n".join(
            [
                "认真落实平安建设领导责任制，主要领导为第一责任人，分管领导为直接责任人。",
                "经常性开展矛盾纠纷排查调处，做到小事不出社区、大事不出街道，调处成功率达到95%以上。",
                "落实特殊人群帮教管控措施，社区矫正人员、刑释解教人员帮教率达到100%。",
                "深入开展“无邪教”创建和法制宣传教育，居民群众安全感、满意率逐年提高。",
                "全年不发生重大刑事案件、群体性事件和重大安全责任事故；发生的，实行社会治安综合治理一票否决。",
            ]
        ),
        "sort": 10,
    },
    {
        "code": "school-safety",
        "name": "学校安全工作责任书",
        "area": "school",
        "holders": "people",
        "roles": ["年级组长", "班主任", "任课教师"],
        "clauses": "\n".join(
            [
                "落实校长负责制和教师“一岗两责”，对本年级、本班、本课堂学生在校期间的安全负直接责任。",
                "在校期间每月开展一次安全隐患排查，发现隐患及时报告并督促整改，做好记录。",
                "每学期开展安全教育和应急疏散演练，做好防溺水、交通、消防、食品、防欺凌等安全教育。",
                "严格执行值日、交接班和学生考勤制度，学生无故缺勤及时联系家长。",
                "发生安全事故立即处置并按规定报告；因失职造成安全责任事故的，按“四不放过”原则追究责任，年度考核一票否决。",
            ]
        ),
        "sort": 20,
    },
    {
        "code": "fire-safety",
        "name": "消防安全责任书",
        "area": "safety",
        "holders": "orgs",
        "roles": [],
        "clauses": "\n".join(
            [
                "落实消防安全责任制，明确本单位消防安全责任人和管理人。",
                "每月开展一次消防安全检查，发现火灾隐患限期整改。",
                "保持疏散通道、安全出口畅通，消防设施、器材完好有效。",
                "每年至少组织一次消防演练和一次消防安全宣传活动。",
            ]
        ),
        "sort": 30,
    },
]


def load(LetterKind, Area) -> None:
    """Create the kinds that are not there (by code); kinds already there are the administrators' to keep."""
    areas = {a.code: a for a in Area.objects.all()}
    for spec in KINDS:
        area = areas.get(spec["area"])
        if area is None:
            continue
        LetterKind.objects.get_or_create(code=spec["code"], defaults={**spec, "area": area})
