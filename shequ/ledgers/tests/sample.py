"""A known ledger for the format tests: every kind of column, rows with photos, dates and formula-like text."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from PIL import Image

from shequ.ledgers.declare import Column, Form, FormField, Kind, Photo
from shequ.ledgers.document import Document, Sheet

START = date(2025, 1, 8)
FORMULA_LIKE = ["=SUM(A1:A9)", "@cmd", "+1+1", "-2", "\t=1+1"]
CONTENT = "组织辖区居民开展健康知识讲座，发放宣传资料，现场解答居民提出的高血压、糖尿病防治问题。" * 2


def jpeg(colour=(200, 60, 60), size=(320, 240)) -> ContentFile:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="JPEG")
    return ContentFile(buf.getvalue(), name="photo.jpg")


class Row:
    def __init__(self, i: int, photos: int = 0) -> None:
        self.on = START + timedelta(days=3 * i)
        self.title = f"第{i + 1}期 健康讲座"
        self.place = "社区会议室"
        self.people = 20 + i
        self.content = CONTENT
        self.note = FORMULA_LIKE[i] if i < len(FORMULA_LIKE) else ""
        self.photos = [Photo(jpeg(), self.on, self.title) for _ in range(photos)]


COLUMNS = [
    Column("序号", Kind.SERIAL),
    Column("日期", Kind.DATE, lambda r: r.on),
    Column("主题", Kind.SHORT, lambda r: r.title),
    Column("地点", Kind.SHORT, lambda r: r.place),
    Column("组织者", Kind.NAME, lambda r: "王专干"),
    Column("参加人数", Kind.NUMBER, lambda r: r.people),
    Column("活动内容", Kind.TEXT, lambda r: r.content),
    Column("照片", Kind.PHOTOS, lambda r: r.photos),
    Column("备注", Kind.SHORT, lambda r: r.note),
]

FORM = Form(
    title="健康教育活动记录表",
    lines=[
        (FormField("活动时间", lambda r: r.on), FormField("活动地点", lambda r: r.place)),
        (FormField("活动主题", lambda r: r.title),),
        (FormField("活动内容", lambda r: r.content, tall=True),),
    ],
    photos=lambda r: r.photos,
)


def document(n: int, *, photo_rows: int = 0, orientation="landscape", form: Form | None = None) -> Document:
    rows = [Row(i, photos=2 if i < photo_rows else 0) for i in range(n)]
    return Document(
        title="健康教育工作活动台账",
        org_name="幸福社区",
        year=2025,
        area_name="健康教育",
        maker="王专干",
        made_on=date(2026, 1, 5),
        orientation=orientation,
        sheets=[Sheet("", COLUMNS, iter(rows))],
        form=form,
    )
