import io
from datetime import date, datetime
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from shequ.records.tests.helpers import bulk_records, image_upload, make_record

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _filename(response) -> str:
    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[-1])


def _activities(org, fmt: str, year: int = 2025) -> str:
    return reverse("ledgers:export", args=["activities", org.pk, year, fmt]) + "?area=health"


def _health_form(record, fmt: str = "docx") -> str:
    return reverse("ledgers:export", args=["health-forms", record.org_id, record.year, fmt]) + f"?record={record.pk}"


def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture
def year_of_records(personas):
    make_record(
        personas.worker_a, personas.community_a, on=date(2025, 5, 2), title="第5期 控烟", photos=[image_upload()],
        extra={"issue_no": 5, "location": "1号宣传栏", "topics": "控烟、戒烟"}, participant_count=0,
    )  # fmt: skip
    make_record(personas.worker_a, personas.community_a, code="lecture", on=date(2025, 3, 8), title="高血压讲座",
                place="会议室", participant_count=35)  # fmt: skip
    make_record(personas.grid_a_worker, personas.grid_a, code="lecture", on=date(2025, 7, 1), title="网格讲座")
    make_record(personas.worker_a, personas.community_a, code="lecture", on=date(2024, 7, 1), title="去年的讲座")
    make_record(
        personas.worker_a, personas.community_a, area="safety", code="patrol", on=date(2025, 7, 1), title="巡逻"
    )
    make_record(personas.worker_b, personas.community_b, code="lecture", on=date(2025, 7, 1), title="B的讲座")


def test_activity_ledger_xlsx_has_heading_and_rows_of_the_org_area_and_year(personas, client_for, year_of_records):
    response = client_for(personas.leader_a).get(_activities(personas.community_a, "xlsx"))
    assert response.status_code == 200
    assert response.streaming
    assert _filename(response) == "社区A-健康教育-2025年-工作活动台账.xlsx"
    ws = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "健康教育工作活动台账"
    heading = rows[1][0]
    for part in ("填报单位：社区A", "年度：2025年", "条线：健康教育", "填报日期："):
        assert part in heading
    assert rows[2][:5] == ("序号", "日期", "单位", "活动类型", "主题")
    data = [r for r in rows[3:] if isinstance(r[0], int)]
    assert [r[4] for r in data] == ["高血压讲座", "第5期 控烟", "网格讲座"]  # by date, grid included, B and 2024 not
    board = data[1]
    assert board[1] == datetime(2025, 5, 2) and board[3] == "宣传栏更换" and board[10] == 1
    assert "宣传栏位置：1号宣传栏" in board[9]
    assert any(str(r[0]).startswith("制表人（签字）：社区A书记") for r in rows[len(data) + 3 :] if r[0])


def test_activity_ledger_docx_has_heading_table_and_an_embedded_photo(personas, client_for, year_of_records):
    response = client_for(personas.worker_a).get(_activities(personas.community_a, "docx"))
    assert response.status_code == 200
    assert _filename(response) == "社区A-健康教育-2025年-工作活动台账.docx"
    doc = Document(io.BytesIO(_body(response)))
    text = _docx_text(doc)
    assert doc.paragraphs[0].text == "健康教育工作活动台账"
    for part in ("填报单位：社区A", "年度：2025年", "制表人（签字）：社区A专干", "填报日期："):
        assert part in text
    assert "高血压讲座" in text and "网格讲座" in text and "B的讲座" not in text and "去年的讲座" not in text
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["序号", "日期", "活动类型", "主题", "地点", "组织者", "参加人数", "活动内容", "照片"]
    board = next(row for row in doc.tables[0].rows if row.cells[3].text == "第5期 控烟")
    assert board.cells[8].text == "见图1"  # the photo pages, not a bare count
    assert len(doc.inline_shapes) == 1
    assert "图1　2025年5月2日　第5期 控烟" in text
    section = doc.sections[0]
    assert round(section.page_width.cm) == 30 and round(section.page_height.cm) == 21  # A4 landscape


def test_health_form_docx_follows_the_national_form(personas, client_for):
    from shequ.residents.models import Person

    p = Person.objects.create(org=personas.community_a, name="赵大爷")
    r = make_record(
        personas.worker_a, personas.community_a, code="lecture", on=date(2025, 3, 24), title="世界防治结核病日讲座",
        place="社区会议室", organiser="社区卫生服务站", participant_count=25, content="结核病的症状与防治",
        summary="居民反响良好", persons=[p.pk], photos=[image_upload()],
        extra={"activity_form": ["健康讲座"], "audience": ["辖区居民", "老年人"], "materials_kinds": "结核病防治折页",
               "materials_count": 25, "archive": ["书面材料"], "speaker": "刘医生"},
    )  # fmt: skip
    response = client_for(personas.worker_a).get(_health_form(r))
    assert response.status_code == 200
    assert _filename(response).startswith("社区A-健康教育-2025年-健康教育活动记录表")
    doc = Document(io.BytesIO(_body(response)))
    assert doc.paragraphs[0].text == "健康教育活动记录表"
    table = doc.tables[0]
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert cells["活动时间"] == ["活动时间", "2025年3月24日", "活动地点", "社区会议室"]
    assert cells["活动形式"][1] == "健康讲座"
    assert cells["活动主题"][1] == "世界防治结核病日讲座"
    assert cells["组织者"][1] == "社区卫生服务站"
    assert cells["接受健康教育人员类别"][1:] == ["辖区居民、老年人", "接受健康教育人数", "25"]
    assert cells["健康教育资料发放种类及数量"][1] == "结核病防治折页、25份"
    assert cells["活动内容"][1] == "结核病的症状与防治"
    archive = cells["存档材料请附后"][1]
    assert "☑书面材料" in archive and "☑图片材料" in archive and "☑签到表" in archive and "□影音材料" in archive
    text = _docx_text(doc)
    assert "填表人（签字）：社区A专干" in text and "负责人（签字）" in text and "赵大爷" in text
    assert len(doc.inline_shapes) == 1


def test_health_form_is_only_for_health_records(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a, area="safety", code="patrol", title="巡逻")
    assert client_for(personas.worker_a).get(_health_form(r)).status_code == 404


def test_ledger_of_another_community_is_404_and_grid_worker_cannot_export(personas, client_for, year_of_records):
    url = _activities(personas.community_a, "xlsx")
    assert client_for(personas.worker_b).get(url).status_code == 404
    assert client_for(personas.grid_a_worker).get(url).status_code == 404  # the community is above the grid
    inspector = client_for(personas.inspector).get(url)
    assert inspector.status_code == 200


@pytest.mark.parametrize("n", [10, 1000])
def test_xlsx_export_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_records(personas.community_a, n, by=personas.worker_a)
    c = client_for(personas.worker_a)
    url = _activities(personas.community_a, "xlsx")
    c.get(url)
    with django_assert_max_num_queries(14):
        response = c.get(url)
        body = _body(response)
    ws = load_workbook(io.BytesIO(body), read_only=True).active
    assert ws.max_row == n + 3 + 3  # title, facts, header; the rows; a gap, the signatures, the seal


@pytest.mark.parametrize("n", [10, 300])
def test_docx_export_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_records(personas.community_a, n, by=personas.worker_a)
    c = client_for(personas.worker_a)
    url = _activities(personas.community_a, "docx")
    with django_assert_max_num_queries(14):
        _body(c.get(url))


def test_ledger_page_offers_the_downloads(personas, client_for, year_of_records):
    c = client_for(personas.worker_a)
    response = c.get(reverse("records:ledgers"), {"org": personas.community_a.pk, "area": "health", "year": 2025})
    assert response.status_code == 200 and response.context["count"] == 3
    assert _activities(personas.community_a, "docx") in response.content.decode()


def test_activity_ledger_prints_its_header_and_page_number_on_every_page(personas, client_for):
    import re

    from docx.oxml.ns import qn
    from pypdf import PdfReader

    from shequ.records.models import Record

    bulk_records(personas.community_a, 60, by=personas.worker_a)
    Record.objects.update(content="在社区服务站开展健康知识讲座，讲解高血压的预防与自我管理，现场解答居民提问。" * 2)
    c = client_for(personas.worker_a)
    pdf = PdfReader(io.BytesIO(_body(c.get(_activities(personas.community_a, "pdf")))))
    pages = [re.sub(r"\s", "", p.extract_text()) for p in pdf.pages]
    assert 4 <= len(pages) <= 15
    for i, text in enumerate(pages, start=1):
        assert "活动内容" in text and f"第{i}页共{len(pages)}页" in text
    doc = Document(io.BytesIO(_body(c.get(_activities(personas.community_a, "docx")))))
    header = doc.tables[0].rows[0]._tr
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_funds_are_entered_as_records_with_amounts_and_listed_in_the_funds_ledger(personas, client_for):
    """The funds ledger: income and spending of a line of work, amounts checked, totals under the table."""
    from django.core.exceptions import ValidationError

    def funds(flow, amount, **kw):
        extra = {"flow": flow, "amount": amount, "item": "课酬"}
        title = kw.pop("title", "经费")
        return make_record(personas.worker_a, personas.community_a, area="education", code="funds", title=title,
                           extra=extra, **kw)  # fmt: skip

    spent = funds("支出", "300.5", on=date(2025, 4, 1), title="讲师课酬")
    assert spent.extra["amount"] == "300.50"
    funds("收入", "3000", on=date(2025, 2, 1), title="街道拨款")
    with pytest.raises(ValidationError) as err:
        funds("支出", "-5", on=date(2025, 5, 1))
    assert "金额" in str(err.value)
    url = reverse("ledgers:export", args=["funds", personas.community_a.pk, 2025, "docx"]) + "?area=education"
    response = client_for(personas.leader_a).get(url)
    assert response.status_code == 200
    assert _filename(response) == "社区A-社区教育-2025年-经费收支台账.docx"
    text = _docx_text(Document(io.BytesIO(_body(response))))
    assert "课酬" in text
    assert "300.5" in text and "3000" in text
    assert "收入合计3000.00元，支出合计300.50元，结余2699.50元" in text
