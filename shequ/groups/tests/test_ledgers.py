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


def meeting_url(m, code: str, fmt: str) -> str:
    return reverse("ledgers:export", args=[code, m.org_id, m.record.year, fmt]) + f"?meeting={m.pk}"


def test_the_minutes_print_the_sign_in_the_quorum_and_the_votes(personas, client_for):
    from shequ.groups import meetings
    from shequ.groups.tests.helpers import meeting

    g = group(personas.worker_a, personas.community_a, members=5)
    m = meeting(personas.worker_a, g, present=3, excused=1)
    meetings.resolution_add(actor=personas.worker_a, meeting=m, text="五月开展控烟宣传", votes_for=3)
    response = client_for(personas.worker_a).get(meeting_url(m, "meeting-minutes", "docx"))
    assert response.status_code == 200
    text = docx_text(Document(io.BytesIO(body(response))))
    assert "会议记录" in text and "应到5人，实到3人，达到法定人数" in text
    assert "（3人）" in text and "研究年度计划" in text and "五月开展控烟宣传（赞成3、反对0、弃权0，通过）" in text
    assert client_for(personas.worker_a).get(meeting_url(m, "meeting-minutes", "pdf")).status_code == 200


def test_the_resolutions_ledger_shows_each_tasks_progress(personas, client_for):
    from shequ.groups import meetings
    from shequ.groups.tests.helpers import meeting

    g = group(personas.worker_a, personas.community_a, members=3)
    m = meeting(personas.worker_a, g)
    r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="更换宣传栏", votes_for=3)
    meetings.resolution_task(
        actor=personas.leader_a, resolution=r, title="更换宣传栏", due=date(2026, 6, 30), owner_name="王专干"
    )
    response = client_for(personas.worker_a).get(
        reverse("ledgers:export", args=["resolutions", personas.community_a.pk, 2026, "xlsx"])
    )
    values = {c.value for row in load_workbook(io.BytesIO(body(response))).active.iter_rows() for c in row}
    assert "更换宣传栏" in values and "落实中（0/1项任务已完成）" in values and "通过" in values


def test_another_communitys_worker_cannot_export_the_minutes(personas, client_for):
    from shequ.groups.tests.helpers import meeting

    m = meeting(personas.worker_a, group(personas.worker_a, personas.community_a, members=2))
    url = (
        reverse("ledgers:export", args=["meeting-minutes", personas.community_b.pk, 2026, "docx"]) + f"?meeting={m.pk}"
    )
    assert client_for(personas.worker_b).get(url).status_code == 404
