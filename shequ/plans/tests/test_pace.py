"""预警 by pace: expected by now from the elapsed share of the period (and of the target's windows) against
done, saying how many are missing; and a heatmap that shows what is true of each month."""

from datetime import date

import pytest

from shequ.plans import compliance
from shequ.plans.compliance import State
from shequ.plans.models import Target
from shequ.plans.tests.helpers import plan, record, target
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return OrgFactory(name="社区", kind="community", parent=OrgFactory(name="街道", kind="street"))


def _eval(t: Target, today: date):
    t = Target.objects.select_related("plan", "plan__org").get(pk=t.pk)
    return compliance.evaluate([t], today=today)[t.pk]


def test_nine_a_year_with_one_done_on_30_november_warns_and_says_how_many_are_missing(community):
    t = target(plan(community), kind="count", activity_codes=["health/lecture"], period="year", min_per_year=9)
    record(community, "health/lecture", date(2025, 3, 8))
    r = _eval(t, date(2025, 11, 30))
    assert r.state == State.WARN
    assert (r.total.missing, r.total.by_now) == (8, 8)  # 333 of 365 days passed: 8 owed by an even pace
    assert r.total.note == "还差8次（按进度应已完成8次，已完成1次）"


def test_on_pace_is_in_progress_and_one_behind_pace_warns(community):
    t = target(plan(community), kind="count", activity_codes=["health/lecture"], period="year", min_per_year=12)
    for m in range(1, 6):
        record(community, "health/lecture", date(2025, m, 10))
    # 1 July: 181 of 365 days passed, an even pace has done 5 of 12
    r = _eval(t, date(2025, 7, 1))
    assert (r.state, r.total.by_now, r.total.note) == (State.PROGRESS, 5, "还差7次")
    # 1 August: 6 owed by now, 5 done
    assert _eval(t, date(2025, 8, 1)).state == State.WARN


def test_the_pace_of_a_target_with_windows_counts_only_its_windows(community):
    # ≥4 in May–August (no count per month): on 2 July 62 of the windows' 123 days have passed, so 2 are owed
    # (by the calendar year it would be 1).
    t = target(
        plan(community), kind="count", activity_codes=["health/board"], period="month", months=[5, 6, 7, 8],
        min_per_year=4,
    )  # fmt: skip
    record(community, "health/board", date(2025, 5, 3))
    r = _eval(t, date(2025, 7, 2))
    assert (r.total.by_now, r.state) == (2, State.WARN)
    record(community, "health/board", date(2025, 6, 3))
    assert _eval(t, date(2025, 7, 2)).state == State.PROGRESS
    # On 1 April no window has begun: nothing owed yet, whatever the calendar says.
    assert _eval(t, date(2025, 4, 1)).total.by_now == 0


def test_a_monthly_period_says_what_this_month_lacks(community):
    t = target(
        plan(community), kind="count", activity_codes=["health/board"], period="month", min_per_period=4,
        min_per_year=48,
    )  # fmt: skip
    record(community, "health/board", date(2025, 11, 3))
    r = _eval(t, date(2025, 11, 20))
    nov = r.periods[10]
    # 19 of November's 30 days passed: 2 owed by an even pace, 1 done
    assert (nov.label, nov.state, nov.missing, nov.by_now) == ("11月", State.WARN, 3, 2)
    assert nov.note == "还差3次（按进度应已完成2次，已完成1次）"


def test_the_heatmap_of_a_yearly_target_shows_each_months_own_truth(community):
    t = target(plan(community), kind="count", activity_codes=["health/meeting"], period="year", min_per_year=4)
    record(community, "health/meeting", date(2025, 1, 20))
    record(community, "health/meeting", date(2025, 5, 20))
    record(community, "health/meeting", date(2025, 6, 2))
    record(community, "health/meeting", date(2025, 9, 9))
    r = _eval(t, date(2025, 10, 15))
    # Jan–Apr: 1 done, on pace (1 owed by the end of April); May: 2 done of 1 owed; June: 3 of 1 owed;
    # July: 3 of 2; August: 3 of 2; September reaches 4 (达标 from then on); November, December to come.
    assert r.months == [State.PROGRESS] * 8 + [State.OK, State.OK, State.FUTURE, State.FUTURE]
    assert len(set(r.months)) > 1  # not the year's overall state painted twelve times


def test_the_heatmap_marks_the_months_that_fell_behind_and_the_year_that_failed(community):
    t = target(plan(community), kind="count", activity_codes=["health/meeting"], period="year", min_per_year=6)
    record(community, "health/meeting", date(2025, 1, 20))
    r = _eval(t, date(2026, 1, 5))
    assert r.months[0] == State.PROGRESS  # 1 done, 0 owed by the end of January
    assert r.months[1] == State.PROGRESS  # 59 days passed: 0 owed (0.97)
    assert r.months[2] == State.PROGRESS  # end of March: 1 owed, 1 done
    assert r.months[3] == State.PROGRESS  # end of April: 120 days passed, 1 owed (1.97)
    assert r.months[4:11] == [State.WARN] * 7  # from the end of May on, 2 or more owed and 1 done
    assert r.months[11] == State.FAIL and r.state == State.FAIL
