"""A record's photos and files: told by content, stored under random names, stripped of EXIF, pixels bounded."""

from __future__ import annotations

import io
import re
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from shequ.records.models import Record, RecordAttachment
from shequ.records.tests.helpers import activity_type, make_record
from shequ.testing import files

pytestmark = pytest.mark.django_db


def test_an_attachment_named_pdf_that_holds_a_web_page_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        make_record(personas.worker_a, personas.community_a, attachments=[files.upload("签到表.pdf", files.HTML)])
    assert "“签到表.pdf”的内容不是PDF文件" in exc.value.message_dict["attachments"][0]
    assert not Record.objects.exists()


def test_attachments_are_kept_under_random_names_with_the_given_name_for_download(personas, client_for):
    r = make_record(
        personas.worker_a,
        personas.community_a,
        attachments=[files.upload("张三 身份证复印件.docx", files.ooxml("docx"))],
    )
    att = r.attachments.get()
    assert att.name == "张三 身份证复印件.docx"
    assert re.fullmatch(r"records/files/\d{4}/\d{2}/[0-9a-f]{32}\.docx", att.file.name)
    response = client_for(personas.worker_a).get(reverse("records:attachment", args=[att.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E5%BC%A0%E4%B8%89%20" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_an_attachment_stored_before_the_checks_still_downloads(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a)
    att = RecordAttachment(record=r, name="旧课件.pdf", size=len(files.PDF))
    from django.core.files.base import ContentFile

    att.file.save("records/files/2024/05/旧课件.pdf", ContentFile(files.PDF), save=True)
    response = client_for(personas.leader_a).get(reverse("records:attachment", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == files.PDF
    assert client_for(personas.worker_b).get(reverse("records:attachment", args=[att.pk])).status_code == 404


def _gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as img:
        return dict(img.getexif().get_ifd(0x8825))


def test_an_image_attached_as_a_file_loses_its_location(personas):
    original = files.image_bytes(size=(1200, 900), gps=True)
    assert _gps_of(original)  # the phone's photo says where it was taken
    r = make_record(personas.worker_a, personas.community_a, attachments=[files.upload("现场.jpg", original)])
    att = r.attachments.get()
    with att.file.open("rb") as fh:
        stored = fh.read()
    assert _gps_of(stored) == {}
    with Image.open(io.BytesIO(stored)) as img:
        assert not img.getexif() and img.size == (1200, 900)
    assert att.name == "现场.jpg" and att.size == len(stored)


def test_record_photos_lose_their_location_and_get_a_thumbnail(personas):
    r = make_record(
        personas.worker_a,
        personas.community_a,
        photos=[files.upload("p.jpg", files.image_bytes(size=(2400, 1800), gps=True))],
    )
    photo = r.photos.get()
    with photo.image.open("rb") as fh:
        assert _gps_of(fh.read()) == {}
    assert (photo.width, photo.height) == (1920, 1440)
    with photo.thumb.open("rb") as fh, Image.open(fh) as thumb:
        assert thumb.size == (480, 360)


def test_six_hundred_megapixel_pngs_are_refused_from_their_headers_quickly(personas, client_for):
    """The 等保 probe: six 100-megapixel PNGs in one small post. Refused by their headers before any is decoded,
    the form comes back with what was typed."""
    bomb = files.huge_png()
    client = client_for(personas.worker_a)
    lecture = activity_type("health", "lecture").pk
    assert client.get(reverse("records:create"), {"type": lecture}).status_code == 200  # the site loaded, not timed
    started = time.perf_counter()
    response = client.post(
        reverse("records:create"),
        {
            "type": lecture,
            "org": personas.community_a.pk,
            "date": "2025-03-01",
            "title": "控烟讲座（第二场）",
            "place": "活动室",
            "photo_files": [files.upload(f"大图{i}.png", bomb, "image/png") for i in range(6)],
        },
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    html = response.content.decode()
    assert "“大图0.png”有1亿像素，超过了5000万像素的上限" in html and "大图5.png" in html
    assert "控烟讲座（第二场）" in html and "活动室" in html
    assert not Record.objects.exists()
    assert elapsed < 2.0, f"refusing took {elapsed:.1f} s: the images were decoded"


def test_images_of_one_request_are_limited_in_total_before_any_is_decoded(personas, settings):
    from shequ.core.images import PixelBudget

    settings.IMAGE_MAX_PIXELS_PER_REQUEST = 3_000_000
    photos = [files.upload(f"p{i}.jpg", files.image_bytes(size=(1200, 1000))) for i in range(3)]  # 3.6 million
    PixelBudget.start()
    try:
        with pytest.raises(ValidationError) as exc:
            make_record(personas.worker_a, personas.community_a, on=date(2025, 3, 5), photos=photos)
    finally:
        PixelBudget.stop()
    assert "本次上传的图片合计有360万像素，超过了每次300万像素的上限" in exc.value.message_dict["photos"][0]
    assert not Record.objects.exists()


def test_pillow_refuses_bombs_anywhere_not_only_in_uploads():
    assert 0 < Image.MAX_IMAGE_PIXELS <= 50_000_000
