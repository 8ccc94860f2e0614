"""Reads of users and memberships, scoped to the actor."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import Perm


def _visible_memberships(actor, perm: str = Perm.VIEW) -> QuerySet[Membership]:
    return Membership.objects.visible_to(actor, perm).filter(is_active=True)


def user_list(actor, *, perm: str = Perm.VIEW) -> QuerySet[User]:
    """Users holding a membership in the actor's scope, with those memberships prefetched."""
    visible = _visible_memberships(actor, perm)
    return (
        User.objects.filter(pk__in=visible.values("user_id"))
        .prefetch_related(Prefetch("memberships", queryset=visible.select_related("org").prefetch_related("areas")))
        .order_by("username")
    )


def user_get(actor: User, pk: int, *, perm: str = Perm.VIEW) -> User:
    return get_object_or_404(user_list(actor, perm=perm), pk=pk)


def user_count(actor) -> int:
    return _visible_memberships(actor).values("user_id").distinct().count()
