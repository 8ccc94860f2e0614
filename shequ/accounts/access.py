"""One door for permissions and data scope.

Every service calls :func:`check` before it writes; every selector starts from :func:`scoped`.
A user's grants are their active memberships; each grant covers the subtree of its org, with the
rights its role has in ``roles.ROLE_PERMS`` and, for area-bound roles, only in its areas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shequ.accounts.roles import AREA_BOUND_ROLES, STAFF_ROLES, Perm, Role, role_has
from shequ.orgs.models import Org, subtree_q


@dataclass(frozen=True)
class Grant:
    membership_id: int
    org_id: int
    path: str
    role: str
    area_ids: frozenset[int] | None  # None: every area

    def covers(self, org: Org) -> bool:
        return org.path.startswith(self.path)

    def allows(self, perm: str, area_id: int | None = None) -> bool:
        if not role_has(self.role, perm):
            return False
        return area_id is None or self.area_ids is None or area_id in self.area_ids


_CACHE_ATTR = "_shequ_grants"
_MEMBERSHIPS_ATTR = "_shequ_memberships"


def grants(user) -> list[Grant]:
    """The user's active grants, read once per user object (two queries)."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from shequ.accounts.models import Membership

    memberships = list(
        Membership.objects.filter(user=user, is_active=True, org__is_active=True)
        .select_related("org")
        .prefetch_related("areas")
        .order_by("org__path", "role")
    )
    setattr(user, _MEMBERSHIPS_ATTR, memberships)
    result = [
        Grant(
            membership_id=m.pk,
            org_id=m.org_id,
            path=m.org.path,
            role=m.role,
            area_ids=frozenset(a.pk for a in m.areas.all()) if m.role in AREA_BOUND_ROLES else None,
        )
        for m in memberships
    ]
    if user.is_superuser:
        result += [
            Grant(membership_id=0, org_id=o.pk, path=o.path, role=Role.ADMIN, area_ids=None)
            for o in Org.objects.filter(parent__isnull=True)
        ]
    setattr(user, _CACHE_ATTR, result)
    return result


def memberships(user) -> list:
    """The user's active memberships with their orgs and areas (loaded with the grants)."""
    grants(user)
    return getattr(user, _MEMBERSHIPS_ATTR, [])


def forget(user) -> None:
    """Drop the cached grants (after memberships change)."""
    for attr in (_CACHE_ATTR, _MEMBERSHIPS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def can(user, org: Org, perm: str, area=None) -> bool:
    area_id = getattr(area, "pk", area)
    return any(g.covers(org) and g.allows(perm, area_id) for g in grants(user))


def check(user, org: Org, perm: str, area=None) -> None:
    """Raise PermissionDenied (HTTP 403, audited by the middleware) unless the user may."""
    if not can(user, org, perm, area):
        raise PermissionDenied(f"您没有在“{org.name}”{Perm(perm).label}的权限。")


def can_anywhere(user, perm: str) -> bool:
    return any(role_has(g.role, perm) for g in grants(user))


def is_staff_user(user) -> bool:
    return any(g.role in STAFF_ROLES for g in grants(user))


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path of the list."""
    out: list[str] = []
    for p in sorted(set(paths)):
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return out


def scope_paths(user, perm: str = Perm.VIEW, area=None) -> list[str]:
    area_id = getattr(area, "pk", area)
    return _minimal(g.path for g in grants(user) if g.allows(perm, area_id))


def org_scope(user, perm: str = Perm.VIEW, area=None) -> QuerySet[Org]:
    """The orgs the user may act on with ``perm`` (and in ``area``, when given)."""
    paths = scope_paths(user, perm, area)
    if not paths:
        return Org.objects.none()
    q = Q()
    for p in paths:
        q |= subtree_q(p)
    return Org.objects.filter(q)


def scoped(qs: QuerySet, user, perm: str = Perm.VIEW, *, field: str = "org", area_field: str | None = None) -> QuerySet:
    """Restrict ``qs`` to rows whose org (``field``) lies in the user's scope for ``perm``.

    With ``area_field``, a grant of an area-bound role only admits rows of its own areas.
    """
    q = Q()
    matched = False
    by_path: dict[str, list[Grant]] = {}
    for g in grants(user):
        if role_has(g.role, perm):
            by_path.setdefault(g.path, []).append(g)
    for path, gs in by_path.items():
        org_q = Q(**{f"{field}__in": Org.objects.filter(subtree_q(path)).values("pk")})
        if area_field and all(g.area_ids is not None for g in gs):
            area_ids = frozenset().union(*(g.area_ids for g in gs))
            org_q &= Q(**{f"{area_field}__in": list(area_ids)})
        q |= org_q
        matched = True
    if not matched:
        return qs.none()
    return qs.filter(q)
