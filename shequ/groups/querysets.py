"""The scope rules of groups and everything that hangs from them: each model's ``objects.visible_to(actor, perm)``.

A group belongs to an org and a line of work: it is seen in the subtrees of the actor's grants, by a 专干 only in
the lines of work they hold. Its members, terms, meetings and resolutions go with it.
"""

from __future__ import annotations

from shequ.accounts.access import ScopedQuerySet


class GroupQuerySet(ScopedQuerySet):
    scope_area_field = "area"


class GroupPartQuerySet(ScopedQuerySet):
    """Members and terms go with their group."""

    scope_field = "group__org"
    scope_area_field = "group__area"


class MeetingQuerySet(ScopedQuerySet):
    """A meeting is seen where its record is: its org and line of work (copied from the record, which never
    changes org)."""

    scope_area_field = "area"


class ResolutionQuerySet(ScopedQuerySet):
    scope_field = "meeting__org"
    scope_area_field = "meeting__area"
