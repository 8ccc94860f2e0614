"""Writing ledgers (台账) as the files offices file: xlsx and A4 docx with the Chinese heading block.

A ledger is a :class:`Ledger`: a title, the heading facts (单位, 年度, 条线, 制表人, 制表日期), columns
and rows. Rows may be any iterable (a queryset's ``.iterator()``), so large ledgers are written row
by row: xlsx in xlsxwriter's constant-memory mode into a temporary file that is then streamed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter
from django.http import FileResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CJK_FONT = "宋体"


@dataclass
class Column:
    header: str
    width: float = 14  # in characters (xlsx); docx widths follow proportionally


@dataclass
class Ledger:
    title: str
    org_name: str
    year: int | None
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    area_name: str = ""
    maker: str = ""
    made_on: date = field(default_factory=date.today)
    landscape: bool = True

    def heading_pairs(self) -> list[tuple[str, str]]:
        pairs = [("单位", self.org_name)]
        if self.year:
            pairs.append(("年度", f"{self.year}年"))
        if self.area_name:
            pairs.append(("条线", self.area_name))
        pairs += [("制表人", self.maker), ("制表日期", cn_date(self.made_on))]
        return pairs


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def file_name(org_name: str, area_name: str, year: int | None, what: str, ext: str) -> str:
    """单位-条线-2026年-台账名.xlsx: Chinese names that say org, area and year."""
    parts = [org_name, area_name, f"{year}年" if year else "", what]
    return "-".join(p for p in parts if p) + f".{ext}"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return cn_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def write_xlsx(ledger: Ledger, target) -> int:
    """Write the ledger to ``target`` (a path or binary file); returns the number of rows."""
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    ws = wb.add_worksheet(ledger.title[:31])
    title_fmt = wb.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": CJK_FONT})
    head_fmt = wb.add_format(
        {"bold": True, "border": 1, "bg_color": "#F2F2F2", "text_wrap": True, "font_name": CJK_FONT}
    )
    cell_fmt = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": CJK_FONT})
    info_fmt = wb.add_format({"font_name": CJK_FONT})
    ncols = len(ledger.columns)
    ws.merge_range(0, 0, 0, max(ncols - 1, 0), ledger.title, title_fmt)
    ws.write_string(1, 0, "    ".join(f"{k}:{v}" for k, v in ledger.heading_pairs()), info_fmt)
    for c, col in enumerate(ledger.columns):
        ws.set_column(c, c, col.width)
        ws.write_string(2, c, col.header, head_fmt)
    n = 0
    for r, row in enumerate(ledger.rows, start=3):
        for c, value in enumerate(row):
            ws.write(r, c, _cell(value), cell_fmt)
        n += 1
    ws.set_landscape() if ledger.landscape else ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.repeat_rows(2)
    ws.fit_to_pages(1, 0)
    wb.close()
    return n


def xlsx_response(ledger: Ledger, filename: str) -> FileResponse:
    """Stream the ledger as an xlsx download (memory stays flat whatever the row count)."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(ledger, tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def new_document(*, landscape: bool = False) -> Document:
    """An A4 document with a CJK body font and 2 cm margins."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name = CJK_FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    return doc


def add_title(doc: Document, text: str, size: int = 16) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.name = CJK_FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)


def add_heading_block(doc: Document, pairs: list[tuple[str, str]]) -> None:
    doc.add_paragraph("    ".join(f"{k}:{v}" for k, v in pairs))


def add_table(doc: Document, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float] | None = None):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = str(_cell(value))
    if widths:
        total = sum(widths)
        usable = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=False):
                cell.width = int(usable * w / total)
    return table


def write_docx(ledger: Ledger, target) -> None:
    doc = new_document(landscape=ledger.landscape)
    add_title(doc, ledger.title)
    add_heading_block(doc, ledger.heading_pairs())
    add_table(doc, [c.header for c in ledger.columns], ledger.rows, [c.width for c in ledger.columns])
    doc.save(target)


def docx_response(doc_or_ledger, filename: str) -> FileResponse:
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    if isinstance(doc_or_ledger, Ledger):
        write_docx(doc_or_ledger, tmp)
    else:
        doc_or_ledger.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=DOCX_TYPE)
