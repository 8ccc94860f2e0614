"""The six lines of work of the reference plans, loaded as data (a data migration and the demo)."""

SIX_AREAS = [
    ("health", "健康教育", "健康教育与健康促进:宣传栏、讲座、咨询、知晓率与行为形成率。"),
    ("selfgov", "居民自治", "居民自治与协商议事:居民会议、议事会、民情民意、监督员。"),
    ("disability", "残疾人康复", "残疾人社区康复:五清、帮扶对子、康复服务、转诊转介。"),
    ("safety", "平安建设", "平安建设与综治:矛盾纠纷排查调处、特殊人群、治安巡逻。"),
    ("school", "学校安全", "学校安全:隐患排查整改台账、演练、安全教育、责任书与一票否决。"),
    ("education", "社区教育", "社区教育:课程、培训、学习型家庭与单位、培训率。"),
]
