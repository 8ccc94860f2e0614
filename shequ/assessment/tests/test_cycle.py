"""The assessment's cycle: started from the year's data, self-scored (computed items never raised), reviewed with
reasons, confirmed; vetoes from the year's cases; every step audited; the pages in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shequ.assessment import services
from shequ.assessment.models import Assessment, Score, Stage
from shequ.assessment.tests.helpers import plan_target
from shequ.audit.models import AuditLog
from shequ.records.tests.helpers import make_record

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _at(y, m, d):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def _start(p, year=2026):
    with _at(year, 12, 20):
        services.start(actor=p.admin, top=p.district, year=year)
    return Assessment.objects.get(org=p.community_a, year=year)


def _score(a, rubric, item) -> Score:
    return Score.objects.select_related("rubric").get(assessment=a, rubric__code=rubric, item=item)


def _petition(p, org, on):
    from shequ.cases import services as case_services
    from shequ.cases.models import CaseType

    at = datetime.combine(on, datetime.min.time(), tzinfo=TZ)
    with _at(on.year, on.month, on.day):
        case_services.case_register(
            actor=p.admin, case_type=CaseType.objects.get(code="group_petition"), org=org, title="集体上访",
            category="集体上访", description="d", registered_on=on, detail={"occurred_at": at, "liable": "否"},
        )  # fmt: skip


def test_start_computes_items_from_the_years_records_and_applies_a_veto(personas):
    p = personas
    monthly = plan_target(p.community_a, 2026, "safety", "safety-screening", ["safety/screening"], period="month")
    with _at(2026, 10, 1):
        for month in range(1, 10):  # nine months of twelve screened; October and November have ended without one
            make_record(p.worker_a, p.community_a, area="safety", code="screening", on=date(2026, month, 5))
        make_record(p.worker_a, p.community_a, area="safety", code="screening", on=date(2026, 9, 20))  # twice: no help
    _petition(p, p.grid_a, date(2026, 9, 12))  # a grid's petition counts for 社区A
    a = _start(p)  # on 20 December: December is still running
    s = _score(a, "community-safety", "screening")
    assert s.computed == D(4) and s.computed_note == "10月、11月未达标（2期），扣2分"
    assert s.evidence == reverse("plans:target_detail", args=[monthly.pk])
    board = _score(a, "community-health", "board")  # 社区A's year has no health plan: no such target, the floor
    assert board.computed == D(0) and board.computed_note == "本年计划中无此指标"
    veto = _score(a, "community-safety", "petition")
    assert veto.computed == D(1) and "集体上访" in veto.computed_note
    assert "发生群体性上访（本条线最高15分）" in a.veto_text
    other = Assessment.objects.get(org=p.community_b, year=2026)
    assert other.veto_text == "" and Assessment.objects.filter(year=2026).count() == 3
    assert AuditLog.objects.filter(action="assessment.start").count() == 3


def test_computed_items_cannot_be_raised_by_hand_but_judged_items_are_scored_with_evidence(personas):
    p = personas
    a = _start(p)
    board = _score(a, "community-health", "board")  # no board changes: 0 of 4
    archive = _score(a, "community-health", "archive")
    with pytest.raises(services.AssessmentError) as exc:
        services.self_save(actor=p.leader_a, a=a, entries={board.pk: {"score": "2"}})
    assert "不能手工提高" in exc.value.message_dict[f"s-{board.pk}"][0]
    with pytest.raises(services.AssessmentError):
        services.self_save(actor=p.leader_a, a=a, entries={archive.pk: {"score": "6"}})  # over its 5 points
    services.self_save(actor=p.leader_a, a=a, entries={archive.pk: {"score": "4.5", "evidence": "/records/1/"}})
    archive.refresh_from_db()
    assert archive.self_score == D("4.5") and archive.final == D("4.5") and archive.evidence == "/records/1/"
    with pytest.raises(services.AssessmentError, match="未自评"):
        services.self_submit(actor=p.leader_a, a=a)


def _self_all(p, a):
    judged = [s for s in Score.objects.filter(assessment=a).select_related("rubric") if s.spec.get("judged")]
    services.self_save(actor=p.leader_a, a=a, entries={s.pk: {"score": str(s.spec["points"])} for s in judged})
    services.self_submit(actor=p.leader_a, a=a)
    a.refresh_from_db()
    return judged


def test_the_street_reviews_with_reasons_and_the_district_confirms(personas):
    p = personas
    a = _start(p)
    judged = _self_all(p, a)
    assert a.stage == Stage.REVIEW
    with pytest.raises(services.AssessmentError, match="自评已提交"):
        services.self_save(actor=p.leader_a, a=a, entries={judged[0].pk: {"score": "1"}})
    with pytest.raises(PermissionDenied):
        services.review_save(actor=p.leader_a, a=a, entries={judged[0].pk: {"score": "1", "reason": "x"}})
    with pytest.raises(services.AssessmentError) as exc:
        services.review_save(actor=p.supervisor, a=a, entries={judged[0].pk: {"score": "1"}})
    assert "请写明理由" in exc.value.message_dict[f"r-{judged[0].pk}"][0]
    before = a.total
    services.review_save(actor=p.supervisor, a=a, entries={judged[0].pk: {"score": "1", "reason": "资料不全"}})
    a.refresh_from_db()
    assert a.total == before - D(str(judged[0].spec["points"])) + 1
    with pytest.raises(PermissionDenied):
        services.confirm(actor=p.supervisor, a=a)  # not yet at that stage, and not the district's
    services.review_submit(actor=p.supervisor, a=a)
    with pytest.raises(PermissionDenied):
        services.confirm(actor=p.supervisor, a=a)
    services.confirm(actor=p.admin, a=a)
    a.refresh_from_db()
    assert a.stage == Stage.CONFIRMED
    actions = set(AuditLog.objects.filter(action__startswith="assessment.").values_list("action", flat=True))
    assert {"assessment.review", "assessment.review_save", "assessment.confirm", "assessment.confirmed"} <= actions


@pytest.mark.parametrize("n", [1, 40])
def test_ranking_and_detail_pages_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    from shequ.orgs.models import OrgKind
    from shequ.testing.factories import OrgFactory

    p = personas
    for i in range(n):
        OrgFactory(name=f"社区{i:03d}", kind=OrgKind.COMMUNITY, parent=p.other_street)
    a = _start(p)
    c = client_for(p.admin)
    with django_assert_max_num_queries(13):  # one resolves the actor's scope
        html = c.get(reverse("assessment:index"), {"year": 2026}).content.decode()
    assert "社区A" in html and "1/2" in html
    with django_assert_max_num_queries(15):  # one asks whether the year is closed
        html = c.get(reverse("assessment:detail", args=[a.pk])).content.decode()
    assert "平安建设考核细则" in html and "矛盾纠纷排查每月一次" in html


def test_a_refused_self_score_keeps_what_was_typed(personas, client_for):
    p = personas
    a = _start(p)
    archive = _score(a, "community-health", "archive")
    page = client_for(p.leader_a).post(
        reverse("assessment:detail", args=[a.pk]),
        {"action": "self", "version": a.version, f"s-{archive.pk}": "九", f"n-{archive.pk}": "保留的说明"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "应填写数字" in html and "保留的说明" in html
