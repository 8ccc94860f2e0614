"""A case's photos and files: told by content, stored under random names, served in scope only."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from shequ.cases.models import Case, CaseAttachment
from shequ.cases.tests.helpers import make_case
from shequ.testing import files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("调解协议.docx", files.ooxml("xlsx"), "内容不是Word文件"),
        ("情况说明.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "内容不是文本文件"),
        ("现场.svg", files.SVG, "文件类型不允许上传"),
    ],
)
def test_case_files_are_told_by_content(personas, name, content, says):
    with pytest.raises(ValidationError, match=says):
        make_case(personas.worker_a, personas.community_a, files=[files.upload(name, content)])
    assert not Case.objects.exists()


def test_case_files_are_stored_under_random_names_and_downloaded_under_their_own(personas, client_for):
    case = make_case(
        personas.worker_a,
        personas.community_a,
        files=[files.upload("李四调解协议.docx", files.ooxml("docx")), files.upload("现场.jpg", files.image_bytes())],
    )
    doc, photo = case.attachments.order_by("id")
    assert doc.name == "李四调解协议.docx" and not doc.is_image
    assert re.fullmatch(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.docx", doc.file.name)
    assert re.fullmatch(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", photo.file.name) and photo.is_image
    c = client_for(personas.worker_a)
    response = c.get(reverse("cases:file", args=[doc.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E6%9D%8E%E5%9B%9B" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    shown = c.get(reverse("cases:file", args=[photo.pk]))
    assert shown["Content-Type"] == "image/jpeg" and shown["Content-Disposition"].startswith("inline;")
    assert client_for(personas.worker_b).get(reverse("cases:file", args=[doc.pk])).status_code == 404


def test_a_case_file_stored_under_its_old_name_still_downloads(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a)
    att = CaseAttachment(case=case, name="旧照片.jpg", is_image=True)
    att.file.save("cases/2024/05/旧照片.jpg", ContentFile(files.image_bytes()), save=True)
    response = client_for(personas.worker_a).get(reverse("cases:file", args=[att.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_residents_post_full_of_huge_images_is_refused_and_keeps_the_text(personas, client_for):
    bomb = files.huge_png()
    response = client_for(personas.resident).post(
        reverse("portal:new"),
        {
            "org": personas.community_a.pk,
            "case_type": "opinion",
            "category": "建议",
            "title": "路灯坏了",
            "description": "三号楼前的路灯不亮。",
            "photos": [files.upload(f"路灯{i}.png", bomb, "image/png") for i in range(6)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "超过了5000万像素的上限" in html
    assert "路灯坏了" in html and "三号楼前的路灯不亮。" in html
    assert not Case.objects.exists()


def test_a_residents_photo_loses_its_location(personas, client_for):
    from PIL import Image

    client_for(personas.resident).post(
        reverse("portal:new"),
        {
            "org": personas.community_a.pk,
            "case_type": "opinion",
            "category": "建议",
            "title": "增设座椅",
            "description": "花园没有座椅。",
            "photos": [files.upload("a.jpg", files.image_bytes(gps=True), "image/jpeg")],
        },
    )
    att = CaseAttachment.objects.get()
    with att.file.open("rb") as fh, Image.open(fh) as img:
        assert not img.getexif().get_ifd(0x8825)
