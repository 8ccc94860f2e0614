from datetime import date, datetime

from django.utils import timezone

from shequ.cases.tests.helpers import make_case
from shequ.plans import compliance
from shequ.plans.compliance import State
from shequ.plans.models import Target
from shequ.plans.tests.helpers import plan, target


def _eval(t, today):
    t = Target.objects.select_related("plan", "plan__org").get(pk=t.pk)
    return compliance.evaluate([t], today=today)[t.pk]


def test_an_accident_case_breaks_the_schools_no_accident_veto(personas):
    school = personas.community_a
    veto = target(plan(school, area_code="school", year=2025), kind="veto", case_type_codes=["accident"])
    before = _eval(veto, date(2025, 6, 1))
    assert before.state != State.FAIL
    happened = {"occurred_at": timezone.make_aware(datetime(2025, 5, 11, 10)), "injured_count": 1}
    make_case(
        personas.admin, school, "accident", title="学生课间摔伤", registered_on=date(2025, 5, 12), detail=happened
    )
    after = _eval(veto, date(2025, 6, 1))
    assert after.state == State.FAIL and "学生课间摔伤" in after.total.note


def test_a_case_of_another_year_or_org_does_not_break_it(personas):
    veto = target(plan(personas.community_a, area_code="school", year=2025), kind="veto", case_type_codes=["accident"])
    last_year = {"occurred_at": timezone.make_aware(datetime(2024, 5, 11, 10))}
    this_year = {"occurred_at": timezone.make_aware(datetime(2025, 5, 11, 10))}
    make_case(
        personas.admin, personas.community_a, "accident", title="去年的事故", registered_on=date(2024, 5, 12),
        detail=last_year,
    )  # fmt: skip
    make_case(
        personas.admin, personas.community_b, "accident", title="别处的事故", registered_on=date(2025, 5, 12),
        detail=this_year,
    )  # fmt: skip
    assert _eval(veto, date(2025, 6, 1)).state != State.FAIL
