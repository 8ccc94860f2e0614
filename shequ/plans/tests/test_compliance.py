"""Each target kind's state, the warning state, vetoes, and the fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from shequ.plans import compliance
from shequ.plans.compliance import State, VetoEvent
from shequ.plans.models import RateEntry, Target, Task, TaskStatus
from shequ.plans.tests.helpers import plan, record, target
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db


def _eval(t: Target, today: date):
    t = Target.objects.select_related("plan", "plan__org").get(pk=t.pk)
    return compliance.evaluate([t], today=today)[t.pk]


@pytest.fixture
def community():
    street = OrgFactory(name="街道", kind="street")
    return OrgFactory(name="社区", kind="community", parent=street)


def board_target(org):
    return target(
        plan(org),
        kind="count",
        activity_codes=["health/board"],
        period="month",
        min_per_period=1,
        min_per_year=12,
    )


def test_count_target_month_with_a_record_is_reached_and_empty_past_month_fails(community):
    t = board_target(community)
    record(community, "health/board", date(2025, 1, 10))
    r = _eval(t, date(2025, 3, 5))
    jan, feb, mar, apr = r.periods[:4]
    assert (jan.done, jan.state, jan.on_time) == (1, State.OK, True)
    assert (feb.done, feb.state, feb.on_time) == (0, State.FAIL, False)
    assert mar.state == State.PROGRESS  # 5 March: less than half of March has passed
    assert apr.state == State.FUTURE
    assert r.total.state == State.FAIL  # a missed month fails the year
    assert (r.total.expected, r.total.done) == (12, 1)
    assert r.months[:4] == [State.OK, State.FAIL, State.PROGRESS, State.FUTURE]


def test_warning_when_half_the_period_passed_with_nothing_recorded(community):
    t = board_target(community)
    # January has 31 days: on the 16th 15 whole days have passed, on the 17th 16 (more than half).
    assert _eval(t, date(2025, 1, 16)).periods[0].state == State.PROGRESS
    r = _eval(t, date(2025, 1, 17))
    assert r.periods[0].state == State.WARN
    assert r.total.state == State.WARN
    record(community, "health/board", date(2025, 1, 20))
    assert _eval(t, date(2025, 1, 21)).periods[0].state == State.OK


def test_records_of_grids_count_for_their_community_but_not_other_years_or_types(community):
    grid = OrgFactory(kind="grid", parent=community)
    t = board_target(community)
    record(grid, "health/board", date(2025, 2, 3))
    record(community, "health/board", date(2024, 2, 3))  # another year
    record(community, "health/lecture", date(2025, 2, 3))  # another type
    record(OrgFactory(kind="community", parent=community.parent), "health/board", date(2025, 2, 3))
    r = _eval(t, date(2025, 12, 31))
    assert [c.done for c in r.periods[:3]] == [0, 1, 0]


def test_half_month_target_only_in_may_to_august(community):
    t = target(
        plan(community),
        kind="count",
        activity_codes=["health/board"],
        period="half_month",
        months=[5, 6, 7, 8],
        min_per_period=1,
    )
    for d in (date(2025, 5, 15), date(2025, 5, 16), date(2025, 6, 1), date(2025, 4, 1)):
        record(community, "health/board", d)
    r = _eval(t, date(2025, 6, 24))  # more than half of 16–30 June has passed
    assert len(r.periods) == 8
    assert [c.state for c in r.periods[:4]] == [State.OK, State.OK, State.OK, State.WARN]
    assert r.months[3] is None and r.months[4] == State.OK and r.months[5] == State.WARN


def test_year_count_only_and_weekly_count(community):
    p = plan(community)
    meetings = target(p, kind="count", activity_codes=["health/meeting"], period="year", min_per_year=2)
    weekly = target(p, kind="count", activity_codes=["safety/patrol"], period="week", min_per_period=1)
    record(community, "health/meeting", date(2025, 3, 1))
    record(community, "safety/patrol", date(2025, 1, 1))  # Wednesday: the clipped first week
    record(community, "safety/patrol", date(2025, 1, 6))
    results = compliance.evaluate(
        list(Target.objects.select_related("plan", "plan__org").filter(pk__in=[meetings.pk, weekly.pk])),
        today=date(2025, 1, 15),
    )
    m = results[meetings.pk]
    assert (m.total.done, m.total.state) == (1, State.PROGRESS)
    w = results[weekly.pk]
    assert [c.state for c in w.periods[:3]] == [State.OK, State.OK, State.PROGRESS]
    assert w.periods[2].label.startswith("第3周")
    assert (
        compliance.evaluate(
            [Target.objects.select_related("plan", "plan__org").get(pk=meetings.pk)], today=date(2026, 1, 1)
        )[meetings.pk].state
        == State.FAIL
    )


def test_rate_target_from_entered_values(community):
    t = target(plan(community), kind="rate", threshold=Decimal(97), unit="%")
    assert _eval(t, date(2025, 3, 1)).state == State.PROGRESS
    assert _eval(t, date(2025, 7, 3)).state == State.WARN  # half the year passed, nothing entered
    RateEntry.objects.create(target=t, value=Decimal("96.5"), measured_on=date(2025, 6, 1), evidence="问卷")
    assert _eval(t, date(2025, 7, 3)).state == State.PROGRESS
    assert _eval(t, date(2026, 1, 2)).state == State.FAIL
    RateEntry.objects.create(target=t, value=Decimal("97.2"), measured_on=date(2025, 11, 30), evidence="复查")
    r = _eval(t, date(2026, 1, 2))
    assert r.state == State.OK and r.total.done == "97.2"


def test_staff_range_target_fails_above_its_maximum(community):
    t = target(plan(community), kind="rate", threshold=Decimal(2), max_value=Decimal(3), unit="人")
    RateEntry.objects.create(target=t, value=Decimal(4), measured_on=date(2025, 2, 1), evidence="名册")
    assert _eval(t, date(2026, 1, 1)).state == State.FAIL
    RateEntry.objects.create(target=t, value=Decimal(3), measured_on=date(2025, 3, 1), evidence="名册")
    assert _eval(t, date(2026, 1, 1)).state == State.OK


def test_change_target_compares_with_last_years_value(community):
    last = target(plan(community, year=2024), code="train", kind="change", threshold=Decimal(5))
    RateEntry.objects.create(target=last, value=Decimal(40), measured_on=date(2024, 12, 1), evidence="台账")
    t = target(plan(community, year=2025), code="train", kind="change", threshold=Decimal(5))
    RateEntry.objects.create(target=t, value=Decimal(44), measured_on=date(2025, 12, 1), evidence="台账")
    r = _eval(t, date(2026, 1, 5))
    assert r.state == State.FAIL and "上年40" in r.total.expected
    RateEntry.objects.create(target=t, value=Decimal(45), measured_on=date(2025, 12, 20), evidence="台账")
    assert _eval(t, date(2026, 1, 5)).state == State.OK


def test_deadline_target_by_record_in_window_with_keyword(community):
    t = target(
        plan(community),
        kind="deadline",
        activity_codes=["health/street"],
        due_month=5,
        due_day=31,
        window_days=14,
        keywords="无烟,控烟",
    )
    assert _eval(t, date(2025, 5, 1)).state == State.FUTURE
    assert _eval(t, date(2025, 5, 25)).state == State.WARN
    record(community, "health/street", date(2025, 5, 28), title="义诊活动")  # not about tobacco
    record(community, "health/street", date(2025, 5, 2), title="无烟日宣传")  # before the window
    assert _eval(t, date(2025, 6, 2)).state == State.FAIL
    record(community, "health/street", date(2025, 6, 3), title="控烟宣传")  # after the deadline: too late
    late = _eval(t, date(2025, 6, 4))
    assert late.state == State.FAIL and late.total.on_time is False
    record(community, "health/street", date(2025, 5, 31), title="世界无烟日宣传")
    r = _eval(t, date(2025, 6, 4))
    assert r.state == State.OK and r.total.on_time is True
    assert r.months[4] == State.OK and r.months[0] is None


def test_keywords_typed_with_full_width_commas_each_count(community):
    # The form says 逗号分隔: a worker types 无烟，控烟、戒烟 with the Chinese comma and enumeration mark.
    t = target(
        plan(community),
        kind="deadline",
        activity_codes=["health/street"],
        due_month=5,
        due_day=31,
        window_days=14,
        keywords="无烟，控烟、戒烟",
    )
    assert t.keyword_list() == ["无烟", "控烟", "戒烟"]
    record(community, "health/street", date(2025, 5, 30), title="社区控烟宣传")
    assert _eval(t, date(2025, 6, 4)).state == State.OK


def test_deadline_target_done_by_a_completed_task(community):
    p = plan(community)
    t = target(p, kind="deadline", due_month=3, due_day=31)
    task = Task.objects.create(org=community, year=2025, plan=p, target=t, title="制订计划", due=date(2025, 3, 31))
    assert _eval(t, date(2025, 4, 1)).state == State.FAIL
    task.status, task.completed_on = TaskStatus.DONE, date(2025, 4, 3)
    task.save()
    late = _eval(t, date(2025, 4, 5))
    assert late.state == State.FAIL and "逾期" in late.total.note
    task.completed_on = date(2025, 3, 20)
    task.save()
    assert _eval(t, date(2025, 4, 1)).state == State.OK


def test_veto_is_broken_by_a_matching_record_only(community):
    t = target(
        plan(community, area_code="safety"),
        kind="veto",
        activity_codes=["safety/accident"],
        extra_filter={"level": ["重大", "特别重大"]},
    )
    record(community, "safety/accident", date(2025, 4, 2), title="轻微擦碰", extra={"level": "一般"})
    assert _eval(t, date(2025, 6, 1)).state == State.PROGRESS
    assert _eval(t, date(2026, 1, 1)).state == State.OK
    record(community, "safety/accident", date(2025, 8, 9), title="火灾", extra={"level": "重大"})
    r = _eval(t, date(2025, 9, 1))
    assert r.state == State.FAIL and "08-09 1条记录" in r.total.note
    assert r.months[7] == State.FAIL and r.months[6] == State.OK and r.months[9] == State.FUTURE


def test_veto_sources_add_cases_of_named_types(community, monkeypatch):
    t = target(plan(community, area_code="safety"), kind="veto", case_type_codes=["criminal_case"])
    calls = []

    def cases(org_ids, year, codes):
        calls.append((set(org_ids), year, codes))
        return [VetoEvent(community.pk, date(year, 2, 1), "盗窃案", "criminal_case")]

    monkeypatch.setattr(apps.get_app_config("cases"), "veto_sources", (cases,))
    r = _eval(t, date(2025, 3, 1))
    assert r.state == State.FAIL and "盗窃案" in r.total.note
    assert calls and calls[0][1] == 2025 and "criminal_case" in calls[0][2]


def _many_targets(n_communities: int):
    street = OrgFactory(kind="street")
    targets = []
    for i in range(n_communities):
        c = OrgFactory(kind="community", parent=street)
        p = plan(c)
        targets.append(board_target(c))
        targets.append(target(p, kind="rate", threshold=Decimal(97)))
        targets.append(target(p, kind="change", threshold=Decimal(5)))
        targets.append(
            target(p, kind="deadline", activity_codes=["health/street"], due_month=5, due_day=31, keywords="无烟")
        )
        targets.append(target(p, kind="veto", activity_codes=["safety/accident"]))
        targets.append(target(p, kind="count", activity_codes=["safety/patrol"], period="week", min_per_period=1))
        record(c, "health/board", date(2025, 1, 3 + i % 20))
    return list(Target.objects.select_related("plan", "plan__org").filter(pk__in=[t.pk for t in targets]))


@pytest.mark.parametrize("n", [10, 60])
def test_evaluation_runs_a_fixed_number_of_queries(n, django_assert_max_num_queries):
    targets = _many_targets(n)
    with django_assert_max_num_queries(9):
        results = compliance.evaluate(targets, today=date(2025, 2, 1))
    assert len(results) == len(targets)
    assert sum(1 for r in results.values() if r.periods[0].state == State.OK and r.target.period == "month") == n
