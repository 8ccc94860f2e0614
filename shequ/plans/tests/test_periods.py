from datetime import date

import pytest

from shequ.plans import periods
from shequ.plans.periods import PeriodKind


def test_half_months_of_may_to_august_are_eight_periods_split_on_the_15th():
    spans = periods.spans(PeriodKind.HALF_MONTH, 2025, [5, 6, 7, 8])
    assert len(spans) == 8
    assert (spans[0].start, spans[0].end) == (date(2025, 5, 1), date(2025, 5, 15))
    assert (spans[1].start, spans[1].end) == (date(2025, 5, 16), date(2025, 5, 31))
    assert (spans[-1].start, spans[-1].end) == (date(2025, 8, 16), date(2025, 8, 31))
    assert spans[0].label == "5月上半月"


def test_half_month_of_february_ends_on_the_last_day_in_leap_and_common_years():
    feb_2024 = periods.spans(PeriodKind.HALF_MONTH, 2024, [2])[1]
    feb_2025 = periods.spans(PeriodKind.HALF_MONTH, 2025, [2])[1]
    assert feb_2024.end == date(2024, 2, 29) and feb_2024.days == 14
    assert feb_2025.end == date(2025, 2, 28) and feb_2025.days == 13
    assert periods.days_in_year(2024) == 366 and periods.days_in_year(2100) == 365


def test_two_month_periods_quarters_and_half_years():
    two = periods.spans(PeriodKind.TWO_MONTHS, 2024)
    assert len(two) == 6 and two[0].end == date(2024, 2, 29) and two[5].label == "11–12月"
    q = periods.spans(PeriodKind.QUARTER, 2025)
    assert [s.label for s in q] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert q[2].start == date(2025, 7, 1) and q[2].end == date(2025, 9, 30)
    h = periods.spans(PeriodKind.HALF_YEAR, 2025)
    assert h[1].start == date(2025, 7, 1) and h[1].label == "下半年"
    y = periods.spans(PeriodKind.YEAR, 2025)
    assert len(y) == 1 and y[0].days == 365


def test_weeks_are_clipped_to_the_year_at_both_edges():
    # 1 January 2025 is a Wednesday: the first week is 1–5 January, the last 29–31 December.
    weeks = periods.spans(PeriodKind.WEEK, 2025)
    assert (weeks[0].start, weeks[0].end) == (date(2025, 1, 1), date(2025, 1, 5))
    assert weeks[1].start == date(2025, 1, 6)
    assert (weeks[-1].start, weeks[-1].end) == (date(2025, 12, 29), date(2025, 12, 31))
    assert sum(w.days for w in weeks) == 365
    leap = periods.spans(PeriodKind.WEEK, 2024)
    assert sum(w.days for w in leap) == 366


@pytest.mark.parametrize("year", [2020, 2021, 2023, 2024, 2026, 2027])
@pytest.mark.parametrize("kind", list(PeriodKind))
def test_every_day_lies_in_exactly_the_period_its_index_names(year, kind):
    spans = periods.spans(kind, year)
    d = date(year, 1, 1)
    while d.year == year:
        i = periods.index_of(kind, d)
        assert d in spans[i]
        if kind == PeriodKind.WEEK:
            iso = d.isocalendar()
            assert periods.index_from_iso_week(year, iso[0], iso[1]) == i
        else:
            assert periods.index_from_half_month(kind, periods.index_of(PeriodKind.HALF_MONTH, d)) == i
        d = date.fromordinal(d.toordinal() + 1)


def test_elapsed_fraction_is_half_in_the_middle_of_a_period():
    may_first_half = periods.spans(PeriodKind.HALF_MONTH, 2025, [5])[0]
    assert may_first_half.elapsed_fraction(date(2025, 4, 30)) == 0
    assert may_first_half.elapsed_fraction(date(2025, 5, 8)) < 0.5 <= may_first_half.elapsed_fraction(date(2025, 5, 9))
    assert may_first_half.elapsed_fraction(date(2025, 5, 16)) == 1


def test_months_label():
    assert periods.months_label([5, 6, 7, 8]) == "5–8月"
    assert periods.months_label([3, 9]) == "3、9月"
    assert periods.months_label([]) == ""
