"""Every read of work records, already scoped to the actor (area-bound 专干 see only their areas).

The list's filters are declared once in ``records.filters.RecordFilter`` over :func:`record_list`.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Area, Org, OrgKind, subtree_q
from shequ.records.models import ActivityType, Record, RecordPhoto, YearClosure

LIST_COUNT_CAP = 5000
# A title search (主题含) counts no further than this: it reads each title of the scope until the count is reached
# (a community's 66,000 records of ten years for a word in 1,800 of them: 7,000 titles read for 200, 18,000 for
# 500); a search that finds more than four pages is narrowed by area, type or date (the page says so).
SEARCH_COUNT_CAP = 200


def visible_records(actor, perm: str = Perm.VIEW) -> QuerySet[Record]:
    return Record.objects.visible_to(actor, perm)


def record_list(actor) -> QuerySet[Record]:
    """Records for a list page or the API (filtered by ``RecordFilter``): related rows joined, photo count and
    first photo as subqueries."""
    qs = visible_records(actor)
    photos = RecordPhoto.objects.filter(record=OuterRef("pk"))
    return (
        qs.select_related("org", "area", "activity_type", "created_by")
        .annotate(
            photo_count=Coalesce(
                Subquery(photos.order_by().values("record").annotate(n=Count("id")).values("n")[:1]), 0
            ),
            first_photo_id=Subquery(photos.order_by("id").values("id")[:1]),
        )
        .order_by("-date", "-id")
    )


def record_get(actor, pk: int) -> Record:
    """One record in the actor's scope with everything its page shows; 404 otherwise."""
    qs = (
        visible_records(actor)
        .select_related("org", "area", "activity_type", "created_by")
        .prefetch_related(
            "photos", "attachments", Prefetch("persons", queryset=_person_model().objects.only("id", "name", "org_id"))
        )
    )
    return get_object_or_404(qs, pk=pk)


def _person_model():
    from shequ.residents.models import Person

    return Person


def photo_get(actor, pk: int) -> RecordPhoto:
    return get_object_or_404(RecordPhoto.objects.visible_to(actor), pk=pk)


def attachment_get(actor, pk: int):
    from shequ.records.models import RecordAttachment

    return get_object_or_404(RecordAttachment.objects.visible_to(actor), pk=pk)


def recording_orgs(actor, area: Area | None = None) -> QuerySet[Org]:
    """Orgs where the actor may record (in ``area`` when given): active, ordered as the tree."""
    return Org.objects.visible_to(actor, Perm.RECORD_WORK, area).filter(is_active=True).order_by("path")


def recording_types(actor) -> list[ActivityType]:
    """Active types of the areas the actor may record in somewhere."""
    area_ids = {
        a
        for g in access.grants(actor)
        if g.allows(Perm.RECORD_WORK)
        for a in (g.area_ids if g.area_ids is not None else [None])
    }
    qs = ActivityType.objects.filter(is_active=True, area__is_active=True).select_related("area")
    if None not in area_ids:
        qs = qs.filter(area_id__in=area_ids)
    return list(qs.order_by("area__sort", "sort", "id"))


def filter_orgs(actor) -> QuerySet[Org]:
    """Orgs offered in the list's org filter: the administrative nodes and units in scope."""
    return (
        Org.objects.visible_to(actor, Perm.VIEW)
        .filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.UNIT])
        .order_by("path")
    )


def year_choices() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


def closures_visible(actor) -> QuerySet[YearClosure]:
    return YearClosure.objects.visible_to(actor).select_related("org", "closed_by")


def closure_get(actor, pk: int) -> YearClosure:
    return get_object_or_404(closures_visible(actor), pk=pk)


def ledger_records(actor, *, org: Org, area: Area, year: int) -> QuerySet[Record]:
    """The rows of an activity ledger: one org's subtree, one area, one year, oldest first."""
    return (
        visible_records(actor, Perm.EXPORT)
        .filter(subtree_q(org.path, field="org__path"), area=area, year=year)
        .select_related("org", "activity_type", "created_by")
    )
