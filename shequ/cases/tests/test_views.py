"""Worker pages: the inbox's boxes and filters, query-count guards, forms that keep input, downloads."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from shequ.cases import services
from shequ.cases.choices import CaseState
from shequ.cases.models import Case
from shequ.cases.tests.helpers import accept, bulk_cases, ctype, image_upload, make_case


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


@pytest.mark.parametrize("n", [10, 1000])
def test_inbox_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_cases(n, personas.community_a, "dispute", owner=personas.worker_a, state="handling")
    c = client_for(personas.leader_a)
    # the session's second factor, the scope, the owners' names; on PostgreSQL the page's ids branch by branch first
    with django_assert_max_num_queries(18):
        html = _page(c, reverse("cases:inbox"))
    assert html.count("批量事项") == min(n, 50)


@pytest.mark.parametrize("n", [10, 1000])
def test_inbox_htmx_refresh_and_filters_run_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries, n
):
    bulk_cases(n, personas.grid_a, "hazard", state="registered")
    c = client_for(personas.leader_a)
    # one reads the session's second factor; one each checks the type and the line against their lists; on
    # PostgreSQL one reads the page's ids branch by branch
    with django_assert_max_num_queries(14):
        response = c.get(
            reverse("cases:inbox"),
            {"type": "hazard", "area": "safety", "state": "registered", "grid": personas.grid_a.pk, "box": "todo"},
            headers={"HX-Request": "true", "HX-Target": "case-rows"},
        )
    html = response.content.decode()
    assert "<html" not in html and html.count("批量事项") == min(n, 50)


def test_inbox_boxes_show_what_each_holds(personas, client_for):
    p = personas
    mine = accept(make_case(p.worker_a, p.community_a, title="我承办的纠纷"), p.leader_a, owner=p.worker_a)
    make_case(p.worker_a, p.community_a, title="待受理的纠纷")
    Case.objects.filter(pk=mine.pk).update(deadline=date(2020, 1, 1))
    c = client_for(p.worker_a)
    assert "待受理的纠纷" in _page(c, reverse("cases:inbox"), box="todo")
    assert "我承办的纠纷" not in _page(c, reverse("cases:inbox"), box="todo")
    assert "我承办的纠纷" in _page(c, reverse("cases:inbox"), box="mine")
    assert "我承办的纠纷" in _page(c, reverse("cases:inbox"), box="overdue")
    assert "待受理的纠纷" not in _page(c, reverse("cases:inbox"), box="overdue")


def test_inbox_of_worker_b_shows_nothing_of_a(personas, client_for):
    make_case(personas.worker_a, personas.community_a, title="社区A的纠纷")
    assert "社区A的纠纷" not in _page(client_for(personas.worker_b), reverse("cases:inbox"))
    assert "社区A的纠纷" in _page(client_for(personas.supervisor), reverse("cases:inbox"))


@pytest.mark.parametrize("n", [10, 1000])
def test_case_detail_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    p = personas
    case = accept(make_case(p.worker_a, p.community_a, files=[image_upload()]), p.leader_a, owner=p.worker_a)
    for i in range(min(n, 30)):
        services.entry_add(actor=p.worker_a, case=case, kind="mediation", text=f"第{i}次调解")
    bulk_cases(n, p.community_a, "dispute")
    c = client_for(p.leader_a)
    with django_assert_max_num_queries(24):
        html = _page(c, reverse("cases:detail", args=[case.pk]))
    assert "第0次调解" in html and "确认改派" in html


def test_registration_form_keeps_typed_values_on_error(personas, client_for):
    c = client_for(personas.worker_a)
    response = c.post(
        reverse("cases:create") + "?type=dispute",
        {
            "type": "dispute",
            "org": personas.community_a.pk,
            "title": "宅基地边界纠纷",
            "category": "房屋宅基地",
            "registered_on": "2026-03-01",
            "description": "",
            "d-source": "visit",
            "d-people_count": "2",
            "d-risk_level": "low",
            "p-TOTAL_FORMS": "3",
            "p-INITIAL_FORMS": "0",
            "p-0-role": "applicant",
            "p-0-name": "赵大",
            "p-1-role": "respondent",
            "p-1-name": "",
            "p-2-role": "party",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "宅基地边界纠纷" in html and "赵大" in html and "这个字段是必填项" in html


def test_registering_a_dispute_through_the_page(personas, client_for):
    c = client_for(personas.worker_a)
    response = c.post(
        reverse("cases:create") + "?type=dispute",
        {
            "type": "dispute",
            "org": personas.community_a.pk,
            "title": "邻里漏水纠纷",
            "category": "邻里",
            "registered_on": "2026-03-01",
            "description": "楼上漏水",
            "d-source": "visit",
            "d-people_count": "2",
            "d-risk_level": "medium",
            "p-TOTAL_FORMS": "3",
            "p-INITIAL_FORMS": "0",
            "p-0-role": "applicant",
            "p-0-name": "赵大",
            "p-1-role": "respondent",
            "p-1-name": "钱二",
            "p-2-role": "party",
            "files": [image_upload()],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.dispute.risk_level == "medium" and case.parties.count() == 2 and case.attachments.count() == 1


def test_action_form_error_keeps_the_form_open_and_forbidden_move_says_why(personas, client_for):
    p = personas
    case = make_case(p.worker_a, p.community_a)
    c = client_for(p.leader_a)
    response = c.post(reverse("cases:move", args=[case.pk, "accept"]), {"deadline": "2020-01-01"})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = c.post(reverse("cases:move", args=[case.pk, "archive"]), follow=True)
    assert "不能“归档”" in response.content.decode()
    response = c.post(reverse("cases:move", args=[case.pk, "accept"]), {"owner": p.worker_a.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.HANDLING


def test_unknown_action_is_404(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a)
    assert client_for(personas.leader_a).post(reverse("cases:move", args=[case.pk, "explode"])).status_code == 404


def test_worker_adds_an_entry_with_a_photo_and_the_file_is_served_only_in_scope(personas, client_for):
    p = personas
    case = accept(make_case(p.worker_a, p.community_a), p.leader_a, owner=p.worker_a)
    c = client_for(p.worker_a)
    response = c.post(
        reverse("cases:entry", args=[case.pk]), {"kind": "mediation", "text": "上门调解", "files": [image_upload()]}
    )
    assert response.status_code == 302
    att = case.attachments.get()
    assert c.get(reverse("cases:file", args=[att.pk])).status_code == 200
    assert client_for(p.worker_b).get(reverse("cases:file", args=[att.pk])).status_code == 404


def test_edit_updates_fields_and_parties(personas, client_for):
    p = personas
    case = make_case(p.worker_a, p.community_a)
    response = client_for(p.worker_a).post(
        reverse("cases:edit", args=[case.pk]),
        {
            "title": "新标题",
            "category": "合同",
            "description": "新描述",
            "d-source": "call",
            "d-people_count": "3",
            "d-risk_level": "high",
            "d-is_major": "on",
            "p-TOTAL_FORMS": "1",
            "p-INITIAL_FORMS": "0",
            "p-0-role": "applicant",
            "p-0-name": "孙三",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "新标题" and case.dispute.is_major and [x.name for x in case.parties.all()] == ["孙三"]


@pytest.mark.parametrize("n", [10, 1000])
def test_dashboard_and_screening_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_cases(n // 2, personas.community_a, "dispute", state="handling")
    bulk_cases(n // 2, personas.community_b, "opinion", state="evaluated", rating=4)
    c = client_for(personas.admin)
    # One resolves the actor's scope; the counts are two (totals from the index alone, then the open cases).
    with django_assert_max_num_queries(16):
        html = _page(c, reverse("cases:dashboard"))
    assert "和平街道" in html
    with django_assert_max_num_queries(13):  # one resolves the actor's scope
        html = _page(c, reverse("cases:screening"), year=date.today().year, month=1)
    assert "排查数" in html


def test_screening_rolls_up_and_never_infers_a_zero_report(personas, client_for):

    p = personas
    year = timezone.localdate().year
    with time_machine.travel(timezone.now().replace(month=1, day=15), tick=False):
        a = make_case(p.worker_a, p.community_a, registered_on=date(year, 1, 10), detail={"is_major": True})
        accept(a, p.leader_a, owner=p.worker_a)
        services.case_move(
            actor=p.worker_a, case=a, action="resolve", result="r", outcome="success", agreement_text="协议"
        )
        make_case(p.worker_a, p.grid_a, registered_on=date(year, 1, 12))
    from shequ.cases.stats import screening

    data = screening(p.admin, org=p.district, year=year, month=1)
    rows = {r["org"].name: r for r in data["table"]}
    assert rows["社区A"]["counts"] == {"screened": 2, "mediated": 1, "succeeded": 1, "major": 1}
    assert rows["和平街道"]["counts"]["screened"] == 2 and rows["明德区"]["counts"]["screened"] == 2
    # A community without a registered dispute has a count of 0, not a 零报告: that is its own explicit submission.
    assert rows["社区B"]["counts"]["screened"] == 0 and "zero" not in rows["社区B"]
    assert data["months"][0]["counts"]["screened"] == 2 and data["months"][1]["counts"]["screened"] == 0
    html = client_for(p.admin).get(reverse("cases:screening"), {"year": year, "month": 2}).content.decode()
    assert "零报告</span>" not in html


def test_dashboard_counts_by_org_and_type_with_speed_and_satisfaction(personas):
    from shequ.cases.stats import dashboard

    p = personas
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        case = services.case_report(
            actor=p.resident, case_type=ctype("opinion"), org=p.community_a, title="t", description="d",
            category="意见",
        )  # fmt: skip
    with time_machine.travel(t0 + timedelta(hours=30), tick=False):
        accept(case, p.leader_a, owner=p.worker_a)
        services.case_move(actor=p.worker_a, case=case, action="resolve", result="r")
        services.case_move(actor=p.resident, case=case, action="evaluate", rating=5)
    make_case(p.worker_b, p.community_b)
    data = dashboard(p.supervisor, org=p.street, year=case.year)
    by_org = {r.label: r.counts for r in data["org_rows"]}
    assert by_org["社区B"]["todo"] == 1 and by_org["社区A"]["total"] == 1
    opinion = next(r for r in data["type_rows"] if r["type"].code == "opinion")
    assert opinion["avg_rating"] == 5 and opinion["satisfaction"] == 100.0 and opinion["to_accept_h"] is not None
    assert data["satisfaction"] == 100.0


def test_ledgers_download_as_xlsx_and_docx_with_their_columns(personas, client_for):
    from docx import Document
    from openpyxl import load_workbook

    p = personas
    d = accept(make_case(p.worker_a, p.community_a, title="漏水"), p.leader_a, owner=p.worker_a)
    services.case_move(actor=p.worker_a, case=d, action="resolve", result="r", outcome="success", agreement_text="赔偿")
    h = accept(make_case(p.worker_a, p.community_a, "hazard"), p.leader_a, owner=p.worker_a)
    services.case_move(actor=p.worker_a, case=h, action="resolve", result="r", rectification_measures="更换电线")
    services.case_move(actor=p.leader_a, case=h, action="evaluate", checker="李书记", check_conclusion="合格")
    c = client_for(p.leader_a)
    year = d.year
    xlsx = c.get(reverse("ledgers:export", args=["disputes", p.community_a.pk, year, "xlsx"]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert ws["A1"].value == "矛盾纠纷排查调处台账"
    assert [c.value for c in ws[3]][:5] == ["序号", "排查/登记日期", "来源", "当事人", "纠纷类型"]
    assert ws["D4"].value == "张三、李四" and ws["J4"].value == "调解成功"
    hz = c.get(reverse("ledgers:export", args=["hazards", p.community_a.pk, year, "xlsx"]))
    ws = load_workbook(io.BytesIO(b"".join(hz.streaming_content))).active
    assert ws.cell(4, 15).value.startswith("已销号") and ws.cell(4, 13).value == "李书记"
    docx = c.get(reverse("ledgers:export", args=["opinions", p.community_a.pk, year, "docx"]))
    doc = Document(io.BytesIO(b"".join(docx.streaming_content)))
    assert doc.paragraphs[0].text == "民情民意办理台账"
    form = c.get(reverse("ledgers:export", args=["mediation", p.community_a.pk, year, "docx"]), {"case": d.pk})
    doc = Document(io.BytesIO(b"".join(form.streaming_content)))
    cells = [cell.text for row in doc.tables[0].rows for cell in row.cells]
    assert doc.paragraphs[0].text == "人民调解受理登记表" and "张三与李四之间的纠纷" in cells and "邻里纠纷" in cells
    form = c.get(reverse("ledgers:export", args=["mediation", p.community_a.pk, year, "xlsx"]), {"case": d.pk})
    ws = load_workbook(io.BytesIO(b"".join(form.streaming_content))).active
    assert ws["A1"].value == "人民调解受理登记表"


def test_ledger_of_another_org_is_404_and_export_needs_the_right(personas, client_for):
    year = date.today().year
    url = reverse("ledgers:export", args=["disputes", personas.community_a.pk, year, "xlsx"])
    assert client_for(personas.worker_b).get(url).status_code == 404
    assert (
        client_for(personas.grid_a_worker)
        .get(reverse("ledgers:export", args=["disputes", personas.grid_a.pk, year, "xlsx"]))
        .status_code
        == 403
    )


def test_limits_page_sets_and_clears_an_override(personas, client_for):
    c = client_for(personas.leader_a)
    response = c.post(
        reverse("cases:limits"),
        {
            "case_type": ctype("hazard").pk,
            "org": personas.community_a.pk,
            "accept_hours": 12,
            "handle_days": 20,
            "yellow_days": 3,
            "red_days": 2,
        },
    )
    assert "红牌天数应大于黄牌天数" in response.content.decode()
    response = c.post(
        reverse("cases:limits"),
        {
            "case_type": ctype("hazard").pk,
            "org": personas.community_a.pk,
            "accept_hours": 12,
            "handle_days": 20,
            "yellow_days": 3,
            "red_days": 6,
        },
    )
    assert response.status_code == 302
    from shequ.cases.models import CaseTimeLimit

    row = CaseTimeLimit.objects.get()
    assert client_for(personas.worker_a).post(reverse("cases:limit_clear", args=[row.pk])).status_code == 403
    assert c.post(reverse("cases:limit_clear", args=[row.pk])).status_code == 302
    assert not CaseTimeLimit.objects.exists()


def test_person_search_finds_registry_persons_in_scope_only(personas, client_for):
    from shequ.residents.models import Person

    Person.objects.create(org=personas.community_a, name="欧阳修")
    Person.objects.create(org=personas.community_b, name="欧阳询")
    html = client_for(personas.worker_a).post(
        reverse("residents:person_pick") + "?field=p-0-person", {"p-0-person-q": "欧阳"}
    )
    text = html.content.decode()
    assert "欧阳修" in text and "欧阳询" not in text and 'name="p-0-person"' in text


def test_the_person_search_reads_its_term_only_from_a_posted_body(personas, client_for):
    from shequ.residents.tests.helpers import register

    register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    c = client_for(personas.worker_a)
    url = reverse("residents:person_pick") + "?field=p-0-person"
    assert "王五" in c.post(url, {"p-0-person-q": "13912345678"}).content.decode()
    # a number in the address is never searched for: nothing to gain from putting it there
    got = c.get(url, {"p-0-person-q": "13912345678"})
    assert got.status_code == 200 and "王五" not in got.content.decode()


def test_party_phones_are_masked_for_those_without_the_sensitive_right(personas, client_for):
    case = make_case(
        personas.worker_a, personas.community_a, parties=[{"name": "赵大", "phone": "13812345678"}],
        reporter_phone="13987654321",
    )  # fmt: skip
    url = reverse("cases:detail", args=[case.pk])
    full = _page(client_for(personas.leader_a), url)
    assert "13812345678" in full and "13987654321" in full
    masked = _page(client_for(personas.inspector), url)
    assert "13812345678" not in masked and "138****5678" in masked and "139****4321" in masked


def test_dashboard_totals_count_only_the_areas_an_area_bound_reader_holds(personas):
    from shequ.accounts.roles import Role
    from shequ.cases.stats import dashboard
    from shequ.testing.factories import member

    p = personas
    hazard = make_case(p.worker_a, p.community_a, "hazard")
    opinion = make_case(p.worker_a, p.community_a, "opinion")
    assert hazard.area_id != opinion.area_id
    bound = member(p.street, Role.WORKER, areas=[hazard.area], username="street_hazard_only")
    seen = dashboard(bound, org=p.street, year=hazard.year)
    whole = dashboard(p.admin, org=p.street, year=hazard.year)
    assert seen["totals"].counts["total"] == 1 and seen["totals"].counts["open"] == 1
    assert whole["totals"].counts["total"] == 2 and whole["totals"].counts["todo"] == 2
    by_type = {r["type"].code: r["counts"]["total"] for r in seen["type_rows"]}
    assert by_type["hazard"] == 1 and by_type["opinion"] == 0
