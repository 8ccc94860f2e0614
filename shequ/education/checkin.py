"""QR sign-in at the door (扫码签到): the teacher shows on the session page a QR code of a short-lived signed token;
an enrolled resident who is logged in scans it and is signed in to the session's training record.

The token names the session and who showed it; it is signed with the site's key and lives ``TOKEN_MINUTES``
minutes (the page renews it). The sign-in is written as the one who showed the code (their right on the course,
checked again now), the learner among the course's enrolled learners, so the record is the same as if the
teacher had ticked them on the attendance page.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shequ.accounts.models import User
from shequ.audit.services import audit
from shequ.education import selectors, services
from shequ.education.models import Course, CourseSession, Enrolment, EnrolStatus
from shequ.orgs.models import subtree_q
from shequ.records.models import Record

SALT = "shequ.education.checkin"
TOKEN_MINUTES = 10
REFRESH_SECONDS = 240  # the page renews its code well before it expires
SIGNINS = Record.persons.through


class CheckinError(ValidationError):
    """Why a scan did not sign the resident in, in Chinese."""


def token_for(*, actor: User, session: CourseSession) -> str:
    """A token for ``session`` shown by ``actor`` (who must have the right to take its attendance)."""
    services.attendance_right(actor, session.course)
    return signing.dumps({"s": session.pk, "u": actor.pk}, salt=SALT, compress=True)


def url_for(request, token: str) -> str:
    return request.build_absolute_uri(reverse("education:checkin", args=[token]))


def read(token: str) -> tuple[int, int]:
    """(session id, issuer id) of a token, or CheckinError: expired or not ours."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(minutes=TOKEN_MINUTES))
    except signing.SignatureExpired:
        raise CheckinError("二维码已过期，请让老师刷新页面后重新扫码。") from None
    except signing.BadSignature:
        raise CheckinError("二维码无效，请扫描老师手机或屏幕上的签到二维码。") from None
    return int(data["s"]), int(data["u"])


def scanned_session(user: User, session_id: int) -> CourseSession | None:
    """The session of a scanned token if it belongs to a course of the resident's street (as the courses open to
    them do); None otherwise (another community's course: not found)."""
    q = None
    for c in selectors.resident_communities(user):
        street = c.parent or c
        part = subtree_q(street.path, "course__org__path")
        q = part if q is None else q | part
    if q is None:
        return None
    return CourseSession.objects.filter(q, pk=session_id).select_related("course", "course__org", "record").first()


def is_staff_of(user: User, session_id: int) -> bool:
    return CourseSession.objects.taught_or_visible(user).filter(pk=session_id).exists()


def signed_in(session: CourseSession, person_id: int) -> bool:
    return bool(session.record_id) and SIGNINS.objects.filter(record_id=session.record_id, person_id=person_id).exists()


def check_in(*, actor: User, token: str) -> CourseSession:
    """Sign the resident ``actor`` in to the session of ``token``: they must be enrolled in its course (not on the
    waiting list), the session must be today, and they may sign in once."""
    session_id, issuer_id = read(token)
    session = scanned_session(actor, session_id)
    if session is None:
        raise PermissionDenied("这次课不是您所在社区的课程，不能签到。")
    course: Course = session.course
    person = selectors.resident_person(actor)
    if person is None:
        raise CheckinError("居民档案中没有找到与您账号姓名、手机号一致的登记信息，请找老师登记到课。")
    seat = Enrolment.objects.filter(course=course, person=person).first()
    if seat is None or seat.status == EnrolStatus.WITHDRAWN:
        raise CheckinError(f"您没有报名“{course.title}”，不能签到。请先报名。")
    if seat.status == EnrolStatus.WAITING:
        raise CheckinError(f"您在“{course.title}”的候补名单中，还没有递补入学，不能签到。")
    if session.date != timezone.localdate():
        raise CheckinError(f"这次课在{session.date:%Y年%-m月%-d日}，只能在上课当天签到。")
    issuer = User.objects.filter(pk=issuer_id, is_active=True).first()
    if issuer is None:
        raise CheckinError("出示二维码的账号已停用，请找老师登记到课。")
    with transaction.atomic():
        CourseSession.objects.select_for_update().filter(pk=session.pk).first()
        session.refresh_from_db(fields=["record"])
        present = (
            set(SIGNINS.objects.filter(record_id=session.record_id).values_list("person_id", flat=True))
            if session.record_id
            else set()
        )
        if person.pk in present:
            raise CheckinError(f"您已签到过了（{course.title} 第{session.number}次课），不用重复签到。")
        try:
            services.attendance_take(actor=issuer, session=session, present=[*present, person.pk])
        except PermissionDenied:
            raise CheckinError("出示二维码的老师已不能为这门课考勤，请找老师登记到课。") from None
        audit(actor, "education.checkin", session, {"course": course.pk, "person": person.pk}, org=course.org)
    return session
