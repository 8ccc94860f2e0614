"""Demo step: the education network of 和平街道 and a year of its courses.

和平街道社区学院 (under the street) with 和平街道老年学校; 幸福社区社区学校 and 阳光社区社区学校, each with a teaching
point; a lecturer pool (residents of the registry and lecturers from outside), one of them 马老师 with the 授课教师
account ``teacher`` (made with the other demo accounts); spring and autumn courses for the elderly, the young, migrant
workers and parents, learners enrolled from the registry by their target group (some courses full, with a waiting
list) and attendance taken on every session held so far, so the education plan's 培训率 counts them. The demo
resident 褚居民 has a registry row with the account's name and phone, so they enrol on the residents' side.
Idempotent: a course already there is left alone.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from shequ.education import demo_school, learning_demo, services
from shequ.education.calendars import PeriodKind
from shequ.education.models import CalendarPeriod, Course, Lecturer, SchoolCalendar, TargetGroup
from shequ.orgs.models import Org, OrgKind, UnitType, path_for
from shequ.residents.models import Person
from shequ.residents.selectors import phone_q

# (key, name, unit type, parent key)
NETWORK = [
    ("edu_college", "和平街道社区学院", UnitType.COMMUNITY_COLLEGE, "street1"),
    ("edu_elderly", "和平街道老年学校", UnitType.ELDERLY_SCHOOL, "edu_college"),
    ("edu_schoolA", "幸福社区社区学校", UnitType.COMMUNITY_SCHOOL, "communityA"),
    ("edu_pointA", "幸福社区老年活动中心教学点", UnitType.TEACHING_POINT, "edu_schoolA"),
    ("edu_schoolB", "阳光社区社区学校", UnitType.COMMUNITY_SCHOOL, "communityB"),
    ("edu_pointB", "阳光社区文化广场教学点", UnitType.TEACHING_POINT, "edu_schoolB"),
]
# (name, unit, org key); the first is the teacher with an account.
LECTURERS = [
    ("马老师", "区老年大学智能手机课教师", "edu_schoolA"),
    ("刘教练", "区武术协会太极拳教练", "edu_schoolA"),
    ("黄老师", "和平街道中心小学科学教师", "edu_schoolB"),
    ("何医生", "和平街道社区卫生服务中心", "edu_college"),
    ("罗律师", "明德律师事务所", "edu_college"),
    ("郭老师", "区书法家协会会员", "edu_elderly"),
]
# (org key, title, target group, lecturer, place, capacity, start month, day of week (0 Monday), sessions, hour)
COURSES = [
    ("edu_schoolA", "智能手机使用班（春季）", "elderly", "马老师", "幸福社区活动室", 20, 3, 2, 8, 9),
    ("edu_pointA", "太极拳班", "elderly", "刘教练", "老年活动中心广场", 30, 4, 1, 10, 8),
    ("edu_schoolA", "外来务工人员电工技能培训", "migrants", "罗律师", "幸福社区活动室", 25, 5, 5, 6, 14),
    ("edu_schoolA", "青少年暑期科技兴趣班", "youth", "黄老师", "幸福社区四点半课堂", 20, 7, 0, 8, 15),
    ("edu_schoolA", "智能手机使用班（秋季）", "elderly", "马老师", "幸福社区活动室", 12, 10, 2, 10, 9),
    ("edu_schoolB", "家庭教育讲座班", "parents", "黄老师", "阳光社区会议室", 6, 3, 5, 4, 19),
    ("edu_pointB", "广场舞与健身操", "elderly", "刘教练", "文化广场", 40, 9, 3, 10, 19),
    ("edu_schoolB", "青少年暑期阅读营", "youth", "黄老师", "阳光社区图书室", 25, 7, 1, 6, 9),
    ("edu_college", "居民健康素养讲座", "residents", "何医生", "社区学院报告厅", 5, 4, 3, 4, 14),
    ("edu_college", "法律知识进社区", "residents", "罗律师", "社区学院报告厅", 5, 6, 3, 4, 14),
    ("edu_elderly", "书法入门班", "elderly", "郭老师", "老年学校书画室", 20, 9, 0, 12, 9),
]
TEACHER = "马老师"  # the demo account ``teacher`` (accounts' demo), a 授课教师 of 幸福社区
RESIDENT = ("褚居民", "13800000080", "communityA")
HOME = {"edu_college": "communityA", "edu_elderly": "communityA", "edu_schoolA": "communityA",
        "edu_pointA": "communityA", "edu_schoolB": "communityB", "edu_pointB": "communityB"}  # fmt: skip


def _org(name: str, unit_type: str, parent: Org) -> Org:
    org = Org.objects.filter(name=name, parent=parent).first()
    if org is None:
        org = Org(name=name, kind=OrgKind.UNIT, unit_type=unit_type, parent=parent)
        org.full_clean(exclude=["path"])
        org.save()
        org.path, org.depth = path_for(org.pk, parent), parent.depth + 1
        org.save(update_fields=["path", "depth"])
    return org


def _resident_row(ctx) -> None:
    """The demo resident's registry row (the account's name and phone), so that they enrol on the residents' side."""
    name, phone, key = RESIDENT
    community = ctx.orgs.get(key)
    if community is not None and not Person.objects.filter(phone_q(phone), org=community, name=name).exists():
        Person.objects.create(org=community, name=name, phone=phone, gender="F", birth_date=date(1968, 4, 12),
                              residence_status="changzhu", address="幸福社区3栋2单元501")  # fmt: skip


def _learners(ctx, key: str, group: str, on: date) -> list[Person]:
    community = ctx.orgs[HOME[key]]
    qs = Person.objects.filter(org=community, is_deceased=False, moved_out_on__isnull=True, birth_date__isnull=False)
    y = on.year
    if group == "elderly":
        qs = qs.filter(birth_date__year__lte=y - 60)
    elif group == "youth":
        qs = qs.filter(birth_date__year__gte=y - 16, birth_date__year__lte=y - 8)
    elif group == "migrants":
        qs = qs.filter(residence_status__in=["liudong", "jizhu"], birth_date__year__gte=y - 55)
    elif group == "parents":
        qs = qs.filter(birth_date__year__gte=y - 40, birth_date__year__lte=y - 25)
    else:
        qs = qs.filter(birth_date__year__gte=y - 60, birth_date__year__lte=y - 18)
    return list(qs.order_by("id")[:400])


def _sessions(year: int, month: int, weekday: int, n: int, hour: int) -> list[tuple[date, time, time, str]]:
    day = date(year, month, 1)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return [(day + timedelta(weeks=i), time(hour), time(hour + 2), f"第{i + 1}讲") for i in range(n)]


def step(ctx, options) -> None:
    street = ctx.orgs.get("street1")
    if street is None:
        return
    year, today = ctx.year, timezone.localdate()
    actor = ctx.users["admin"]
    for key, name, unit_type, parent_key in NETWORK:
        ctx.orgs[key] = _org(name, unit_type, ctx.orgs[parent_key])
    _resident_row(ctx)
    _calendars(ctx)
    demo_school.step(ctx)
    area = services.education_area()
    pool: dict[str, Lecturer] = {}
    for name, unit, key in LECTURERS:
        found = Lecturer.objects.filter(org=ctx.orgs[key], name=name).first()
        user = ctx.users.get("teacher") if name == TEACHER else None
        pool[name] = found or services.lecturer_create(actor=actor, org=ctx.orgs[key], name=name, unit=unit, user=user)
    made = 0
    for n, (key, title, group, teacher, place, capacity, month, weekday, count, hour) in enumerate(COURSES):
        org = ctx.orgs[key]
        if Course.objects.filter(org=org, area=area, title=title, year=year).exists():
            continue
        with transaction.atomic():
            course = services.course_create(
                actor=actor, org=org, title=title, target_group=group, teacher=pool[teacher], place=place,
                capacity=capacity, sessions=_sessions(year, month, weekday, count, hour), hours=2,
                description=f"面向{TargetGroup(group).label}的{title}。",
            )  # fmt: skip
            rng = random.Random(f"course-{year}-{n}")
            people = _learners(ctx, key, group, date(year, month, 1))
            wanted = min(len(people), capacity + (3 if n % 3 == 0 else -max(capacity // 5, 1)))
            services.enrol(actor=actor, course=course, persons=rng.sample(people, max(wanted, 0)))
            _attend(actor, course, rng, today)
        made += 1
    if not options.get("quiet"):
        print(f"社区教育：新开课程 {made} 门。")
    learning_demo.step(ctx, options)  # the learning organisations, resources, QR sign-ins: after the courses


def _attend(actor, course: Course, rng: random.Random, today: date) -> None:
    seated = list(course.enrolments.filter(status="enrolled").values_list("person_id", flat=True))
    for session in course.sessions.filter(date__lte=today).order_by("number"):
        present = [pk for pk in seated if rng.random() < 0.85]
        services.attendance_take(actor=actor, session=session, present=present)


def _school_year(year: int, spring_start: date) -> list[tuple[str, str, date, date]]:
    """The terms and days of the school year around ``year``: last autumn's term into January, the spring term,
    the summer holiday, this autumn's term into next January, the holidays, exam weeks and safety weeks."""
    last_monday_march = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 0)
    return [
        (PeriodKind.TERM, f"{year - 1}年秋季学期", date(year - 1, 9, 1), date(year, 1, 23)),
        (PeriodKind.EXAM, "期末考试周", date(year, 1, 12), date(year, 1, 16)),
        (PeriodKind.HOLIDAY, "元旦", date(year, 1, 1), date(year, 1, 3)),
        (PeriodKind.HOLIDAY, "寒假", date(year, 1, 24), spring_start - timedelta(days=1)),
        (PeriodKind.TERM, f"{year}年春季学期", spring_start, date(year, 7, 3)),
        (PeriodKind.SAFETY_WEEK, "全国中小学生安全教育日", last_monday_march, last_monday_march),
        (PeriodKind.HOLIDAY, "劳动节", date(year, 5, 1), date(year, 5, 5)),
        (PeriodKind.SAFETY_WEEK, "安全教育活动月", date(year, 6, 1), date(year, 6, 30)),
        (PeriodKind.EXAM, "期末考试周", date(year, 6, 29), date(year, 7, 3)),
        (PeriodKind.HOLIDAY, "暑假", date(year, 7, 4), date(year, 8, 31)),
        (PeriodKind.TERM, f"{year}年秋季学期", date(year, 9, 1), date(year + 1, 1, 22)),
        (PeriodKind.SAFETY_WEEK, "开学安全教育周", date(year, 9, 1), date(year, 9, 7)),
        (PeriodKind.HOLIDAY, "国庆节", date(year, 10, 1), date(year, 10, 7)),
    ]


def _calendars(ctx) -> None:
    """The district's default calendar, and 和平街道中心小学's own (its spring term starts two days later)."""
    year = ctx.year
    for key, name, spring in (("district", "明德区中小学校历", date(year, 2, 24)),
                              ("school", "和平街道中心小学校历", date(year, 2, 26))):  # fmt: skip
        org = ctx.orgs.get(key)
        if org is None or SchoolCalendar.objects.filter(org=org).exists():
            continue
        cal = SchoolCalendar.objects.create(org=org, name=name)
        CalendarPeriod.objects.bulk_create(
            CalendarPeriod(calendar=cal, kind=kind, name=label, start=start, end=end)
            for kind, label, start, end in _school_year(year, spring)
        )
