from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.core.indicators import Period
from shequ.documents import services
from shequ.documents.models import Document
from shequ.documents.tests.helpers import document, pdf
from shequ.plans import reminders
from shequ.plans.indicators import compute
from shequ.plans.models import Reminder, ReminderKind

pytestmark = pytest.mark.django_db

LIST = 14  # queries of the register page, whatever the number of documents


@pytest.fixture(autouse=True)
def _june():
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def test_a_new_version_supersedes_the_last_and_keeps_it(personas, client_for):
    first = document(personas.worker_a, personas.community_a, kind="rule", title="健康教育工作制度")
    with pytest.raises(ValidationError, match="不能早于上一版本"):
        services.new_version(actor=personas.worker_a, document=first, adopted_on=date(2026, 1, 1), file=pdf())
    second = services.new_version(actor=personas.worker_a, document=first, adopted_on=date(2026, 5, 1), file=pdf())
    assert second.version == 2 and second.series == first.series
    assert list(Document.objects.current().values_list("pk", flat=True)) == [second.pk]
    with pytest.raises(ValidationError, match="已经有人修订"):
        services.new_version(actor=personas.worker_a, document=first, adopted_on=date(2026, 5, 2), file=pdf())
    client = client_for(personas.worker_a)
    page = client.get(reverse("documents:detail", args=[first.pk])).content.decode()
    assert "这是历史版本" in page and "第2版" in page
    assert client_for(personas.worker_b).get(reverse("documents:detail", args=[second.pk])).status_code == 404
    assert client_for(personas.worker_b).get(reverse("documents:file", args=[second.pk])).status_code == 404
    download = client.get(reverse("documents:file", args=[second.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


def test_a_file_that_is_not_what_it_says_is_refused_and_the_form_keeps_what_was_typed(personas, client_for):
    client = client_for(personas.worker_a)
    from shequ.orgs.models import Area

    data = {
        "org": personas.community_a.pk, "area": Area.objects.get(code="health").pk, "kind": "plan",
        "title": "年度健康教育工作计划", "adopted_on": "2026-01-15",
        "file": SimpleUploadedFile("计划.docx", b"<script>alert(1)</script>"),
    }  # fmt: skip
    bad = client.post(reverse("documents:create"), data)
    text = bad.content.decode()
    assert bad.status_code == 200 and "内容不是Word文件" in text and "年度健康教育工作计划" in text
    data["file"] = pdf("计划.pdf")
    assert client.post(reverse("documents:create"), data).status_code == 302
    assert Document.objects.get().file_name == "计划.pdf"


def test_the_register_runs_the_same_queries_for_few_and_many(personas, client_for):
    client = client_for(personas.worker_a)
    document(personas.worker_a, personas.community_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:list"))
    for n in range(8):
        document(personas.worker_a, personas.community_a, kind="rule", title=f"制度{n}", review=date(2026, 6, 10))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("documents:list"), {"state": "review"})
    assert len(few) == len(many) == LIST, [q["sql"][:100] for q in many.captured_queries]
    assert "即将到期" in page.content.decode()


def test_a_review_date_rings_the_bell_of_who_keeps_the_line(personas):
    document(personas.worker_a, personas.community_a, kind="emergency", area="safety", title="突发事件应急预案",
             review=date(2026, 5, 20))  # fmt: skip
    reminders.refresh()
    rows = Reminder.objects.filter(kind=ReminderKind.REVIEW)
    users = set(rows.values_list("user_id", flat=True))
    assert personas.worker_a.pk in users and personas.worker_b.pk not in users
    assert "已于5月20日到期" in rows.first().message


def test_the_health_plan_target_needs_all_three_kinds_adopted_by_the_end_of_march(personas):
    a, b = personas.community_a, personas.community_b
    for kind in ("plan", "standard", "reward"):
        document(personas.worker_a, a, kind=kind, title=f"健康{kind}", adopted=date(2026, 2, 1))
    document(personas.worker_b, b, kind="plan", title="计划", adopted=date(2026, 2, 1))
    document(personas.worker_b, b, kind="plan", title="又一份计划", adopted=date(2026, 2, 2))
    document(personas.worker_b, b, kind="reward", title="奖惩", adopted=date(2026, 4, 20))  # too late
    figures = compute.compute([("health_plan_documents", "", o.pk) for o in (a, b)], Period(2026, date(2026, 6, 1)))
    assert figures[("health_plan_documents", "", a.pk)].numerator == 3
    assert figures[("health_plan_documents", "", b.pk)].numerator == 1
