"""The roster of the groups with their terms through the ledger layer."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from shequ.groups import services
from shequ.groups.tests.helpers import group

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def url(org, fmt: str, year: int = 2026, **query) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return reverse("ledgers:export", args=["group-roster", org.pk, year, fmt]) + (f"?{q}" if q else "")


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_the_roster_lists_members_with_role_term_and_dates(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=3)
    gone = g.members.order_by("id").last()
    services.member_leave(actor=personas.worker_a, member=gone, left_on=date(2026, 5, 1), note="迁出")
    group(personas.worker_a, personas.community_a, area="safety", name="平安建设领导小组", members=1)
    response = client_for(personas.worker_a).get(url(personas.community_a, "xlsx"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(body(response))).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if "姓名" in r)
    data = [dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1 :] if r[header.index("姓名")]]
    assert {d["组织机构"] for d in data} == {"健康教育领导小组", "平安建设领导小组"}
    left = next(d for d in data if d["姓名"] == gone.name)
    assert left["退出日期"].date() == date(2026, 5, 1)
    assert "第1届（2026年1月—2029年12月）" in {d["届次及任期"] for d in data}


def test_one_groups_roster_on_paper(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=2)
    group(personas.worker_a, personas.community_a, name="另一小组", members=1)
    response = client_for(personas.worker_a).get(url(personas.community_a, "docx", group=g.pk))
    text = docx_text(Document(io.BytesIO(body(response))))
    assert "健康教育领导小组成员名册" in text and "另一小组" not in text


def test_a_members_who_left_before_the_year_is_not_on_its_roster(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=2, founded=date(2024, 1, 1))
    gone = g.members.order_by("id").last()
    services.member_leave(actor=personas.worker_a, member=gone, left_on=date(2025, 3, 1))
    ws = load_workbook(io.BytesIO(body(client_for(personas.worker_a).get(url(personas.community_a, "xlsx"))))).active
    names = {c.value for row in ws.iter_rows() for c in row}
    stays = g.members.get(left_on__isnull=True)
    assert gone.name not in names and stays.name in names


def test_another_communitys_worker_cannot_export_the_roster(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=1)
    assert client_for(personas.worker_b).get(url(personas.community_a, "xlsx")).status_code in (403, 404)
    assert client_for(personas.worker_b).get(url(personas.community_b, "xlsx", group=g.pk)).status_code == 404
