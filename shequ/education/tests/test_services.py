"""Courses, enrolment (desk, residents' side, waiting list), attendance as training records, learner hours."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shequ.accounts.roles import Role
from shequ.education import selectors, services
from shequ.education.models import EnrolStatus
from shequ.education.tests.helpers import course, lecturer, residents, school
from shequ.records.models import Record
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def test_desk_enrolment_fills_the_places_then_the_waiting_list(personas):
    c = course(personas.worker_a, school(personas.community_a), capacity=2)
    people = residents(personas.community_a, 3)
    rows = services.enrol(actor=personas.worker_a, course=c, persons=people)
    assert [e.status for e in rows] == [EnrolStatus.ENROLLED, EnrolStatus.ENROLLED, EnrolStatus.WAITING]


def test_a_person_enrols_once(personas):
    c = course(personas.worker_a, school(personas.community_a))
    (p,) = residents(personas.community_a, 1)
    services.enrol(actor=personas.worker_a, course=c, persons=[p])
    with pytest.raises(ValidationError, match="已报名"):
        services.enrol(actor=personas.worker_a, course=c, persons=[p])


def test_withdrawal_moves_the_first_on_the_waiting_list_up(personas):
    c = course(personas.worker_a, school(personas.community_a), capacity=1)
    first, second, third = residents(personas.community_a, 3)
    (seat,) = services.enrol(actor=personas.worker_a, course=c, persons=[first])
    services.enrol(actor=personas.worker_a, course=c, persons=[second])
    services.enrol(actor=personas.worker_a, course=c, persons=[third])
    moved = services.withdraw(actor=personas.worker_a, enrolment=seat)
    assert moved.person == second
    statuses = dict(c.enrolments.values_list("person_id", "status"))
    assert statuses == {first.pk: EnrolStatus.WITHDRAWN, second.pk: EnrolStatus.ENROLLED, third.pk: EnrolStatus.WAITING}


def test_worker_of_another_community_cannot_enrol_our_residents(personas):
    c = course(personas.worker_a, school(personas.community_a))
    people = residents(personas.community_a, 1)
    with pytest.raises(PermissionDenied):
        services.enrol(actor=personas.worker_b, course=c, persons=people)


def test_sessions_must_end_after_they_start(personas):
    from datetime import time

    org = school(personas.community_a)
    with pytest.raises(ValidationError, match="结束时间"):
        services.course_create(
            actor=personas.worker_a, org=org, title="书法班", target_group="elderly",
            teacher=lecturer(personas.worker_a, org), place="活动室", capacity=10,
            sessions=[(date(2026, 3, 5), time(10), time(9), "")],
        )  # fmt: skip


def test_a_resident_enrols_themselves_and_waits_when_full(personas):
    future = timezone.localdate() + timedelta(days=7)
    c = course(personas.worker_a, school(personas.community_a), capacity=1, days=[future])
    (other,) = residents(personas.community_a, 1)
    services.enrol(actor=personas.worker_a, course=c, persons=[other])
    resident = personas.resident
    resident.phone = "13900000001"
    resident.save()
    (me,) = residents(personas.community_a, 1, phone="13900000001")
    me.name = resident.name
    me.save()
    person = selectors.resident_person(resident)
    assert person == me
    e = services.enrol_self(actor=resident, course=c, person=person)
    assert (e.status, e.channel) == (EnrolStatus.WAITING, "portal")
    assert selectors.waiting_places(selectors.my_enrolments(me)) == {c.pk: 1}


def test_a_resident_not_in_the_registry_is_told_to_come_to_the_desk(personas):
    future = timezone.localdate() + timedelta(days=7)
    c = course(personas.worker_a, school(personas.community_a), days=[future])
    with pytest.raises(ValidationError, match="到社区窗口报名"):
        services.enrol_self(actor=personas.resident, course=c, person=selectors.resident_person(personas.resident))


def test_the_teacher_takes_attendance_as_a_training_record_of_the_session_date(personas):
    org = school(personas.community_a)
    c = course(personas.worker_a, org, days=[date(2026, 3, 5), date(2026, 3, 12)])
    people = residents(personas.community_a, 3)
    services.enrol(actor=personas.worker_a, course=c, persons=people)
    teacher = c.teacher.user
    first = c.sessions.get(number=1)
    services.attendance_take(actor=teacher, session=first, present=[people[0].pk, people[1].pk])
    first.refresh_from_db()
    record = Record.objects.get(pk=first.record_id)
    assert (record.activity_type.area.code, record.activity_type.code) == ("education", "training")
    assert (record.org, record.date, record.year, record.participant_count) == (org, date(2026, 3, 5), 2026, 2)
    assert set(record.persons.all()) == {people[0], people[1]}
    # Taken again: the sign-in list is replaced, not added to.
    services.attendance_take(actor=teacher, session=first, present=[people[2].pk])
    assert list(Record.objects.get(pk=first.record_id).persons.all()) == [people[2]]
    assert Record.objects.filter(activity_type__code="training").count() == 1


def test_learner_hours_count_the_sessions_attended(personas):
    c = course(personas.worker_a, school(personas.community_a), days=[date(2026, 3, 5), date(2026, 3, 12)])
    a, b = residents(personas.community_a, 2)
    services.enrol(actor=personas.worker_a, course=c, persons=[a, b])
    for s in c.sessions.all():
        services.attendance_take(actor=personas.worker_a, session=s, present=[a.pk] if s.number == 2 else [a.pk, b.pk])
    hours = {e.person_id: (e.attended, e.hours) for e in selectors.learners(c)}
    assert hours == {a.pk: (2, 4), b.pk: (1, 2)}
    panel = selectors.person_courses(personas.worker_a, [a.pk])
    assert "出勤2次，4学时" in panel[a.pk][0]["note"]


def test_attendance_names_only_enrolled_learners(personas):
    c = course(personas.worker_a, school(personas.community_a))
    enrolled, stranger = residents(personas.community_a, 2)
    services.enrol(actor=personas.worker_a, course=c, persons=[enrolled])
    with pytest.raises(ValidationError, match="不是本课程学员"):
        services.attendance_take(actor=c.teacher.user, session=c.sessions.first(), present=[stranger.pk])


def test_a_session_to_come_cannot_be_signed_in(personas):
    c = course(personas.worker_a, school(personas.community_a), days=[timezone.localdate() + timedelta(days=1)])
    with pytest.raises(ValidationError, match="还没有上"):
        services.attendance_take(actor=c.teacher.user, session=c.sessions.first(), present=[])


def test_another_teacher_cannot_take_the_attendance(personas):
    org = school(personas.community_a)
    c = course(personas.worker_a, org)
    other = member(org, Role.TEACHER, username="t_other", name="另一位老师")
    with pytest.raises(PermissionDenied):
        services.attendance_take(actor=other, session=c.sessions.first(), present=[])


def test_a_teacher_sees_only_their_own_courses(personas):
    org = school(personas.community_a)
    mine = course(personas.worker_a, org, title="太极拳")
    course(personas.worker_a, org, title="书法")
    assert list(selectors.teaching(mine.teacher.user)) == [mine]
    assert not selectors.course_list(mine.teacher.user).exists()
