"""The worker, teacher and resident pages of community education: what each sees, forms that keep what was typed,
and a fixed number of queries whatever the number of courses, learners and sessions."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shequ.education import services
from shequ.education.models import Course, CourseSession, Enrolment
from shequ.education.tests.helpers import course, lecturer, residents, school
from shequ.records.models import Record

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_courses(c: Course, n: int) -> None:
    Course.objects.bulk_create(
        Course(org=c.org, area=c.area, title=f"课程{i}", target_group="elderly", teacher=c.teacher, place="活动室",
               capacity=20, year=2026)
        for i in range(n)
    )  # fmt: skip
    CourseSession.objects.bulk_create(
        CourseSession(course=x, number=1, date=date(2026, 3, 5), start=time(9), end=time(11))
        for x in Course.objects.exclude(pk=c.pk).filter(sessions__isnull=True)
    )


def test_the_course_list_runs_the_same_queries_at_10_and_1000_courses(personas, client_for):
    c = course(personas.worker_a, school(personas.community_a))
    client = client_for(personas.worker_a)
    _more_courses(c, 9)
    small = _queries(client, reverse("education:list"))
    _more_courses(c, 990)
    assert Course.objects.count() == 1000
    assert _queries(client, reverse("education:list")) == small


def test_the_course_page_runs_the_same_queries_at_10_and_200_learners(personas, client_for):
    c = course(personas.worker_a, school(personas.community_a), capacity=500)
    client = client_for(personas.worker_a)
    services.enrol(actor=personas.worker_a, course=c, persons=residents(personas.community_a, 10))
    services.attendance_take(actor=personas.worker_a, session=c.sessions.first(),
                             present=list(c.enrolments.values_list("person_id", flat=True)))  # fmt: skip
    url = reverse("education:course", args=[c.pk])
    small = _queries(client, url)
    people = residents(personas.community_a, 190)
    Enrolment.objects.bulk_create(Enrolment(course=c, person=p) for p in people)
    Record.objects.get().persons.add(*people)
    assert _queries(client, url) == small
    session = reverse("education:session", args=[c.sessions.first().pk])
    teacher = client_for(c.teacher.user)
    few = _queries(teacher, session)
    assert few == _queries(teacher, session)


def test_filter_by_target_group_and_a_bad_year_is_a_chinese_error(personas, client_for):
    org = school(personas.community_a)
    course(personas.worker_a, org, title="书法班")
    course(personas.worker_a, org, title="青少年科技", target_group="youth")
    client = client_for(personas.worker_a)
    page = client.get(reverse("education:list"), {"target_group": "youth"}).content.decode()
    assert "青少年科技" in page and "书法班" not in page
    bad = client.get(reverse("education:list"), {"year": "19"}).content.decode()
    assert "年度应在2000年至2100年之间" in bad and "书法班" not in bad


def test_creating_a_course_keeps_what_was_typed_and_names_the_bad_line(personas, client_for):
    org = school(personas.community_a)
    teacher = lecturer(personas.worker_a, org)
    client = client_for(personas.worker_a)
    data = {"org": org.pk, "title": "太极拳班", "target_group": "elderly", "teacher": teacher.pk, "place": "广场",
            "capacity": 30, "hours": 2, "sessions": "2026-03-05 08:00-09:30 起势\n2026-03-12 八点到九点"}  # fmt: skip
    bad = client.post(reverse("education:create"), data)
    body = bad.content.decode()
    assert bad.status_code == 200 and "第2行" in body and "太极拳班" in body
    data["sessions"] = "2026-03-05 08:00-09:30 起势\n2026年3月12日 8:00-9:30"
    ok = client.post(reverse("education:create"), data)
    c = Course.objects.get()
    assert ok["Location"] == reverse("education:course", args=[c.pk])
    assert [(s.date, s.topic) for s in c.sessions.all()] == [(date(2026, 3, 5), "起势"), (date(2026, 3, 12), "")]


def test_enrolment_at_the_desk_says_who_waits(personas, client_for):
    c = course(personas.worker_a, school(personas.community_a), capacity=1)
    a, b = residents(personas.community_a, 2)
    client = client_for(personas.worker_a)
    client.post(reverse("education:enrol", args=[c.pk]), {"persons": [a.pk, b.pk]})
    page = client.get(reverse("education:course", args=[c.pk])).content.decode()
    assert "名额已满，已列入候补" in page and "候补" in page
    empty = client.post(reverse("education:enrol", args=[c.pk]), {})
    assert "请从居民档案中查找并勾选" in empty.content.decode()


def test_the_teacher_ticks_the_list_and_sees_no_other_course(personas, client_for):
    org = school(personas.community_a)
    c = course(personas.worker_a, org)
    other = course(personas.worker_a, org, title="别人的课")
    people = residents(personas.community_a, 2)
    services.enrol(actor=personas.worker_a, course=c, persons=people)
    teacher = client_for(c.teacher.user)
    home = teacher.get(reverse("education:list"))
    assert home["Location"] == reverse("education:teach")
    mine = teacher.get(reverse("education:teach")).content.decode()
    assert c.title in mine and "别人的课" not in mine
    assert teacher.get(reverse("education:course", args=[other.pk])).status_code == 404
    session = c.sessions.get(number=1)
    teacher.post(reverse("education:session", args=[session.pk]), {"present": [people[0].pk]})
    session.refresh_from_db()
    assert list(session.record.persons.all()) == [people[0]]
    page = teacher.get(reverse("education:session", args=[session.pk])).content.decode()
    assert "已考勤" in page and "checked> " + people[0].name in page


def test_a_resident_sees_the_open_courses_and_enrols(personas, client_for):
    soon = timezone.localdate() + timedelta(days=3)
    c = course(personas.worker_a, school(personas.community_a), days=[soon])
    resident = personas.resident
    resident.phone = "13900000002"
    resident.save()
    (me,) = residents(personas.community_a, 1, phone="13900000002")
    me.name = resident.name
    me.save()
    client = client_for(resident)
    page = client.get(reverse("education:open")).content.decode()
    assert c.title in page
    client.post(reverse("education:open_enrol", args=[c.pk]))
    assert Enrolment.objects.get().person == me
    assert "已报名" in client.get(reverse("education:open")).content.decode()


def test_staff_are_sent_to_the_desk_not_the_residents_side(personas, client_for):
    assert client_for(personas.worker_a).get(reverse("education:open")).status_code == 403
