"""A plan's attachments and a rate's evidence: told by content, stored under random names, served in scope only."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from shequ.plans import services
from shequ.plans.models import PlanAttachment, RateEntry
from shequ.plans.tests.helpers import plan, target
from shequ.testing import files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "content"), [("通知.html", files.HTML), ("图标.svg", files.SVG)])
def test_web_pages_and_svg_are_not_plan_attachments(personas, name, content):
    p = plan(personas.community_a)
    with pytest.raises(ValidationError, match="文件类型不允许上传"):
        services.plan_attach(actor=personas.leader_a, plan=p, upload=files.upload(name, content))
    assert not PlanAttachment.objects.exists()


def test_a_web_page_renamed_to_docx_is_refused(personas):
    p = plan(personas.community_a)
    with pytest.raises(ValidationError, match="内容不是Word文件"):
        services.plan_attach(actor=personas.leader_a, plan=p, upload=files.upload("计划.docx", files.HTML))


def test_the_attach_page_says_why_a_file_was_refused(personas, client_for):
    p = plan(personas.community_a)
    c = client_for(personas.leader_a)
    response = c.post(reverse("plans:attach", args=[p.pk]), {"file": files.upload("通知.html", files.HTML)})
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "“通知.html”的文件类型不允许上传" in page


def test_plan_attachments_are_stored_under_random_names_and_served_in_scope(personas, client_for):
    p = plan(personas.community_a)
    att = services.plan_attach(
        actor=personas.leader_a, plan=p, upload=files.upload("2025年健康教育计划.docx", files.ooxml("docx"))
    )
    assert att.name == "2025年健康教育计划.docx"
    assert re.fullmatch(r"plans/attachments/\d{4}/\d{2}/[0-9a-f]{32}\.docx", att.file.name)
    url = reverse("plans:attachment", args=[att.pk])
    page = client_for(personas.leader_a).get(reverse("plans:detail", args=[p.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    response = client_for(personas.worker_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''2025%E5%B9%B4" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(personas.worker_b).get(url).status_code == 404


def test_an_html_attachment_stored_before_the_checks_downloads_and_never_renders(personas, client_for):
    p = plan(personas.community_a)
    att = PlanAttachment(plan=p, name="通知.html")
    att.file.save(f"plans/2025/{p.pk}/通知.html", ContentFile(files.HTML), save=True)
    response = client_for(personas.leader_a).get(reverse("plans:attachment", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == files.HTML
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_rate_evidence_is_checked_stored_randomly_and_served_in_scope(personas, client_for):
    t = target(plan(personas.community_a), kind="rate", threshold=90, unit="%")
    with pytest.raises(ValidationError) as exc:
        services.rate_entry_add(
            actor=personas.leader_a,
            target=t,
            value=Decimal(95),
            measured_on=date(2025, 6, 1),
            evidence="问卷",
            upload=files.upload("问卷汇总.pdf", files.HTML),
        )
    assert "内容不是PDF文件" in exc.value.message_dict["file"][0]
    entry = services.rate_entry_add(
        actor=personas.leader_a,
        target=t,
        value=Decimal(95),
        measured_on=date(2025, 6, 1),
        evidence="问卷",
        upload=files.upload("问卷汇总.pdf", files.PDF),
    )
    assert entry.file_name == "问卷汇总.pdf"
    assert re.fullmatch(r"plans/evidence/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", entry.file.name)
    url = reverse("plans:entry_file", args=[entry.pk])
    page = client_for(personas.leader_a).get(reverse("plans:target_detail", args=[t.pk])).content.decode()
    assert f'href="{url}"' in page
    response = client_for(personas.leader_a).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%E9%97%AE%E5%8D%B7%E6%B1%87%E6%80%BB.pdf" in response["Content-Disposition"]
    assert client_for(personas.worker_b).get(url).status_code == 404


def test_an_entry_without_evidence_file_has_nothing_to_download(personas, client_for):
    t = target(plan(personas.community_a), kind="rate", threshold=90, unit="%")
    entry = RateEntry.objects.create(target=t, value=Decimal(91), measured_on=date(2025, 6, 1), evidence="名册")
    assert client_for(personas.leader_a).get(reverse("plans:entry_file", args=[entry.pk])).status_code == 404
