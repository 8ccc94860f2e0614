"""Submitting, zero reports, returning and resubmitting, accepting: the rules a reporting office relies on."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from shequ.audit.models import AuditLog
from shequ.cases import services as case_services
from shequ.cases.tests.helpers import accept, make_case
from shequ.records.tests.helpers import make_record
from shequ.reports import selectors, services
from shequ.reports.models import EventKind, State
from shequ.reports.services import ReportError
from shequ.reports.tests.helpers import at, form, submit

pytestmark = pytest.mark.django_db


def _disputes(p):
    with at(2026, 2, 2):
        a = make_case(p.worker_a, p.community_a, registered_on=date(2026, 1, 10), detail={"is_major": True})
        accept(a, p.leader_a, owner=p.worker_a)
        case_services.case_move(
            actor=p.worker_a, case=a, action="resolve", result="r", outcome="success", agreement_text="协议"
        )
        make_case(p.worker_a, p.grid_a, registered_on=date(2026, 1, 12))  # a grid's case counts for 社区A
        make_case(p.worker_a, p.community_a, registered_on=date(2026, 2, 2))  # another month
        make_record(p.worker_a, p.grid_a, area="safety", code="screening", on=date(2026, 1, 5), title="月度排查")


def test_the_report_is_prefilled_from_cases_and_records_of_the_month(personas):
    _disputes(personas)
    with at(2026, 2, 3):
        _sub, computed = selectors.report_for(form(), personas.community_a, 2026, 1)
    assert computed == {"screenings": 1, "screened": 2, "mediated": 1, "succeeded": 1, "major": 1}


def test_figures_typed_over_the_computed_ones_are_marked(personas):
    _disputes(personas)
    sub = submit(personas.worker_a, personas.community_a, values={"screened": 3, "prevented_criminal": 1})
    assert sub.state == State.SUBMITTED and sub.values["screened"] == 3 and sub.computed["screened"] == 2
    assert sub.changed == {"screened"}  # fields without a formula are typed, not changes
    row = AuditLog.objects.get(action="report.submit")
    assert row.detail["changed"] == ["screened"] and row.detail["zero"] is False


def test_a_zero_report_is_an_explicit_submission_and_is_refused_against_registered_disputes(personas):
    p = personas
    sub = submit(p.worker_b, p.community_b, zero=True)
    assert sub.zero and sub.values["screened"] == 0 and sub.values["summary"] == ""
    _disputes(p)
    with pytest.raises(ReportError, match="不能报零报告"):
        submit(p.worker_a, p.community_a, zero=True)


def test_a_form_without_zero_text_refuses_a_zero_report(personas):
    with pytest.raises(ReportError, match="不设零报告"):
        submit(personas.worker_a, personas.community_a, code="disability_quarterly", zero=True, on=(2026, 4, 2))


def test_bad_figures_get_chinese_errors_by_field(personas):
    with pytest.raises(ReportError) as exc:
        submit(personas.worker_a, personas.community_a, values={"screened": "三", "mediated": "-1", "major": "1.5"})
    errors = exc.value.message_dict
    assert errors["screened"] == ["“排查出矛盾纠纷（件）”应填写数字。"]
    assert "不小于0的整数" in errors["mediated"][0] and "不小于0的整数" in errors["major"][0]


def test_returned_report_is_resubmitted_with_history_and_keeps_its_first_submission_time(personas):
    p = personas
    sub = submit(p.worker_a, p.community_a, on=(2026, 2, 3))
    with pytest.raises(ReportError, match="退回须写明原因"):
        services.review(actor=p.supervisor, sub=sub, accept=False, reason=" ")
    with at(2026, 2, 4):
        services.review(actor=p.supervisor, sub=sub, accept=False, reason="排查次数与台账不符")
    sub.refresh_from_db()
    assert sub.state == State.RETURNED and sub.return_reason == "排查次数与台账不符"
    again = submit(p.worker_a, p.community_a, values={"screenings": 2}, on=(2026, 2, 10))
    assert again.pk == sub.pk and again.revision == 2 and again.state == State.SUBMITTED
    assert again.on_time  # first submitted on 3 Feb, due on 5 Feb: the correction after a return is not late
    with at(2026, 2, 11):
        services.review(actor=p.supervisor, sub=again, accept=True)
    kinds = list(again.events.values_list("kind", flat=True))
    assert kinds == [EventKind.SUBMIT, EventKind.RETURN, EventKind.RESUBMIT, EventKind.ACCEPT]
    assert set(AuditLog.objects.filter(action__startswith="report.").values_list("action", flat=True)) == {
        "report.submit", "report.return", "report.resubmit", "report.accept"
    }  # fmt: skip


def test_a_submitted_report_cannot_be_submitted_twice(personas):
    submit(personas.worker_a, personas.community_a)
    with pytest.raises(ReportError, match="不能重复报送"):
        submit(personas.worker_a, personas.community_a)


def test_only_the_level_above_reviews(personas):
    p = personas
    sub = submit(p.worker_a, p.community_a)
    for who in (p.leader_a, p.worker_a, p.inspector):
        with pytest.raises(PermissionDenied):
            services.review(actor=who, sub=sub, accept=True)
    services.review(actor=p.supervisor, sub=sub, accept=True)
    with pytest.raises(ReportError, match="不能再审核"):
        services.review(actor=p.supervisor, sub=sub, accept=False, reason="x")


def test_only_the_owing_org_submits(personas):
    p = personas
    with pytest.raises(PermissionDenied):
        submit(p.worker_b, p.community_a)
    with pytest.raises(ReportError, match="不需报送"):
        submit(p.supervisor, p.street)  # streets receive the communities' reports, they do not owe this one
    with pytest.raises(ReportError, match="尚未开始"):
        submit(p.worker_a, p.community_a, no=3, on=(2026, 2, 3))
