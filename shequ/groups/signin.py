"""Editing a meeting's sign-in after it was saved: who was present, excused or absent, and the guests. The record's
sign-in list (``Record.persons``) stays the one list of the registry persons present: an edit here writes it
through the records service, and an edit of the list on the record's own page moves the members' sign-in here
(:func:`follow_record`). Either way the meeting's count, quorum and its resolutions' outcome are reckoned again,
and the change is audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from shequ.accounts.models import User
from shequ.audit.services import audit
from shequ.groups.meetings import _away_text, _clean_lists, check_meeting
from shequ.groups.models import Attendance, Guest, Meeting, Presence, Resolution
from shequ.records import services as record_services
from shequ.residents.models import Person


def rows(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("member", "user").order_by("member_id", "user_id", "id"))


def signin_update(
    *, actor: User, meeting: Meeting, attendance: Mapping[int, str], guests: Sequence[tuple[str, str]]
) -> Meeting:
    """Change the saved sign-in: ``attendance`` gives every row's status by the row's id; ``guests`` replace the
    guests. Refused, and nothing changed, if a resolution already voted would lose its ground (more votes than
    those present) or a resolution carried out through tasks would no longer pass."""
    check_meeting(actor, meeting)
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("group__kind", "record", "org")
            .get(pk=meeting.pk)
        )
        signed = rows(meeting)
        missing = [a.name for a in signed if attendance.get(a.pk) not in Presence.values]
        if missing:
            raise ValidationError({"attendance": f"请为每位应到人员选择出席、请假或缺席：{'、'.join(missing)}。"})
        _agenda, guests = _clean_lists((), guests)
        before_guests = [(g.name, g.unit) for g in meeting.guests.order_by("id")]
        changes = _apply(signed, {a.pk: attendance[a.pk] for a in signed})
        if not changes and before_guests == guests:
            return meeting
        if before_guests != guests:
            Guest.objects.filter(meeting=meeting).delete()
            Guest.objects.bulk_create(Guest(meeting=meeting, name=n, unit=u) for n, u in guests)
        outcome = _recount(meeting, signed)
        record = meeting.record
        members = {a.person_id for a in signed if a.person_id}
        present = {a.person_id for a in signed if a.person_id and a.status == Presence.PRESENT}
        others = set(record.persons.exclude(pk__in=members).values_list("pk", flat=True))
        extra = dict(record.extra)
        names = {f["name"] for f in record.activity_type.extra_fields}
        if "absent" in names:
            extra["absent"] = _away_text([(a.name, a.status) for a in signed])
        record_services.record_update(
            actor=actor,
            record=record,
            persons=sorted(present | others),
            participant_count=meeting.present + len(guests),
            extra=extra,
            candidates=Person.objects.filter(pk__in=present | others),
        )
        audit(
            actor,
            "meeting.signin",
            meeting,
            {"changes": changes, "guests": [len(before_guests), len(guests)], **outcome, "source": "meeting"},
            org=meeting.org,
        )
    return meeting


def follow_record(actor: User, record, person_ids: list[int]) -> None:
    """The record's sign-in list was edited on the record's page: a member whose person is on it is present, one
    taken off it is absent (an excused member stays excused unless put on the list)."""
    meeting = Meeting.objects.select_related("group__kind").filter(record=record).first()
    if meeting is None:
        return
    signed = rows(meeting)
    listed = set(person_ids)
    wanted = {}
    for a in signed:
        if not a.person_id:
            wanted[a.pk] = a.status
        elif a.person_id in listed:
            wanted[a.pk] = Presence.PRESENT
        else:
            wanted[a.pk] = Presence.ABSENT if a.status == Presence.PRESENT else a.status
    changes = _apply(signed, wanted)
    if not changes:
        return
    outcome = _recount(meeting, signed)
    audit(actor, "meeting.signin", meeting, {"changes": changes, **outcome, "source": "record"}, org=meeting.org)


def _apply(signed: list[Attendance], wanted: Mapping[int, str]) -> list[list[str]]:
    """Set each row's status; the changes as [name, from, to] (labels)."""
    changed, out = [], []
    for a in signed:
        new = wanted[a.pk]
        if new != a.status:
            out.append([a.name, Presence(a.status).label, Presence(new).label])
            a.status = new
            changed.append(a)
    Attendance.objects.bulk_update(changed, ["status"])
    return out


def _recount(meeting: Meeting, signed: list[Attendance]) -> dict:
    """The meeting's count and quorum from its sign-in, and each resolution's outcome under it."""
    before = {"present": meeting.present, "quorate": meeting.quorate}
    meeting.present = sum(a.status == Presence.PRESENT for a in signed)
    meeting.expected = len(signed)
    if meeting.group_id:
        meeting.quorate = meeting.group.kind.quorate(meeting.present, meeting.expected)
    meeting.save(update_fields=["present", "expected", "quorate"])
    flipped = []
    resolutions = Resolution.objects.filter(meeting=meeting).annotate(n_tasks=Count("tasks")).order_by("number")
    for r in resolutions:
        cast = r.votes_for + r.votes_against + r.votes_abstain
        if cast > meeting.present:
            raise ValidationError({"attendance": f"第{r.number}项决议已有{cast}人表决，实到人数不能少于{cast}人。"})
        passed = meeting.passes(r.votes_for)
        if passed == r.passed:
            continue
        if r.passed and r.n_tasks:
            raise ValidationError(
                {"attendance": f"第{r.number}项决议已分解为任务，按修改后的签到将不再通过：请先处理相关任务。"}
            )
        Resolution.objects.filter(pk=r.pk).update(passed=passed)
        flipped.append([r.number, passed])
    return {
        "present": [before["present"], meeting.present],
        "quorate": [before["quorate"], meeting.quorate],
        "resolutions": flipped,
    }
