"""The navigation of the worker side: every app's entries, in their order, filtered by what the user may do."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from shequ.accounts import access
from shequ.core.registry import nav_entries


def nav_items(user, path: str) -> list[dict]:
    """Links for ``user`` on the page at ``path``; an entry whose URL does not exist is skipped."""
    items = []
    for entry in nav_entries():
        if entry.perm is not None and not access.can_anywhere(user, entry.perm):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "active": path == url or (url != "/" and path.startswith(url))})
    return items
