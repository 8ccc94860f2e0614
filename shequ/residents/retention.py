"""Keeping personal data no longer than needed (个人信息保护法 第十九条, 第四十七条): a person who moved away
(迁出) or died is kept for ``RESIDENTS_RETENTION_YEARS`` years after that date and then anonymised.

Anonymising keeps the row, so that what was filed with it (sign-in lists, cases, counts of past years) keeps its
shape, but removes what identifies the person: the name becomes 已匿名, the ID and phone numbers (ciphers and
hashes), the birth date, the address, the notes and occupation are emptied, the person leaves their household and
their profiles (残疾, 流动人口, 特殊人群 …) are deleted, and the link to their portal account is cleared. Apps above
the registry that keep copies of a person's details (a case's reporter and parties, copied from the registry) clear
them in the same transaction: each declares a function of the anonymised persons' ids as ``person_copies`` on its
``AppConfig``. Each person gets an audit row (``person.anonymise``: ids only, as every audit row), so the log's
chain stays whole.

A person marked dead without a date of death counts from the day the mark was set: the latest edit that changed
it, as the audit log has it (``person.update`` names the fields it changed), else the row's last update.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from shequ.audit.models import AuditLog
from shequ.audit.services import audit_many
from shequ.core import phones
from shequ.residents.models import (
    DisabilityProfile,
    FloatingProfile,
    Household,
    Person,
    SpecialGroupProfile,
    StaffProfile,
    SupervisorProfile,
    VolunteerProfile,
)

ANONYMOUS = "已匿名"
BATCH = 500
PROFILES = (DisabilityProfile, FloatingProfile, SpecialGroupProfile, VolunteerProfile, SupervisorProfile, StaffProfile)
BLANK = {
    "name": ANONYMOUS,
    "name_pinyin": "",
    "name_initials": "",
    "birth_date": None,
    "id_cipher": "",
    "id_hash": "",
    "id_masked": "",
    "id_tail": "",
    **phones.EMPTY,
    "estate": "",
    "building": "",
    "unit_no": "",
    "room": "",
    "village_group": "",
    "house_no": "",
    "address_line": "",
    "address": "",
    "notes": "",
    "occupation": "",
    "household": None,
    "relation": "",
    "possible_duplicate": False,
    "account": None,
    "account_linked_at": None,
}


def cutoff(today: date, years: int) -> date:
    """The day ``years`` years before ``today`` (28 February for a 29 February)."""
    return date(today.year - years, today.month, min(today.day, 28) if today.month == 2 else today.day)


def _day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def undated_deaths(before: date) -> list[int]:
    """Persons marked dead without a date whose mark was set on or before ``before`` although the row changed
    since (the mark's day is read from the audit log). Those whose row has not changed since are found by
    :func:`due` itself."""
    later = Person.objects.filter(
        is_deceased=True, deceased_on__isnull=True, anonymised_on__isnull=True, updated_at__gte=_day_end(before)
    ).values_list("pk", flat=True)
    ids = [str(pk) for pk in later]
    if not ids:
        return []
    marked: dict[str, datetime] = {}
    rows = AuditLog.objects.filter(
        action="person.update", object_type=Person._meta.label_lower, object_id__in=ids, success=True
    ).values_list("object_id", "created_at", "detail")
    for object_id, at, detail in rows.iterator(chunk_size=BATCH):
        if "is_deceased" in (detail or {}).get("fields", []) and (object_id not in marked or at > marked[object_id]):
            marked[object_id] = at
    return [int(pk) for pk, at in marked.items() if timezone.localdate(at) <= before]


def due(today: date, years: int, *, undated: list[int] | None = None) -> QuerySet[Person]:
    """Persons past their retention: moved away or died on or before the cutoff, not yet anonymised. A death
    without a date counts from the day it was marked (``undated``: those of :func:`undated_deaths`)."""
    before = cutoff(today, years)
    died_undated = Q(is_deceased=True, deceased_on__isnull=True) & (
        Q(updated_at__lt=_day_end(before)) | Q(pk__in=undated or [])
    )
    gone = Q(moved_out_on__lte=before) | Q(is_deceased=True, deceased_on__lte=before) | died_undated
    return Person.objects.filter(gone, anonymised_on__isnull=True)


def copy_keepers() -> list[Callable[[list[int]], object]]:
    """The functions that clear copies of anonymised persons' details kept by apps above the registry."""
    return [fn for config in apps.get_app_configs() for fn in getattr(config, "person_copies", ())]


def anonymise_expired(*, today: date | None = None, years: int | None = None) -> int:
    """Anonymise every person past their retention, a batch per transaction (a batch is whole or not done, and the
    next run takes up what is left); the number anonymised."""
    today = today or timezone.localdate()
    years = settings.RESIDENTS_RETENTION_YEARS if years is None else years
    if years <= 0:
        return 0
    done = 0
    undated = undated_deaths(cutoff(today, years))
    keepers = copy_keepers()
    while True:
        with transaction.atomic():
            found = due(today, years, undated=undated).order_by("pk")
            rows = list(found.values_list("pk", "org_id", "is_deceased")[:BATCH])
            if not rows:
                return done
            pks = [pk for pk, _org, _died in rows]
            Household.objects.filter(head_id__in=pks).update(head=None)
            for model in PROFILES:
                model.objects.filter(person_id__in=pks).delete()
            for keeper in keepers:
                keeper(pks)
            Person.objects.filter(pk__in=pks).update(**BLANK, anonymised_on=today, updated_at=timezone.now())
            entries = [
                (pk, {"org": org_id, "reason": "deceased" if died else "moved_out", "years": years})
                for pk, org_id, died in rows
            ]
            audit_many(None, "person.anonymise", Person, entries)
            done += len(rows)
