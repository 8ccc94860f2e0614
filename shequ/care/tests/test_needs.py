"""Needs and plans: the 入户需求调查 with a status per need (a record of the survey type, the registry's needs kept
in step), a need moved along afterwards, the service plan of a year, the 建档立卡 card and the monthly
康复服务记录表 through the ledger layer."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from shequ.care import services_needs
from shequ.care.models import Need, NeedsAssessment
from shequ.care.tests.helpers import disabled, pair, visit, volunteer
from shequ.records.models import Record
from shequ.residents.models import DisabilityProfile

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _march_20():
    with time_machine.travel(datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _assess(actor, person, needs):
    return services_needs.assessment_create(
        actor=actor, person=person, surveyed_on=TODAY, method="入户调查", respondent="监护人张某", needs=needs
    )


def test_a_survey_at_home_records_each_need_with_its_status_and_updates_the_registry(personas):
    p = disabled(personas.community_a)
    a = _assess(personas.worker_a, p, {"rehab": ("needs", "肢体功能训练"), "aids": ("serving", ""),
                                       "income": ("needs", "申请两项补贴"), "education": ("refused", "")})  # fmt: skip
    assert {n.code: n.status for n in a.needs.all()} == {
        "rehab": "needs", "aids": "serving", "income": "needs", "education": "refused"
    }  # fmt: skip
    record = Record.objects.get(pk=a.record_id)
    assert record.activity_type.code == "needs_survey" and list(record.persons.all()) == [p]
    assert record.extra["with_needs"] == 1 and "训练指导" in record.extra["needs"]
    profile = DisabilityProfile.objects.get(person=p)
    assert sorted(profile.needs) == ["aids", "rehab"]  # the open needs the registry has a code for


def test_a_need_moves_along_and_the_registry_follows(personas):
    p = disabled(personas.community_a)
    a = _assess(personas.worker_a, p, {"rehab": ("needs", ""), "aids": ("needs", "")})
    need = a.needs.get(code="aids")
    services_needs.need_update(actor=personas.worker_a, need=need, status="met", note="已配发轮椅")
    assert DisabilityProfile.objects.get(person=p).needs == ["rehab"]
    newer = _assess(personas.worker_a, p, {"rehab": ("serving", "")})
    with pytest.raises(ValidationError, match="最近一次"):
        services_needs.need_update(actor=personas.worker_a, need=a.needs.get(code="rehab"), status="met")
    assert newer.needs.count() == 1


def test_a_volunteer_helper_neither_surveys_nor_sees_the_needs(personas, client_for):
    p = disabled(personas.community_a)
    v = volunteer(personas.community_a)
    pair(personas.worker_a, p, v)
    _assess(personas.worker_a, p, {"rehab": ("needs", "肢体功能训练")})
    c = client_for(v)
    assert c.get(reverse("care:assess", args=[p.pk, "disability"])).status_code == 403
    assert "肢体功能训练" not in c.get(reverse("care:person", args=[p.pk])).content.decode()
    assert not Need.objects.visible_to(personas.grid_a_worker).exists()
    assert Need.objects.visible_to(personas.worker_a).count() == 1


def test_the_survey_form_posts_from_a_phone_and_bad_input_keeps_what_was_typed(personas, client_for):
    p = disabled(personas.community_a)
    c = client_for(personas.worker_a)
    url = reverse("care:assess", args=[p.pk, "disability"])
    bad = c.post(url, {"surveyed_on": "2026-04-01", "method": "入户调查", "need_rehab": "needs", "note_rehab": "训练"})
    assert bad.status_code == 200 and "不能晚于今天" in bad.content.decode() and "训练" in bad.content.decode()
    r = c.post(url, {"surveyed_on": "2026-03-18", "method": "入户调查", "respondent": "本人",
                     "need_rehab": "needs", "note_rehab": "训练", "need_income": "serving"})  # fmt: skip
    assert r.status_code == 302
    body = c.get(reverse("care:person", args=[p.pk])).content.decode()
    assert "康复训练与服务" in body and "生活救助与补贴" in body and "正在服务" in body
    need = NeedsAssessment.objects.get(person=p).needs.get(code="rehab")
    c.post(reverse("care:need_status", args=[need.pk]), {"status": "serving", "note": "训练"})
    need.refresh_from_db()
    assert need.status == "serving"


def test_the_service_plan_of_the_year(personas, client_for):
    p = disabled(personas.community_a)
    with pytest.raises(ValidationError, match="服务提供者和频次"):
        services_needs.plan_save(actor=personas.worker_a, person=p, year=2026, category="disability", goal="",
                                 items=[("训练指导", "", "每月1次")])  # fmt: skip
    c = client_for(personas.worker_a)
    r = c.post(reverse("care:plan", args=[p.pk, "disability"]), {
        "goal": "提高生活自理能力", "service_0": "训练指导", "provider_0": "社区康复站", "frequency_0": "每周2次",
        "service_1": "辅助器具", "provider_1": "区残联", "frequency_1": "一次",
    })  # fmt: skip
    assert r.status_code == 302
    body = c.get(reverse("care:person", args=[p.pk])).content.decode()
    assert "训练指导 · 社区康复站 · 每周2次" in body and "提高生活自理能力" in body
    panel = c.get(reverse("residents:detail", args=[p.pk])).content.decode()
    assert "2026年服务计划2项" in panel


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_the_card_of_one_person_on_one_page(personas, client_for):
    p = disabled(personas.community_a, name="建档对象", address="幸福路8号")
    _assess(personas.worker_a, p, {"rehab": ("serving", "")})
    visit(personas.worker_a, p, date(2026, 1, 9))
    url = reverse("ledgers:export", args=["care-card", personas.community_a.pk, 2026, "docx"]) + f"?person={p.pk}"
    r = client_for(personas.worker_a).get(url)
    assert r.status_code == 200
    text = _docx_text(r)
    assert "建档对象" in text and "康复训练与服务（正在服务）" in text and "2026年2月" in text  # February missed
    assert client_for(personas.worker_b).get(url).status_code in (403, 404)
    pdf = client_for(personas.worker_a).get(url.replace(".docx", ".pdf"))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_the_monthly_rehabilitation_services_ledger(personas, client_for):
    p = disabled(personas.community_a, name="服务对象")
    visit(personas.worker_a, p, date(2026, 2, 9))
    visit(personas.worker_a, p, date(2026, 3, 9))
    url = reverse("ledgers:export", args=["rehab-services", personas.community_a.pk, 2026, "xlsx"]) + "?month=3"
    r = client_for(personas.worker_a).get(url)
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("3月" in v for v in values) and "服务对象" in values
    dates = [c.value for row in ws.iter_rows() for c in row if hasattr(c.value, "month")]
    assert [d.month for d in dates] == [3]
