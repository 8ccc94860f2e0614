"""Classification of the reports' URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from __future__ import annotations


def _submission(p):
    from shequ.reports.models import Submission
    from shequ.reports.tests.helpers import submit

    found = Submission.objects.filter(org=p.community_a, form__code="dispute_monthly", year=2026, period_no=1).first()
    return found or submit(p.worker_a, p.community_a, values={"summary": "邻里纠纷两起"})


def _fill(p):
    return {"code": "dispute_monthly", "org": p.community_a.pk, "year": 2026, "no": 2}


URL_OBJECTS = {
    "reports:fill": _fill,
    "reports:summary": _fill,
    "reports:press": _fill,
    "reports:detail": lambda p: {"pk": _submission(p).pk},
    "reports:review": lambda p: {"pk": _submission(p).pk},
    "api:get_submission": lambda p: {"pk": _submission(p).pk},
}

# The reports lie in 社区A in the safety line of work: area-bound staff of other lines get 404.
AREA = "safety"
# Reviewing is the level above's: of 社区A, only the district's administrator may do it.
URL_INSIDERS = {"reports:review": ("admin",), "reports:press": ("admin",)}
