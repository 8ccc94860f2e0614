import pytest

from shequ.orgs.models import Area
from shequ.records.catalogue import ACTIVITY_TYPES, load_activity_types
from shequ.records.extra import validate_schema
from shequ.records.models import ActivityType

pytestmark = pytest.mark.django_db

PLANS_NAME = {
    "health": [
        "宣传栏更换",
        "健康讲座",
        "义诊/咨询",
        "发放资料/处方",
        "播放宣传片",
        "上街宣传",
        "入户宣传",
        "专题会议",
        "信息报送",
    ],
    "selfgov": ["居民会议", "协商议事会", "民主评议", "民情民意交流栏", "监督员巡查"],
    "disability": ["领导小组会议", "康复需求入户调查", "入户走访", "帮扶走访", "康复服务", "转诊转介"],
    "safety": ["矛盾纠纷排查", "领导接待日", "治安巡逻", "应急演练", "安全检查", "安全事故", "社会稳定风险评估"],
    "school": ["安全工作领导小组会议", "安全检查", "应急演练", "安全教育课", "安全责任书签订", "安全事故"],
    "education": ["培训班", "学习型组织评比", "远程教育", "检查评估"],
}


def test_the_migration_loads_what_the_six_plans_name():
    names = {(t.area.code, t.name) for t in ActivityType.objects.select_related("area")}
    for area, wanted in PLANS_NAME.items():
        for name in wanted:
            assert (area, name) in names, f"{area}: {name} is missing"


def test_every_seeded_schema_is_valid_and_loading_again_adds_nothing():
    for types in ACTIVITY_TYPES.values():
        for _code, _name, _desc, schema in types:
            assert validate_schema(schema) == schema
    before = ActivityType.objects.count()
    assert load_activity_types(ActivityType, Area) == 0
    assert ActivityType.objects.count() == before


def test_loading_keeps_an_administrators_changes():
    t = ActivityType.objects.get(area__code="health", code="board")
    t.name = "健康教育宣传栏更换"
    t.save()
    ActivityType.objects.filter(area__code="health", code="report").delete()
    assert load_activity_types(ActivityType, Area) == 1
    assert ActivityType.objects.get(pk=t.pk).name == "健康教育宣传栏更换"


def test_health_types_carry_the_national_form_fields():
    lecture = ActivityType.objects.get(area__code="health", code="lecture")
    names = {f["name"] for f in lecture.extra_fields}
    assert {"activity_form", "audience", "materials_kinds", "materials_count", "archive", "speaker"} <= names
    archive = next(f for f in lecture.extra_fields if f["name"] == "archive")
    assert archive["choices"] == ["书面材料", "图片材料", "印刷材料", "影音材料", "签到表", "其他材料"]
    board = ActivityType.objects.get(area__code="health", code="board")
    assert [f["label"] for f in board.extra_fields][:3] == ["期数", "宣传栏位置", "主题(可多个)"]
