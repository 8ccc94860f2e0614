"""Cases as veto events for the plans' veto targets ("no major safety accident this year").

Declared in ``CasesConfig.veto_sources``; the plans' compliance reads it from there."""

from __future__ import annotations

from django.urls import reverse

from shequ.cases.models import Case
from shequ.plans.compliance import VetoEvent


def cases_of_named_types(org_ids: list[int], year: int, codes: set[str]) -> list[VetoEvent]:
    """Cases of the named types registered in ``year`` where they happened (``origin_org``): one query.

    The compliance computation passes only org ids it already scoped, so no permission check here.
    """
    rows = (
        Case.objects.filter(origin_org_id__in=org_ids, year=year, case_type__code__in=codes)
        .order_by("registered_on", "pk")
        .values_list("pk", "origin_org_id", "registered_on", "title", "case_type__code")
    )
    return [
        VetoEvent(org_id, day, title, code, reverse("cases:detail", args=[pk])) for pk, org_id, day, title, code in rows
    ]
