"""Reads of the residents' side: the public board of a community, and a resident's own cases."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from shequ.accounts.roles import Role
from shequ.cases.models import Case, CaseAttachment, CaseEntry, CaseHistory
from shequ.orgs.models import Org, OrgKind, subtree_q

PHOTOS = Prefetch(
    "attachments", queryset=CaseAttachment.objects.filter(is_image=True, entry__isnull=True), to_attr="photos"
)


def board_q() -> Q:
    """What the public board shows: board types, the reporter agreed, a reply exists, not kept off."""
    return Q(case_type__on_board=True, allow_public=True, board_hidden=False) & ~Q(public_reply="")


def communities() -> QuerySet[Org]:
    return Org.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).select_related("parent").order_by("path")


def community_get(pk: int) -> Org:
    return get_object_or_404(communities(), pk=pk)


def board(community: Org) -> QuerySet[Case]:
    """The 民情民意交流栏 of a community: opinions with public replies, newest reply first."""
    return (
        Case.objects.filter(board_q(), origin_org__in=Org.objects.filter(subtree_q(community.path)).values("pk"))
        .select_related("case_type", "reporter", "reporter_person")
        .prefetch_related(PHOTOS)
        .order_by("-public_reply_at", "-id")
    )


def my_cases(user) -> QuerySet[Case]:
    return (
        Case.objects.filter(reporter=user).select_related("case_type", "origin_org").order_by("-registered_at", "-id")
    )


def my_case(user, pk: int) -> Case:
    """A case the user reported, with its progress, the replies meant for them and its photos; else 404."""
    qs = (
        Case.objects.filter(reporter=user)
        .select_related("case_type", "org", "origin_org", "owner")
        .prefetch_related(
            PHOTOS,
            Prefetch("history", queryset=CaseHistory.objects.order_by("at", "id")),
            Prefetch("entries", queryset=CaseEntry.objects.filter(visible_to_reporter=True), to_attr="replies"),
        )
    )
    return get_object_or_404(qs, pk=pk)


def reporting_memberships(user) -> list:
    """The user's resident and supervisor memberships: where they may post on the portal."""
    from shequ.accounts import access

    return [m for m in access.memberships(user) if m.role in {Role.RESIDENT, Role.MONITOR}]


def photo_get(user, pk: int) -> CaseAttachment:
    """A photo the user may see: of a post on a public board, of their own case, or of a case in their scope."""
    att = get_object_or_404(CaseAttachment.objects.select_related("case", "case__case_type"), pk=pk, is_image=True)
    case = att.case
    if case.on_board and att.entry_id is None:
        return att
    if user.is_authenticated and (
        case.reporter_id == user.pk or CaseAttachment.objects.visible_to(user).filter(pk=att.pk).exists()
    ):
        return att
    raise Http404
