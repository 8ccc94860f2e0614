"""Reads of a resident's own data (个人信息查阅权): what Shequ holds about the registry person their portal account is
linked to. Everything starts at the resident's own door, ``Person.objects.own(account)``: no other person's row is
read but the names and relations of their household's members.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Count, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import TruncMonth

from shequ.audit.models import AuditLog, AuditPerson
from shequ.cases.models import Case, CaseParty
from shequ.cases.models.details import ReferralDetail
from shequ.records.models import Record
from shequ.residents.models import Person
from shequ.residents.viewing import ACTIONS, KINDS

# The one-to-one profiles, read with the person in one query.
ONE_TO_ONE = ("disability", "floating", "volunteer", "supervisor", "staff")


def own_person(account) -> Person | None:
    """The account's registry person with their org, grid, household and one-to-one profiles (None: unlinked)."""
    return (
        Person.objects.own(account)
        .select_related("org", "grid", "household", *ONE_TO_ONE)
        .prefetch_related("special_groups")
        .first()
    )


def household_members(person: Person) -> list[Person]:
    """The other members of the person's household: names and relations only."""
    if person.household_id is None:
        return []
    return list(
        Person.objects.filter(household_id=person.household_id, anonymised_on__isnull=True)
        .exclude(pk=person.pk)
        .only("pk", "name", "relation")
        .order_by("relation", "pk")
    )


@dataclass(frozen=True)
class ProfileLine:
    title: str
    facts: list[tuple[str, str]]


def _facts(obj, names: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
        if value in (None, "", []):
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        out.append((str(field.verbose_name), str(value)))
    return out


# What a resident reads of each profile: its kind and main facts (the worker's notes and the helper stay inside).
PROFILE_FACTS = {
    "disability": ("残疾人档案", ("category", "grade", "has_card")),
    "floating": ("流动人口档案", ("origin", "arrived_on", "reason", "permit_expires_on")),
    "volunteer": ("志愿者档案", ("team", "skills", "service_hours", "registered_on")),
    "supervisor": ("监督员档案", ("kind", "term_start", "term_end")),
    "staff": ("工作人员档案", ("post", "started_on")),
}


def profile_lines(person: Person) -> list[ProfileLine]:
    lines = []
    for attr, (title, names) in PROFILE_FACTS.items():
        obj = getattr(person, attr, None)
        if obj is not None:
            lines.append(ProfileLine(title, _facts(obj, names)))
    for special in person.special_groups.all():
        lines.append(
            ProfileLine(
                f"特殊人群档案（{KINDS.get(special.kind, special.kind)}）",
                _facts(special, ("correction_type", "period_start", "period_end", "released_on")),
            )
        )
    return lines


def records(person: Person) -> QuerySet[Record]:
    """The work records whose sign-in list holds the person (activities, trainings, visits), newest first."""
    return (
        Record.objects.filter(persons=person)
        .select_related("org", "activity_type")
        .only("pk", "date", "title", "org__name", "activity_type__name")
        .order_by("-date", "-id")
    )


def cases(account, person: Person) -> QuerySet[Case]:
    """Cases the resident reported (from their account or as the registry's reporter), is a party to, or was
    referred in, newest first."""
    involved = (
        Q(reporter=account)
        | Q(reporter_person=person)
        | Q(pk__in=CaseParty.objects.filter(person=person).values("case_id"))
        | Q(pk__in=ReferralDetail.objects.filter(person=person).values("case_id"))
    )
    return (
        Case.objects.filter(involved)
        .select_related("case_type")
        .only("pk", "title", "state", "registered_on", "reporter_id", "reporter_person_id", "case_type__name")
        .order_by("-registered_at", "-id")
    )


def sensitive_views(person: Person) -> QuerySet:
    """Who, in which org, viewed the person's sensitive data (a whole ID number, a sensitive profile, a roster
    exported with whole ID numbers that held them), and how many times, per month, newest month first: the audit
    rows that feed the 敏感个人信息查阅台账 (an export's row found through its side row for the person)."""
    exports = AuditPerson.objects.filter(person_id=person.pk).values("audit_id")
    own = Q(object_type=Person._meta.label_lower, object_id=str(person.pk))
    return (
        AuditLog.objects.filter(own | Q(pk__in=exports, object_id=""), action__in=ACTIONS, success=True)
        .annotate(
            month=TruncMonth("created_at"),
            exported=SqlCase(When(object_id="", then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
        .values("month", "actor_name", "actor_org__name", "action", "exported")
        .annotate(times=Count("id"))
        .order_by("-month", "actor_org__name", "actor_name", "action")
    )


def masked_phone(phone: str) -> str:
    """138****0080: the first three and the last four digits."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else ("****" if phone else "")
