"""Every read of cases, scoped to the actor.

A case is visible in the subtree of the org that owns it and in the subtree of the org that
registered it (an escalated case stays visible, read-only, below). Area-bound workers (专干) only
see the cases of their areas. :func:`count_cases_by_org` is the one unscoped read, for callers that
scope the org ids themselves.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import Membership, User
from shequ.accounts.roles import AREA_BOUND_ROLES, Perm, Role, role_has
from shequ.cases.choices import OPEN_STATES, CaseState, Supervision
from shequ.cases.models import Case, CaseAttachment, CaseEntry, CaseExtension, CaseHistory, CaseType
from shequ.orgs.models import Org, OrgKind, subtree_q

LIST_RELATED = ("case_type", "area", "org", "owner")


def visible_cases(actor) -> QuerySet[Case]:
    """Cases the actor may read: owned or registered in their subtrees, in their areas."""
    return Case.objects.visible_to(actor)


def case_get(actor, pk: int) -> Case:
    """One visible case (with what the services need); 404 otherwise, as if it did not exist."""
    qs = (
        visible_cases(actor)
        .select_related("case_type", "area", "org", "org__parent", "origin_org", "escalated_from")
        .prefetch_related("extensions")
    )
    return get_object_or_404(qs, pk=pk)


def case_detail(actor, pk: int) -> Case:
    """One visible case with everything its page shows, in a fixed number of queries."""
    qs = (
        visible_cases(actor)
        .select_related(
            "case_type",
            "area",
            "org",
            "org__parent",
            "origin_org",
            "escalated_from",
            "owner",
            "leader",
            "reporter",
            "reporter_person",
            "registered_by",
            "board_hidden_by",
            "dispute",
            "hazard",
            "hazard__found_in_record",
            "referral",
            "accident",
        )
        .prefetch_related(
            "parties",
            Prefetch("extensions", queryset=CaseExtension.objects.select_related("requested_by", "decided_by")),
            Prefetch("history", queryset=CaseHistory.objects.select_related("org")),
            Prefetch("entries", queryset=CaseEntry.objects.prefetch_related("attachments")),
            Prefetch("attachments", queryset=CaseAttachment.objects.filter(entry__isnull=True)),
        )
    )
    return get_object_or_404(qs, pk=pk)


def attachment_get(actor, pk: int) -> CaseAttachment:
    return get_object_or_404(CaseAttachment.objects.visible_to(actor), pk=pk)


BOXES = {
    "todo": "待受理",
    "mine": "我承办的",
    "overdue": "已超期",
    "escalated": "上报到本级",
    "supervised": "督办中",
    "all": "全部",
}


def box_q(actor, box: str) -> Q:
    """The condition of a box of the inbox (待受理, 我承办的 …); "all" or an empty box: every visible case."""
    today = timezone.localdate()
    open_q = Q(state__in=OPEN_STATES)
    if box == "todo":
        return Q(state=CaseState.REGISTERED, org_id__in=access.resolve(actor).org_ids(Perm.ASSIGN_CASE))
    if box == "mine":
        return open_q & (Q(owner=actor) | Q(leader=actor))
    if box == "overdue":
        return open_q & Q(deadline__lt=today)
    if box == "escalated":
        return open_q & Q(escalated_from__isnull=False, org_id__in=access.resolve(actor).org_ids(Perm.VIEW))
    if box == "supervised":
        return open_q & ~Q(supervision=Supervision.NONE)
    return Q()


def case_list(actor, *, box: str = "all") -> QuerySet[Case]:
    """The inbox: a box (待受理, 我承办的, 已超期 …) of the visible cases, newest first; the page and the API narrow
    it further with ``cases.filters.CaseFilter``."""
    qs = visible_cases(actor).filter(box_q(actor, box))
    return qs.select_related(*LIST_RELATED).order_by("-registered_at", "-id")


def box_counts(actor) -> dict[str, int]:
    """How many cases each box holds (one query)."""
    return visible_cases(actor).aggregate(
        **{box: Count("pk", filter=box_q(actor, box)) for box in BOXES if box != "all"}
    )


def case_types(*, active_only: bool = True) -> QuerySet[CaseType]:
    qs = CaseType.objects.prefetch_related("areas")
    return qs.filter(is_active=True) if active_only else qs


def registration_orgs(actor, case_type: CaseType) -> QuerySet[Org]:
    """Orgs where the actor may register a case of this type (in one of its areas)."""
    q = Q(pk__in=[])
    for area in case_type.areas.all():
        q |= Q(pk__in=access.resolve(actor).org_ids(Perm.REPORT_CASE, area))
    return Org.objects.filter(q, is_active=True).exclude(kind=OrgKind.DISTRICT).order_by("path")


def assignable_users(case: Case) -> QuerySet[User]:
    """Who may own the case: staff with the right to handle cases at its org (or above), in its area."""
    chain = [*case.org.ancestor_ids, case.org_id]
    roles = [r for r in Role if role_has(r, Perm.HANDLE_CASE)]
    free = [r for r in roles if r not in AREA_BOUND_ROLES]
    bound = [r for r in roles if r in AREA_BOUND_ROLES]
    members = Membership.objects.filter(
        Q(role__in=free) | Q(role__in=bound, areas=case.area_id),
        org_id__in=chain,
        is_active=True,
        org__is_active=True,
    )
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by("name", "pk")


def case_leaders(case: Case) -> QuerySet[User]:
    """Who may be the case's 包案领导: leaders of its org or of an org above."""
    chain = [*case.org.ancestor_ids, case.org_id]
    members = Membership.objects.filter(role=Role.LEADER, org_id__in=chain, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by("name", "pk")


def count_cases_by_org(*, org_ids, year: int, type_codes: list[str]) -> dict[int, int]:
    """Cases of ``type_codes`` registered in ``year`` in each org's subtree, by org id.

    For other apps' rules (the plans' veto targets: "no major accident this year"). It does NO
    permission check: the caller passes only org ids it has already scoped. Every given id is in
    the result (0 when none). Counted by where the case was registered (``origin_org``), so an
    escalated case still counts for the org where it happened. Three queries, whatever the size.
    """
    org_ids = list(dict.fromkeys(int(i) for i in org_ids))
    result = dict.fromkeys(org_ids, 0)
    if not org_ids or not type_codes:
        return result
    paths = dict(Org.objects.filter(pk__in=org_ids).values_list("pk", "path"))
    q = Q(pk__in=[])
    for path in paths.values():
        q |= subtree_q(path)
    rows = (
        Case.objects.filter(
            year=year, case_type__code__in=type_codes, origin_org__in=Org.objects.filter(q).values("pk")
        )
        .values("origin_org__path")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        for org_id, path in paths.items():
            if row["origin_org__path"].startswith(path):
                result[org_id] += row["n"]
    return result
