from __future__ import annotations

from shequ.accounts import access
from shequ.accounts.roles import Perm, role_has
from shequ.orgs.models import OrgKind
from shequ.residents import selectors


def can_register(user) -> bool:
    """Whether the user may register residents and households: a right to edit the registry at a community or
    above (a grid worker updates the residents of their grid; a school keeps no registry)."""
    return any(
        m.org.kind in {OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY} and role_has(m.role, Perm.EDIT_RESIDENTS)
        for m in access.memberships(user)
    )


def form_orgs(user, perm: str = Perm.EDIT_RESIDENTS):
    """Communities and grids the user may pick in a form."""
    return selectors.communities_for(user, perm), selectors.grids_for(user, perm).order_by("path")
