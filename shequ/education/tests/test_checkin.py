"""QR sign-in at the door: the teacher's code signs an enrolled resident in to the session's training record; an
expired code, a learner not enrolled (or only waiting), a second scan and another community's session each get a
clear Chinese answer and sign nobody in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.education import checkin, services
from shequ.education.tests.helpers import course, residents, school

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 6, 3)
AT = datetime(2026, 6, 3, 19, 2, tzinfo=TZ)


def _me(personas, org=None):
    """The registry row of the resident persona (their account's name and phone)."""
    user = personas.resident
    user.phone = "13900000009"
    user.save()
    (me,) = residents(org or personas.community_a, 1, phone="13900000009", residence_status="changzhu")
    me.name = user.name
    me.save()
    return user, me


def _course(personas, capacity: int = 20, org=None):
    return course(personas.worker_a, org or school(personas.community_a), capacity=capacity,
                  days=[DAY, DAY + timedelta(days=7)])  # fmt: skip


def _token(c, session=None):
    session = session or c.sessions.get(number=1)
    return checkin.token_for(actor=c.teacher.user, session=session)


def test_an_enrolled_resident_scans_and_is_signed_in(personas):
    user, me = _me(personas)
    c = _course(personas)
    others = residents(personas.community_a, 2)
    services.enrol(actor=personas.worker_a, course=c, persons=[me, *others])
    with time_machine.travel(AT, tick=False):
        session = c.sessions.get(number=1)
        services.attendance_take(actor=personas.worker_a, session=session, present=[others[0].pk])
        checkin.check_in(actor=user, token=_token(c))
    session.refresh_from_db()
    assert set(session.record.persons.values_list("pk", flat=True)) == {others[0].pk, me.pk}
    assert session.record.participant_count == 2
    assert AuditLog.objects.filter(action="education.checkin", actor=user).count() == 1


def test_the_first_scan_of_the_day_writes_the_sessions_training_record(personas):
    user, me = _me(personas)
    c = _course(personas)
    services.enrol(actor=personas.worker_a, course=c, persons=[me])
    with time_machine.travel(AT, tick=False):
        session = checkin.check_in(actor=user, token=_token(c))
    assert session.record.activity_type.code == "training"
    assert list(session.record.persons.all()) == [me]
    assert session.record.date == DAY


def test_an_expired_code_is_refused(personas):
    user, me = _me(personas)
    c = _course(personas)
    services.enrol(actor=personas.worker_a, course=c, persons=[me])
    with time_machine.travel(AT, tick=False):
        token = _token(c)
    later = time_machine.travel(AT + timedelta(minutes=checkin.TOKEN_MINUTES + 1), tick=False)
    with later, pytest.raises(checkin.CheckinError, match="二维码已过期"):
        checkin.check_in(actor=user, token=token)
    assert c.sessions.get(number=1).record is None


def test_a_forged_code_is_refused(personas):
    user, _me_row = _me(personas)
    with pytest.raises(checkin.CheckinError, match="二维码无效"):
        checkin.check_in(actor=user, token="abc:def")


def test_a_resident_not_enrolled_or_only_waiting_is_not_signed_in(personas):
    user, me = _me(personas)
    c = _course(personas, capacity=1)
    with time_machine.travel(AT, tick=False):
        with pytest.raises(checkin.CheckinError, match="您没有报名"):
            checkin.check_in(actor=user, token=_token(c))
        services.enrol(actor=personas.worker_a, course=c, persons=[*residents(personas.community_a, 1), me])
        with pytest.raises(checkin.CheckinError, match="候补名单"):
            checkin.check_in(actor=user, token=_token(c))
    assert c.sessions.get(number=1).record is None


def test_a_second_scan_says_already_signed(personas):
    user, me = _me(personas)
    c = _course(personas)
    services.enrol(actor=personas.worker_a, course=c, persons=[me])
    with time_machine.travel(AT, tick=False):
        checkin.check_in(actor=user, token=_token(c))
        with pytest.raises(checkin.CheckinError, match="您已签到过了"):
            checkin.check_in(actor=user, token=_token(c))


def test_a_code_of_another_day_is_refused(personas):
    user, me = _me(personas)
    c = _course(personas)
    services.enrol(actor=personas.worker_a, course=c, persons=[me])
    with time_machine.travel(AT, tick=False):
        token = _token(c, c.sessions.get(number=2))
        with pytest.raises(checkin.CheckinError, match="只能在上课当天签到"):
            checkin.check_in(actor=user, token=token)


def test_a_session_of_another_streets_community_is_not_found(personas):
    """A resident of 社区A scans the code of a course of 社区C (another street): no such session for them."""
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    user, _me_row = _me(personas)
    c_worker = member(personas.community_c, Role.WORKER, username="p_worker_c", name="社区C专干")
    other = course(c_worker, school(personas.community_c, "社区C社区学校"), days=[DAY])
    with time_machine.travel(AT, tick=False):
        token = checkin.token_for(actor=other.teacher.user, session=other.sessions.get())
        with pytest.raises(PermissionDenied, match="不是您所在社区的课程"):
            checkin.check_in(actor=user, token=token)
        page = _client(user).get(reverse("education:checkin", args=[token]))
    assert page.status_code == 404


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_scan_page_signs_in_and_then_says_so(personas, client_for):
    user, me = _me(personas)
    c = _course(personas)
    services.enrol(actor=personas.worker_a, course=c, persons=[me])
    with time_machine.travel(AT, tick=False):
        token = _token(c)
        url = reverse("education:checkin", args=[token])
        client = client_for(user)
        page = client.get(url).content.decode()
        assert "签到" in page and c.title in page and 'data-testid="signed-in"' not in page
        response = client.post(url, follow=True)
        html = response.content.decode()
        assert "签到成功" in html and 'data-testid="signed-in"' in html
        again = client.post(url, follow=True).content.decode()
        assert "您已签到过了" in again
    with time_machine.travel(AT + timedelta(minutes=checkin.TOKEN_MINUTES + 1), tick=False):
        assert "二维码已过期" in client.get(url).content.decode()


def test_staff_are_sent_to_the_attendance_page_and_the_teacher_sees_the_code(personas, client_for):
    c = _course(personas)
    with time_machine.travel(AT, tick=False):
        token = _token(c)
        assert client_for(personas.leader_a).get(reverse("education:checkin", args=[token])).status_code == 403
        assert client_for(personas.worker_b).get(reverse("education:checkin", args=[token])).status_code == 404
        page = client_for(c.teacher.user).get(reverse("education:session_qr", args=[c.sessions.get(number=1).pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "<svg" in html and "/education/checkin/" in html
        later = client_for(c.teacher.user).get(reverse("education:session_qr", args=[c.sessions.get(number=2).pk]))
        assert 'data-testid="not-today"' in later.content.decode()
    assert (
        client_for(personas.worker_b)
        .get(reverse("education:session_qr", args=[c.sessions.get(number=1).pk]))
        .status_code
        == 404
    )
