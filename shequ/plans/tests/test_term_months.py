"""Months in term (在校期间) from a school calendar: holiday months do not count, and an autumn term that runs from
September to January gives its January to the next year (every period lies inside its own year)."""

from __future__ import annotations

from datetime import date

from shequ.plans.periods import SchoolYear, term_months

AUTUMN_2025 = (date(2025, 9, 1), date(2026, 1, 23))
SPRING_2026 = (date(2026, 2, 24), date(2026, 7, 3))
AUTUMN_2026 = (date(2026, 9, 1), date(2027, 1, 22))
NATIONAL_DAY = (date(2026, 10, 1), date(2026, 10, 7))


def test_summer_and_winter_holiday_months_do_not_count():
    cal = SchoolYear(terms=(AUTUMN_2025, SPRING_2026, AUTUMN_2026), holidays=(NATIONAL_DAY,))
    # January: the autumn term until the 23rd; February: five days from the 24th; July: three days; August: none.
    assert term_months(cal, 2026) == (1, 3, 4, 5, 6, 9, 10, 11, 12)


def test_the_autumn_terms_january_counts_in_the_year_of_that_january():
    cal = SchoolYear(terms=(AUTUMN_2026,))
    assert term_months(cal, 2026) == (9, 10, 11, 12)
    assert term_months(cal, 2027) == (1,)


def test_a_long_holiday_inside_a_term_takes_its_month_out():
    closed = (date(2026, 4, 1), date(2026, 4, 20))  # schools closed for three weeks
    cal = SchoolYear(terms=(SPRING_2026,), holidays=(closed,))
    assert 4 not in term_months(cal, 2026) and 5 in term_months(cal, 2026)
    assert SchoolYear(terms=(SPRING_2026,), holidays=(NATIONAL_DAY,)).school_day(date(2026, 3, 2))
    assert not SchoolYear(terms=(SPRING_2026,)).school_day(date(2026, 8, 1))


def test_no_term_no_month():
    assert term_months(SchoolYear(terms=()), 2026) == ()
