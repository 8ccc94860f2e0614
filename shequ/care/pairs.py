"""Who may be a helper where a person lives: the active staff and volunteer accounts of the person's community,
the orgs above it and its grids."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import STAFF_ROLES, Role
from shequ.orgs.models import Org


def helper_choices(org: Org) -> QuerySet[User]:
    above = [int(p) for p in org.path.strip("/").split("/") if p]
    under = Org.objects.subtree(org).values("pk")
    roles = [*STAFF_ROLES, Role.VOLUNTEER]
    memberships = Membership.objects.filter(is_active=True, role__in=roles).filter(
        Q(org_id__in=above) | Q(org_id__in=under)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("name", "username")
