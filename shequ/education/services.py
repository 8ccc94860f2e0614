"""Every write of community education: the lecturer pool, courses with their sessions, enrolment at the desk and
through the residents' side (a waiting list when full), withdrawal, and a session's attendance (a training record
written by the records service, its sign-in list the learners present)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.education.models import (
    AREA_CODE,
    AUDIENCE,
    SESSION_TYPE,
    Channel,
    Course,
    CourseSession,
    Enrolment,
    EnrolStatus,
    Lecturer,
)
from shequ.orgs.models import Area, Org
from shequ.records import services as record_services
from shequ.records.models import ActivityType
from shequ.residents.models import Person

MAX_SESSIONS = 60


def education_area() -> Area:
    return Area.objects.get(code=AREA_CODE)


def check_manage(actor: User, org: Org) -> Area:
    """Staff who record the education line's work at ``org`` manage its courses."""
    area = education_area()
    access.check(actor, org, Perm.RECORD_WORK, area=area)
    return area


def lecturer_create(
    *, actor: User, org: Org, name: str, unit: str = "", phone: str = "", person=None, user=None
) -> Lecturer:
    """Add a lecturer to ``org``'s pool: a resident of the registry or someone from outside."""
    area = check_manage(actor, org)
    name = (name or (person.name if person else "")).strip()
    if not name:
        raise ValidationError({"name": "请填写讲师姓名，或从居民档案中选择。"})
    if person is not None and not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": "所选居民不在您的管辖范围内。"})
    with transaction.atomic():
        lecturer = Lecturer(org=org, area=area, name=name[:50], unit=unit.strip()[:100], person=person, user=user)
        lecturer.phone = phone.strip()[:20]  # kept encrypted (EncryptedPhone)
        lecturer.save()
        audit(actor, "education.lecturer", lecturer, {"person": getattr(person, "pk", None)}, org=org)
    return lecturer


def _clean_sessions(sessions: Sequence[tuple[date, time, time, str]]) -> list[tuple[date, time, time, str]]:
    if not sessions:
        raise ValidationError({"sessions": "请至少安排一次课。"})
    if len(sessions) > MAX_SESSIONS:
        raise ValidationError({"sessions": f"一门课程最多安排{MAX_SESSIONS}次课。"})
    for day, start, end, _topic in sessions:
        if end <= start:
            raise ValidationError({"sessions": f"{day:%Y-%m-%d}的结束时间应晚于开始时间。"})
    return sorted(sessions, key=lambda s: (s[0], s[1]))


def course_create(
    *,
    actor: User,
    org: Org,
    title: str,
    target_group: str,
    teacher: Lecturer,
    place: str,
    capacity: int,
    sessions: Sequence[tuple[date, time, time, str]],
    hours: int = 2,
    description: str = "",
    open_online: bool = True,
) -> Course:
    """Open a course at ``org`` with its sessions; it belongs to the year of its first session."""
    area = check_manage(actor, org)
    if not Lecturer.objects.visible_to(actor).filter(pk=teacher.pk, is_active=True).exists():
        raise ValidationError({"teacher": "请从讲师库中选择授课教师。"})
    planned = _clean_sessions(sessions)
    course = Course(
        org=org, area=area, title=title.strip(), target_group=target_group, teacher=teacher, place=place.strip(),
        capacity=capacity, hours=hours, description=description.strip(), open_online=open_online,
        year=planned[0][0].year, created_by=actor,
    )  # fmt: skip
    course.full_clean(exclude=["created_by", "year"])
    with transaction.atomic():
        course.save()
        CourseSession.objects.bulk_create(
            CourseSession(course=course, number=i, date=d, start=s, end=e, topic=t.strip()[:100])
            for i, (d, s, e, t) in enumerate(planned, start=1)
        )
        audit(actor, "education.course", course, {"sessions": len(planned), "capacity": capacity}, org=org)
    return course


def _seat(course: Course, person: Person, *, actor: User, channel: str) -> Enrolment:
    """Enrol ``person`` (or put them on the waiting list when the course is full), under a lock on the course."""
    Course.objects.select_for_update().filter(pk=course.pk).first()
    existing = Enrolment.objects.filter(course=course, person=person).first()
    if existing is not None and existing.status != EnrolStatus.WITHDRAWN:
        label = "已在候补名单中" if existing.status == EnrolStatus.WAITING else "已报名"
        raise ValidationError({"person": f"{person.name}{label}。"})
    seated = Enrolment.objects.filter(course=course, status=EnrolStatus.ENROLLED).count()
    status = EnrolStatus.ENROLLED if seated < course.capacity else EnrolStatus.WAITING
    if existing is not None:
        existing.delete()  # a learner who withdrew and comes back joins at the end of the queue
    enrolment = Enrolment.objects.create(course=course, person=person, status=status, channel=channel, by=actor)
    audit(actor, "education.enrol", enrolment, {"course": course.pk, "status": status, "channel": channel},
          org=course.org)  # fmt: skip
    return enrolment


def enrol(*, actor: User, course: Course, persons: Iterable[Person]) -> list[Enrolment]:
    """At the desk: a worker enrols registry persons; those past the capacity go on the waiting list."""
    check_manage(actor, course.org)
    persons = list(persons)
    if not persons:
        raise ValidationError({"persons": "请选择要报名的居民。"})
    ids = {p.pk for p in persons}
    if Person.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"persons": "所选居民不在您的管辖范围内。"})
    with transaction.atomic():
        return [_seat(course, p, actor=actor, channel=Channel.DESK) for p in persons]


def enrol_self(*, actor: User, course: Course, person: Person | None) -> Enrolment:
    """On the residents' side: a resident enrols themselves (``person``: their registry row, found by the caller
    from their account) in a course open to them."""
    if not access.can_anywhere(actor, Perm.ENROL):
        raise PermissionDenied("只有本社区居民可以在居民端报名课程。")
    if person is None:
        raise ValidationError("居民档案中没有找到与您账号姓名、手机号一致的登记信息，请到社区窗口报名。")
    if not course.open_online:
        raise ValidationError("该课程不在居民端开放报名，请到社区窗口报名。")
    if course.sessions.filter(date__gte=timezone.localdate()).count() == 0:
        raise ValidationError("该课程已结课，不能再报名。")
    with transaction.atomic():
        return _seat(course, person, actor=actor, channel=Channel.PORTAL)


def withdraw(*, actor: User, enrolment: Enrolment) -> Enrolment | None:
    """Take a learner off a course; the first on the waiting list takes the place. Returns who moved up."""
    check_manage(actor, enrolment.course.org)
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=enrolment.course_id).first()
        was = Enrolment.objects.get(pk=enrolment.pk).status
        Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolStatus.WITHDRAWN)
        moved = None
        if was == EnrolStatus.ENROLLED:
            moved = Enrolment.objects.filter(course_id=enrolment.course_id, status=EnrolStatus.WAITING).first()
            if moved is not None:
                Enrolment.objects.filter(pk=moved.pk).update(status=EnrolStatus.ENROLLED)
        audit(actor, "education.withdraw", enrolment, {"promoted": getattr(moved, "pk", None)},
              org=enrolment.course.org)  # fmt: skip
    return moved


def attendance_right(actor: User, course: Course) -> str:
    """The right with which the actor takes a course's attendance: staff of the line (``RECORD_WORK``) or the
    course's own teacher (``TEACH``). Raises PermissionDenied otherwise."""
    if access.can(actor, course.org, Perm.RECORD_WORK, course.area_id):
        return Perm.RECORD_WORK
    if course.teacher.user_id == actor.pk and access.can(actor, course.org, Perm.TEACH, course.area_id):
        return Perm.TEACH
    raise PermissionDenied("只有本课程的授课教师和社区教育专干可以考勤。")


def attendance_take(*, actor: User, session: CourseSession, present: Iterable[int]) -> CourseSession:
    """Take a held session's attendance: its training record is written (or its sign-in list replaced) by the
    records service, naming the enrolled learners present; it is filed under the session's own date."""
    course = session.course
    perm = attendance_right(actor, course)
    if session.date > timezone.localdate():
        raise ValidationError("这次课还没有上，不能考勤。")
    learners = Person.objects.filter(
        pk__in=Enrolment.objects.filter(course=course, status=EnrolStatus.ENROLLED).values("person_id")
    )
    ids = set(present)
    persons = list(learners.filter(pk__in=ids))
    if len(persons) != len(ids):
        raise ValidationError("考勤名单中有不是本课程学员的人。")
    kind = ActivityType.objects.get(area__code=AREA_CODE, code=SESSION_TYPE)
    title = f"{course.title}（第{session.number}次课）"
    extra = {"lecturer": course.teacher.name, "audience": [AUDIENCE[course.target_group]], "hours": course.hours}
    names = {f["name"] for f in kind.extra_fields}
    extra = {k: v for k, v in extra.items() if k in names}
    with transaction.atomic():
        if session.record is None:
            record = record_services.record_create(
                actor=actor, org=course.org, activity_type=kind, date=session.date, title=title, place=course.place,
                organiser=course.teacher.name, participant_count=len(persons), content=session.topic, extra=extra,
                persons=persons, perm=perm, candidates=learners,
            )  # fmt: skip
            CourseSession.objects.filter(pk=session.pk).update(record=record)
            session.record = record
        else:
            record_services.record_update(
                actor=actor, record=session.record, participant_count=len(persons), persons=persons, perm=perm,
                candidates=learners,
            )  # fmt: skip
        audit(actor, "education.attendance", session, {"course": course.pk, "present": len(persons)},
              org=course.org)  # fmt: skip
    return session
