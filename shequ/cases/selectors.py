"""Every read of cases, scoped to the actor.

A case is visible in the subtree of the org that owns it and in the subtree of the org that
registered it (an escalated case stays visible, read-only, below). Area-bound workers (专干) only
see the cases of their areas. :func:`count_cases_by_org` is the one unscoped read, for callers that
scope the org ids themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import Membership, User
from shequ.accounts.roles import AREA_BOUND_ROLES, Perm, Role, role_has
from shequ.cases.choices import OPEN_STATES, CaseState, Supervision
from shequ.cases.models import Case, CaseAttachment, CaseEntry, CaseExtension, CaseHistory, CaseType
from shequ.cases.models.case import CaseQuerySet
from shequ.orgs.models import Org, OrgKind, subtree_q

LIST_RELATED = ("case_type", "area", "org", "owner")
# The inbox counts no further than this. A case is in the list by its owning org or by the org that registered it,
# two columns no one index answers together, so the count reads the table until it is reached (a street's 20,000
# cases of ten years: 12 ms at 5,000); past a thousand, a list is narrowed by box, state, type or grid.
INBOX_COUNT_CAP = 1000


def visible_cases(actor) -> CaseQuerySet:
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


def list_branches(actor) -> list[Q]:
    """The inbox read branch by branch (``core.paging.BranchPaginator``): one branch per org of the actor's scope
    on the owning org and one on the registering org, each newest first from its own index, so that a community's
    page does not walk the district's newest cases looking for its own."""
    scope = access.resolve(actor)
    return [*scope.branches(field="org"), *scope.branches(field="origin_org")]


def box_counts(actor) -> dict[str, int]:
    """How many cases each box holds (one query, over the open cases: every box counted holds only open ones)."""
    return (
        visible_cases(actor)
        .open()
        .aggregate(**{box: Count("pk", filter=box_q(actor, box)) for box in BOXES if box != "all"})
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


def _offered(members: QuerySet[Membership], actor) -> QuerySet[User]:
    if actor is not None:  # what a person is offered: only staff of orgs within their own scope
        members = members.filter(access.resolve(actor).rows_q(Perm.VIEW))
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by("name", "pk")


def assignable_users(case: Case, actor=None) -> QuerySet[User]:
    """Who may own the case: staff with the right to handle cases at its org (or above), in its area; with
    ``actor``, those of them the actor may name (held at an org of the actor's scope: no staff of a higher level)."""
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
    return _offered(members, actor)


def case_leaders(case: Case, actor=None) -> QuerySet[User]:
    """Who may be the case's 包案领导: leaders of its org or of an org above (with ``actor``: within their scope)."""
    chain = [*case.org.ancestor_ids, case.org_id]
    members = Membership.objects.filter(role=Role.LEADER, org_id__in=chain, is_active=True)
    return _offered(members, actor)


OUTSIDE_NAME = "其他单位工作人员"


def users_in_scope(actor, ids) -> set[int]:
    """Of these user ids, those the actor may name: holding a membership at an org of the actor's scope (the
    actor themselves always). One query, none for no ids."""
    ids = {i for i in ids if i and i != actor.pk}
    if not ids:
        return {actor.pk}
    return {actor.pk, *Membership.objects.visible_to(actor).filter(user_id__in=ids).values_list("user_id", flat=True)}


def name_for(user: User | None, inside: set[int]) -> str:
    """A staff member's name as the reader may see it ("" for nobody)."""
    if user is None:
        return ""
    return user.display_name if user.pk in inside else OUTSIDE_NAME


def name_staff(actor, cases: list[Case], fields: tuple[str, ...] = ("owner",)) -> list[Case]:
    """Cases of a list with ``<field>_name`` set for each staff field (承办人, 包案领导) as the reader may see it:
    the name within their scope, 其他单位工作人员 outside it. One query."""
    inside = users_in_scope(actor, {getattr(c, f"{f}_id") for c in cases for f in fields})
    for c in cases:
        for f in fields:
            setattr(c, f"{f}_name", name_for(getattr(c, f), inside))
    return cases


def stream_named_staff(
    actor, cases: Iterable[Case], fields: tuple[str, ...] = ("owner",), chunk: int = 1000
) -> Iterator[Case]:
    """:func:`name_staff` over a stream (a ledger's rows): one query per chunk."""
    rows = iter(cases)
    while batch := list(islice(rows, chunk)):
        yield from name_staff(actor, batch, fields)


def named_rows(actor, rows: list) -> list:
    """History rows and entries with the actor's name only where that user is within the reader's scope; others
    are named by a neutral label. One query."""
    inside = users_in_scope(actor, {r.actor_id for r in rows})
    for r in rows:
        if r.actor_id and r.actor_id not in inside:
            r.actor_name = OUTSIDE_NAME
    return rows


def case_names(actor, case: Case) -> dict[str, str]:
    """The names of the staff a case's page shows (registered by, owner, 包案领导, who took it off the board), and
    of the people on its history, entries and extension requests (set on those rows), as the actor may see them.
    One query."""
    rows: list[CaseHistory | CaseEntry] = [*case.history.all(), *case.entries.all()]
    extensions = list(case.extensions.all())
    people = {
        "registered_by": case.registered_by,
        "owner": case.owner,
        "leader": case.leader,
        "board_hidden_by": case.board_hidden_by,
    }
    ids: set[int | None] = {u.pk for u in people.values() if u is not None}
    ids |= {r.actor_id for r in rows}
    ids |= {i for e in extensions for i in (e.requested_by_id, e.decided_by_id)}
    inside = users_in_scope(actor, ids)
    for r in rows:
        if r.actor_id and r.actor_id not in inside:
            r.actor_name = OUTSIDE_NAME
    for e in extensions:  # names for the template, beside the rows' own fields
        setattr(e, "requested_by_name", name_for(e.requested_by, inside))  # noqa: B010
        setattr(e, "decided_by_name", name_for(e.decided_by, inside))  # noqa: B010
    return {key: name_for(user, inside) for key, user in people.items()}


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
