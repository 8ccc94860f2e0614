"""Who sees which persons and which profiles.

Persons: the actor's subtrees (``access.Scope``), plus — for a grant held at a grid (网格员) — the
persons filed under that grid. ``Person.objects.visible_to`` and the profiles' ``visible_to`` read
these rules; nothing else filters persons by org.

Profiles: volunteer, supervisor and staff profiles go with the person. Disability profiles need
the disability area, floating-population and special-group profiles the safety area: a 专干
(area-bound) sees them only where one of their memberships lists that area; leaders and
administrators see all of their subtree; grid workers and inspectors do not see them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from shequ.accounts import access
from shequ.accounts.roles import AREA_BOUND_ROLES, Perm, Role, role_has
from shequ.orgs.models import Area, Org

# Profile kind -> the area whose workers may see it (None: whoever sees the person).
PROFILE_AREAS: dict[str, str | None] = {
    "disability": "disability",
    "floating": "safety",
    "special": "safety",
    "volunteer": None,
    "supervisor": None,
    "staff": None,
}
SENSITIVE_PROFILE_READERS = frozenset({Role.ADMIN, Role.LEADER})
_AREA_IDS_ATTR = "_shequ_residents_area_ids"


def _area_ids(user) -> dict[str, int]:
    cached = getattr(user, _AREA_IDS_ATTR, None)
    if cached is None:
        cached = dict(Area.objects.values_list("code", "pk"))
        setattr(user, _AREA_IDS_ATTR, cached)
    return cached


def person_q(user, perm: str = Perm.VIEW, *, prefix: str = "") -> Q:
    """The condition on persons (or rows pointing at a person through ``prefix``) the actor may see
    with ``perm``: their subtrees, and the persons filed under a grid they hold (the grid rule)."""
    scope = access.resolve(user)
    q = scope.rows_q(perm, field=f"{prefix}org")
    grid_ids = scope.grid_ids(perm)
    if grid_ids:
        q |= Q(**{f"{prefix}grid__in": grid_ids})
    return q


def can_person(user, person, perm: str) -> bool:
    if access.can(user, person.org, perm):
        return True
    return person.grid_id is not None and access.can(user, person.grid, perm)


def check_person(user, person, perm: str) -> None:
    if not can_person(user, person, perm):
        access.check(user, person.org, perm)


def _may_read_kind(kind: str, area_id: int | None) -> Callable[[access.Grant], bool]:
    def pred(g: access.Grant) -> bool:
        if not role_has(g.role, Perm.VIEW):
            return False
        return g.role in SENSITIVE_PROFILE_READERS or (
            g.role in AREA_BOUND_ROLES and g.area_ids is not None and area_id in g.area_ids
        )

    return pred


def profile_paths(user, kind: str) -> list[str]:
    """The subtrees in which the actor may see profiles of ``kind``."""
    area_code = PROFILE_AREAS[kind]
    if area_code is None:
        return access.scope_paths(user, Perm.VIEW)
    pred = _may_read_kind(kind, _area_ids(user).get(area_code))
    return sorted({g.path for g in access.grants(user) if pred(g)})


def profile_q(user, kind: str, *, field: str = "person__org") -> Q | None:
    """A filter for rows of profile ``kind`` the actor may see (None: nothing). Profiles that go with
    the person need no filter beyond the person's own scope."""
    area_code = PROFILE_AREAS[kind]
    if area_code is None:
        return Q()
    ids = access.resolve(user).ids_where(_may_read_kind(kind, _area_ids(user).get(area_code)))
    if not ids:
        return None
    return Q(**{f"{field}__in": ids})


def profile_visible_q(user, kind: str, perm: str = Perm.VIEW) -> Q:
    """The scope rule of a profile row of ``kind``: its person visible, and the kind's area readable."""
    q = profile_q(user, kind)
    if q is None:
        return Q(pk__in=[])
    person = person_q(user, perm, prefix="person__")
    # Where the kind's scope is the person's own, the org list is not written twice: PostgreSQL would square its
    # share of the registry (a community's 15,000 persons estimated at 2,000) and plan for that.
    return person if person == q else person & q


def visible_kinds(user, org: Org) -> set[str]:
    """The profile kinds the actor may see for persons of ``org``."""
    return {
        kind
        for kind, area in PROFILE_AREAS.items()
        if area is None or any(org.path.startswith(p) for p in profile_paths(user, kind))
    }


def can_edit_profile(user, person, kind: str) -> bool:
    return can_person(user, person, Perm.EDIT_RESIDENTS) and kind in visible_kinds(user, person.org)
