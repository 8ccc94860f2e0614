"""Every read of work records, already scoped to the actor (area-bound 专干 see only their areas).

``RecordFilter`` is the one filter definition behind the record list page, its drill-down links
(``org``, ``area``, ``type``, ``date_from``, ``date_to``, ``year``, ``q``), the API and the ledgers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Area, Org, OrgKind, subtree_q
from shequ.records.models import ActivityType, Record, RecordPhoto, YearClosure


@dataclass
class RecordFilter:
    org: Org | None = None
    area: Area | None = None
    activity_type: ActivityType | None = None
    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None
    q: str = ""
    org_ids: list[int] | None = None  # the org's subtree in the actor's scope, as constants

    @classmethod
    def from_params(cls, actor, params) -> RecordFilter:
        """Parse GET-style params; values that are malformed or outside the actor's scope are ignored."""
        f = cls()
        org_id = _int(params.get("org"))
        if org_id:
            f.org = Org.objects.visible_to(actor, Perm.VIEW).filter(pk=org_id).first()
            if f.org is not None:
                f.org_ids = access.resolve(actor).subtree_ids(f.org.pk)
        area_code = (params.get("area") or "").strip()
        if area_code:
            f.area = Area.objects.filter(code=area_code).first()
        type_id = _int(params.get("type"))
        if type_id:
            f.activity_type = ActivityType.objects.select_related("area").filter(pk=type_id).first()
        f.date_from = _date(params.get("date_from"))
        f.date_to = _date(params.get("date_to"))
        year = _int(params.get("year"))
        f.year = year if year and 1990 <= year <= 2100 else None
        f.q = (params.get("q") or "").strip()[:50]
        return f

    def apply(self, qs: QuerySet[Record]) -> QuerySet[Record]:
        if self.org_ids is not None:
            qs = qs.filter(org_id__in=self.org_ids)
        elif self.org is not None:
            qs = qs.filter(subtree_q(self.org.path, field="org__path"))
        if self.area is not None:
            qs = qs.filter(area=self.area)
        if self.activity_type is not None:
            qs = qs.filter(activity_type=self.activity_type)
        if self.year:
            qs = qs.filter(year=self.year)
        if self.date_from:
            qs = qs.filter(date__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(date__lte=self.date_to)
        if self.q:
            qs = qs.filter(title__contains=self.q)
        return qs

    def as_params(self) -> dict[str, str]:
        out = {
            "org": self.org.pk if self.org else "",
            "area": self.area.code if self.area else "",
            "type": self.activity_type.pk if self.activity_type else "",
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "year": self.year or "",
            "q": self.q,
        }
        return {k: str(v) for k, v in out.items() if v}


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


LIST_COUNT_CAP = 5000


def visible_records(actor, perm: str = Perm.VIEW) -> QuerySet[Record]:
    return Record.objects.visible_to(actor, perm)


def record_list(actor, flt: RecordFilter | None = None) -> QuerySet[Record]:
    """Records for a list page or the API: related rows joined, photo count and first photo as subqueries."""
    qs = visible_records(actor)
    if flt is not None:
        qs = flt.apply(qs)
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
    flt = RecordFilter(org=org, area=area, year=year)
    return flt.apply(visible_records(actor, Perm.EXPORT)).select_related("org", "activity_type", "created_by")
