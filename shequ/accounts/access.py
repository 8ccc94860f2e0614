"""One door for permissions and data scope.

Every service calls :func:`check` before it writes; every read starts from a model's
``objects.visible_to(actor, perm)`` (a :class:`ScopedQuerySet`, or ``Org.objects.visible_to``), which
asks the actor's :class:`Scope` for its condition. A user's grants are their active memberships; each
grant covers the subtree of its org, with the rights its role has in ``roles.ROLE_PERMS`` and, for
area-bound roles, only in its areas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from shequ.accounts.roles import AREA_BOUND_ROLES, STAFF_ROLES, Perm, Role, role_has
from shequ.orgs.models import Area, Org, OrgKind, subtree_q


@dataclass(frozen=True)
class Grant:
    membership_id: int
    org_id: int
    path: str
    role: str
    area_ids: frozenset[int] | None  # None: every area
    kind: str = ""  # the org's kind

    def covers(self, org: Org) -> bool:
        return org.path.startswith(self.path)

    def allows(self, perm: str, area_id: int | None = None) -> bool:
        if not role_has(self.role, perm):
            return False
        return area_id is None or self.area_ids is None or area_id in self.area_ids


_CACHE_ATTR = "_shequ_grants"
_MEMBERSHIPS_ATTR = "_shequ_memberships"
_SCOPE_ATTR = "_shequ_scope"


def grants(user) -> list[Grant]:
    """The user's active grants, read once per user object (two queries)."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    memberships = list(
        user.memberships.filter(is_active=True, org__is_active=True)
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
            kind=m.org.kind,
        )
        for m in memberships
    ]
    if user.is_superuser:
        result += [
            Grant(membership_id=0, org_id=o.pk, path=o.path, role=Role.ADMIN, area_ids=None, kind=o.kind)
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
    for attr in (_CACHE_ATTR, _MEMBERSHIPS_ATTR, _SCOPE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def can(user, org: Org, perm: str, area=None) -> bool:
    area_id = getattr(area, "pk", area)
    return any(g.covers(org) and g.allows(perm, area_id) for g in grants(user))


def check(user, org: Org, perm: str, area=None) -> None:
    """Raise PermissionDenied (HTTP 403, audited by the middleware) unless the user may."""
    if not can(user, org, perm, area):
        raise PermissionDenied(f"您没有在“{org.name}”{Perm(perm).label}的权限。")


def work_orgs(user, perm: str = Perm.RECORD_WORK):
    """Active orgs, grids left out, where the user may ``perm``: where a group is founded or a document kept."""
    ids = resolve(user).org_ids(perm)
    return Org.objects.filter(pk__in=ids, is_active=True).exclude(kind=OrgKind.GRID).order_by("path")


def work_areas(user, perm: str = Perm.RECORD_WORK):
    """Active lines of work in which the user may ``perm`` somewhere (a 专干 their own lines)."""
    grants = [g for g in resolve(user).grants if g.allows(perm)]
    qs = Area.objects.filter(is_active=True).order_by("sort")
    if any(g.area_ids is None for g in grants):
        return qs
    return qs.filter(pk__in=set().union(*(g.area_ids or () for g in grants)))


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


# --- the resolved scope ------------------------------------------------------------------------------
#
# Big tables are filtered with the org ids of the actor's subtrees written as constants
# (``org_id IN (1, 4, 5)``), never with a subquery over the tree: PostgreSQL cannot estimate how many
# orgs such a subquery returns (it guessed 1 for 5 at a million residents and joined the whole registry).


@dataclass(frozen=True)
class Scope:
    """An actor's scope, resolved once per user object: each grant with the org ids of its subtree.

    Rows are restricted by the ``visible_to(actor, perm)`` of their QuerySet, which asks this object
    for the condition; nobody else filters by org by hand.
    """

    grants: tuple[Grant, ...]
    subtrees: dict[str, tuple[int, ...]]  # a grant's path -> ids of the orgs of its subtree
    org_paths: dict[int, str]  # every org of the scope -> its path
    all_orgs: frozenset[int] | None = None  # every org of the tree, when a grant holds a root

    def ids_where(self, pred: Callable[[Grant], bool]) -> list[int]:
        """Ids of the orgs in the subtrees of the grants that satisfy ``pred``."""
        ids: set[int] = set()
        for g in self.grants:
            if pred(g):
                ids.update(self.subtrees.get(g.path, ()))
        return sorted(ids)

    def org_ids(self, perm: str = Perm.VIEW, area=None) -> list[int]:
        """The orgs the actor may act on with ``perm`` (and in ``area``, when given)."""
        area_id = getattr(area, "pk", area)
        return self.ids_where(lambda g: g.allows(perm, area_id))

    def grid_ids(self, perm: str = Perm.VIEW) -> list[int]:
        """The grids (and what hangs under them) held by a grid membership with ``perm``: the grid rule."""
        return self.ids_where(lambda g: g.kind == OrgKind.GRID and role_has(g.role, perm))

    def subtree_ids(self, org_id: int | None) -> list[int]:
        """The org ids of the subtree of ``org_id`` that lie in this scope (empty if it lies outside)."""
        path = self.org_paths.get(org_id) if org_id is not None else None
        if path is None:
            return []
        return sorted(pk for pk, p in self.org_paths.items() if p.startswith(path))

    def branches(self, perm: str = Perm.VIEW, *, field: str = "org", within: int | None = None) -> list[Q]:
        """One condition per org of the scope (of ``within``'s subtree, when given): the branches of a list that
        is read branch by branch (``core.paging.BranchPaginator``). They cover the rows ``rows_q`` admits."""
        ids = self.org_ids(perm)
        if within is not None:
            ids = sorted(set(ids) & set(self.subtree_ids(within)))
        return [Q(**{field: pk}) for pk in ids]

    def rows_q(self, perm: str = Perm.VIEW, *, field: str = "org", area_field: str | None = None) -> Q:
        """The condition on rows whose org (``field``) lies in the scope for ``perm``.

        With ``area_field``, a subtree held only by area-bound grants admits only rows of their areas.
        For the QuerySets' ``visible_to`` only.
        """
        by_path: dict[str, list[Grant]] = {}
        for g in self.grants:
            if role_has(g.role, perm):
                by_path.setdefault(g.path, []).append(g)
        free: set[int] = set()
        bound: dict[frozenset[int], set[int]] = {}
        for path, gs in by_path.items():
            ids = self.subtrees.get(path, ())
            if area_field and all(g.area_ids is not None for g in gs):
                areas = frozenset().union(*(g.area_ids or () for g in gs))
                bound.setdefault(areas, set()).update(ids)
            else:
                free.update(ids)
        if self.all_orgs is not None and free >= self.all_orgs:
            return Q(**{f"{field}__isnull": False})  # the whole tree: no list of every org to check rows against
        q = Q(**{f"{field}__in": sorted(free)}) if free else Q(pk__in=[])
        for areas, ids in bound.items():
            rest = ids - free
            if rest and areas:
                q |= Q(**{f"{field}__in": sorted(rest), f"{area_field}__in": sorted(areas)})
        return q


EMPTY_SCOPE = Scope(grants=(), subtrees={}, org_paths={})


def resolve(user) -> Scope:
    """The user's scope: their grants (read once, see :func:`grants`) and one small query for the org
    ids of their subtrees. Kept on the user object, so once per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user, _SCOPE_ATTR, None)
    if cached is not None:
        return cached
    gs = tuple(grants(user))
    paths = _minimal(g.path for g in gs)
    rows: list[tuple[int, str]] = []
    holds_root = any(p.count("/") == 1 for p in paths)
    if holds_root:  # the subtree of a root is most of the tree (all of it in one district): read the whole tree
        everything = list(Org.objects.values_list("pk", "path"))
        rows = [(pk, path) for pk, path in everything if any(path.startswith(p) for p in paths)]
    elif paths:
        q = Q()
        for p in paths:
            q |= subtree_q(p)
        rows = list(Org.objects.filter(q).values_list("pk", "path"))
    subtrees = {g.path: tuple(pk for pk, path in rows if path.startswith(g.path)) for g in gs}
    scope = Scope(
        grants=gs,
        subtrees=subtrees,
        org_paths=dict(rows),
        all_orgs=frozenset(pk for pk, _ in everything) if holds_root else None,
    )
    setattr(user, _SCOPE_ATTR, scope)
    return scope


class ScopedQuerySet(models.QuerySet):
    """A QuerySet whose rows belong to an org: ``visible_to(actor, perm)`` is the one scope rule.

    Subclasses name the org field (``scope_field``) and, for rows of a line of work, the area field
    (``scope_area_field``); models with more to their rule override ``visible_to``.
    """

    scope_field = "org"
    scope_area_field: str | None = None
    scope_perm: str = Perm.VIEW

    def visible_to(self, actor, perm: str | None = None):
        scope = resolve(actor)
        return self.filter(
            scope.rows_q(perm or self.scope_perm, field=self.scope_field, area_field=self.scope_area_field)
        )
