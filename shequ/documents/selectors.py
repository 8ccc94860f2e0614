"""Every read of the document register, starting from ``Document.objects.visible_to``."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.documents.models import Document
from shequ.orgs.models import Area, Org

SOON = 30  # days before the review date the register and the bell warn


def register(actor: User, *, area: str = "", kind: str = "", state: str = "", today: date) -> QuerySet[Document]:
    qs = Document.objects.visible_to(actor)
    qs = qs.filter(withdrawn_on__isnull=False) if state == "withdrawn" else qs.current()
    if area:
        qs = qs.filter(area__code=area)
    if kind:
        qs = qs.filter(kind=kind)
    if state == "review":
        qs = qs.filter(review_on__lte=today + timedelta(days=SOON))
    return qs.select_related("org", "area").order_by("org__path", "area__sort", "kind", "title", "-version")


def document_get(actor: User, pk: int) -> Document:
    found = (
        Document.objects.visible_to(actor)
        .select_related("org", "area", "uploaded_by", "previous")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有这份文件。")
    return found


def versions(document: Document) -> list[Document]:
    """Every version of the document, newest first."""
    return list(Document.objects.filter(series=document.series).select_related("uploaded_by").order_by("-version"))


def creatable_orgs(actor: User) -> QuerySet[Org]:
    return access.work_orgs(actor)


def creatable_areas(actor: User) -> QuerySet[Area]:
    return access.work_areas(actor)


def can_manage(actor: User, document: Document) -> bool:
    return access.can(actor, document.org, Perm.RECORD_WORK, document.area_id)
