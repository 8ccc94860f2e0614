"""Reads of the org tree, scoped to the actor."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from shequ.accounts.roles import Perm
from shequ.orgs.models import Area, Org


def org_list(actor, *, include_retired: bool = False) -> QuerySet[Org]:
    qs = Org.objects.visible_to(actor, Perm.VIEW)
    if not include_retired:
        qs = qs.filter(is_active=True)
    return qs.select_related("parent").order_by("path")


def org_get(actor, pk: int) -> Org:
    """One org in the actor's scope; 404 otherwise, exactly as if it did not exist."""
    return get_object_or_404(Org.objects.visible_to(actor, Perm.VIEW).select_related("parent"), pk=pk)


def org_children(actor, org: Org) -> QuerySet[Org]:
    return org_list(actor, include_retired=True).filter(parent=org)


def org_kind_counts(actor) -> dict[str, int]:
    rows = org_list(actor).order_by().values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}


def area_list(*, include_inactive: bool = False) -> QuerySet[Area]:
    qs = Area.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)
