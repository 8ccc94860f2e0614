"""Every read of community education, starting from the models' ``visible_to``."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm, Role
from shequ.education.models import AREA_CODE, Course, CourseSession, Enrolment, EnrolStatus, Lecturer
from shequ.orgs.models import Area, Org, subtree_q
from shequ.records.models import Record
from shequ.residents.models import Person
from shequ.residents.selectors import phone_q

SIGNINS = Record.persons.through


def _counted(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.select_related("org", "teacher").annotate(
        n_enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolStatus.ENROLLED), distinct=True),
        n_waiting=Count("enrolments", filter=Q(enrolments__status=EnrolStatus.WAITING), distinct=True),
        n_sessions=Count("sessions", distinct=True),
        first_day=Min("sessions__date"),
    )


def course_list(actor: User) -> QuerySet[Course]:
    """The courses the actor sees as staff, newest year first."""
    return _counted(Course.objects.visible_to(actor)).order_by("-year", "org__path", "title", "id")


def teaching(actor: User) -> QuerySet[Course]:
    """The courses the actor teaches (role 授课教师)."""
    return _counted(Course.objects.visible_to(actor, Perm.TEACH)).order_by("-year", "title", "id")


def course_get(actor: User, pk: int) -> Course:
    """A course the actor sees as staff or teaches, or 404 (also for another org's)."""
    course = Course.objects.taught_or_visible(actor).select_related("org", "teacher", "area").filter(pk=pk).first()
    if course is None:
        raise Http404("没有这门课程。")
    return course


def session_get(actor: User, pk: int) -> CourseSession:
    found = (
        CourseSession.objects.taught_or_visible(actor)
        .select_related("course", "course__org", "course__teacher", "record")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有这次课。")
    return found


def sessions(course: Course) -> list[CourseSession]:
    """The course's sessions, each with ``present`` (learners signed in; None before attendance is taken)."""
    rows = list(course.sessions.select_related("record").order_by("number"))
    signed = SIGNINS.objects.filter(record_id__in=[s.record_id for s in rows if s.record_id])
    counts = {row["record_id"]: row["n"] for row in signed.values("record_id").annotate(n=Count("person_id"))}
    for s in rows:
        s.present = counts.get(s.record_id, 0) if s.record_id else None
    return rows


def learners(course: Course) -> list[Enrolment]:
    """The course's enrolments (enrolled, waiting in order, withdrawn), each with ``attended`` sessions and
    ``hours`` (attended × the course's hours a session): two queries."""
    rows = list(course.enrolments.select_related("person").order_by("status", "created_at", "id"))
    signed = SIGNINS.objects.filter(record__course_session__course=course)
    attended = {row["person_id"]: row["n"] for row in signed.values("person_id").annotate(n=Count("record_id"))}
    order: dict[str, int] = {EnrolStatus.ENROLLED: 0, EnrolStatus.WAITING: 1, EnrolStatus.WITHDRAWN: 2}
    for e in rows:
        e.attended = attended.get(e.person_id, 0)
        e.hours = e.attended * course.hours
    return sorted(rows, key=lambda e: (order[e.status], e.created_at, e.pk))


def attendance_sheet(session: CourseSession) -> list[dict]:
    """The enrolled learners of the session's course, each ticked when signed in to its record (two queries)."""
    present = (
        set(SIGNINS.objects.filter(record_id=session.record_id).values_list("person_id", flat=True))
        if (session.record_id)
        else set()
    )
    rows = Enrolment.objects.filter(course_id=session.course_id, status=EnrolStatus.ENROLLED).select_related("person")
    return [{"person": e.person, "present": e.person_id in present} for e in rows.order_by("created_at", "id")]


def lecturers(actor: User) -> QuerySet[Lecturer]:
    return Lecturer.objects.visible_to(actor).filter(is_active=True).select_related("org").order_by("name", "id")


def manageable_orgs(actor: User) -> QuerySet[Org]:
    """Where the actor may open courses: the orgs where they record the education line's work."""
    area = Area.objects.filter(code=AREA_CODE).first()
    return Org.objects.visible_to(actor, Perm.RECORD_WORK, area=area).active().order_by("path")


def can_manage(actor: User, org: Org | None = None) -> bool:
    area = Area.objects.filter(code=AREA_CODE).values_list("pk", flat=True).first()
    if org is not None:
        return access.can(actor, org, Perm.RECORD_WORK, area)
    return any(g.allows(Perm.RECORD_WORK, area) for g in access.grants(actor))


def teacher_accounts(actor: User) -> QuerySet[User]:
    """Accounts that may be a lecturer's: those holding a 授课教师 membership in the actor's scope."""
    from shequ.accounts.models import Membership

    held = Membership.objects.visible_to(actor).filter(role=Role.TEACHER, is_active=True).values("user_id")
    return User.objects.filter(pk__in=held, is_active=True).order_by("name", "id")


# --- the residents' side --------------------------------------------------------------------------------------


def resident_communities(user: User) -> list[Org]:
    return [m.org for m in access.memberships(user) if m.role == Role.RESIDENT]


def resident_person(user: User, community: Org | None = None) -> Person | None:
    """The registry row of a resident who logs in: the living person of their community (the one of their resident
    membership) with the account's name and phone. None when there is no such row or more than one."""
    communities = [community] if community is not None else resident_communities(user)
    if not communities or not user.phone:
        return None
    q = Q(pk__in=[])
    for c in communities:
        q |= subtree_q(c.path, "org__path")
    found = list(
        Person.objects.filter(q, phone_q(user.phone), name=user.name, is_deceased=False, moved_out_on__isnull=True)[:2]
    )
    return found[0] if len(found) == 1 else None


def open_courses(user: User) -> QuerySet[Course]:
    """Courses a resident may enrol in: open on the residents' side, at an org of their street, with a session to
    come."""
    q = Q(pk__in=[])
    for c in resident_communities(user):
        street = c.parent or c
        q |= subtree_q(street.path, "org__path")
    today = timezone.localdate()
    upcoming = CourseSession.objects.filter(date__gte=today).values("course_id")
    return _counted(Course.objects.filter(q, open_online=True, pk__in=upcoming)).order_by("first_day", "id")


def my_enrolments(person: Person | None) -> dict[int, Enrolment]:
    if person is None:
        return {}
    return {e.course_id: e for e in Enrolment.objects.filter(person=person).exclude(status=EnrolStatus.WITHDRAWN)}


def waiting_places(mine: dict[int, Enrolment]) -> dict[int, int]:
    """For each course where the person waits, their place on its waiting list (1: the first): one query."""
    waiting = {cid: e for cid, e in mine.items() if e.status == EnrolStatus.WAITING}
    if not waiting:
        return {}
    queue = Enrolment.objects.filter(course_id__in=list(waiting), status=EnrolStatus.WAITING)
    counts: dict[int, int] = defaultdict(int)
    for course_id, created_at, pk in queue.values_list("course_id", "created_at", "pk"):
        e = waiting[course_id]
        if (created_at, pk) <= (e.created_at, e.pk):
            counts[course_id] += 1
    return dict(counts)


def today(actor: User, day) -> list[CourseSession]:
    """The sessions of the actor's courses on ``day`` (a teacher's first screen)."""
    return list(
        CourseSession.objects.visible_to(actor, Perm.TEACH)
        .filter(date=day)
        .select_related("course")
        .order_by("start", "id")
    )


# --- the person page --------------------------------------------------------------------------------------------


def person_courses(actor: User, person_ids: list[int]) -> dict[int, list[dict]]:
    """The courses each person took, with sessions attended and hours: two queries."""
    if not person_ids:
        return {}
    rows = (
        Enrolment.objects.visible_to(actor)
        .filter(person_id__in=person_ids)
        .select_related("course", "course__org")
        .order_by("-course__year", "course__title", "id")
    )
    rows = list(rows)
    attended: dict[tuple[int, int], int] = defaultdict(int)
    for person_id, course_id in SIGNINS.objects.filter(
        person_id__in=person_ids, record__course_session__course_id__in={e.course_id for e in rows}
    ).values_list("person_id", "record__course_session__course_id"):
        attended[(person_id, course_id)] += 1
    out: dict[int, list[dict]] = defaultdict(list)
    for e in rows:
        n = attended[(e.person_id, e.course_id)]
        out[e.person_id].append(
            {
                "text": f"{e.course.title}（{e.course.year}年）",
                "url": reverse("education:course", args=[e.course_id]),
                "note": f"{e.course.org.name}，{e.get_status_display()}，出勤{n}次，{n * e.course.hours}学时",
                "current": e.status != EnrolStatus.WITHDRAWN,
            }
        )
    return dict(out)
