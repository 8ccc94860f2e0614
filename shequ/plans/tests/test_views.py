"""Pages: plan detail and export, calendar, overview with query-count guards, adoption, tasks, API."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from shequ.plans import services
from shequ.plans.models import Plan, PlanTemplate, RateEntry, Reminder
from shequ.plans.tests.helpers import record
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db


def health_template():
    return PlanTemplate.objects.get(org__isnull=True, code="ref-health")


@pytest.fixture
def plan_a(personas):
    p = services.template_adopt(
        actor=personas.leader_a, template=health_template(), org=personas.community_a, year=2025
    )
    # Typed rates (the reference template computes these two from surveys; a community may type them instead).
    p.targets.filter(code__in=["health-behaviour", "health-resident-knowledge", "health-staff-knowledge"]).update(
        kind="rate", indicator="", min_sample=None
    )
    t = p.targets.get(code="health-meetings")
    services.target_save(actor=personas.leader_a, plan=p, target=t, owner_name="王专干")
    services.task_create(
        actor=personas.leader_a,
        org=personas.community_a,
        plan=p,
        title="制订年度计划",
        due=date(2025, 3, 31),
        leader_name="李书记",
        owner_name="王专干",
    )
    record(personas.community_a, "health/board", date(2025, 1, 8), title="一月宣传栏")
    RateEntry.objects.create(
        target=p.targets.get(code="health-behaviour"), value=Decimal(82), measured_on=date(2025, 6, 1), evidence="问卷"
    )
    return p


def test_plan_detail_shows_targets_with_state_and_responsible(plan_a, personas, client_for):
    body = client_for(personas.leader_a).get(reverse("plans:detail", args=[plan_a.pk])).content.decode()
    assert "健康教育专栏/橱窗更换" in body and "王专干" in body and "制订年度计划" in body
    assert 'data-state="ok"' in body


def _plan_export(plan, fmt: str) -> str:
    return reverse("ledgers:export", args=["plan", plan.org_id, plan.year, fmt]) + f"?plan={plan.pk}"


def test_plan_export_xlsx_and_docx_reread(plan_a, personas, client_for):
    c = client_for(personas.leader_a)
    xlsx = c.get(_plan_export(plan_a, "xlsx"))
    assert xlsx.status_code == 200
    assert unquote(xlsx["Content-Disposition"]).endswith("社区A-健康教育-2025年-年度工作计划.xlsx")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    cells = [[c for c in row if c is not None] for ws in book.worksheets for row in ws.iter_rows(values_only=True)]
    text = "\n".join(" ".join(map(str, r)) for r in cells)
    assert "填报单位：社区A" in text and "年度：2025年" in text
    assert any("专题研究健康教育工作办公会" in str(r) and "王专干" in r for r in cells)
    assert any("健康行为形成率" in str(r) and "达标" in r for r in cells)
    assert any("制订年度计划" in r and "李书记" in r for r in cells)
    docx = c.get(_plan_export(plan_a, "docx"))
    doc = Document(io.BytesIO(b"".join(docx.streaming_content)))
    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["序号", "指标", "类型", "要求", "完成情况", "状态", "责任人"]
    board = next(r for r in rows if "专栏/橱窗" in r[1])
    assert board[3] == "每月至少1次,全年至少12次" and board[4] == "1/12"
    assert any("王专干" in r[6] for r in rows)
    tasks = [[cell.text for cell in row.cells] for row in doc.tables[1].rows]
    assert tasks[1][1] == "制订年度计划" and tasks[1][4] == "李书记"


def test_plan_export_is_audited_and_needs_the_plan_of_the_address(plan_a, personas, client_for):
    from shequ.audit.models import AuditLog

    c = client_for(personas.leader_a)
    assert c.get(_plan_export(plan_a, "pdf")).status_code == 200
    log = AuditLog.objects.get(action="ledger.export")
    assert log.detail["ledger"] == "plan" and log.detail["format"] == "pdf" and log.object_id == str(plan_a.pk)
    other_year = reverse("ledgers:export", args=["plan", plan_a.org_id, plan_a.year - 1, "xlsx"])
    assert c.get(other_year, {"plan": plan_a.pk}).status_code == 404
    assert c.get(reverse("ledgers:export", args=["plan", plan_a.org_id, plan_a.year, "xlsx"])).status_code == 404
    assert client_for(personas.worker_b).get(_plan_export(plan_a, "xlsx")).status_code == 404


def test_calendar_page_colours_months_and_passes_data_by_json_script(plan_a, personas, client_for):
    r = client_for(personas.worker_a).get(reverse("plans:calendar"), {"year": 2025})
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="calendar-data"' in body and f'nonce="{r.wsgi_request.csp_nonce}"' in body
    row = body.split('data-target="health-board-monthly"')[1].split("</tr>")[0]
    assert 'data-month="1" data-state="ok"' in row


def _district(n):
    district = OrgFactory(kind="district", name="区")
    street = OrgFactory(kind="street", name="街道", parent=district)
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    inspector = member(district, Role.INSPECTOR)
    admin = member(district, Role.ADMIN)
    template = health_template()
    for i in range(n):
        c = OrgFactory(kind="community", name=f"社区{i}", parent=street)
        services.template_adopt(actor=admin, template=template, org=c, year=2025)
        record(c, "health/board", date(2025, 1 + i % 12, 3))
    return district, street, inspector


@pytest.mark.parametrize("n", [10, 40])
def test_district_overview_runs_a_fixed_number_of_queries(n, client_for, django_assert_max_num_queries):
    district, street, inspector = _district(n)
    c = client_for(inspector)
    c.get(reverse("plans:overview"), {"org": street.pk, "year": 2025})  # warm the session
    # 22, 12 for the health plans' survey rates (3 measures each, their sources, the orgs they fold into), 1 for
    # the health leading group's count, 1 for the count of its quorate meetings and 1 for the plan documents adopted
    # in time.
    with django_assert_max_num_queries(37):
        r = c.get(reverse("plans:overview"), {"org": district.pk, "year": 2025})
    assert r.status_code == 200
    with django_assert_max_num_queries(37):
        r = c.get(reverse("plans:overview"), {"org": street.pk, "year": 2025})
    body = r.content.decode()
    assert body.count('data-target="health-board-monthly"') == 1 and "社区0" in body and f"社区{n - 1}" in body


@pytest.mark.parametrize("n", [10, 40])
def test_plan_list_and_task_list_run_a_fixed_number_of_queries(n, client_for, django_assert_max_num_queries):
    _district_org, _street, inspector = _district(n)
    c = client_for(inspector)
    c.get(reverse("plans:list"))
    with django_assert_max_num_queries(14):
        assert c.get(reverse("plans:list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(reverse("plans:tasks")).status_code == 200


def test_adopting_a_template_through_the_page(personas, client_for):
    c = client_for(personas.leader_a)
    url = reverse("plans:template_detail", args=[health_template().pk])
    assert "采用为本单位计划" in c.get(url).content.decode()
    r = c.post(url, {"org": personas.community_a.pk, "year": 2026})
    plan = Plan.objects.get(org=personas.community_a, year=2026)
    assert r.status_code == 302 and r["Location"] == reverse("plans:detail", args=[plan.pk])
    again = c.post(url, {"org": personas.community_a.pk, "year": 2026})
    assert "已采用过该模板" in again.content.decode()


def test_target_form_keeps_typed_values_on_error(plan_a, personas, client_for):
    r = client_for(personas.leader_a).post(
        reverse("plans:target_create", args=[plan_a.pk]), {"title": "新的讲座指标", "kind": "count"}
    )
    body = r.content.decode()
    assert r.status_code == 200 and "新的讲座指标" in body and "需要选择活动类型" in body


def test_rate_entry_through_the_target_page(plan_a, personas, client_for):
    t = plan_a.targets.get(code="health-resident-knowledge")
    r = client_for(personas.worker_a).post(
        reverse("plans:target_detail", args=[t.pk]),
        {"value": "97.5", "measured_on": "2025-11-20", "evidence": "入户问卷300份"},
    )
    assert r.status_code == 302 and t.entries.get().value == Decimal("97.5")


def test_bell_tag_renders_the_unread_count_in_one_query(personas, rf, django_assert_num_queries):
    from django.template import Context, Template

    Reminder.objects.create(user=personas.worker_a, kind="overdue", key="k1", message="m", day=date(2025, 1, 1))
    Reminder.objects.create(
        user=personas.worker_a, kind="overdue", key="k2", message="m", day=date(2025, 1, 1), read_at="2025-01-02T00:00Z"
    )
    request = rf.get("/")
    request.user = personas.worker_a
    with django_assert_num_queries(1):
        html = Template("{% load plans_tags %}{% reminder_bell %}").render(Context({"request": request}))
    assert '<span class="count">1</span>' in html and reverse("plans:reminders") in html


def test_reminder_page_and_dashboard_cards(plan_a, personas, client_for):
    c = client_for(personas.leader_a)
    assert c.get(reverse("plans:reminders")).status_code == 200
    body = c.get(reverse("dashboard")).content.decode()
    assert "指标预警" in body and "到期和逾期任务" in body


def test_api_plan_with_targets_and_periods(plan_a, personas, client_for):
    c = client_for(personas.worker_a)
    data = c.get(f"/api/plans/{plan_a.pk}").json()
    board = next(t for t in data["targets"] if t["code"] == "health-board-monthly")
    assert board["total"]["done"] == "1" and board["total"]["expected"] == "12"
    detail = c.get(f"/api/plans/targets/{board['id']}").json()
    assert detail["periods"][0]["state"] == "ok" and len(detail["periods"]) == 12
    t = plan_a.targets.get(code="health-staff-knowledge")
    r = c.post(
        f"/api/plans/targets/{t.pk}/entries",
        {"value": "98.5", "measured_on": "2025-10-01", "evidence": "考核"},
        content_type="application/json",
    )
    assert r.status_code == 201
    over = c.get("/api/plans/overview", {"org_id": personas.community_a.pk, "year": 2025}).json()
    assert any(row["code"] == "health-board-monthly" for row in over)
    assert client_for(personas.worker_b).get(f"/api/plans/{plan_a.pk}").json()["code"] == "not_found"


def test_health_only_worker_cannot_link_or_read_a_safety_record_on_the_task_page(personas, client_for):
    from shequ.accounts.models import Membership
    from shequ.orgs.models import Area

    Membership.objects.get(user=personas.worker_a).areas.set([Area.objects.get(code="health")])
    task = services.task_create(
        actor=personas.leader_a, org=personas.community_a, title="平安创建", due=date(2025, 6, 30),
        lead_org=personas.community_a,
    )  # fmt: skip
    hidden = record(personas.community_a, "safety/patrol", date(2025, 5, 2), title="治安巡逻排查")
    client = client_for(personas.worker_a)
    client.post(reverse("plans:task_evidence", args=[task.pk]), {"record": hidden.pk})
    assert not task.evidence.exists()
    services.task_link_evidence(actor=personas.leader_a, task=task, record=hidden)
    page = client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "平安创建" in page and "治安巡逻排查" not in page
