"""Ledgers (台账) of community education, declared for the ledger layer: the course register (课程登记台账), the
attendance sheet printed one page per session (课程签到表; ``?course=`` for one course, ``?session=`` for one
session), the learner register (学员花名册) and the certificates of a completed course (结业证书, one A4 page per
learner who attended at least four in five of its sessions; ``?course=``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from shequ.accounts.roles import Perm
from shequ.education.models import Course, CourseSession, Enrolment, EnrolStatus
from shequ.ledgers.declare import Column, Context, Filter, Form, FormField, Kind, Ledger, parse_pk
from shequ.orgs.models import subtree_q
from shequ.records.models import Record

CHUNK = 1000
AREA = "education"
COMPLETED_SHARE = (4, 5)  # a certificate: at least four in five of the sessions attended
SIGNINS = Record.persons.through


def _course_prepare(ctx: Context) -> None:
    """With ``?course=``: that course, if the actor may export it and it lies in the org."""
    pk = ctx.filters.get("course")
    if pk is None:
        return
    course = Course.objects.visible_to(ctx.actor, Perm.EXPORT).select_related("org", "teacher").filter(pk=pk).first()
    if course is None or not course.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = course


def _courses(ctx: Context):
    assert ctx.year is not None
    qs = Course.objects.visible_to(ctx.actor, Perm.EXPORT).filter(subtree_q(ctx.org.path, "org__path"), year=ctx.year)
    return qs.filter(pk=ctx.subject.pk) if ctx.subject is not None else qs


# --- 课程登记台账 ----------------------------------------------------------------------------------------------------


def _register_rows(ctx: Context) -> Iterable[Course]:
    attendances = SIGNINS.objects.filter(record__course_session__course=OuterRef("pk")).values(
        "record__course_session__course"
    )
    return (
        _courses(ctx)
        .select_related("org", "teacher")
        .annotate(
            n_enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolStatus.ENROLLED), distinct=True),
            n_waiting=Count("enrolments", filter=Q(enrolments__status=EnrolStatus.WAITING), distinct=True),
            n_sessions=Count("sessions", distinct=True),
            n_held=Count("sessions", filter=Q(sessions__record__isnull=False), distinct=True),
            visits=Coalesce(
                Subquery(attendances.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), Value(0)
            ),
        )
        .prefetch_related(Prefetch("sessions", queryset=CourseSession.objects.order_by("number")))
        .order_by("org__path", "title", "id")
        .iterator(chunk_size=CHUNK)
    )


def _dates(c: Course) -> str:
    days = [s.date for s in c.sessions.all()]
    return f"{days[0]:%Y.%m.%d}—{days[-1]:%Y.%m.%d}" if days else ""


COURSE_REGISTER = Ledger(
    code="course-register",
    title="社区教育课程登记台账",
    area=AREA,
    filters=[Filter("course", "课程", parse_pk)],
    prepare=_course_prepare,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("办学单位", Kind.NAME, lambda c: c.org.name),
        Column("课程名称", Kind.SHORT, lambda c: c.title),
        Column("对象类别", Kind.SHORT, lambda c: c.get_target_group_display()),
        Column("授课教师", Kind.NAME, lambda c: c.teacher.name),
        Column("上课地点", Kind.SHORT, lambda c: c.place),
        Column("起止日期", Kind.SHORT, _dates),
        Column("课次", Kind.NUMBER, lambda c: c.n_sessions),
        Column("已上课次", Kind.NUMBER, lambda c: c.n_held),
        Column("每次学时", Kind.NUMBER, lambda c: c.hours),
        Column("名额", Kind.NUMBER, lambda c: c.capacity),
        Column("报名", Kind.NUMBER, lambda c: c.n_enrolled),
        Column("候补", Kind.NUMBER, lambda c: c.n_waiting),
        Column("参训人次", Kind.NUMBER, lambda c: c.visits),
    ],
    rows=_register_rows,
)


# --- 课程签到表 (one page per session) -------------------------------------------------------------------------------


def _sheet_prepare(ctx: Context) -> None:
    _course_prepare(ctx)
    pk = ctx.filters.get("session")
    if pk is None:
        return
    session = CourseSession.objects.visible_to(ctx.actor, Perm.EXPORT).select_related("course__org").filter(pk=pk)
    found = session.first()
    if found is None or found.date.year != ctx.year or not found.course.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = found


def _sheet_rows(ctx: Context) -> Iterable[CourseSession]:
    assert ctx.year is not None
    qs = CourseSession.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "course__org__path"), date__year=ctx.year, record__isnull=False
    )
    if isinstance(ctx.subject, Course):
        qs = qs.filter(course=ctx.subject)
    elif isinstance(ctx.subject, CourseSession):
        qs = qs.filter(pk=ctx.subject.pk)
    seated = Prefetch(
        "course__enrolments",
        queryset=Enrolment.objects.filter(status=EnrolStatus.ENROLLED).select_related("person").order_by("id"),
    )
    return (
        qs.select_related("course", "course__org", "course__teacher", "record")
        .prefetch_related(seated, "record__persons")
        .order_by("date", "start", "id")
        .iterator(chunk_size=CHUNK)
    )


def _present(s: CourseSession) -> list[str]:
    return [p.name for p in s.record.persons.all()] if s.record else []


def _absent(s: CourseSession) -> list[str]:
    here = {p.pk for p in s.record.persons.all()} if s.record else set()
    return [e.person.name for e in s.course.enrolments.all() if e.person_id not in here]


def _names(names: list[str]) -> str:
    return f"{'、'.join(names)}（{len(names)}人）" if names else "无"


def _sheet_name(ctx: Context) -> str:
    s = ctx.subject
    if isinstance(s, CourseSession):
        return f"课程签到表-{s.course.title[:20]}-第{s.number}次"
    return f"课程签到表-{s.title[:20]}" if isinstance(s, Course) else "课程签到表"


ATTENDANCE_SHEET = Ledger(
    code="course-attendance",
    title="社区教育课程签到表",
    area=AREA,
    orientation="portrait",
    filters=[Filter("course", "课程", parse_pk), Filter("session", "课次", parse_pk)],
    prepare=_sheet_prepare,
    name_for=_sheet_name,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("日期", Kind.DATE, lambda s: s.date),
        Column("课程", Kind.SHORT, lambda s: s.course.title),
        Column("课次", Kind.SHORT, lambda s: f"第{s.number}次"),
        Column("授课教师", Kind.NAME, lambda s: s.course.teacher.name),
        Column("应到", Kind.NUMBER, lambda s: len(s.course.enrolments.all())),
        Column("实到", Kind.NUMBER, lambda s: len(_present(s))),
        Column("到课学员", Kind.TEXT, lambda s: "、".join(_present(s))),
    ],
    rows=_sheet_rows,
    form=Form(
        title="社区教育课程签到表",
        lines=[
            (FormField("课程名称", lambda s: s.course.title),),
            (FormField("办学单位", lambda s: s.course.org.name), FormField("课次", lambda s: f"第{s.number}次课")),
            (FormField("日期", lambda s: s.date), FormField("时间", lambda s: f"{s.start:%H:%M}—{s.end:%H:%M}")),
            (FormField("地点", lambda s: s.course.place), FormField("授课教师", lambda s: s.course.teacher.name)),
            (FormField("本次内容", lambda s: s.topic or s.record.content),),
            (
                FormField("应到", lambda s: f"{len(s.course.enrolments.all())}人"),
                FormField("实到", lambda s: f"{len(_present(s))}人"),
            ),
            (FormField("到课学员", lambda s: _names(_present(s)), tall=True),),
            (FormField("缺课学员", lambda s: _names(_absent(s))),),
        ],
        signatures=("授课教师", "负责人"),
        maker=lambda s: s.course.teacher.name,
    ),
)


# --- 学员花名册 and 结业证书 ------------------------------------------------------------------------------------------


def _attended():
    rows = SIGNINS.objects.filter(
        person_id=OuterRef("person_id"), record__course_session__course_id=OuterRef("course_id")
    ).values("person_id")
    return Coalesce(Subquery(rows.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), Value(0))


def _enrolments(ctx: Context):
    assert ctx.year is not None
    qs = Enrolment.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "course__org__path"), course__year=ctx.year
    )
    if ctx.subject is not None:
        qs = qs.filter(course=ctx.subject)
    return qs.select_related("person", "course", "course__org").annotate(attended=_attended())


def _learner_rows(ctx: Context) -> Iterable[Enrolment]:
    return (
        _enrolments(ctx)
        .order_by("course__org__path", "course__title", "course_id", "status", "id")
        .iterator(chunk_size=CHUNK)
    )


def _age(e: Enrolment) -> int | str:
    """Age in the course's year (as the target groups are drawn)."""
    b = e.person.birth_date
    return e.course.year - b.year if b is not None else ""


LEARNER_REGISTER = Ledger(
    code="learner-register",
    title="社区教育学员花名册",
    area=AREA,
    filters=[Filter("course", "课程", parse_pk)],
    prepare=_course_prepare,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("姓名", Kind.NAME, lambda e: e.person.name),
        Column("性别", Kind.SHORT, lambda e: e.person.get_gender_display()),
        Column("年龄", Kind.NUMBER, _age),
        Column("课程", Kind.SHORT, lambda e: e.course.title),
        Column("办学单位", Kind.NAME, lambda e: e.course.org.name),
        Column("报名方式", Kind.SHORT, lambda e: e.get_channel_display()),
        Column("报名日期", Kind.DATE, lambda e: e.created_at.date()),
        Column("状态", Kind.SHORT, lambda e: e.get_status_display()),
        Column("出勤次数", Kind.NUMBER, lambda e: e.attended),
        Column("学时", Kind.NUMBER, lambda e: e.attended * e.course.hours),
    ],
    rows=_learner_rows,
)


def _certificate_rows(ctx: Context) -> Iterable[Enrolment]:
    """Learners of courses whose every session is held, who attended at least four in five of them."""
    num, den = COMPLETED_SHARE
    sessions = CourseSession.objects.filter(course_id=OuterRef("course_id")).values("course_id")
    held = sessions.filter(record__isnull=False)

    def count(qs):
        return Coalesce(Subquery(qs.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), Value(0))

    qs = _enrolments(ctx).filter(status=EnrolStatus.ENROLLED).annotate(n_sessions=count(sessions), n_held=count(held))
    rows = []
    for e in qs.order_by("course__org__path", "course_id", "id").iterator(chunk_size=CHUNK):
        if e.n_sessions and e.n_held == e.n_sessions and e.attended * den >= e.n_sessions * num:
            rows.append(e)
    return rows


def _certificate_text(e: Enrolment) -> str:
    return (
        f"{e.person.name}同志于{e.course.year}年参加{e.course.org.name}举办的“{e.course.title}”学习，"
        f"出勤{e.attended}次（共{e.n_sessions}次），累计{e.attended * e.course.hours}学时，完成规定课程，准予结业。"
    )


CERTIFICATES = Ledger(
    code="course-certificates",
    title="社区教育结业证书",
    area=AREA,
    orientation="portrait",
    filters=[Filter("course", "课程", parse_pk)],
    prepare=_course_prepare,
    name_for=lambda ctx: f"结业证书-{ctx.subject.title[:20]}" if ctx.subject is not None else "结业证书",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("姓名", Kind.NAME, lambda e: e.person.name),
        Column("课程", Kind.SHORT, lambda e: e.course.title),
        Column("办学单位", Kind.NAME, lambda e: e.course.org.name),
        Column("出勤次数", Kind.NUMBER, lambda e: e.attended),
        Column("学时", Kind.NUMBER, lambda e: e.attended * e.course.hours),
    ],
    rows=_certificate_rows,
    form=Form(
        title="结业证书",
        lines=[
            (FormField("姓名", lambda e: e.person.name), FormField("性别", lambda e: e.person.get_gender_display())),
            (FormField("课程名称", lambda e: e.course.title),),
            (FormField("办学单位", lambda e: e.course.org.name),),
            (FormField("学时", lambda e: f"{e.attended * e.course.hours}学时"),),
            (FormField("证明", _certificate_text, tall=True),),
        ],
        signatures=("负责人",),
        seal="办学单位（印章）",
    ),
)

LEDGERS = (COURSE_REGISTER, ATTENDANCE_SHEET, LEARNER_REGISTER, CERTIFICATES)
