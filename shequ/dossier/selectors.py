"""Reads of the annual dossier, scoped to the actor. A dossier holds every line of work's ledgers, so reading one
needs the export right over every line at its org (the community's leader, the street and district above);
outside the actor's scope an org or a dossier is a 404, inside it without that right a 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from shequ.accounts import access
from shequ.accounts.roles import Perm, role_has
from shequ.dossier.models import Dossier, DossierJob
from shequ.orgs.models import Org, OrgKind

if TYPE_CHECKING:
    from shequ.accounts.models import User

KINDS = (OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY)
REFUSED = "年度档案包含各条线的台账，只有本单位负责人和上级单位可以查看。"


def may_read(actor: User, org: Org) -> bool:
    """The export right over every line of work at ``org`` (a 专干 holds only their own lines)."""
    return any(g.covers(org) and g.area_ids is None and role_has(g.role, Perm.EXPORT) for g in access.grants(actor))


def org_get(actor: User, pk: int) -> Org:
    org = Org.objects.visible_to(actor, Perm.VIEW).filter(pk=pk, is_active=True).select_related("parent").first()
    if org is None or org.kind not in KINDS:
        raise Http404("没有这个单位。")
    if not may_read(actor, org):
        raise PermissionDenied(REFUSED)
    return org


def can_build(actor: User, org: Org) -> bool:
    return access.can(actor, org, Perm.CLOSE_YEAR)


def communities(actor: User, org: Org) -> QuerySet[Org]:
    """The communities of ``org``'s dossier page: itself, or the active communities below it, in the tree's order."""
    if org.kind == OrgKind.COMMUNITY:
        return Org.objects.filter(pk=org.pk)
    ids = access.resolve(actor).subtree_ids(org.pk)
    return (
        Org.objects.filter(pk__in=ids, kind=OrgKind.COMMUNITY, is_active=True).select_related("parent").order_by("path")
    )


def dossiers_of(actor: User, orgs: list[Org], year: int) -> dict[int, Dossier]:
    rows = Dossier.objects.visible_to(actor).filter(org__in=orgs, year=year).select_related("job", "built_by")
    return {d.org_id: d for d in rows}


def dossier_get(actor: User, pk: int) -> Dossier:
    found = Dossier.objects.visible_to(actor).select_related("org", "job").filter(pk=pk).first()
    if found is None:
        raise Http404("没有这份档案。")
    if not may_read(actor, found.org):
        raise PermissionDenied(REFUSED)
    return found


def job_get(actor: User, pk: int) -> DossierJob:
    found = DossierJob.objects.visible_to(actor).select_related("org", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404("没有这个生成任务。")
    if not may_read(actor, found.org):
        raise PermissionDenied(REFUSED)
    return found


def job_dossiers(job: DossierJob) -> list[Dossier]:
    return list(job.dossiers.select_related("org").order_by("org__path"))


def job_retries(job: DossierJob) -> list[DossierJob]:
    """The jobs that built again what ``job`` failed or left undone."""
    return list(job.retries.select_related("org").order_by("created_at", "pk"))


def recent_jobs(actor: User, org: Org, limit: int = 5) -> list[DossierJob]:
    ids = access.resolve(actor).subtree_ids(org.pk)
    return list(DossierJob.objects.visible_to(actor).filter(org_id__in=ids).select_related("org")[:limit])
