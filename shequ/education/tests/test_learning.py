"""The learning-organisation register: candidates scored against the criteria of their kind, the result following
from the score, evidence required; the share recognised feeds the plan's "较上年提高" target with last year's
computed share; the register's ledger and pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shequ.core.indicators import Period
from shequ.education import learning
from shequ.education.learning_models import LearningOrg
from shequ.plans import compliance
from shequ.plans.indicators import compute
from shequ.plans.tests.helpers import plan, target
from shequ.testing.files import PDF

pytestmark = pytest.mark.django_db


def _pdf(name: str = "读书笔记.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _full(kind: str, share: float = 1.0) -> dict[str, int]:
    return {c.code: round(c.points * share) for c in learning.CRITERIA[kind]}


def _candidates(actor, org, n: int, kind: str = "family", listed: date = date(2025, 1, 10)) -> list[LearningOrg]:
    return [
        learning.candidate_add(actor=actor, org=org, kind=kind, name=f"参评{kind}{i}", listed_on=listed)
        for i in range(n)
    ]


def _evaluate(actor, c: LearningOrg, on: date, share: float):
    return learning.evaluate(actor=actor, candidate=c, evaluated_on=on, scores=_full(c.kind, share), files=[_pdf()])


def test_the_result_follows_from_the_score(personas):
    (c,) = _candidates(personas.worker_a, personas.community_a, 1)
    ev = _evaluate(personas.worker_a, c, date(2025, 11, 1), 0.95)
    assert (ev.total, ev.result, ev.year) == (95, "excellent", 2025)
    assert ev.files.get().file_name == "读书笔记.pdf"
    (d,) = _candidates(personas.worker_a, personas.community_a, 1, kind="unit")
    assert _evaluate(personas.worker_a, d, date(2025, 11, 1), 0.8).result == "passed"
    (e,) = _candidates(personas.worker_a, personas.community_a, 1, kind="building")
    assert _evaluate(personas.worker_a, e, date(2025, 11, 1), 0.5).result == "failed"


def test_an_evaluation_needs_every_score_in_range_and_evidence(personas):
    (c,) = _candidates(personas.worker_a, personas.community_a, 1)
    scores = _full("family")
    scores["plan"] = 21  # of 20
    del scores["books"]
    with pytest.raises(ValidationError) as err:
        learning.evaluate(actor=personas.worker_a, candidate=c, evaluated_on=date(2025, 11, 1), scores=scores,
                          files=[_pdf()])  # fmt: skip
    text = " ".join(err.value.messages)
    assert "得分应在0至20分之间" in text and "请为“家庭藏书或订阅报刊，有固定的学习角”打分" in text
    with pytest.raises(ValidationError, match="请上传佐证材料"):
        learning.evaluate(actor=personas.worker_a, candidate=c, evaluated_on=date(2025, 11, 1), scores=_full("family"))
    _evaluate(personas.worker_a, c, date(2025, 11, 1), 0.8)
    with pytest.raises(ValidationError, match="2025年已评估过"):
        _evaluate(personas.worker_a, c, date(2025, 12, 1), 0.9)


def test_a_worker_of_another_community_cannot_list_or_evaluate(personas):
    with pytest.raises(PermissionDenied):
        learning.candidate_add(actor=personas.worker_b, org=personas.community_a, kind="family", name="某家庭",
                               listed_on=date(2025, 1, 1))  # fmt: skip
    (c,) = _candidates(personas.worker_a, personas.community_a, 1)
    with pytest.raises(PermissionDenied):
        _evaluate(personas.worker_b, c, date(2025, 11, 1), 0.9)


def test_the_share_counts_this_years_recognised_among_this_years_register(personas):
    a, w = personas.community_a, personas.worker_a
    fams = _candidates(w, a, 8)
    units = _candidates(w, a, 2, kind="unit")
    for c in fams[:2]:
        _evaluate(w, c, date(2025, 11, 1), 0.8)  # 2025: 2 of 10
    for c in fams[:3] + units[:1]:
        _evaluate(w, c, date(2026, 11, 1), 0.8)  # 2026: 4 of 10 ...
    _evaluate(w, fams[3], date(2026, 11, 1), 0.5)  # ... a failed one does not count
    late = learning.candidate_add(actor=w, org=a, kind="family", name="新参评家庭", listed_on=date(2026, 3, 1))
    assert late.pk  # listed in 2026: in this year's register (11), not last year's (10)
    asks = [(learning.SHARE, "", a.pk), (learning.SHARE, "family", a.pk), (learning.SHARE, "unit", a.pk)]
    now = compute.compute(asks, Period(2026, date(2026, 12, 31)))
    last = compute.compute(asks, Period(2025, date(2026, 12, 31)))
    assert (now[asks[0]].numerator, now[asks[0]].denominator) == (4, 11)
    assert (last[asks[0]].numerator, last[asks[0]].denominator, last[asks[0]].text) == (2, 10, "20%")
    assert (now[asks[1]].numerator, now[asks[1]].denominator) == (3, 9)
    assert (now[asks[2]].numerator, now[asks[2]].denominator, now[asks[2]].text) == (1, 2, "50%")
    # The street above counts its communities' registers.
    street = (learning.SHARE, "", personas.street.pk)
    assert compute.compute([street], Period(2026, date(2026, 12, 31)))[street].denominator == 11


def test_the_plans_rise_target_reads_last_years_computed_share(personas):
    a, w = personas.community_a, personas.worker_a
    fams = _candidates(w, a, 10)
    for c in fams[:3]:
        _evaluate(w, c, date(2025, 11, 1), 0.8)  # 30%
    for c in fams[:4]:
        _evaluate(w, c, date(2026, 11, 1), 0.8)  # 40%
    p = plan(a, year=2026, area_code="education")
    t = target(p, kind="indicator", indicator=learning.SHARE, comparison="rise", threshold=Decimal("0.1"), unit="%",
               title="学习型组织占各类组织的比例 较上年提高")  # fmt: skip
    result = compliance.evaluate([t], today=date(2026, 12, 1))[t.pk]
    assert result.state == "ok"
    assert result.total.expected == "较上年+0.1个百分点（上年30%）"
    assert result.total.done == "40%（较上年+10）"
    # No rise on last year: not met.
    from shequ.education.learning_models import LearningEvaluation

    LearningEvaluation.objects.filter(candidate=fams[3], year=2026).update(result="failed")
    assert compliance.evaluate([t], today=date(2026, 12, 1))[t.pk].state != "ok"


def test_the_reference_template_computes_the_learning_org_target():
    from shequ.plans.catalogue import TEMPLATES

    spec = next(s for s in TEMPLATES if s["code"] == "ref-education")
    t = next(t for t in spec["targets"] if t["code"] == "education-learning-orgs")
    assert (t["kind"], t["indicator"], t["comparison"]) == ("indicator", learning.SHARE, "rise")


def test_the_register_page_shows_the_share_and_its_change(personas, client_for):
    a, w = personas.community_a, personas.worker_a
    fams = _candidates(w, a, 4)
    _evaluate(w, fams[0], date(2025, 11, 1), 0.8)
    _evaluate(w, fams[0], date(2026, 11, 1), 0.9)
    _evaluate(w, fams[1], date(2026, 11, 1), 0.8)
    page = client_for(w).get(reverse("education:learning"), {"year": 2026, "org": a.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "50%" in html and "25%" in html and "+25" in html
    assert "参评family0" in html and "优秀" in html
    assert client_for(personas.worker_b).get(reverse("education:learning"), {"org": a.pk}).status_code == 404


def test_the_evaluation_form_keeps_what_was_typed_and_saves(personas, client_for):
    (c,) = _candidates(personas.worker_a, personas.community_a, 1)
    client = client_for(personas.worker_a)
    url = reverse("education:learning_evaluate", args=[c.pk])
    data = {"evaluated_on": "2026-11-02", **{f"score_{k}": v for k, v in _full("family", 0.8).items()}}
    data["score_plan"] = "25"
    page = client.post(url, data)
    assert page.status_code == 200 and "最多20分。" in page.content.decode()
    assert 'value="12"' in page.content.decode()  # books: 15 × 0.8
    data["score_plan"] = "16"
    data["files"] = _pdf()
    assert client.post(url, data).status_code == 302
    detail = client.get(reverse("education:learning_org", args=[c.pk])).content.decode()
    assert "达标" in detail and "读书笔记.pdf" in detail
    f = c.evaluations.get().files.get()
    assert client.get(reverse("education:learning_evidence", args=[f.pk])).status_code == 200
    assert client_for(personas.worker_b).get(reverse("education:learning_evidence", args=[f.pk])).status_code == 404


def test_the_register_ledger_exports_with_the_share(personas, client_for):
    a, w = personas.community_a, personas.worker_a
    fams = _candidates(w, a, 2)
    _evaluate(w, fams[0], date(2026, 11, 1), 0.9)
    url = reverse("ledgers:export", args=["learning-orgs", a.pk, 2026, "xlsx"])
    response = client_for(personas.leader_a).get(url)
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [str(c.value) for row in load_workbook(BytesIO(body)).active.iter_rows() for c in row if c.value]
    text = " ".join(cells)
    assert "参评family0" in text and "优秀" in text and "未评估" in text
    docx = client_for(personas.leader_a).get(reverse("ledgers:export", args=["learning-orgs", a.pk, 2026, "docx"]))
    from shequ.education.tests.test_ledgers import docx_text

    assert "合计：本年50%（1/2），上年0%，较上年+50个百分点。" in docx_text(docx)


def _queries(client, url, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_the_register_page_runs_the_same_queries_for_few_and_many(personas, client_for):
    a, w = personas.community_a, personas.worker_a
    client = client_for(w)
    url = reverse("education:learning")
    for c in _candidates(w, a, 2):
        _evaluate(w, c, date(2026, 11, 1), 0.8)
    few = _queries(client, url, {"year": 2026})
    for c in _candidates(w, a, 25, kind="building"):
        _evaluate(w, c, date(2026, 11, 1), 0.8)
    assert _queries(client, url, {"year": 2026}) == few
    detail = reverse("education:learning_org", args=[LearningOrg.objects.first().pk])
    assert _queries(client, detail, {}) <= few


def test_the_funds_page_runs_the_same_queries_for_few_and_many(personas, client_for):
    from shequ.education.tests.test_funds import _entry

    a, w = personas.community_a, personas.worker_a
    client = client_for(w)
    url = reverse("education:funds")
    _entry(w, a, "5.00")
    few = _queries(client, url, {"year": 2026, "org": a.pk})
    for _ in range(15):
        _entry(w, a, "5.00")
    assert _queries(client, url, {"year": 2026, "org": a.pk}) == few
