"""Test helpers: records made through the services, images made in memory, bulk rows for query guards."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shequ.records import services, tallies
from shequ.records.models import ActivityType, Record


def activity_type(area: str = "health", code: str = "board") -> ActivityType:
    return ActivityType.objects.select_related("area").get(area__code=area, code=code)


def image_upload(name: str = "photo.jpg", size=(64, 48), fmt: str = "JPEG") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 60, 60)).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


BOARD_EXTRA = {"issue_no": 1, "location": "服务站门口宣传栏"}


def make_record(actor, org, *, area="health", code="board", on=date(2025, 3, 5), title="控烟宣传", **kw) -> Record:
    t = activity_type(area, code)
    if code == "board" and "extra" not in kw:
        kw["extra"] = BOARD_EXTRA
    return services.record_create(actor=actor, org=org, activity_type=t, date=on, title=title, **kw)


def bulk_records(org, n: int, *, area="health", code="lecture", year=2025, by=None) -> list[Record]:
    t = activity_type(area, code)
    rows = [
        Record(
            org=org,
            area_id=t.area_id,
            activity_type=t,
            date=date(year, 1 + i % 12, 1 + i % 28),
            year=year,
            title=f"讲座{i}",
            participant_count=i % 50,
            created_by=by,
        )
        for i in range(n)
    ]
    made = Record.objects.bulk_create(rows, batch_size=500)
    tallies.rebuild(year)  # written in bulk, past the services, as the demo does
    return made
