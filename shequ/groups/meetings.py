"""Every write to meetings and resolutions: a meeting with its sign-in (a record of a meeting type, written by the
records app's own service), the vote on a resolution, and the plan tasks a passed resolution creates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shequ.accounts import access
from shequ.accounts.models import Membership, User
from shequ.accounts.roles import STAFF_ROLES, Perm
from shequ.audit.services import audit
from shequ.groups.models import AgendaItem, Attendance, Group, GroupMember, Guest, Meeting, Presence, Resolution
from shequ.groups.services import check_manage
from shequ.orgs.models import Org
from shequ.plans import services as plan_services
from shequ.plans.models import Task
from shequ.records import services as record_services
from shequ.records.models import ActivityType

# The activity types a meeting may be recorded as (the meeting types of the records' catalogue).
MEETING_TYPES = frozenset({"meeting", "group_meeting", "work_meeting", "council", "resident_meeting",
                           "committee_meeting"})  # fmt: skip
MAX_AGENDA = 30
MAX_GUESTS = 100


def in_office(group: Group, day: date) -> list[GroupMember]:
    """The members in office on ``day``: those who sign in (or are marked away) at a meeting that day."""
    members = group.members.filter(joined_on__lte=day).exclude(left_on__lte=day).select_related("person")
    return list(members.order_by("id"))


def org_staff(org: Org) -> list[User]:
    """The staff accounts of ``org`` itself (active memberships of a staff role there): those who sign in at a
    meeting of the org without a group."""
    held = Membership.objects.filter(org=org, is_active=True, role__in=STAFF_ROLES).values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=held).order_by("name", "username", "id"))


def check_meeting(actor: User, meeting: Meeting) -> None:
    """A meeting is kept by those who record the work of its line in its org."""
    access.check(actor, meeting.org, Perm.RECORD_WORK, meeting.area_id)


def _clean_lists(agenda: Sequence[str], guests: Sequence[tuple[str, str]]):
    agenda = [a.strip()[:200] for a in agenda if a.strip()]
    guests = [(n.strip()[:50], u.strip()[:100]) for n, u in guests if n.strip()]
    if len(agenda) > MAX_AGENDA or len(guests) > MAX_GUESTS:
        raise ValidationError({"agenda": f"议题不超过{MAX_AGENDA}项，列席人员不超过{MAX_GUESTS}人。"})
    return agenda, guests


def _missing(people: Sequence, attendance: Mapping[int, str], who: str) -> None:
    missing = [getattr(p, "name", "") or p.username for p in people if attendance.get(p.pk) not in Presence.values]
    if missing:
        raise ValidationError({"attendance": f"请为每位{who}选择出席、请假或缺席：{'、'.join(missing)}。"})


def _away_text(rows: Sequence[tuple[str, str]]) -> str:
    return "、".join(f"{name}（{Presence(status).label}）" for name, status in rows if status != Presence.PRESENT)


def meeting_create(
    *,
    actor: User,
    group: Group,
    activity_type: ActivityType,
    date: date,
    title: str,
    attendance: Mapping[int, str],
    place: str = "",
    host: str = "",
    recorder: str = "",
    minutes: str = "",
    agenda: Sequence[str] = (),
    guests: Sequence[tuple[str, str]] = (),
    photos: Sequence = (),
    attachments: Sequence = (),
) -> Meeting:
    """Record a meeting of ``group``: every member in office that day signed in as present, excused or absent
    (``attendance`` by member id). Quorum is decided by the group kind's rule on those present."""
    check_manage(actor, group)
    if activity_type.area_id != group.area_id or activity_type.code not in MEETING_TYPES:
        raise ValidationError({"activity_type": f"请选择“{group.area.name}”条线的会议类型。"})
    if not group.active_on(date):
        raise ValidationError({"date": "会议日期不在该组织机构存续期间。"})
    members = in_office(group, date)
    if not members:
        raise ValidationError({"date": "该日期没有在任成员，无法签到。"})
    _missing(members, attendance, "在任成员")
    present = [m for m in members if attendance[m.pk] == Presence.PRESENT]
    quorate = group.kind.quorate(len(present), len(members))
    return _create(
        actor=actor, org=group.org, group=group, activity_type=activity_type, date=date, title=title,
        rows=[Attendance(member=m, status=attendance[m.pk]) for m in members],
        away=_away_text([(m.name, attendance[m.pk]) for m in members]),
        persons=[m.person for m in present if m.person_id], present=len(present), quorate=quorate, place=place,
        host=host, recorder=recorder, minutes=minutes, agenda=agenda, guests=guests, photos=photos,
        attachments=attachments,
    )  # fmt: skip


def org_meeting_create(
    *,
    actor: User,
    org: Org,
    activity_type: ActivityType,
    date: date,
    title: str,
    attendance: Mapping[int, str],
    place: str = "",
    host: str = "",
    recorder: str = "",
    minutes: str = "",
    agenda: Sequence[str] = (),
    guests: Sequence[tuple[str, str]] = (),
    photos: Sequence = (),
    attachments: Sequence = (),
) -> Meeting:
    """Record a meeting of ``org`` that no group holds (a 居委会工作会议 …): its staff signed in as present, excused
    or absent (``attendance`` by user id) and guests. No group kind, no quorum (``quorate`` is ``None``)."""
    access.check(actor, org, Perm.RECORD_WORK, activity_type.area_id)
    if activity_type.code not in MEETING_TYPES:
        raise ValidationError({"activity_type": "请选择会议类型。"})
    staff = org_staff(org)
    if not staff:
        raise ValidationError({"attendance": "本单位没有在职工作人员账号，无法签到。"})
    _missing(staff, attendance, "工作人员")
    present = sum(attendance[u.pk] == Presence.PRESENT for u in staff)
    return _create(
        actor=actor, org=org, group=None, activity_type=activity_type, date=date, title=title,
        rows=[Attendance(user=u, status=attendance[u.pk]) for u in staff],
        away=_away_text([(u.name or u.username, attendance[u.pk]) for u in staff]), persons=[], present=present,
        quorate=None, place=place, host=host, recorder=recorder, minutes=minutes, agenda=agenda, guests=guests,
        photos=photos, attachments=attachments,
    )  # fmt: skip


def _create(
    *, actor, org, group, activity_type, date, title, rows, away, persons, present, quorate, place, host, recorder,
    minutes, agenda, guests, photos, attachments,
) -> Meeting:  # fmt: skip
    agenda, guests = _clean_lists(agenda, guests)
    extra = {"host": host, "recorder": recorder, "expected": len(rows), "absent": away,
             "agenda": "\n".join(f"{i}. {a}" for i, a in enumerate(agenda, start=1))}  # fmt: skip
    names = {f["name"] for f in activity_type.extra_fields}
    with transaction.atomic():
        record = record_services.record_create(
            actor=actor,
            org=org,
            activity_type=activity_type,
            date=date,
            title=title,
            place=place,
            organiser=host,
            participant_count=present + len(guests),
            content=minutes,
            extra={k: v for k, v in extra.items() if k in names},
            persons=persons,
            photos=photos,
            attachments=attachments,
        )
        meeting = Meeting.objects.create(
            record=record, group=group, org=org, area=activity_type.area, host=host.strip()[:50],
            recorder=recorder.strip()[:50], expected=len(rows), present=present, quorate=quorate,
        )  # fmt: skip
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, number=i, title=a) for i, a in enumerate(agenda, start=1)
        )
        for row in rows:
            row.meeting = meeting
        Attendance.objects.bulk_create(rows)
        Guest.objects.bulk_create(Guest(meeting=meeting, name=n, unit=u) for n, u in guests)
        audit(
            actor,
            "meeting.create",
            meeting,
            {"group": group.pk if group else None, "record": record.pk, "present": present, "expected": len(rows),
             "quorate": quorate},
            org=org,
        )  # fmt: skip
    return meeting


def resolution_add(
    *, actor: User, meeting: Meeting, text: str, votes_for: int, votes_against: int = 0, votes_abstain: int = 0
) -> Resolution:
    """Put a matter to the vote. Only those present vote; it passes under the kind's rule, and never at an
    inquorate meeting (at an org's meeting: more than half of those present)."""
    check_meeting(actor, meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写决议事项。"})
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError({"votes_for": "票数不能为负数。"})
    if votes_for + votes_against + votes_abstain > meeting.present:
        who = "成员" if meeting.group_id else "人员"
        raise ValidationError({"votes_for": f"赞成、反对、弃权合计不能超过实到{who}{meeting.present}人。"})
    passed = meeting.passes(votes_for)
    public = meeting.group.kind.public if meeting.group_id else False
    with transaction.atomic():
        number = (Resolution.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
        resolution = Resolution.objects.create(
            meeting=meeting, number=number, text=text, votes_for=votes_for, votes_against=votes_against,
            votes_abstain=votes_abstain, passed=passed, public=public,
        )  # fmt: skip
        audit(
            actor,
            "meeting.resolution",
            meeting,
            {"resolution": resolution.pk, "for": votes_for, "against": votes_against, "abstain": votes_abstain,
             "passed": passed},
            org=meeting.org,
        )  # fmt: skip
    return resolution


def resolution_task(
    *,
    actor: User,
    resolution: Resolution,
    title: str,
    due: date,
    lead_org: Org | None = None,
    owner_name: str = "",
    leader_name: str = "",
    description: str = "",
) -> Task:
    """Carry out a passed resolution through a plan task (牵头单位, 责任人, 完成时限) whose source is the meeting."""
    meeting = resolution.meeting
    access.check(actor, meeting.org, Perm.MANAGE_TASKS)
    if not resolution.passed:
        raise ValidationError("未通过的决议不能分解为任务。")
    with transaction.atomic():
        task = plan_services.task_create(
            actor=actor,
            org=meeting.org,
            title=title.strip() or resolution.text[:200],
            due=due,
            description=description.strip()
            or f"落实{meeting.record.title}第{resolution.number}项决议：{resolution.text}",
            lead_org=lead_org,
            owner_name=owner_name.strip(),
            leader_name=leader_name.strip(),
            source_record=meeting.record,
        )
        resolution.tasks.add(task)
        audit(actor, "meeting.task", meeting, {"resolution": resolution.pk, "task": task.pk}, org=meeting.org)
    return task
