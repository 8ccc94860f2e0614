"""The six reference plans (reference/community-work-plan-2023.txt) as plan templates with every
measurable target they state.

Activity types are named "area/code" (the records app's activity types, loaded as data). Where a plan
names a regular duty but gives no number, the target takes the default of the rules the plan refers to
and says so in ``basis``; every number is a default that a community adjusts in its own plan.
Loaded idempotently by a data migration (and again by the demo): :func:`load`.
"""

from __future__ import annotations

from decimal import Decimal

HEALTH_PROMOTION = [
    "health/board",
    "health/lecture",
    "health/consult",
    "health/materials",
    "health/video",
    "health/street",
    "health/door",
    "health/theme_day",
]


def t(code, title, kind, basis, **kw) -> dict:
    return {"code": code, "title": title, "kind": kind, "basis": basis, **kw}


TEMPLATES: list[dict] = [
    {
        "code": "ref-health",
        "area": "health",
        "title": "健康教育年度工作计划(参考模板)",
        "text": "为持续深入地做好健康教育工作,倡导健康的生活方式,提高辖区居民健康水平……(见参考计划篇1)",
        "targets": [
            t(
                "health-group",
                "成立健康教育领导小组(有组长)",
                "indicator",
                "成立由社区卫生服务机构负责人担任组长的健康教育领导小组,小组下设办公室,配备专职工作人员。"
                "（由组织机构计算：已成立且有在任组长的健康教育领导小组）",
                indicator="health_group_formed",
                threshold=Decimal(1),
                unit="个",
            ),
            t(
                "health-plan",
                "制订年度健康教育计划、工作措施、考核标准、奖惩措施",
                "indicator",
                "制订20xx年度健康教育计划、工作措施、考核标准、奖惩措施。(原文未定时限,默认一季度末)"
                "（由制度文件计算：3月31日前通过的工作计划、考核标准、奖惩措施三类齐全）",
                indicator="health_plan_documents",
                threshold=Decimal(3),
                unit="类",
            ),
            t(
                "health-meetings",
                "专题研究健康教育工作办公会 全年至少2次",
                "indicator",
                "年内必须召开两次以上专题研究健康教育工作办公会,安排部署健康教育工作。"
                "（由会议计算：健康教育领导小组本年达到法定人数的会议）",
                indicator="health_group_meetings",
                threshold=Decimal(2),
                unit="次",
            ),
            t(
                "health-board-monthly",
                "健康教育专栏/橱窗更换 每月1次,全年不少于12次",
                "count",
                "设立健康教育专栏或橱窗要及时更换……每月一次,全年不少于12次。",
                activity_codes=["health/board"],
                period="month",
                min_per_period=1,
                min_per_year=12,
            ),
            t(
                "health-board-summer",
                "重点时段(5–8月)宣传栏更换 至少每半月1次",
                "count",
                "今年5、6、7、8月份的宣传频率要至少每半月一次。",
                activity_codes=["health/board"],
                period="half_month",
                months=[5, 6, 7, 8],
                min_per_period=1,
            ),
            t(
                "health-staff-center",
                "社卫中心专职健康教育宣传人员 2–3人",
                "indicator",
                "各机构安排专职健康教育宣传人员社卫中心2-3人。（由组织机构计算：健康教育领导小组办公室在任成员）",
                indicator="health_staff_count",
                threshold=Decimal(2),
                max_value=Decimal(3),
                unit="人",
                applies_to=["health_center"],
            ),
            t(
                "health-staff-station",
                "社卫站专职健康教育宣传人员 1–2人",
                "indicator",
                "各机构安排专职健康教育宣传人员……社卫站1-2人。（由组织机构计算：健康教育领导小组办公室在任成员）",
                indicator="health_staff_count",
                threshold=Decimal(1),
                max_value=Decimal(2),
                unit="人",
                applies_to=["health_station"],
            ),
            t(
                "health-staff-knowledge",
                "健康教育人员健康教育知识知晓率 ≥98%",
                "indicator",
                "健康教育人员的健康教育知识知晓率达到98%以上。（由本年最近一次结束的工作人员健康知识问卷计算）",
                indicator="health_staff_knowledge_rate",
                threshold=Decimal(98),
                unit="%",
            ),
            t(
                "health-resident-knowledge",
                "年底社区居民健康知识知晓率 ≥97%",
                "indicator",
                "年底社区居民健康知识知晓率要达到97%以上。（由本年最近一次结束的居民健康素养抽样调查计算：答对题数 ÷ "
                "（题数 × 调查人数）；原文未定样本量，默认不少于30份答卷）",
                indicator="health_knowledge_rate",
                threshold=Decimal(97),
                unit="%",
                min_sample=30,
            ),
            t(
                "health-behaviour",
                "年底居民健康行为形成率 ≥80%",
                "indicator",
                "健康行为形成率要达到80%以上。（由本年最近一次结束的居民健康行为抽样调查计算；默认不少于30份答卷）",
                indicator="health_behaviour_rate",
                threshold=Decimal(80),
                unit="%",
                min_sample=30,
            ),
            t(
                "health-no-tobacco",
                "世界无烟日(5月31日)控烟宣传活动",
                "deadline",
                "利用5月30日第23个世界无烟日,大力宣传《烟草控制框架公约》,普及烟草危害相关知识……"
                "(世界无烟日为5月31日,原文作5月30日;宣传日：计入5月17日–31日主题含控烟的宣传活动)",
                activity_codes=HEALTH_PROMOTION,
                due_month=5,
                due_day=31,
                window_days=14,
                keywords="无烟,烟草,控烟,戒烟,吸烟",
                campaign="no-tobacco-day",
            ),
        ],
    },
    {
        "code": "ref-selfgov",
        "area": "selfgov",
        "title": "居民自治年度工作计划(参考模板)",
        "text": "坚持把“发挥居民自治,强化为民服务,构建和谐社区”作为社区全年工作的主线……(见参考计划篇2)",
        "targets": [
            t(
                "selfgov-council",
                "建立社区协商议事委员会(职责、人员组成、会议制度)",
                "indicator",
                "建立社区协商议事委员会……有职责、人员组成、会议制度等。（由组织机构计算：已成立且有在任主任的协商议事委员会）",
                indicator="selfgov_council_formed",
                threshold=Decimal(1),
                unit="个",
            ),
            t(
                "selfgov-council-meetings",
                "协商议事委员会会议 全年至少2次",
                "indicator",
                "按会议制度议事(议事制度通行要求每年至少2次,另加临时会议;可按本地制度调整)。"
                "（由会议计算：协商议事委员会本年达到法定人数的会议）",
                indicator="selfgov_council_meetings",
                threshold=Decimal(2),
                unit="次",
            ),
            t(
                "selfgov-monitors",
                "聘请社区监督员(环境卫生、治安隐患)",
                "deadline",
                "在社区内聘请以居民志愿者、党员志愿者为主的社区监督员,如:环境卫生监督员、治安隐患监督员等。"
                "(原文未定时限,默认上半年)",
                due_month=6,
                due_day=30,
            ),
            t(
                "selfgov-boards",
                "在8个居民工作组安装民情民意交流栏",
                "rate",
                "社区预计在20__年在辖区8个居民工作组内安装民情、民意交流栏。",
                threshold=Decimal(8),
                unit="个",
            ),
            t(
                "selfgov-replies",
                "居民意见、建议答复率 100%",
                "indicator",
                "每名居民都可以将自己的意见、建议用文字表达出来，社区居干针对每名居民的心声、呼吁给予相应的答复。"
                "（由民情民意事项计算：办理期限内答复或办结的 ÷ 已到期限或已答复的）",
                indicator="opinion_reply_rate",
                threshold=Decimal(100),
                unit="%",
            ),
        ],
    },
    {
        "code": "ref-disability",
        "area": "disability",
        "title": "残疾人康复年度工作计划(参考模板)",
        "text": "残疾人康复工作要坚持以政府为主导,社区为依托,社会各界共同参与的原则……(见参考计划篇3)",
        "targets": [
            t(
                "disability-group",
                "完善残疾人康复工作领导小组(有组长)",
                "indicator",
                "进一步完善残疾人康复工作领导小组,建立健全规章制度,制定工作计划。"
                "（由组织机构计算：已成立且有在任组长的残疾人康复工作领导小组）",
                indicator="disability_group_formed",
                threshold=Decimal(1),
                unit="个",
            ),
            t(
                "disability-rules",
                "建立健全规章制度,制定工作计划",
                "indicator",
                "进一步完善残疾人康复工作领导小组,建立健全规章制度,制定工作计划。"
                "（由制度文件计算：本年通过且现行有效的规章制度、工作计划两类齐全）",
                indicator="disability_rules_documents",
                threshold=Decimal(2),
                unit="类",
            ),
            t(
                "disability-five-clear",
                "残疾人“五清”(家庭、经济、残疾、康复、需求状况)覆盖率 100%",
                "indicator",
                "对社区残疾人康复工作做到“五清”、“五落实”。（由残疾人档案计算）",
                indicator="disability_five_clear",
                threshold=Decimal(100),
                unit="%",
            ),
            t(
                "disability-survey",
                "康复需求入户调查登记率 100%",
                "indicator",
                "及时做好社区残疾人康复人口入户需求调查表，并一一进行登记。（由康复需求入户调查记录的调查对象计算）",
                indicator="disability_needs_survey",
                threshold=Decimal(100),
                unit="%",
            ),
            t(
                "disability-rehab-coverage",
                "残疾人康复服务覆盖率 ≥80%",
                "indicator",
                "以社区卫生服务机构为主体……就近、就地为残疾人提供经济适用、简便易行的康复服务。"
                "（原文未定数值，默认80%；康复服务记录的服务对象 ÷ 持证残疾人与无证康复对象）",
                indicator="disability_rehab_coverage",
                threshold=Decimal(80),
                unit="%",
            ),
            t(
                "disability-files",
                "有康复需求的残疾人建档立卡率 100%",
                "indicator",
                "对有康复需求训练与服务的残疾人建档立卡。（由入户需求调查表和本年服务计划计算：已建档立卡的康复对象 ÷ "
                "持证残疾人与无证康复对象）",
                indicator="care_disability_filed_rate",
                threshold=Decimal(100),
                unit="%",
            ),
            t(
                "disability-service-monthly",
                "社区残疾人康复服务记录 按月记录",
                "count",
                "及时做好社区残疾人康复服务记录表,并按表里的要求分月进行记录。",
                activity_codes=["disability/rehab_service"],
                period="month",
                min_per_period=1,
            ),
            t(
                "disability-visits",
                "残疾人帮扶走访完成率 ≥90%",
                "indicator",
                "帮扶对子定期上门走访，做好康复服务记录。（原文未定数值，默认90%；由帮扶走访计算：按走访周期已结束的"
                "周期中周期内已走访的人次 ÷ 应访人次，迁出、死亡的不计）",
                indicator="care_disability_visit_rate",
                threshold=Decimal(90),
                unit="%",
            ),
            t(
                "disability-liaison",
                "设立残疾人专职联络员 至少1人",
                "indicator",
                "设立残疾人专职联络员,社区残疾人专干任专职联络员。（由组织机构计算：残疾人康复工作中职务为联络员的在任成员）",
                indicator="disability_liaison_count",
                threshold=Decimal(1),
                unit="人",
            ),
            t(
                "disability-child-report",
                "建立并实行儿童残疾发生报告制度",
                "deadline",
                "开展残疾预防,建立并实行儿童残疾发生报告制度,做到“早期发现、早期诊断、早期干预”。(默认年内)",
                due_month=12,
                due_day=31,
            ),
            t(
                "disability-child-referral",
                "疑似残疾儿童及时转介率 100%",
                "indicator",
                "做到“早期发现、早期诊断、早期干预”。（由残疾儿童早期报告计算：发现后17天内转介到评估或康复机构的 ÷ "
                "已到转介期限或已转介的报告）",
                indicator="disability_early_child_referral",
                threshold=Decimal(100),
                unit="%",
            ),
        ],
    },
    {
        "code": "ref-safety",
        "area": "safety",
        "title": "平安建设年度工作计划(参考模板)",
        "text": "深入化解矛盾纠纷,全力维护社会政治稳定……(见参考计划篇4)",
        "targets": [
            t(
                "safety-screening",
                "矛盾纠纷排查 每月至少1次",
                "count",
                "建立定期排查与专项排查……相结合的矛盾纠纷排查工作机制;开展经常性的矛盾纠纷“大排查”活动。"
                "(定期排查默认每月一次)",
                activity_codes=["safety/screening"],
                period="month",
                min_per_period=1,
            ),
            t(
                "safety-reception",
                "领导接待日 每月至少1次",
                "count",
                "积极形成“大接访”、“大走访”、“领导接待日”等长效工作机制。(默认每月一次)",
                activity_codes=["safety/reception"],
                period="month",
                min_per_period=1,
            ),
            t(
                "safety-leader-briefing",
                "党政主要领导定期听取平安建设汇报 每季度至少1次",
                "count",
                "党政主要领导定期听取平安建设,分析平安建设面临的形势……建立定期汇报通报制度。(默认每季度一次)",
                activity_codes=["safety/group_meeting", "safety/work_meeting"],
                period="quarter",
                min_per_period=1,
            ),
            t(
                "safety-drill",
                "突发事件应急处置实战演练 全年至少1次",
                "count",
                "完善工作预案,加强实战演练。(默认全年至少一次)",
                activity_codes=["safety/drill"],
                period="year",
                min_per_year=1,
            ),
            t(
                "safety-letters",
                "层层签订平安建设目标责任书 签订率100%",
                "indicator",
                "认真组织实施本地区、本部门、本单位平安建设工作,形成层层有人负责,层层抓落实的工作格局。"
                "（由责任书计算：本年发出的平安建设目标责任书全部签订，街道含所辖社区）",
                indicator="safety_letter_rate",
                threshold=Decimal(100),
                unit="%",
                applies_to=["street", "community"],
            ),
            t(
                "safety-awareness",
                "平安建设知晓率 较上年提高",
                "change",
                "切实提高平安建设的知晓率、参与率。",
                threshold=Decimal("0.1"),
                unit="%",
            ),
            t(
                "safety-participation",
                "平安建设参与率 较上年提高",
                "change",
                "切实提高平安建设的知晓率、参与率。",
                threshold=Decimal("0.1"),
                unit="%",
            ),
            t(
                "safety-veto-major",
                "不发生重大有影响的案件、事故和事件(一票否决)",
                "veto",
                "对发生重大有影响的案件、事故和事件的单位和责任人实施社会治安综合治理一票否决。",
                activity_codes=["safety/accident"],
                extra_filter={"level": ["重大", "特别重大"]},
                case_type_codes=["major_incident"],
            ),
            t(
                "safety-three-no",
                "“三无”:无矛盾激化、无民转刑案件、无群体性上访",
                "veto",
                "在社区、学校和企事业单位,广泛开展无矛盾激化、无民转刑案件、无群体性上访的“三无”创建活动。",
                activity_codes=["safety/mass_incident"],
                case_type_codes=["dispute_escalated", "criminal_case", "group_petition"],
            ),
            t(
                "safety-no-cult",
                "不发生造成影响的邪教人员滋事事件或案件",
                "veto",
                "深入开展“无邪教地区”创建活动,防止发生造成影响的邪教人员滋事事件或案件。",
                case_type_codes=["cult_incident"],
            ),
        ],
    },
    {
        "code": "ref-school",
        "area": "school",
        "title": "学校安全和综合治理年度工作计划(参考模板)",
        "text": "学校安全和综合治理工作,关系到人的生命安全、千万家庭的幸福……(见参考计划篇5)",
        "targets": [
            t(
                "school-meetings",
                "安全工作领导小组会议 在校期间每月1次(含开学、期末)",
                "count",
                "安全工作领导小组要定期(开学、期末、每月一次)和应需要召开安全工作会议。"
                "（由会议计算：学校安全工作领导小组达到法定人数的会议；每学期开学前一周至开学后两周、"
                "期末最后两周各须召开一次）",
                activity_codes=["school/group_meeting"],
                extra_filter={"group_kind": ["safety"]},
                period="month",
                in_term=True,
                min_per_period=1,
                applies_to=["school"],
            ),
            t(
                "school-inspection",
                "安全隐患大检查 在校期间每月1次",
                "count",
                "严格按照要求定期(每学期开学前和结束前、假期后、灾后和每月一次)或不定期组织安全大检查。",
                activity_codes=["school/inspection"],
                period="month",
                in_term=True,
                min_per_period=1,
                applies_to=["school"],
            ),
            t(
                "school-drill",
                "应急疏散演练 每学期至少1次",
                "count",
                "通过安全教育和演练不断提高学生的安全意识……(默认每学期至少一次)",
                activity_codes=["school/drill"],
                period="half_year",
                min_per_period=1,
                applies_to=["school"],
            ),
            t(
                "school-eight-items",
                "八项重点防范内容每学期全覆盖(防溺水、防雷击、防交通事故等8项)",
                "indicator",
                "结合我镇的具体实际,主要应抓好防溺水、防雷击、防交通事故、防传染病并防因教师体罚学生而造成的学生伤害事故、"
                "防地质灾害事故、防学生日常活动伤害事故、防校舍教学设施安全事故等8项工作。"
                "（由安全教育课记录计算：按校历，每个学期八项内容各有安全教育课，覆盖率100%）",
                indicator="school_eight_items_coverage",
                threshold=Decimal(100),
                unit="%",
                applies_to=["school"],
            ),
            t(
                "school-month",
                "安全教育活动月(6月)开展安全教育",
                "count",
                "安全教育活动月(每年6月为我县安全教育活动月)。",
                activity_codes=["school/lesson", "school/campaign"],
                period="month",
                months=[6],
                min_per_period=1,
                applies_to=["school"],
            ),
            t(
                "school-day",
                "全国中小学生安全教育日(3月最后一周的星期一)活动",
                "deadline",
                "安全教育活动日(每年3月的最后一周星期一为我国安全教育活动日)。(宣传日：按当年3月最后一周的星期一，计入其前6天至后4天的安全教育课和宣传活动)",
                activity_codes=["school/lesson", "school/campaign"],
                due_month=3,
                due_day=31,
                window_days=6,
                campaign="school-safety-day",
                applies_to=["school"],
            ),
            t(
                "school-duty",
                "层层签订安全工作责任书(签订率100%)",
                "indicator",
                "学校要制定校长岗位职责和教师“一岗两责”制度,并层层签订相应的安全工作责任书。"
                "（由责任书计算：本年逐级发出的学校安全工作责任书全部签订）",
                indicator="school_letter_rate",
                threshold=Decimal(100),
                unit="%",
                applies_to=["school"],
            ),
            t(
                "school-veto-accident",
                "不发生师生伤亡安全责任事故(一票否决)",
                "veto",
                "凡发生安全责任事故,在年度考核中实行“一票否决”;实现全年不发生师生伤亡责任事故。",
                activity_codes=["school/accident"],
                extra_filter={"liable": ["是"]},
                case_type_codes=["accident"],
                applies_to=["school"],
            ),
            t(
                "school-veto-criminal",
                "不发生刑事案件和重大治安灾害事故",
                "veto",
                "确保不发生刑事案件和治安灾害事故。",
                activity_codes=["school/criminal_case"],
                case_type_codes=["criminal_case", "major_incident"],
                applies_to=["school"],
            ),
            t(
                "school-veto-staff",
                "教职工无违法犯罪,不参加集体上访、越级上访",
                "veto",
                "教职工无违法犯罪……学校教师及其家属不发生矛盾激化案件和影响社会稳定的集体上访、越级上访事件。",
                case_type_codes=["staff_offence", "group_petition"],
                applies_to=["school"],
            ),
        ],
    },
    {
        "code": "ref-education",
        "area": "education",
        "title": "社区教育年度工作计划(参考模板)",
        "text": "进一步推进社区教育工作,立足社区、依靠社区、服务社区……(见参考计划篇6)",
        "targets": [
            t(
                "education-training-rate",
                "社区居民教育培训率 较上年提高5个百分点以上",
                "indicator",
                "逐步提高社区居民的教育培训率，力争每年提高五个百分点以上。"
                "（分母为常住人口18–60岁；分子为培训、讲座、远程教育签到名单中的不重复居民）",
                indicator="education_training_rate",
                population="adults",
                comparison="rise",
                threshold=Decimal(5),
                unit="%",
            ),
            t(
                "education-learning-orgs",
                "学习型组织占各类组织的比例 较上年提高",
                "indicator",
                "积极开展评估促进工作,使学习型组织占社区内各类组织的比例逐年提高。"
                "（由学习型组织名册计算：本年评为优秀、达标的家庭、楼组、单位 ÷ 本年在册的，与上年同口径比较）",
                indicator="education_learning_org_share",
                comparison="rise",
                threshold=Decimal("0.1"),
                unit="%",
            ),
            t(
                "education-evaluation",
                "社区教育检查评估 全年至少1次",
                "count",
                "今年年度我们将有计划地开展社区教育工作的检查评估工作……形成定期检查、评估和表彰奖励制度。",
                activity_codes=["education/inspection"],
                period="year",
                min_per_year=1,
            ),
            t(
                "education-funding",
                "社区教育经费 按常住人口人均不少于1元",
                "indicator",
                "按照社区常住人口人均不少于1元的标准，落实社区教育经费。（由社区教育条线的经费收支记录计算）",
                indicator="education_funds_per_resident",
                threshold=Decimal(1),
                unit="元/人",
            ),
            t(
                "education-staff",
                "社区教育专职人员 至少1人",
                "indicator",
                "区、乡镇各级社区教育机构应安排相应专职人员,同时聘请部分兼职人员从事社区教育工作。"
                "（由组织机构计算：社区教育工作机构中在任的工作人员）",
                indicator="education_staff_count",
                threshold=Decimal(1),
                unit="人",
            ),
        ],
    },
]


def _fields_of(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def load(PlanTemplate, TemplateTarget, Area) -> int:
    """Create the reference templates and their missing targets; returns how many templates were created.

    Only the fields the given (possibly historical) model has are set, so that an early data migration can
    run this; :func:`refresh` brings existing reference templates up to the catalogue later."""
    created = 0
    known = _fields_of(TemplateTarget)
    for spec in TEMPLATES:
        area = Area.objects.filter(code=spec["area"]).first()
        if area is None:
            continue
        tpl, was_created = PlanTemplate.objects.get_or_create(
            org=None,
            code=spec["code"],
            defaults={"area": area, "title": spec["title"], "text": spec["text"], "is_published": True},
        )
        created += was_created
        for sort, target in enumerate(spec["targets"], start=1):
            fields = {k: v for k, v in target.items() if k != "code" and k in known}
            TemplateTarget.objects.get_or_create(
                template=tpl, code=target["code"], defaults={**fields, "sort": sort * 10}
            )
    return created


def refresh(PlanTemplate, TemplateTarget, Area) -> list[str]:
    """Bring the reference templates' targets up to the catalogue: missing targets added, changed ones
    updated, and each changed template's version raised so that the plans adopted from it show the
    changes (the community takes them over target by target). Returns the codes of changed templates."""
    load(PlanTemplate, TemplateTarget, Area)
    known = _fields_of(TemplateTarget)
    changed = []
    for spec in TEMPLATES:
        tpl = PlanTemplate.objects.filter(org=None, code=spec["code"]).first()
        if tpl is None:
            continue
        bumped = False
        existing = {tt.code: tt for tt in TemplateTarget.objects.filter(template=tpl)}
        for sort, target in enumerate(spec["targets"], start=1):
            tt = existing.get(target["code"])
            if tt is None:
                continue
            fields = {k: v for k, v in target.items() if k != "code" and k in known}
            fields = {**DEFAULTS, **fields, "sort": sort * 10}
            fields = {k: v for k, v in fields.items() if k in known}
            diff = {k: v for k, v in fields.items() if getattr(tt, k) != v}
            if diff:
                for k, v in diff.items():
                    setattr(tt, k, v)
                tt.save(update_fields=list(diff))
                bumped = True
        if bumped:
            tpl.version += 1
            tpl.save(update_fields=["version"])
            changed.append(tpl.code)
    return changed


# What a target field holds when the catalogue does not name it (so that a field dropped from a target
# goes back to its empty value on refresh).
DEFAULTS: dict = {
    "activity_codes": [],
    "period": "",
    "months": [],
    "in_term": False,
    "min_per_period": None,
    "min_per_year": None,
    "threshold": None,
    "max_value": None,
    "unit": "",
    "due_month": None,
    "due_day": None,
    "window_days": 0,
    "campaign": "",
    "keywords": "",
    "extra_filter": {},
    "case_type_codes": [],
    "indicator": "",
    "population": "",
    "comparison": "",
    "min_sample": None,
    "applies_to": [],
}
