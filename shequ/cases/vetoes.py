"""Cases as veto events for the plans' veto targets ("no major safety accident this year").

Declared in ``CasesConfig.veto_sources``; the plans' compliance reads it from there. An incident is dated by
when it happened (an accident in December registered in January breaks December's year) and carries its own
facts — its level (事故等级) and whether it was a 责任事故 — which a target's filter reads."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shequ.cases.models import Case
from shequ.plans.compliance import VetoEvent


def _year_bounds(year: int):
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(timezone.datetime(year, 1, 1), tz),
        timezone.make_aware(timezone.datetime(year + 1, 1, 1), tz),
    )


def cases_of_named_types(org_ids: list[int], year: int, codes: set[str]) -> list[VetoEvent]:
    """Cases of the named types that happened in ``year`` where they happened (``origin_org``): one query.

    The date is the incident's ``occurred_at`` where the type records one, else the registration date.
    The compliance computation passes only org ids it already scoped, so no permission check here.
    """
    start, end = _year_bounds(year)
    when = Q(accident__occurred_at__gte=start, accident__occurred_at__lt=end) | Q(accident__isnull=True, year=year)
    rows = (
        Case.objects.filter(when, origin_org_id__in=org_ids, case_type__code__in=codes)
        .order_by("registered_on", "pk")
        .values_list(
            "pk",
            "origin_org_id",
            "registered_on",
            "title",
            "case_type__code",
            "accident__occurred_at",
            "accident__level",
            "accident__liable",
        )
    )
    events = []
    for pk, org_id, registered_on, title, code, occurred_at, level, liable in rows:
        day: date = timezone.localdate(occurred_at) if occurred_at else registered_on
        facts = {"level": level, "liable": liable} if occurred_at else {}
        events.append(VetoEvent(org_id, day, title, code, reverse("cases:detail", args=[pk]), facts))
    return sorted(events, key=lambda e: e.date)
