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


URL_OBJECTS = {
    "education:course": _pk,
    "education:enrol": _pk,
    "education:withdraw": _enrolment,
    "education:session": _session,
    "education:open_enrol": _pk,
}
# A resident of 社区A enrols on the residents' side; staff who see the course are told to use the desk (403).
URL_INSIDERS = {"education:open_enrol": ("resident", "leader_a")}
URL_OWNERS = {"education:open_enrol": ("resident",)}

# The courses lie in a 社区学校 under 社区A, in the education line of work.
AREA = "education"
