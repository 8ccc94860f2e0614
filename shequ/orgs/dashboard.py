"""Dashboard cards of the org tree: the levels below the user, counted from their scope."""

from __future__ import annotations

from django.urls import reverse

from shequ.orgs.models import OrgKind
from shequ.orgs.selectors import org_kind_counts


def org_cards(user) -> list[dict]:
    counts = org_kind_counts(user)
    url = reverse("orgs:list")
    kinds = [
        ("街道/乡镇", OrgKind.STREET),
        ("社区/村", OrgKind.COMMUNITY),
        ("网格", OrgKind.GRID),
        ("单位", OrgKind.UNIT),
    ]
    # A community worker has no streets below them: show only the levels the scope has.
    return [{"label": label, "value": counts[kind], "url": url} for label, kind in kinds if counts.get(kind)]
