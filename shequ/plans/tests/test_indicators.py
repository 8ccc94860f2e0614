"""The indicator catalogue and computed targets: hand-worked figures, zero denominators, roll-up, changes on
last year (rises and falls), and a fixed number of queries however many orgs are asked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.core.indicators import Period
from shequ.orgs.models import OrgKind, UnitType
from shequ.plans import compliance
from shequ.plans.indicators import compute, registry
from shequ.plans.models import Target
from shequ.plans.tests.helpers import plan, target
from shequ.residents.models import DisabilityProfile, Person
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db

MID_2025 = date(2025, 7, 1)
AFTER_2025 = date(2026, 2, 1)


def person(org, name="居民", **kw) -> Person:
    return Person.objects.create(org=org, name=name, **kw)


def disabled(org, *, complete=True, **kw) -> Person:
    p = person(org, **kw)
    DisabilityProfile.objects.create(
        person=p,
        category="4",
        grade="3",
        family_situation="与家人同住",
        economic_situation="ordinary",
        disability_situation="肢体三级",
        rehabilitation_situation="康复训练中" if complete else "",
        needs=["rehab"],
    )
    return p


def test_the_catalogue_names_only_what_is_declared_and_says_what_it_needs():
    assert registry.problems() == []
    catalogue = registry.indicators()
    assert {"opinion_reply_rate", "disability_five_clear", "education_training_rate"} <= set(catalogue)
    assert all(ind.needs for ind in catalogue.values())


def test_five_clear_rate_is_worked_out_per_community_and_added_up_the_tree(personas):
    a, b = personas.community_a, personas.community_b
    for _ in range(3):
        disabled(a)
    disabled(a, complete=False)
    disabled(a, moved_out_on=date(2025, 3, 1))  # left before the year's end: not counted
    person(a)  # not disabled
    figures = compute.compute(
        [("disability_five_clear", "", org.pk) for org in (a, b, personas.street)], Period(2025, AFTER_2025)
    )
    fig_a = figures[("disability_five_clear", "", a.pk)]
    assert (fig_a.numerator, fig_a.denominator, fig_a.value, fig_a.text) == (3, 4, Decimal("75.00"), "75%")
    fig_b = figures[("disability_five_clear", "", b.pk)]
    assert (fig_b.denominator, fig_b.value, fig_b.text) == (0, None, "无数据")  # never a division error
    street = figures[("disability_five_clear", "", personas.street.pk)]
    assert (street.numerator, street.denominator) == (3, 4)


def test_a_health_unit_reports_the_residents_it_serves(personas):
    # A 卫生服务站 inside 社区A serves 社区A's residents; a 卫生服务中心 under the street serves the street's.
    a, b = personas.community_a, personas.community_b
    station = OrgFactory(name="A卫生服务站", kind=OrgKind.UNIT, unit_type=UnitType.HEALTH_STATION, parent=a)
    centre = OrgFactory(
        name="街道卫生服务中心", kind=OrgKind.UNIT, unit_type=UnitType.HEALTH_CENTER, parent=personas.street
    )
    school = OrgFactory(name="A小学", kind=OrgKind.UNIT, unit_type=UnitType.SCHOOL, parent=a)
    disabled(a)
    disabled(a, complete=False)
    disabled(b)
    asked = [("disability_five_clear", "", org.pk) for org in (a, station, centre, school, personas.street)]
    figures = compute.compute(asked, Period(2025, AFTER_2025))

    def sides(org):
        fig = figures[("disability_five_clear", "", org.pk)]
        return fig.numerator, fig.denominator

    assert sides(station) == sides(a) == (1, 2)
    assert sides(centre) == sides(personas.street) == (2, 3)
    assert sides(school) == (0, 0)  # a school reports on its own


def _indicator_target(org, code="disability_five_clear", year=2025, **kw) -> Target:
    p = plan(org, year=year, area_code="disability")
    kw.setdefault("threshold", Decimal(100))
    return target(p, kind="indicator", indicator=code, unit="%", **kw)


def test_a_computed_target_is_in_progress_below_its_threshold_and_fails_when_the_year_is_over(personas):
    a = personas.community_a
    disabled(a)
    disabled(a, complete=False)
    t = _indicator_target(a)
    running = compliance.evaluate([t], today=MID_2025)[t.pk]
    assert (running.state, running.total.done) == ("progress", "50%")
    assert "1/2" in running.total.note
    over = compliance.evaluate([Target.objects.get(pk=t.pk)], today=AFTER_2025)[t.pk]
    assert over.state == "fail"
    t.threshold = Decimal(50)
    t.save()
    assert compliance.evaluate([t], today=MID_2025)[t.pk].state == "ok"


def test_a_zero_denominator_shows_no_data_and_warns_after_half_the_year(personas):
    t = _indicator_target(personas.community_b)
    early = compliance.evaluate([t], today=date(2025, 3, 1))[t.pk]
    assert (early.total.done, early.state) == ("无数据", "progress")
    assert compliance.evaluate([t], today=date(2025, 9, 1))[t.pk].state == "warn"


def _adults(org, n: int) -> list[Person]:
    return [person(org, f"居民{i}", birth_date=date(1985, 1, 1), residence_status="huji") for i in range(n)]


def _trained(people, year: int) -> None:
    from shequ.plans.tests.helpers import record

    r = record(people[0].org, "education/training", date(year, 5, 10), "培训班")
    r.persons.set(people)


def test_a_rise_is_measured_against_last_years_computed_figure(personas):
    a = personas.community_a
    people = _adults(a, 10)
    _trained(people[:3], 2024)  # 30% last year
    _trained(people[:4], 2025)  # 40% this year: +10 points
    t = _indicator_target(a, "education_training_rate", population="adults", comparison="rise", threshold=Decimal(5))
    result = compliance.evaluate([t], today=MID_2025)[t.pk]
    assert result.state == "ok"
    assert result.total.expected == "较上年+5个百分点（上年30%）"
    assert result.total.done == "40%（较上年+10）"
    t.threshold = Decimal(15)
    t.save()
    assert compliance.evaluate([t], today=MID_2025)[t.pk].state == "progress"


def test_a_fall_target_is_met_when_the_figure_drops_by_enough_points(personas):
    """降低…N个百分点: the same machinery read downwards."""
    a = personas.community_a
    people = _adults(a, 10)
    _trained(people[:6], 2024)  # 60%
    _trained(people[:5], 2025)  # 50%: ten points down
    t = _indicator_target(a, "education_training_rate", comparison="fall", threshold=Decimal(8))
    result = compliance.evaluate([t], today=MID_2025)[t.pk]
    assert result.state == "ok" and result.total.expected.startswith("较上年-8")
    t.threshold = Decimal(12)
    t.save()
    assert compliance.evaluate([t], today=MID_2025)[t.pk].state == "progress"


def test_an_at_most_target_holds_a_figure_down(personas):
    a = personas.community_a
    people = _adults(a, 4)
    _trained(people[:1], 2025)  # 25%
    t = _indicator_target(a, "education_training_rate", comparison="lte", threshold=Decimal(30))
    assert compliance.evaluate([t], today=MID_2025)[t.pk].state == "ok"
    t.threshold = Decimal(20)
    t.save()
    assert compliance.evaluate([t], today=AFTER_2025)[t.pk].state == "fail"


def test_every_indicator_for_every_org_takes_the_same_queries_for_three_orgs_or_thirty(personas):
    codes = list(registry.indicators())
    street = personas.street
    few = [personas.community_a, personas.community_b, street]
    many = few + [OrgFactory(kind=OrgKind.COMMUNITY, parent=street) for _ in range(27)]
    for org in many:
        disabled(org)
    period = Period(2025, MID_2025)

    def queries(orgs) -> int:
        with CaptureQueriesContext(connection) as ctx:
            compute.compute([(c, "", o.pk) for c in codes for o in orgs], period)
        return len(ctx.captured_queries)

    assert queries(few) == queries(many)
