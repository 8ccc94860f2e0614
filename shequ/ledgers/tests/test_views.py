"""The one export view: every declared ledger in every format, the export right, the audit row, the file name."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import unquote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shequ.audit.models import AuditLog
from shequ.ledgers import fonts
from shequ.ledgers.declare import FORMATS
from shequ.ledgers.registry import ledgers

pytestmark = pytest.mark.django_db
YEAR = date.today().year


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _filename(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[-1])


def _plan(p):
    from shequ.plans.models import Plan

    return Plan.objects.create(org=p.community_a, year=YEAR, area=_area("health"), title=f"{YEAR}年健康教育工作计划")


def _area(code):
    from shequ.orgs.models import Area

    return Area.objects.get(code=code)


def _dispute(p):
    from shequ.cases.tests.helpers import make_case

    return make_case(p.worker_a, p.community_a, title="楼上漏水")


def _survey(p):
    from shequ.surveys.tests.test_indicators import _closed
    from shequ.surveys.tests.test_results import R1, R2

    return _closed(p, [R1, R2], on=date.today())


def _under_care(p):
    from shequ.care.tests.helpers import disabled

    return disabled(p.community_a, name="建档对象")


# How each declared ledger is asked for: (url args without the format, query). A new ledger adds a line.
REQUESTS = {
    "disputes": lambda p: ((p.community_a.pk, YEAR), {}),
    "hazards": lambda p: ((p.community_a.pk, YEAR), {}),
    "opinions": lambda p: ((p.community_a.pk, YEAR), {}),
    "mediation": lambda p: ((p.community_a.pk, YEAR), {"case": _dispute(p).pk}),
    "plan": lambda p: ((p.community_a.pk, YEAR), {"plan": _plan(p).pk}),
    "residents": lambda p: ((p.community_a.pk,), {}),
    "activities": lambda p: ((p.community_a.pk, YEAR), {"area": "health"}),
    "health-forms": lambda p: ((p.community_a.pk, YEAR), {}),
    "funds": lambda p: ((p.community_a.pk, YEAR), {"area": "education"}),
    "survey-form": lambda p: ((p.community_a.pk, YEAR), {"survey": _survey(p).pk}),
    "survey-answers": lambda p: ((p.community_a.pk, YEAR), {"survey": _survey(p).pk}),
    "survey-report": lambda p: ((p.community_a.pk, YEAR), {"survey": _survey(p).pk}),
    "group-roster": lambda p: ((p.community_a.pk, YEAR), {}),
    "meeting-minutes": lambda p: ((p.community_a.pk, YEAR), {}),
    "resolutions": lambda p: ((p.community_a.pk, YEAR), {}),
    "letter-register": lambda p: ((p.community_a.pk, YEAR), {}),
    "responsibility-letter": lambda p: ((p.community_a.pk, YEAR), {"letter": _letter(p).pk}),
    "course-register": lambda p: ((p.community_a.pk, YEAR), {}),
    "course-attendance": lambda p: ((p.community_a.pk, YEAR), {}),
    "learner-register": lambda p: ((p.community_a.pk, YEAR), {}),
    "course-certificates": lambda p: ((p.community_a.pk, YEAR), {}),
    "learning-orgs": lambda p: ((p.community_a.pk, YEAR), {}),
    "school-eight-items": lambda p: ((p.community_a.pk, YEAR), {}),
    "care-card": lambda p: ((p.community_a.pk, YEAR), {"person": _under_care(p).pk}),
    "rehab-services": lambda p: ((p.community_a.pk, YEAR), {"month": 3}),
    "report": lambda p: ((p.community_a.pk, YEAR), {"form": "dispute_monthly", "period": 1}),
    "assessment": lambda p: ((p.community_a.pk, YEAR), {}),
    "dossier-index": lambda p: ((p.community_a.pk, YEAR), {}),
}


def _letter(p):
    from shequ.letters.tests.scope_fixtures import _letter as signed

    return signed(p)


def _url(code, args, fmt):
    name = "ledgers:export" if len(args) == 2 else "ledgers:export_undated"
    return reverse(name, args=[code, *args, fmt])


# The audit log's ledgers need the right to read the log, which 社区A's leader has not: the log itself is exported
# and checked in site/tests/test_audit_labels.py, the sensitive views in residents/tests/test_sensitive_ledger.py.
ELSEWHERE = {"audit", "sensitive-views"}


def test_every_declared_ledger_is_listed_here():
    assert {ledger.code for ledger in ledgers} - ELSEWHERE <= set(REQUESTS)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", sorted(REQUESTS))
def test_every_ledger_exports_in_every_format_with_an_audit_row(code, fmt, personas, client_for):
    if code not in ledgers:
        pytest.skip(f"{code} is not declared")
    args, query = REQUESTS[code](personas)
    response = client_for(personas.leader_a).get(_url(code, args, fmt), query)
    assert response.status_code == 200, response.content[:500]
    body = _body(response)
    name = _filename(response)
    assert name.startswith("社区A-") and name.endswith(f".{fmt}")
    if len(args) == 2:
        assert f"-{YEAR}年-" in name
    log = AuditLog.objects.get(action="ledger.export")
    assert log.actor == personas.leader_a and log.detail["ledger"] == code and log.detail["format"] == fmt
    assert log.actor_org_id == personas.community_a.pk
    if fmt == "pdf":
        text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
        assert "社区A" in text  # the Chinese text extracts as Chinese: its glyphs are there


def test_export_of_another_community_is_404_and_without_the_right_403(personas, client_for):
    url = _url("disputes", (personas.community_a.pk, YEAR), "xlsx")
    assert client_for(personas.worker_b).get(url).status_code == 404
    grid = _url("disputes", (personas.grid_a.pk, YEAR), "pdf")
    assert client_for(personas.grid_a_worker).get(grid).status_code == 403
    assert client_for(personas.inspector).get(url).status_code == 200
    assert not AuditLog.objects.filter(action="ledger.export", actor=personas.worker_b).exists()


def test_export_right_is_checked_in_the_ledgers_area(personas, client_for):
    from shequ.accounts.models import Membership

    membership = Membership.objects.get(user=personas.worker_a, org=personas.community_a)
    membership.areas.set([_area("health")])
    url = _url("disputes", (personas.community_a.pk, YEAR), "xlsx")  # 平安建设
    assert client_for(personas.worker_a).get(url).status_code == 403


def test_unknown_ledger_format_or_year_is_404(personas, client_for):
    c = client_for(personas.leader_a)
    assert c.get(f"/ledgers/nothing/{personas.community_a.pk}/{YEAR}.xlsx").status_code == 404
    assert c.get(f"/ledgers/disputes/{personas.community_a.pk}/{YEAR}.csv").status_code == 404
    assert c.get(f"/ledgers/disputes/{personas.community_a.pk}/1800.xlsx").status_code == 404
    assert c.get(f"/ledgers/disputes/{personas.community_a.pk}.xlsx").status_code == 404  # a yearly ledger


def test_a_bad_filter_gets_a_chinese_400(personas, client_for):
    url = _url("mediation", (personas.community_a.pk, YEAR), "docx")
    response = client_for(personas.leader_a).get(url, {"case": "abc"})
    assert response.status_code == 400 and "筛选条件“纠纷”无效" in response.content.decode()


def test_a_case_of_another_org_or_year_is_404(personas, client_for):
    from shequ.cases.tests.helpers import make_case

    other = make_case(personas.worker_b, personas.community_b)
    c = client_for(personas.leader_a)
    assert c.get(_url("mediation", (personas.community_a.pk, YEAR), "docx"), {"case": other.pk}).status_code == 404
    mine = _dispute(personas)
    assert c.get(_url("mediation", (personas.community_a.pk, YEAR - 1), "docx"), {"case": mine.pk}).status_code == 404


def test_pdf_without_a_chinese_font_is_refused_clearly(personas, client_for, monkeypatch):
    fonts.check_pdf_fonts.cache_clear()
    monkeypatch.setattr(fonts, "missing_cjk_glyphs", lambda: {"台"})
    try:
        response = client_for(personas.leader_a).get(_url("disputes", (personas.community_a.pk, YEAR), "pdf"))
    finally:
        fonts.check_pdf_fonts.cache_clear()
    assert response.status_code == 503
    assert "中文字体" in response.content.decode() and "fonts-noto-cjk" in response.content.decode()
    assert not AuditLog.objects.filter(action="ledger.export").exists()


@pytest.mark.parametrize("n", [10, 1000])
def test_xlsx_export_runs_a_fixed_number_of_queries(n, personas, client_for, django_assert_max_num_queries):
    from shequ.cases.tests.helpers import bulk_cases

    bulk_cases(n, personas.community_a)
    c = client_for(personas.leader_a)
    url = _url("opinions", (personas.community_a.pk, YEAR), "xlsx")
    c.get(url)
    with django_assert_max_num_queries(14):
        response = c.get(url)
        _body(response)
