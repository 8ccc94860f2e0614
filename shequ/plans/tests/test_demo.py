from datetime import date

import pytest

from shequ.accounts import demo as base_demo
from shequ.plans import compliance
from shequ.plans import demo as plans_demo
from shequ.plans.compliance import State
from shequ.plans.models import Plan, RateEntry, Target, TargetKind, Task
from shequ.records import demo as records_demo

pytestmark = pytest.mark.django_db


def test_demo_adopts_the_six_templates_and_shows_real_states_from_the_demo_records():
    ctx = base_demo.build(year=2025)
    records_demo.step(ctx, {"quiet": True})
    plans_demo.step(ctx, {"quiet": True})
    a = ctx.orgs["communityA"]
    assert set(Plan.objects.filter(org=a, year=2025).values_list("area__code", flat=True)) == {
        "health",
        "selfgov",
        "disability",
        "safety",
        "education",
    }
    assert Plan.objects.filter(org=ctx.orgs["school"], area__code="school").exists()
    assert Plan.objects.filter(org=ctx.orgs["health_center"], targets__code="health-staff-center").exists()
    counts = (Plan.objects.count(), Target.objects.count(), Task.objects.count(), RateEntry.objects.count())
    targets = list(Target.objects.filter(plan__org=a).select_related("plan", "plan__org"))
    results = compliance.evaluate(targets, today=date(2025, 12, 31))
    board = next(r for r in results.values() if r.target.code == "health-board-monthly")
    assert board.state == State.OK and board.total.done >= 12  # the demo's monthly board changes
    # Computed targets wait for the registry's, the surveys' and the groups' demo steps; of the others, half are met.
    own = [r for r in results.values() if r.target.kind != TargetKind.INDICATOR]
    assert sum(r.state == State.OK for r in own) >= len(own) // 2
    plans_demo.step(ctx, {"quiet": True})
    assert (Plan.objects.count(), Target.objects.count(), Task.objects.count(), RateEntry.objects.count()) == counts
