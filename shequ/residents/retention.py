"""Keeping personal data no longer than needed (个人信息保护法 第十九条, 第四十七条): a person who moved away
(迁出) or died is kept for ``RESIDENTS_RETENTION_YEARS`` years after that date and then anonymised.

Anonymising keeps the row, so that what was filed with it (sign-in lists, cases, counts of past years) keeps its
shape, but removes what identifies the person: the name becomes 已匿名, the ID and phone numbers (ciphers and
hashes), the birth date, the address, the notes and occupation are emptied, the person leaves their household and
their profiles (残疾, 流动人口, 特殊人群 …) are deleted. Each person gets an audit row (``person.anonymise``: ids
only, as every audit row), so the log's chain stays whole.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from shequ.audit.services import audit_many
from shequ.residents import phones
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
}


def cutoff(today: date, years: int) -> date:
    """The day ``years`` years before ``today`` (28 February for a 29 February)."""
    return date(today.year - years, today.month, min(today.day, 28) if today.month == 2 else today.day)


def due(today: date, years: int) -> QuerySet[Person]:
    """Persons past their retention: moved away or died on or before the cutoff, not yet anonymised."""
    before = cutoff(today, years)
    gone = Q(moved_out_on__lte=before) | Q(is_deceased=True, deceased_on__lte=before)
    return Person.objects.filter(gone, anonymised_on__isnull=True)


def anonymise_expired(*, today: date | None = None, years: int | None = None) -> int:
    """Anonymise every person past their retention, a batch per transaction (a batch is whole or not done, and the
    next run takes up what is left); the number anonymised."""
    today = today or timezone.localdate()
    years = settings.RESIDENTS_RETENTION_YEARS if years is None else years
    if years <= 0:
        return 0
    done = 0
    while True:
        with transaction.atomic():
            found = due(today, years).order_by("pk").values_list("pk", "org_id", "deceased_on")[:BATCH]
            rows = list(found)
            if not rows:
                return done
            pks = [pk for pk, _org, _died in rows]
            Household.objects.filter(head_id__in=pks).update(head=None)
            for model in PROFILES:
                model.objects.filter(person_id__in=pks).delete()
            Person.objects.filter(pk__in=pks).update(**BLANK, anonymised_on=today, updated_at=timezone.now())
            entries = [
                (pk, {"org": org_id, "reason": "deceased" if died else "moved_out", "years": years})
                for pk, org_id, died in rows
            ]
            audit_many(None, "person.anonymise", Person, entries)
            done += len(rows)
