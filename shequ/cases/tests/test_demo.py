"""The demo's year of cases: every type present, idempotent, and bulk growth for scale checks."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from shequ.accounts import demo as base_demo
from shequ.cases import demo
from shequ.cases.models import Case, CaseHistory
from shequ.residents.models import Person


def test_demo_builds_a_year_of_all_six_types_once_and_grows_in_bulk(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = base_demo.build(year=2025)  # a whole past year: every flow runs to its end
    for key in ("communityB", "village1", "village2"):  # 社区A and the school hold every type; keep the test fast
        ctx.orgs.pop(key)
    for i, born in enumerate([date(2022, 3, 1), date(2023, 7, 9)]):  # the registry's young children
        Person.objects.create(org=ctx.orgs["communityA"], name=f"儿童{i}", gender="F", birth_date=born)
    demo.step(ctx, {"quiet": True})
    by_type = dict(Case.objects.values_list("case_type__code").annotate(n=Count("pk")))
    assert set(by_type) == {"dispute", "hazard", "opinion", "monitor", "referral", "early_child", "accident"}
    early = Case.objects.filter(case_type__code="early_child").select_related("referral__person")
    assert {c.state for c in early} == {"completed", "referred"}  # one in rehabilitation, one waiting
    assert all(c.referral.person and c.referral.institution for c in early)
    assert early.get(state="referred").supervision != ""  # the institution is late: 督办
    assert by_type["dispute"] > 10 and by_type["accident"] == 1
    assert Case.objects.filter(case_type__code="hazard", hazard__signed_off_at__isnull=False).exists()
    assert Case.objects.filter(case_type__code="opinion", state="evaluated", rating__isnull=False).count() >= 5
    assert Case.objects.filter(board_hidden=True).count() == 1
    assert Case.objects.filter(case_type__code="dispute", dispute__outcome="success").exists()
    assert CaseHistory.objects.filter(action="supervise_auto").exists()  # the late hazard is supervised
    n, history = Case.objects.count(), CaseHistory.objects.count()
    demo.step(ctx, {"quiet": True})
    assert (Case.objects.count(), CaseHistory.objects.count()) == (n, history)
    assert demo.grow(ctx, 300) == 300 and demo.grow(ctx, 300) == 0
    assert (
        Case.objects.filter(import_key__startswith="bulk:", case_type__code="hazard", hazard__isnull=True).count() == 0
    )
