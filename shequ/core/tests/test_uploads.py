"""Uploads are told by content against each field's list, stored under random names and served as downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile

from shequ.core import uploads
from shequ.testing import files

OFFICE = uploads.OFFICE | uploads.IMAGES


def check(name: str, content: bytes, allowed=OFFICE) -> uploads.Checked:
    return uploads.check_upload(files.upload(name, content), allowed=allowed, max_bytes=20 * 1024 * 1024)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("计划.pdf", files.PDF),
        ("通知.docx", files.ooxml("docx")),
        ("台账.xlsx", files.ooxml("xlsx")),
        ("课件.pptx", files.ooxml("pptx")),
        ("旧表.xls", files.OLE),
        ("旧文.doc", files.OLE),
        ("说明.txt", "第一行\n第二行".encode("gb18030")),
        ("照片.JPG", files.image_bytes()),
    ],
)
def test_files_of_the_kind_their_name_says_are_accepted(name, content):
    assert check(name, content).kind.ext == uploads.BY_NAME[name.rsplit(".", 1)[1].lower()].ext


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("计划.pdf", files.HTML, "不是PDF文件"),
        ("通知.docx", files.ooxml("xlsx"), "不是Word文件"),
        ("通知.docx", files.plain_zip(), "不是Word文件"),
        ("台账.xlsx", files.PDF, "不是Excel文件"),
        ("旧表.xls", files.HTML, "不是Excel（97-2003）文件"),
        ("说明.txt", b"MZ\x90\x00\x03\x00\x00\x00", "不是文本文件"),
        ("照片.jpg", files.HTML, "不是有效的图片文件"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused_in_chinese(name, content, says):
    with pytest.raises(ValidationError) as exc:
        check(name, content)
    assert says in exc.value.messages[0] and name in exc.value.messages[0]


@pytest.mark.parametrize("name", ["页面.html", "图标.svg", "脚本.js", "程序.exe", "无扩展名"])
def test_kinds_a_browser_would_run_are_not_on_any_list(name):
    with pytest.raises(ValidationError, match="文件类型不允许上传"):
        check(name, files.HTML)


def test_every_problem_of_a_batch_is_told_at_once_by_field():
    batch = [files.upload("a.pdf", files.HTML), files.upload("b.svg", files.SVG), files.upload("c.pdf", files.PDF)]
    with pytest.raises(ValidationError) as exc:
        uploads.check_uploads(batch, allowed=OFFICE, max_bytes=1024 * 1024, field="attachments")
    messages = exc.value.message_dict["attachments"]
    assert len(messages) == 2 and "a.pdf" in messages[0] and "b.svg" in messages[1]


def test_stored_names_are_random_and_say_nothing_of_the_upload():
    names = {uploads.random_name("plans/attachments", "upload.pdf") for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert re.fullmatch(r"plans/attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name)


def test_the_display_name_drops_folders_and_keeps_the_extension():
    assert uploads.display_name("C:\\Users\\王\\桌面\\通知.docx") == "通知.docx"
    assert uploads.display_name("长" * 300 + ".pdf", 120).endswith(".pdf")
    assert len(uploads.display_name("长" * 300 + ".pdf", 120)) == 120


@pytest.fixture
def stored():
    names = []

    def store(name: str, content: bytes) -> str:
        saved = default_storage.save(name, ContentFile(content))
        names.append(saved)
        return saved

    yield store
    for name in names:
        default_storage.delete(name)


def _open(name):
    """The stored file as views hand it to ``serve``: a file field's file."""
    return FieldFile(None, models.FileField(), name)


def test_a_document_is_served_as_a_download_under_its_chinese_name(stored):
    name = stored("test-uploads/x.pdf", files.PDF)
    response = uploads.serve(_open(name), name="社区A 计划.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E7%A4%BE%E5%8C%BAA%20%E8%AE%A1%E5%88%92.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == files.PDF


def test_a_web_page_stored_before_the_checks_is_an_opaque_download(stored):
    name = stored("test-uploads/old/通知.html", files.HTML)
    response = uploads.serve(_open(name), name="通知.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_images_are_shown_inline_other_files_never(stored):
    name = stored("test-uploads/p.jpg", files.image_bytes())
    assert uploads.serve(_open(name), name="照片")["Content-Disposition"].startswith("inline;")
    assert uploads.serve(_open(name), name="照片", inline_images=False)["Content-Disposition"].startswith("attachment;")


def test_media_has_no_address_of_its_own(stored, personas, client_for, settings):
    """Files are reachable only through the views that check scope: not by their path, not even for an admin."""
    name = stored("records/files/2025/01/known.pdf", files.PDF)
    assert client_for(personas.admin).get(settings.MEDIA_URL + name).status_code == 404


def test_no_template_links_to_a_stored_file_by_its_path():
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if re.search(r"\.(file|image|thumb)\.url\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_deploy_check_refuses_media_inside_the_static_folders(settings, tmp_path):
    from shequ.core.checks import media_not_served_as_static

    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    assert [e.id for e in media_not_served_as_static(None)] == ["shequ.E030"]
    settings.MEDIA_ROOT = tmp_path / "media"
    assert media_not_served_as_static(None) == []
