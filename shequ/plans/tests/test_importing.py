"""What a reviewed draft target becomes in a plan (the review form starts from these)."""

from __future__ import annotations

from decimal import Decimal

from shequ.plans.extract.pipeline import extract
from shequ.plans.importing import reviewed_from_draft


def proposed(sentence: str):
    return reviewed_from_draft(extract(sentence).targets[0])


def test_monthly_count_with_yearly_total():
    r = proposed("健康教育宣传栏每月更换1次，全年不少于12次。")
    assert (r.kind, r.period, r.min_per_period, r.min_per_year, r.activity_codes) == (
        "count",
        "month",
        1,
        12,
        ["health/board"],
    )


def test_yearly_count_is_a_yearly_minimum():
    r = proposed("年内必须召开两次以上专题研究健康教育工作办公会。")
    assert (r.period, r.min_per_period, r.min_per_year) == ("year", None, 2)


def test_daily_frequency_becomes_weekly_and_says_so():
    r = proposed("每日巡逻次数不少于三次。")
    assert (r.period, r.min_per_period) == ("week", 21)
    assert "按每周计" in r.basis


def test_upper_bound_rate_is_a_maximum():
    r = proposed("学生意外伤害发生率控制在0.5%以内。")
    assert (r.kind, r.threshold, r.max_value, r.unit) == ("rate", Decimal(0), Decimal("0.5"), "%")


def test_a_fall_to_reach_is_entered_as_its_size():
    r = proposed("使刑事案件发生率较去年下降20%。")
    assert (r.kind, r.threshold, r.unit) == ("rate", Decimal(20), "%")
    assert r.title.endswith("（降幅）")


def test_group_without_a_date_is_due_at_the_end_of_the_first_quarter():
    r = proposed("成立社区健康教育领导小组。")
    assert (r.kind, r.due_month, r.due_day) == ("deadline", 3, 31)
    assert "默认一季度末" in r.basis


def test_stated_deadline_is_kept():
    r = proposed("6月底前完成辖区残疾人康复需求调查。")
    assert (r.kind, r.due_month, r.due_day) == ("deadline", 6, 30)


def test_range_of_staff():
    r = proposed("社卫中心配备专职人员2-3人。")
    assert (r.kind, r.threshold, r.max_value, r.unit) == ("rate", Decimal(2), Decimal(3), "人")
