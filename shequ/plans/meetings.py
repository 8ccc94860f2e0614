"""Group meetings as the plans read them: a line of work that keeps groups and their meetings hands down a reader on
its ``AppConfig`` (``group_meetings(org_ids, start, end, kinds) -> [(org_id, activity_type_id, date)]``, one query),
so that a count target can count the meetings of a kind of group (a school's safety group) instead of every record
of the meeting's type."""

from __future__ import annotations

from datetime import date

from django.apps import apps


def group_meetings(org_ids: list[int], start: date, end: date, kinds: list[str]) -> list[tuple[int, int, date]]:
    out: list[tuple[int, int, date]] = []
    for config in apps.get_app_configs():
        read = getattr(config, "group_meetings", None)
        if read is not None and org_ids and kinds:
            out.extend(read(org_ids, start, end, kinds))
    return out
