"""Ledgers (台账) made from records: the activity ledger (xlsx, A4 docx with photos) and the
健康教育活动记录表 of one record, in the national form's layout."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from PIL import Image

from shequ.ledgers.writers import (
    Column,
    Ledger,
    add_heading_block,
    add_table,
    add_title,
    cn_date,
    new_document,
)
from shequ.orgs.models import Area, Org
from shequ.records import extra as extra_fields
from shequ.records.models import Record, RecordPhoto

COLUMNS = [
    Column("序号", 6),
    Column("日期", 14),
    Column("单位", 16),
    Column("活动类型", 12),
    Column("主题", 28),
    Column("地点", 18),
    Column("组织者", 10),
    Column("参加人数", 8),
    Column("活动内容", 40),
    Column("其他信息", 30),
    Column("照片", 6),
    Column("登记人", 10),
]
DOCX_COLUMNS = [Column("序号", 4), Column("日期", 10), Column("活动类型", 9), Column("主题", 22), Column("地点", 14),
                Column("参加人数", 6), Column("活动内容", 30), Column("照片", 5)]  # fmt: skip
PHOTOS_PER_RECORD_IN_DOCX = 4
PHOTO_WIDTH = Cm(7.5)
HEALTH_FORM_TITLE = "健康教育活动记录表"


def ledger_title(area: Area) -> str:
    return f"{area.name}工作活动台账"


def _rows(records: QuerySet[Record]) -> Iterator[list]:
    for n, r in enumerate(records, start=1):
        extra = "；".join(f"{k}:{v}" for k, v in extra_fields.display(r.extra, r.activity_type.extra_fields))
        yield [
            n,
            r.date,
            r.org.name,
            r.activity_type.name,
            r.title,
            r.place,
            r.organiser,
            r.participant_count,
            r.content,
            extra,
            r.n_photos,
            r.created_by.display_name if r.created_by else "",
        ]


def activity_ledger(records: QuerySet[Record], *, org: Org, area: Area, year: int, maker: str) -> Ledger:
    """The xlsx ledger: rows streamed from one query (photo counts annotated)."""
    from django.db.models import Count

    qs = records.annotate(n_photos=Count("photos")).order_by("date", "id")
    return Ledger(
        title=ledger_title(area),
        org_name=org.name,
        year=year,
        area_name=area.name,
        maker=maker,
        made_on=timezone.localdate(),
        columns=COLUMNS,
        rows=_rows(qs.iterator(chunk_size=2000)),
    )


def _thumb_bytes(photo: RecordPhoto, max_side: int = 1000) -> io.BytesIO | None:
    """A photo scaled down for the document (the stored thumbnail when there is one)."""
    f = photo.thumb or photo.image
    try:
        with f.open("rb") as fh, Image.open(fh) as img:
            img = img.convert("RGB")
            img.thumbnail((max_side, max_side))
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=80)
    except (OSError, ValueError):
        return None
    out.seek(0)
    return out


def activity_ledger_docx(records: QuerySet[Record], *, org: Org, area: Area, year: int, maker: str):
    """The A4 docx ledger: the table, then each record's photos (at most four each, scaled to 7.5 cm)."""
    photos = Prefetch("photos", queryset=RecordPhoto.objects.order_by("id"))
    rows = list(records.prefetch_related(photos).order_by("date", "id"))
    ledger = Ledger(
        title=ledger_title(area),
        org_name=org.name,
        year=year,
        area_name=area.name,
        maker=maker,
        made_on=timezone.localdate(),
        columns=DOCX_COLUMNS,
        rows=[],
        landscape=True,
    )
    doc = new_document(landscape=True)
    add_title(doc, ledger.title)
    add_heading_block(doc, ledger.heading_pairs())
    table_rows = [
        [n, r.date, r.activity_type.name, r.title, r.place, r.participant_count, r.content, len(r.photos.all())]
        for n, r in enumerate(rows, start=1)
    ]
    add_table(doc, [c.header for c in DOCX_COLUMNS], table_rows, [c.width for c in DOCX_COLUMNS])
    with_photos = [r for r in rows if r.photos.all()]
    if with_photos:
        doc.add_page_break()
        add_title(doc, "活动照片", size=14)
        for n, r in enumerate(rows, start=1):
            pics = list(r.photos.all())[:PHOTOS_PER_RECORD_IN_DOCX]
            if not pics:
                continue
            p = doc.add_paragraph()
            run = p.add_run(f"{n}. {cn_date(r.date)} {r.activity_type.name}:{r.title}")
            run.bold = True
            p = doc.add_paragraph()
            for pic in pics:
                data = _thumb_bytes(pic)
                if data is not None:
                    p.add_run().add_picture(data, width=PHOTO_WIDTH)
                    p.add_run("  ")
    return doc


def _set_cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.bold = bold
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _checkboxes(options: list[str], chosen: list[str]) -> str:
    return "  ".join(f"{'☑' if o in chosen else '□'}{o}" for o in options)


def health_form_docx(record: Record, *, maker: str = "", responsible: str = ""):
    """One record as the national 健康教育活动记录表 (A4 portrait), its photos attached after the form."""
    from shequ.records.catalogue import ARCHIVE_CHOICES

    x = record.extra or {}
    doc = new_document(landscape=False)
    add_title(doc, HEALTH_FORM_TITLE, size=18)
    p = doc.add_paragraph(f"单位:{record.org.name}")
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    forms = x.get("activity_form") or [record.activity_type.name]
    materials = "、".join(
        filter(None, [x.get("materials_kinds", ""), f"{x['materials_count']}份" if x.get("materials_count") else ""])
    )
    archive = list(x.get("archive") or [])
    if record.photos.all() and "图片材料" not in archive:
        archive.append("图片材料")
    if record.persons.all() and "签到表" not in archive:
        archive.append("签到表")
    audience = x.get("audience") or []
    rows: list[tuple] = [
        ("活动时间", cn_date(record.date), "活动地点", record.place),
        ("活动形式", "、".join(forms) if isinstance(forms, list) else str(forms)),
        ("活动主题", record.title),
        ("组织者", record.organiser),
        ("接受健康教育人员类别", "、".join(audience) if isinstance(audience, list) else str(audience),
         "接受健康教育人数", str(record.participant_count)),
        ("健康教育资料发放种类及数量", materials),
        ("活动内容", record.content),
        ("活动总结评价", record.summary),
        ("存档材料请附后", _checkboxes(ARCHIVE_CHOICES, archive)),
    ]  # fmt: skip
    table = doc.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    widths = [Cm(3.6), Cm(5.2), Cm(3.2), Cm(5.0)]
    for i, row in enumerate(rows):
        cells = table.rows[i].cells
        if len(row) == 4:
            _set_cell(cells[0], row[0], bold=True, center=True)
            _set_cell(cells[1], row[1])
            _set_cell(cells[2], row[2], bold=True, center=True)
            _set_cell(cells[3], row[3])
        else:
            _set_cell(cells[0], row[0], bold=True, center=True)
            merged = cells[1].merge(cells[3])
            _set_cell(merged, row[1])
            if row[0] in {"活动内容", "活动总结评价"}:
                merged.paragraphs[0].paragraph_format.space_after = Pt(48)
        for cell, w in zip(table.rows[i].cells, widths, strict=False):
            cell.width = w
    doc.add_paragraph()
    doc.add_paragraph(
        f"填表人(签字):{maker or '__________'}        负责人(签字):{responsible or '__________'}"
        f"        填表时间:{cn_date(date.today())}"
    )
    if record.persons.all():
        doc.add_paragraph()
        add_title(doc, "签到表", size=14)
        names = [p.name for p in record.persons.all()]
        add_table(doc, ["序号", "姓名"], [[i, n] for i, n in enumerate(names, start=1)], [1, 4])
    pics = list(record.photos.all())
    if pics:
        doc.add_paragraph()
        add_title(doc, "活动照片", size=14)
        p = doc.add_paragraph()
        for pic in pics:
            data = _thumb_bytes(pic)
            if data is not None:
                p.add_run().add_picture(data, width=PHOTO_WIDTH)
                p.add_run("  ")
    return doc
