"""Importing a plan from its document: upload, review beside the text, adopt; nothing before adoption."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from shequ.orgs.models import Area
from shequ.plans.forms import DraftTargetForm
from shequ.plans.models import Plan, PlanImport, PlanTemplate, Target, Task
from shequ.testing.factories import log_in

pytestmark = pytest.mark.django_db

PLAN = (
    "幸福社区2025年健康教育工作计划\n"
    "一、宣传阵地\n"
    "健康教育宣传栏每月更换1次，全年不少于12次。\n"
    "年底居民健康知识知晓率要达到97%以上。\n"
    "二、组织保障\n"
    "成立社区健康教育领导小组。\n"
    "要加强健康教育宣传力度。\n"
)


def docx_bytes(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def start(client, user, org, *, text=PLAN, upload=None, year=2025):
    log_in(client, user)
    data = {"org": org.pk, "year": year, "text": "" if upload else text}
    if upload is not None:
        data["file"] = upload
    return client.post(reverse("plans:import"), data)


def review_data(page_html: str) -> dict:
    """The review form's fields as the page renders them (inputs, checked radios, selected options)."""
    data: dict[str, str] = {}
    for m in re.finditer(r"<input([^>]*)>", page_html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        if "name" not in attrs or attrs.get("type") == "checkbox":
            continue
        if attrs.get("type") == "radio" and "checked" not in m.group(1):
            continue
        data[attrs["name"]] = attrs.get("value", "")
    for m in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page_html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(2))
        data[m.group(1)] = chosen.group(1) if chosen else ""
    return {k: html.unescape(v) for k, v in data.items()}


def test_pasted_plan_is_shown_for_review_and_nothing_is_created(client, personas):
    response = start(client, personas.worker_a, personas.community_a)
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="hl"' in html and "宣传栏更换" in html
    assert "要加强健康教育宣传力度" in html  # listed among duties without a number
    assert not Plan.objects.filter(org=personas.community_a).exists()
    assert not Target.objects.exists() and not Task.objects.exists()


def test_adopting_creates_the_plan_with_edited_targets_and_without_rejected_ones(client, personas):
    response = start(client, personas.worker_a, personas.community_a)
    review_url = response["Location"]
    data = review_data(client.get(review_url).content.decode())
    assert data["t-TOTAL_FORMS"] == "3"  # the monthly board count, the awareness rate, the leading group
    titles = {data[f"t-{i}-title"]: i for i in range(3)}
    rate = next(i for t, i in titles.items() if "知晓率" in t)
    group = next(i for t, i in titles.items() if "领导小组" in t)
    data[f"t-{rate}-threshold"] = "98"
    data[f"t-{group}-decision"] = "reject"
    data["title"] = "幸福社区2025年健康教育工作计划"
    data["area"] = str(Area.objects.get(code="health").pk)
    response = client.post(review_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(org=personas.community_a, year=2025)
    targets = {t.kind: t for t in plan.targets.all()}
    assert targets["rate"].threshold == 98
    assert targets["count"].activity_codes == ["health/board"]
    assert (targets["count"].min_per_period, targets["count"].min_per_year) == (1, 12)
    assert not plan.targets.filter(title__contains="领导小组").exists()
    assert plan.text == PLAN.strip()
    assert not PlanImport.objects.exists()  # the draft is gone once adopted


def test_an_unfinished_target_keeps_what_was_typed_and_creates_nothing(client, personas):
    review_url = start(client, personas.worker_a, personas.community_a)["Location"]
    data = review_data(client.get(review_url).content.decode())
    count = next(i for i in range(int(data["t-TOTAL_FORMS"])) if data[f"t-{i}-kind"] == "count")
    data[f"t-{count}-activity_code"] = ""
    data[f"t-{count}-title"] = "我改过的标题"
    response = client.post(review_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "次数类指标需要选择活动类型" in html and "我改过的标题" in html
    assert not Plan.objects.exists()


def test_uploaded_docx_is_read(client, personas):
    upload = SimpleUploadedFile("计划.docx", docx_bytes(PLAN))
    response = start(client, personas.worker_a, personas.community_a, upload=upload)
    assert response.status_code == 302
    assert "知晓率" in client.get(response["Location"]).content.decode()


def test_old_word_file_gets_a_chinese_refusal_and_loses_nothing(client, personas):
    upload = SimpleUploadedFile("计划.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    response = start(client, personas.worker_a, personas.community_a, upload=upload)
    assert response.status_code == 200
    assert "另存为" in response.content.decode()


def test_a_draft_is_hidden_from_other_communities_and_open_to_its_leader(client, personas):
    review_url = start(client, personas.worker_a, personas.community_a)["Location"]
    log_in(client, personas.worker_b)
    assert client.get(review_url).status_code == 404
    log_in(client, personas.leader_a)
    assert client.get(review_url).status_code == 200


def test_worker_of_other_community_cannot_import_into_it(client, personas):
    response = start(client, personas.worker_b, personas.community_a)
    assert response.status_code == 200  # the org is not among the choices: the form refuses it
    assert not Plan.objects.exists()


def test_street_publishes_an_imported_plan_as_a_template(client, personas):
    review_url = start(client, personas.supervisor, personas.street)["Location"]
    data = review_data(client.get(review_url).content.decode())
    data.update({"title": "和平街道健康教育计划", "area": str(Area.objects.get(code="health").pk), "publish": "on"})
    for i in range(int(data["t-TOTAL_FORMS"])):
        if "领导小组" in data[f"t-{i}-title"]:
            data[f"t-{i}-decision"] = "reject"
    response = client.post(review_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    template = PlanTemplate.objects.get(org=personas.street)
    assert template.targets.count() == 2


def test_duty_kept_as_a_task_by_the_leader(client, personas):
    review_url = start(client, personas.leader_a, personas.community_a)["Location"]
    data = review_data(client.get(review_url).content.decode())
    data.update({"title": "健康教育计划", "area": str(Area.objects.get(code="health").pk), "o-0-decision": "task"})
    response = client.post(review_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    task = Task.objects.get(plan__org=personas.community_a)
    assert task.title.startswith("要加强健康教育宣传力度")
    assert task.due.isoformat() == "2025-12-31"


def test_adding_a_target_from_selected_text(client, personas):
    review_url = start(client, personas.worker_a, personas.community_a)["Location"]
    pk = int(review_url.rstrip("/").rsplit("/", 1)[-1])
    selected = "要加强健康教育宣传力度"
    response = client.post(
        reverse("plans:import_add", args=[pk]), {"text": selected, "start": PLAN.index(selected), "index": 4}
    )
    assert response.status_code == 200
    assert 'name="t-4-title"' in response.content.decode()
    assert 'id="m-u4"' in client.get(review_url).content.decode()


def test_review_page_queries_do_not_grow_with_the_plan(client, personas):
    def plan_of(n: int) -> str:
        return "平安建设工作计划\n" + "".join(f"{k}、每月开展{k % 3 + 1}次矛盾纠纷排查。\n" for k in range(1, n + 1))

    counts = []
    for n in (10, 1000):
        url = start(client, personas.worker_a, personas.community_a, text=plan_of(n))["Location"]
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count('class="draft-row') == n
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert Target.objects.count() == 0


def test_draft_months_typed_with_chinese_commas_are_read():
    # 5，6、7 as a worker types it on the review page: three months, not a refusal.
    form = DraftTargetForm(data={"decision": "accept", "title": "宣传栏更换", "kind": "count", "months": "5，6、7"})
    form.is_valid()
    assert "months" not in form.errors
    assert form.cleaned_data["reviewed"].months == [5, 6, 7]
    wrong = DraftTargetForm(data={"decision": "accept", "title": "宣传栏更换", "kind": "count", "months": "5，十三"})
    assert not wrong.is_valid() and wrong.errors["months"] == ["月份应为1–12，用逗号分隔。"]
