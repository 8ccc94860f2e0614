"""Classification of the education URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations


def _course(p):
    """A course of 社区A's 社区学校 with one learner, a session held and one to come (made once)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from shequ.accounts.models import User
    from shequ.education import services
    from shequ.education.models import Course
    from shequ.education.tests.helpers import course, residents, school

    found = Course.objects.filter(title="矩阵课程").first()
    if found is None:
        soon = timezone.localdate() + timedelta(days=30)
        org = school(p.community_a)
        worker = User.objects.get(pk=p.worker_a.pk)  # a scope resolved before the school was made would miss it
        found = course(worker, org, title="矩阵课程", days=[date(2026, 3, 5), soon])
        services.enrol(actor=worker, course=found, persons=residents(p.community_a, 1))
    return found


def _pk(p):
    return {"pk": _course(p).pk}


def _session(p):
    return {"pk": _course(p).sessions.get(number=1).pk}


def _enrolment(p):
    return {"pk": _course(p).enrolments.first().pk}


def _school(p):
    """社区A's school with its own calendar and a drill whose problems are not yet a case (made once)."""
    from datetime import date

    from shequ.education.models import SchoolCalendar
    from shequ.education.tests.test_calendars import calendar
    from shequ.orgs.models import Org, OrgKind, UnitType
    from shequ.plans.tests.helpers import record
    from shequ.testing.factories import OrgFactory

    org = Org.objects.filter(name="矩阵小学").first()
    if org is None:
        org = OrgFactory(name="矩阵小学", kind=OrgKind.UNIT, unit_type=UnitType.SCHOOL, parent=p.community_a)
        calendar(org)
        record(org, "school/drill", date(2026, 5, 20), "矩阵演练", extra={"drill_kind": "消防疏散", "problems": "堵塞"})
    return org, SchoolCalendar.objects.get(org=org)


def _school_pk(p):
    return {"pk": _school(p)[0].pk}


def _period(p):
    return {"pk": _school(p)[1].periods.first().pk}


def _drill(p):
    from shequ.records.models import Record

    return {"pk": Record.objects.get(org=_school(p)[0], title="矩阵演练").pk}


def _candidate(p):
    """A family on 社区A's learning-organisation register, evaluated with one evidence file (made once)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from shequ.accounts.models import User
    from shequ.education import learning
    from shequ.education.learning_models import LearningOrg
    from shequ.testing.files import PDF

    found = LearningOrg.objects.filter(name="矩阵家庭").first()
    if found is None:
        worker = User.objects.get(pk=p.worker_a.pk)
        found = learning.candidate_add(actor=worker, org=p.community_a, kind="family", name="矩阵家庭",
                                       listed_on=date(2025, 1, 1))  # fmt: skip
        scores = {c.code: c.points for c in learning.CRITERIA["family"]}
        learning.evaluate(actor=worker, candidate=found, evaluated_on=date(2025, 11, 1), scores=scores,
                          files=[SimpleUploadedFile("证书.pdf", PDF)])  # fmt: skip
    return found


def _resource(p):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shequ.accounts.models import User
    from shequ.education import resources
    from shequ.testing.files import PDF

    c = _course(p)
    found = c.resources.first()
    if found is None:
        worker = User.objects.get(pk=p.worker_a.pk)
        found = resources.resource_add(actor=worker, course=c, kind="material", title="矩阵讲义",
                                       file=SimpleUploadedFile("讲义.pdf", PDF))  # fmt: skip
    return {"pk": found.pk}


def _token(p):
    """A sign-in code of the matrix course's coming session, shown by the worker of 社区A."""
    from shequ.accounts.models import User
    from shequ.education import checkin

    worker = User.objects.get(pk=p.worker_a.pk)
    return {"token": checkin.token_for(actor=worker, session=_course(p).sessions.get(number=2))}


URL_OBJECTS = {
    "education:school": _school_pk,
    "education:calendar_own": _school_pk,
    "education:period_create": _school_pk,
    "education:period_edit": _period,
    "education:period_delete": _period,
    "education:drill_hazard": _drill,
    "education:learning_org": lambda p: {"pk": _candidate(p).pk},
    "education:learning_evaluate": lambda p: {"pk": _candidate(p).pk},
    "education:learning_evidence": lambda p: {"pk": _candidate(p).evaluations.get().files.get().pk},
    "education:resource": _resource,
    "education:resource_add": _pk,
    "education:resource_delete": _resource,
    "education:session_qr": _session,
    "education:checkin": _token,
    "education:course": _pk,
    "education:enrol": _pk,
    "education:withdraw": _enrolment,
    "education:session": _session,
    "education:open_enrol": _pk,
}
# A resident of 社区A enrols on the residents' side; staff who see the course are told to use the desk (403).
URL_INSIDERS = {
    "education:open_enrol": ("resident", "leader_a"),
    "education:period_delete": ("leader_a",),  # the first to delete it leaves nothing for the next
    "education:checkin": ("resident", "leader_a"),
    "education:resource_delete": ("leader_a",),  # the first insider's POST deletes it
}
# The resident scans the code of a session of their street's course (told "not enrolled" if they are not).
URL_OWNERS = {"education:open_enrol": ("resident",), "education:checkin": ("resident",)}

# The courses lie in a 社区学校 under 社区A, in the education line of work.
AREA = "education"
# The school year's pages are the school line's: a school of 社区A, its calendar and its drill.
SCHOOL_URLS = ("school", "calendar_own", "period_create", "period_edit", "period_delete", "drill_hazard")
URL_AREAS = dict.fromkeys((f"education:{n}" for n in SCHOOL_URLS), "school")
