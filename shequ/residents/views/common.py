from __future__ import annotations

from shequ.accounts.roles import Perm
from shequ.residents import selectors


def form_orgs(user, perm: str = Perm.EDIT_RESIDENTS):
    """Communities and grids the user may pick in a form."""
    return selectors.communities_for(user, perm), selectors.grids_for(user, perm).order_by("path")
