"""The questionnaire, the answers table and the results report through the ledger layer."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from shequ.surveys.tests.test_indicators import _closed
from shequ.surveys.tests.test_results import R1, R2, R3


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _url(survey, code: str, fmt: str) -> str:
    return reverse("ledgers:export", args=[code, survey.org_id, 2026, fmt]) + f"?survey={survey.pk}"


def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture
def closed(personas):
    return _closed(personas, [R1, R2, R3], on=date(2026, 6, 30))


def test_the_questionnaire_prints_every_question_with_its_options(closed, personas, client_for):
    c = client_for(personas.worker_a)
    doc = Document(io.BytesIO(_body(c.get(_url(closed, "survey-form", "docx")))))
    text = _docx_text(doc)
    first = closed.questions.get(number=1)
    assert first.text in text and "问卷编号" in text and "调查员" in text
    assert "A." + first.options[0] in text
    assert _body(c.get(_url(closed, "survey-form", "pdf"))).startswith(b"%PDF")


def test_the_answers_table_has_a_row_per_response(closed, personas, client_for):
    wb = load_workbook(io.BytesIO(_body(client_for(personas.worker_a).get(_url(closed, "survey-answers", "xlsx")))))
    values = [[c.value for c in row] for row in wb.active.iter_rows()]
    scores = [v for row in values for v in row if v in ("4/4", "3/4", "2/4")]
    assert sorted(scores) == ["2/4", "3/4", "4/4"]


def test_the_report_gives_both_formulas_and_a_chart_per_question(closed, personas, client_for):
    c = client_for(personas.worker_a)
    doc = Document(io.BytesIO(_body(c.get(_url(closed, "survey-report", "docx")))))
    text = _docx_text(doc)
    assert "75%" in text and "33.33%" in text and "按题目计算" in text and "按人计算" in text
    assert "25.6%–96.3%" in text
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(images) == closed.questions.count()
    assert _body(c.get(_url(closed, "survey-report", "pdf"))).startswith(b"%PDF")


def test_another_communitys_worker_cannot_export_the_survey(closed, personas, client_for):
    assert client_for(personas.worker_b).get(_url(closed, "survey-report", "xlsx")).status_code == 404


def test_a_survey_of_another_year_is_not_exported_under_this_one(closed, personas, client_for):
    url = reverse("ledgers:export", args=["survey-report", closed.org_id, 2025, "xlsx"]) + f"?survey={closed.pk}"
    assert client_for(personas.worker_a).get(url).status_code == 404
