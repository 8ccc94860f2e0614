"""Who sees which persons and which profiles.

Persons: the actor's grants as ``access.scoped`` gives them, plus — for a grant held at a grid
(网格员) — the persons filed under that grid.

Profiles: volunteer, supervisor and staff profiles go with the person. Disability profiles need
the disability area, floating-population and special-group profiles the safety area: a 专干
(area-bound) sees them only where one of their memberships lists that area; leaders and
administrators see all of their subtree; grid workers and inspectors do not see them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shequ.accounts import access
from shequ.accounts.roles import AREA_BOUND_ROLES, Perm, Role, role_has
from shequ.orgs.models import Area, Org, OrgKind, subtree_q

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


def _grid_paths(user, perm: str) -> list[str]:
    return [
        m.org.path
        for m in access.memberships(user)
        if m.org.kind == OrgKind.GRID and role_has(m.role, perm) and m.org.is_active
    ]


def scope_persons(qs: QuerySet, user, perm: str = Perm.VIEW, *, prefix: str = "") -> QuerySet:
    """Restrict a queryset of persons (or of rows pointing at a person through ``prefix``)."""
    field = f"{prefix}org"
    result = access.scoped(qs, user, perm, field=field)
    grid_paths = _grid_paths(user, perm)
    if grid_paths:
        q = Q()
        for path in grid_paths:
            q |= Q(**{f"{prefix}grid__in": Org.objects.filter(subtree_q(path)).values("pk")})
        result = result | qs.filter(q)
    return result


def can_person(user, person, perm: str) -> bool:
    if access.can(user, person.org, perm):
        return True
    return person.grid_id is not None and access.can(user, person.grid, perm)


def check_person(user, person, perm: str) -> None:
    if not can_person(user, person, perm):
        access.check(user, person.org, perm)


def profile_paths(user, kind: str) -> list[str]:
    """The subtrees in which the actor may see profiles of ``kind``."""
    area_code = PROFILE_AREAS[kind]
    if area_code is None:
        return access.scope_paths(user, Perm.VIEW)
    area_id = _area_ids(user).get(area_code)
    paths = []
    for g in access.grants(user):
        if not role_has(g.role, Perm.VIEW):
            continue
        if g.role in SENSITIVE_PROFILE_READERS or (
            g.role in AREA_BOUND_ROLES and g.area_ids is not None and area_id in g.area_ids
        ):
            paths.append(g.path)
    return sorted(set(paths))


def profile_q(user, kind: str, *, field: str = "person__org") -> Q | None:
    """A filter for rows of profile ``kind`` the actor may see (None: nothing). Profiles that go with
    the person need no filter beyond the person's own scope."""
    if PROFILE_AREAS[kind] is None:
        return Q()
    paths = profile_paths(user, kind)
    if not paths:
        return None
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__in": Org.objects.filter(subtree_q(path)).values("pk")})
    return q


def scope_profiles(qs: QuerySet, user, kind: str, *, field: str = "person__org") -> QuerySet:
    q = profile_q(user, kind, field=field)
    return qs.none() if q is None else qs.filter(q)


def visible_kinds(user, org: Org) -> set[str]:
    """The profile kinds the actor may see for persons of ``org``."""
    return {
        kind
        for kind, area in PROFILE_AREAS.items()
        if area is None or any(org.path.startswith(p) for p in profile_paths(user, kind))
    }


def can_edit_profile(user, person, kind: str) -> bool:
    return can_person(user, person, Perm.EDIT_RESIDENTS) and kind in visible_kinds(user, person.org)
