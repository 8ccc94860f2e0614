"""The question banks Shequ ships (loaded by a data migration, brought up to date by :func:`load`).

The health knowledge bank is written from the themes of 《中国公民健康素养——基本知识与技能》(the 66 items,
2015 edition): each question names its item in ``theme``. Options are numbered from 0; ``correct`` lists the
right options (knowledge) or the healthy ones (behaviour). A community copies questions into its survey, so a
later change of a bank leaves its past surveys alone.
"""

from __future__ import annotations

TF = ["正确", "错误"]


def q(code, kind, text, options, correct, theme="") -> dict:
    return {"code": code, "kind": kind, "text": text, "options": options, "correct": correct, "theme": theme}


def k(code, text, options, correct, theme) -> dict:
    return q(code, "knowledge", text, options, correct, theme)


def b(code, text, options, correct, theme="") -> dict:
    return q(code, "behaviour", text, options, correct, theme)


HEALTH_KNOWLEDGE = [
    k("k01", "健康不仅仅是没有疾病或虚弱，还包括身体、心理和社会适应的完好状态。", TF, [0], "第1条 健康的含义"),
    k(
        "k02",
        "成年人正常血压的范围是：",
        ["收缩压≥140mmHg", "收缩压≥90mmHg且<140mmHg，舒张压≥60mmHg且<90mmHg", "舒张压≥100mmHg", "不知道"],
        [1],
        "第5条 血压",
    ),
    k("k03", "成年人正常腋下体温是：", ["36～37℃", "37.5～38℃", "35～35.5℃", "不知道"], [0], "第5条 体温"),
    k(
        "k04",
        "成年人安静时正常的脉搏（心跳）是每分钟：",
        ["40～50次", "60～100次", "100～120次", "不知道"],
        [1],
        "第5条 脉搏",
    ),
    k("k05", "接种疫苗是预防一些传染病最有效、最经济的措施。", TF, [0], "第6条 预防接种"),
    k(
        "k06",
        "艾滋病的传播途径有（可多选）：",
        ["血液传播", "性传播", "母婴传播", "握手、共同进餐"],
        [0, 1, 2],
        "第9条 艾滋病",
    ),
    k("k07", "咳嗽、咯痰两周以上，或痰中带血，应怀疑得了肺结核，及时检查。", TF, [0], "第11条 肺结核"),
    k("k08", "蚊子、苍蝇、老鼠、蟑螂等会传播疾病。", TF, [0], "第12条 病媒生物"),
    k(
        "k09",
        "关于吸烟，下列说法正确的是（可多选）：",
        [
            "吸烟和二手烟暴露会导致癌症、心血管疾病等",
            "“低焦油卷烟”“中草药卷烟”能降低危害",
            "任何年龄戒烟均可获益",
            "只要不在室内吸烟就没有危害",
        ],
        [0, 2],
        "第20、21条 烟草危害与戒烟",
    ),
    k("k10", "少量饮酒有益健康，可以不加限制。", TF, [1], "第22条 限量饮酒"),
    k("k11", "健康成年人每天食盐摄入量不超过：", ["5克", "10克", "15克", "不知道"], [0], "第35条 膳食（少盐）"),
    k("k12", "成年人每日应进行6～10千步当量的身体活动，动则有益，贵在坚持。", TF, [0], "第37条 身体活动"),
    k(
        "k13",
        "关于就医用药，下列说法正确的是（可多选）：",
        ["遵医嘱用药", "抗生素可以预防感冒，自己常备常吃", "处方药须凭医生处方购买", "保健食品可以代替药品"],
        [0, 2],
        "第25、26条 合理用药",
    ),
    k("k14", "发现病死禽畜要报告，不宰杀、不加工、不食用病死禽畜。", TF, [0], "第14条 病死禽畜"),
    k(
        "k15",
        "遇到呼吸、心跳骤停的伤病员，应：",
        ["立即拨打120并进行心肺复苏", "等医生来处理", "喂水", "不知道"],
        [0],
        "第65条 急救",
    ),
    k(
        "k16",
        "发生火灾时，正确的做法是（可多选）：",
        ["用湿毛巾捂住口鼻，弯腰低姿逃生", "乘电梯逃生", "拨打火警电话119", "躲到床底下"],
        [0, 2],
        "第63、64条 火灾逃生",
    ),
    k("k17", "全国统一的卫生热线电话是：", ["12320", "12315", "12345", "不知道"], [0], "第55条 12320"),
    k("k18", "关爱老年人、残疾人，预防老年人跌倒。", TF, [0], "第30条 预防跌倒"),
    k("k19", "正常成年人的体重指数（BMI）范围是：", ["18.5～23.9", "24～27.9", "≥28", "不知道"], [0], "第39条 体重"),
    k("k20", "孩子出生后应尽早开始母乳喂养，满6个月时合理添加辅食。", TF, [0], "第27条 母乳喂养"),
    k("k21", "保持正常血压、血糖、血脂，定期体检，是预防慢性病的重要措施。", TF, [0], "第17、33条 慢性病"),
    k("k22", "每个人都有维护自身和他人健康的责任，健康的生活方式能够维护和促进自身健康。", TF, [0], "第2条 健康责任"),
    k(
        "k23",
        "在公共场所咳嗽、打喷嚏时，应当：",
        ["用手帕、纸巾或肘部遮掩口鼻", "对着他人", "随地吐痰", "不知道"],
        [0],
        "第45条 咳嗽礼仪",
    ),
    k("k24", "从事有毒有害工种的劳动者享有职业保护的权利。", TF, [0], "第32条 职业病防护"),
    k("k25", "需要紧急医疗救助时拨打的电话是：", ["110", "119", "120", "不知道"], [2], "第65条 急救电话"),
]

YN = ["是", "否"]

HEALTH_BEHAVIOUR = [
    b("b01", "您现在吸烟吗？", ["不吸烟", "已戒烟", "偶尔吸", "每天吸"], [0, 1], "第20条 不吸烟"),
    b("b02", "您饭前便后是否洗手？", ["每次都洗", "有时洗", "很少洗"], [0], "第44条 勤洗手"),
    b(
        "b03",
        "您每周进行中等强度运动（如快走、骑车）的次数：",
        ["5次及以上", "3～4次", "1～2次", "几乎不运动"],
        [0, 1],
        "第37条 身体活动",
    ),
    b("b04", "您家做饭时是否控制盐和油的用量（如使用限盐勺）？", YN, [0], "第35条 膳食"),
    b("b05", "您过去一年是否测量过血压？", YN, [0], "第17条 定期测血压"),
    b("b06", "您每天是否刷牙两次？", YN, [0], "第41条 口腔卫生"),
    b("b07", "您是否每天饮酒？", ["不饮酒或偶尔少量饮酒", "每天饮酒"], [0], "第22条 限量饮酒"),
    b("b08", "生病时，您是否遵医嘱服药，不自行购买、服用抗生素？", YN, [0], "第26条 合理用药"),
    b("b09", "您是否做到生熟食品分开存放和加工？", YN, [0], "第47条 食品安全"),
    b("b10", "您每天的睡眠时间是否在7小时左右？", YN, [0], "第42条 规律作息"),
]

SATISFACTION = [
    q("s01", "rating", "您对社区健康教育讲座和宣传活动的总体满意程度：", [], []),
    q("s02", "rating", "您对社区卫生服务站服务态度的满意程度：", [], []),
    q(
        "s03",
        "multiple",
        "您希望社区今后开展哪些健康主题（可多选）：",
        ["慢性病防治", "合理膳食", "心理健康", "老年人健康", "传染病预防", "急救技能"],
        [],
    ),
    q("s04", "text", "您对社区健康教育工作的意见和建议：", [], []),
]

RESIDENT_SATISFACTION = [
    q("r01", "rating", "您对社区居委会工作的总体满意程度：", [], []),
    q("r02", "rating", "您对民情民意反映后答复及时性的满意程度：", [], []),
    q("r03", "single", "您通过哪种方式了解社区事务：", ["社区公开栏", "网格员告知", "微信群", "其他"], []),
    q("r04", "text", "您对社区工作的意见和建议：", [], []),
]

BANKS: list[dict] = [
    {
        "area": "health",
        "code": "literacy",
        "name": "健康素养知识题库",
        "description": (
            "依据《中国公民健康素养——基本知识与技能（2015年版）》66条编写，用于居民和工作人员的健康知识知晓率调查。"
        ),
        "questions": HEALTH_KNOWLEDGE,
    },
    {
        "area": "health",
        "code": "behaviour",
        "name": "健康行为题库",
        "description": "吸烟、饮酒、膳食、运动、卫生习惯等健康行为，用于健康行为形成率调查。",
        "questions": HEALTH_BEHAVIOUR,
    },
    {
        "area": "health",
        "code": "satisfaction",
        "name": "健康教育满意度题库",
        "description": "居民对健康教育活动和社区卫生服务的满意程度与需求。",
        "questions": SATISFACTION,
    },
    {
        "area": "selfgov",
        "code": "satisfaction",
        "name": "居民满意度题库",
        "description": "居民对社区工作、民情民意答复的满意程度。",
        "questions": RESIDENT_SATISFACTION,
    },
]


def load(Bank, BankQuestion, Area) -> int:
    """Create the shipped banks and bring their questions up to the catalogue; returns the questions written."""
    written = 0
    for spec in BANKS:
        area = Area.objects.filter(code=spec["area"]).first()
        if area is None:
            continue
        bank, _ = Bank.objects.update_or_create(
            area=area,
            code=spec["code"],
            defaults={"org": None, "name": spec["name"], "description": spec["description"]},
        )
        for sort, question in enumerate(spec["questions"], start=1):
            fields = {key: v for key, v in question.items() if key != "code"}
            BankQuestion.objects.update_or_create(bank=bank, code=question["code"], defaults={**fields, "sort": sort})
            written += 1
    return written
