"""The navigation of the worker side: every app's entries, in their order, filtered by what the user may do."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from shequ.accounts import access
from shequ.accounts.roles import role_has
from shequ.core.registry import nav_entries


def _kinds(org) -> set[str]:
    """What an org is for ``NavEntry.kinds``: its kind, and a unit also its type ("unit:school")."""
    return {org.kind, f"{org.kind}:{org.unit_type}"} if org.unit_type else {org.kind}


def _shown(entry, memberships, superuser: bool) -> bool:
    if entry.perm is None and not entry.roles and not entry.kinds:
        return True
    if superuser and not entry.roles:
        return True
    return any(
        (entry.perm is None or role_has(m.role, entry.perm))
        and (not entry.roles or m.role in entry.roles)
        and (not entry.kinds or not entry.kinds.isdisjoint(_kinds(m.org)))
        for m in memberships
    )


def nav_items(user, path: str) -> list[dict]:
    """Links for ``user`` on the page at ``path``: the lines of work the user's roles use (an entry whose URL
    does not exist is skipped)."""
    items = []
    memberships = access.memberships(user)
    for entry in nav_entries():
        if not _shown(entry, memberships, user.is_superuser):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "active": path == url or (url != "/" and path.startswith(url))})
    return items
