"""The monthly record counts behind the dashboards stay equal to the records themselves, whatever the services
do to them, and are seen as the records are."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractMonth

from shequ.accounts.roles import Role
from shequ.orgs.models import Area
from shequ.records import services, tallies
from shequ.records.models import Record, RecordMonth
from shequ.records.tests.helpers import activity_type, make_record
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple, int]:
    return {(o, a, y, m): n for o, a, y, m, n in RecordMonth.objects.values_list("org", "area", "year", "month", "n")
            if n}  # fmt: skip


def truth() -> dict[tuple, int]:
    rows = (
        Record.objects.annotate(m=ExtractMonth("date")).values_list("org", "area", "year", "m").annotate(n=Count("id"))
    )
    return {(o, a, y, m): n for o, a, y, m, n in rows}


def test_counts_follow_every_create_move_and_delete(personas):
    a = personas.community_a
    health, safety = activity_type("health", "board").area_id, activity_type("safety", "patrol").area_id
    first = make_record(personas.worker_a, a, on=date(2025, 3, 5))
    make_record(personas.worker_a, a, on=date(2025, 3, 20))
    make_record(personas.worker_a, a, area="safety", code="patrol", on=date(2025, 4, 1), extra={})
    assert counted() == truth() == {(a.pk, health, 2025, 3): 2, (a.pk, safety, 2025, 4): 1}
    services.record_update(actor=personas.worker_a, record=first, date=date(2025, 5, 1))
    assert counted() == truth() == {(a.pk, health, 2025, 3): 1, (a.pk, health, 2025, 5): 1, (a.pk, safety, 2025, 4): 1}
    services.record_update(actor=personas.worker_a, record=first, title="只改标题")  # same month: nothing moves
    services.record_delete(actor=personas.worker_a, record=first)
    assert counted() == truth()
    RecordMonth.objects.all().delete()
    tallies.rebuild()
    assert counted() == truth()


def test_a_worker_of_one_line_sees_only_that_line_counted(personas, client_for):
    a = personas.community_a
    make_record(personas.worker_a, a, on=date(2025, 3, 5))
    make_record(personas.worker_a, a, area="safety", code="patrol", on=date(2025, 4, 1), extra={})
    health_only = member(a, Role.WORKER, username="health_only", areas=list(Area.objects.filter(code="health")))
    seen = RecordMonth.objects.visible_to(health_only).values_list("area__code", flat=True)
    assert sorted(seen) == ["health"]
    assert not RecordMonth.objects.visible_to(personas.worker_b).exists()
    assert RecordMonth.objects.visible_to(personas.supervisor).count() == 2
