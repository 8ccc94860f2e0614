"""The education ledgers through the ledger layer: the course register, one attendance sheet per session, the
learner register with hours, and a certificate page for each learner who completed a course."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from shequ.education import services
from shequ.education.tests.helpers import course, residents, school

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def url(code: str, org, fmt: str, year: int = 2026, **query) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return reverse("ledgers:export", args=[code, org.pk, year, fmt]) + (f"?{q}" if q else "")


def table(response) -> list[dict]:
    ws = load_workbook(io.BytesIO(body(response))).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if "序号" in r)
    return [dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1 :] if r[1]]


def docx_text(response) -> str:
    doc = Document(io.BytesIO(body(response)))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture
def held(personas):
    """A two-session course of 社区A's school, both held: one learner at both, one at the first only."""
    c = course(personas.worker_a, school(personas.community_a), days=[date(2026, 3, 5), date(2026, 3, 12)])
    full, half = residents(personas.community_a, 2)
    services.enrol(actor=personas.worker_a, course=c, persons=[full, half])
    first, second = c.sessions.order_by("number")
    services.attendance_take(actor=personas.worker_a, session=first, present=[full.pk, half.pk])
    services.attendance_take(actor=personas.worker_a, session=second, present=[full.pk])
    return c, full, half


def test_the_course_register_counts_places_sessions_and_attendances(held, personas, client_for):
    c, _full, _half = held
    rows = table(client_for(personas.worker_a).get(url("course-register", personas.community_a, "xlsx")))
    assert len(rows) == 1
    row = rows[0]
    assert (row["课程名称"], row["授课教师"], row["课次"], row["已上课次"], row["报名"], row["参训人次"]) == (
        c.title, c.teacher.name, 2, 2, 2, 3
    )  # fmt: skip


def test_the_attendance_sheet_prints_one_page_per_session_with_who_came(held, personas, client_for):
    c, full, half = held
    second = c.sessions.get(number=2)
    response = client_for(personas.worker_a).get(
        url("course-attendance", personas.community_a, "docx", session=second.pk)
    )
    text = docx_text(response)
    assert "第2次课" in text and f"{full.name}（1人）" in text and f"{half.name}（1人）" in text  # came, missed
    assert "实到" in text and "1人" in text


def test_the_learner_register_gives_each_learner_their_hours(held, personas, client_for):
    _c, full, half = held
    rows = table(client_for(personas.worker_a).get(url("learner-register", personas.community_a, "xlsx")))
    assert {r["姓名"]: (r["出勤次数"], r["学时"]) for r in rows} == {full.name: (2, 4), half.name: (1, 2)}


def test_a_certificate_for_each_learner_who_completed_the_course(held, personas, client_for):
    c, full, _half = held
    client = client_for(personas.worker_a)
    rows = table(client.get(url("course-certificates", personas.community_a, "xlsx", course=c.pk)))
    assert [r["姓名"] for r in rows] == [full.name]  # one of two sessions is not four in five
    pdf = PdfReader(io.BytesIO(body(client.get(url("course-certificates", personas.community_a, "pdf", course=c.pk)))))
    text = pdf.pages[0].extract_text()
    assert "结业证书" in text and full.name in text and "准予结业" in text
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4


def test_another_communitys_worker_cannot_export_the_course(held, personas, client_for):
    c, _full, _half = held
    response = client_for(personas.worker_b).get(url("course-certificates", personas.community_a, "pdf", course=c.pk))
    assert response.status_code == 404
