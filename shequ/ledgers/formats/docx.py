"""The docx of a ledger, as an office files it: A4 in the declared orientation, a binding margin on the
left, the title and heading facts at the top, a table whose header row repeats on every page and whose
rows never split, column widths by kind, 第 N 页 共 M 页 in the footer (PAGE and NUMPAGES fields), a
signature block with the place for the seal, then the photos in a grid with their date and title.
A ledger with an office form prints that form once per row, one page each.

Table rows are built as WordprocessingML elements directly (python-docx's cell API is slow for
thousands of rows); everything else goes through python-docx.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable

from shequ.ledgers.declare import KIND_SPECS, MAKER_LABELS, Column, Form, Kind
from shequ.ledgers.document import (
    DENSE_COLUMNS,
    FORM_ROW_CM,
    FORM_TALL_CM,
    MARGINS,
    Document,
    column_widths_cm,
    form_photo_box_cm,
    form_photos_per_row,
)
from shequ.ledgers.formats import CJK_FONT, CJK_TITLE_FONT, LATIN_FONT
from shequ.ledgers.formats.photos import FORM_PHOTOS, Figures, fit, load, rows_of
from shequ.ledgers.values import cell_value, clean_text, paper_text

TWIPS_PER_CM = 567
BODY_PT = 10.5
TABLE_PT = 10
DENSE_PT = 9
_ALIGN = {"left": "left", "center": "center", "right": "right"}


def _twips(cm: float) -> str:
    return str(round(cm * TWIPS_PER_CM))


def _el(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _run(text: str, *, bold: bool = False, size: float | None = None):
    """A w:r with the text; newlines become line breaks."""
    r = _el("w:r")
    if bold or size:
        rpr = r.makeelement(qn("w:rPr"), {})
        if bold:
            rpr.append(_el("w:b"))
        if size:
            rpr.append(_el("w:sz", val=str(round(size * 2))))
        r.append(rpr)
    for i, line in enumerate(clean_text(text).split("\n")):
        if i:
            r.append(_el("w:br"))
        t = _el("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
        r.append(t)
    return r


def _cell(
    text: str,
    width_cm: float,
    align: str,
    *,
    bold: bool = False,
    shade: bool = False,
    span: int = 1,
    size: float = TABLE_PT,
    middle: bool = False,
):
    tc = _el("w:tc")
    pr = _el("w:tcPr")
    pr.append(_el("w:tcW", w=_twips(width_cm), type="dxa"))
    if span > 1:
        pr.append(_el("w:gridSpan", val=str(span)))
    if shade:
        pr.append(_el("w:shd", val="clear", color="auto", fill="F2F2F2"))
    pr.append(_el("w:vAlign", val="center" if shade or middle else "top"))
    tc.append(pr)
    p = _el("w:p")
    ppr = _el("w:pPr")
    ppr.append(_el("w:spacing", before="0", after="0"))
    ppr.append(_el("w:jc", val=_ALIGN[align]))
    p.append(ppr)
    p.append(_run(text, bold=bold, size=size))
    tc.append(p)
    return tc


def _row(cells: list, *, header: bool = False, min_height_cm: float | None = None):
    tr = _el("w:tr")
    pr = _el("w:trPr")
    pr.append(_el("w:cantSplit"))
    if min_height_cm:
        pr.append(_el("w:trHeight", val=_twips(min_height_cm), hRule="atLeast"))
    if header:
        pr.append(_el("w:tblHeader"))
    tr.append(pr)
    for tc in cells:
        tr.append(tc)
    return tr


def _table(doc: DocxDocument, widths: Sequence[float], *, borders: bool = True) -> DocxTable:
    """An empty fixed-layout table with the given column widths (cm)."""
    table = doc.add_table(rows=0, cols=len(widths))
    if borders:
        table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    tblw = tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:w"), _twips(sum(widths)))
        tblw.set(qn("w:type"), "dxa")
    for grid_col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), _twips(w))
    return table


def _field(paragraph, instr: str) -> None:
    """A PAGE or NUMPAGES field (complex field form, which every office suite updates)."""
    p = paragraph._p
    begin = _el("w:r")
    begin.append(_el("w:fldChar", fldCharType="begin"))
    code = _el("w:r")
    it = _el("w:instrText")
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = f" {instr} "
    code.append(it)
    sep = _el("w:r")
    sep.append(_el("w:fldChar", fldCharType="separate"))
    end = _el("w:r")
    end.append(_el("w:fldChar", fldCharType="end"))
    for el in (begin, code, sep, _run("1"), end):
        p.append(el)


def _setup(doc: Document) -> DocxDocument:
    out = new_docx()
    section = out.sections[0]
    page_w, page_h = doc.page_cm()
    section.orientation = WD_ORIENT.LANDSCAPE if doc.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(page_w), Cm(page_h)
    section.left_margin, section.right_margin = Cm(MARGINS["left"]), Cm(MARGINS["right"])
    section.top_margin, section.bottom_margin = Cm(MARGINS["top"]), Cm(MARGINS["bottom"])
    section.footer_distance = Cm(1.0)
    style = out.styles["Normal"]
    style.font.name = LATIN_FONT  # digits and Latin letters, as office documents set them
    style.font.size = Pt(BODY_PT)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")
    out.core_properties.title = doc.title
    out.core_properties.author = doc.maker
    return out


def _title(out: DocxDocument, text: str, size: float = 18) -> None:
    p = out.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(6)
    run = p.add_run(clean_text(text))
    run.bold = True
    run.font.size = Pt(size)
    run.font.name = CJK_TITLE_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_TITLE_FONT)


def _facts(out: DocxDocument, doc: Document) -> None:
    p = out.add_paragraph(doc.facts_line())
    p.paragraph_format.space_after = Pt(6)


def _heading(out: DocxDocument, text: str) -> None:
    p = out.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = True
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(12)


def _ledger_table(out: DocxDocument, doc: Document, columns: Sequence[Column], rows, figures: Figures) -> int:
    widths = column_widths_cm(columns, doc.usable_width_cm())
    size = DENSE_PT if len(columns) >= DENSE_COLUMNS else TABLE_PT
    table = _table(out, widths)
    tbl = table._tbl
    tbl.append(_row([_cell(c.header, w, "center", bold=True, shade=True, size=size)
                     for c, w in zip(columns, widths, strict=True)], header=True))  # fmt: skip
    n = 0
    for n, row in enumerate(rows, start=1):
        cells = []
        for col, w in zip(columns, widths, strict=True):
            value = cell_value(col, row, n)
            text = figures.add(value) if col.kind == Kind.PHOTOS else paper_text(value, w)
            cells.append(_cell(text, w, KIND_SPECS[col.kind].align, size=size))
        tbl.append(_row(cells))
    if n == 0:
        tbl.append(_row([_cell("（本年度暂无记录）", sum(widths), "center", span=len(widths))]))
    return n


def _signatures(
    out: DocxDocument, doc: Document, labels: Sequence[str], *, seal: bool = True, maker: str | None = None
) -> None:
    """制表人/审核人/负责人 (签字) with date lines, then the place for the seal."""
    p = out.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = True
    usable = doc.usable_width_cm()
    widths = [usable / len(labels)] * len(labels)
    table = _table(out, widths, borders=False)
    cells = []
    for label, w in zip(labels, widths, strict=True):
        name = (doc.maker if maker is None else maker) if label in MAKER_LABELS else ""
        cells.append(_cell(f"{label}（签字）：{name}\n\n日期：　　　　年　　月　　日", w, "left"))
    table._tbl.append(_row(cells))
    if seal:
        p = out.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_before = Pt(30)
        p.add_run("（单位盖章）")
        out.add_paragraph().add_run("").add_break()


def _photo_grid(out: DocxDocument, doc: Document, figures: Sequence, per_row: int, box_w: float) -> None:
    """Photos ``per_row`` to a row, each with 图N, the date and the title under it; rows never split."""
    cell_w = doc.usable_width_cm() / per_row
    for group in rows_of(figures, per_row):
        table = _table(out, [cell_w] * per_row, borders=False)
        row = table.add_row()
        row._tr.get_or_add_trPr().append(_el("w:cantSplit"))
        for cell, fig in zip(row.cells, group, strict=False):
            cell.width = Cm(cell_w)
            pic_p = cell.paragraphs[0]
            pic_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture = load(fig.photo)
            if picture is None:
                pic_p.add_run("（照片无法读取）")
            else:
                w, h = fit(picture, box_w, box_w * 0.75)
                pic_p.add_run().add_picture(io.BytesIO(picture.data), width=Cm(w), height=Cm(h))
            cap = cell.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap.paragraph_format.space_after = Pt(8)
            run = cap.add_run(fig.caption)
            run.font.size = Pt(9)


def _photo_pages(out: DocxDocument, doc: Document, figures: Figures) -> None:
    if not figures.items:
        return
    out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _title(out, f"{doc.title}——活动照片", size=14)
    per_row = doc.photos_per_row()
    _photo_grid(out, doc, figures.items, per_row, doc.usable_width_cm() / per_row - 0.6)


def _form_page(out: DocxDocument, doc: Document, form: Form, row: Any) -> None:
    _title(out, form.title)
    p = out.add_paragraph(f"单位：{doc.org_name}")
    p.paragraph_format.space_after = Pt(4)
    usable = doc.usable_width_cm()
    label_w = 3.4
    value_w = (usable - 2 * label_w) / 2
    widths = [label_w, value_w, label_w, value_w]
    table = _table(out, widths)
    tbl = table._tbl
    for line in form.lines:
        tall = any(f.tall for f in line)
        cells = []
        if len(line) == 1:
            f = line[0]
            cells = [
                _cell(f.label, label_w, "center", bold=True, middle=True),
                _cell(paper_text(_form_value(f, row)), usable - label_w, "left", span=3),
            ]
        else:
            for f in line:
                cells += [
                    _cell(f.label, label_w, "center", bold=True, middle=True),
                    _cell(paper_text(_form_value(f, row)), value_w, "left"),
                ]
        tbl.append(_row(cells, min_height_cm=FORM_TALL_CM if tall else FORM_ROW_CM))
    _signatures(out, doc, form.signatures, seal=False, maker=form.maker(row) if form.maker else None)
    if form.seal:
        p = out.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_before = Pt(18)
        p.add_run(form.seal)
    photos = list(form.photos(row))[:FORM_PHOTOS] if form.photos else []
    if photos:
        figures = Figures()
        figures.add(photos)
        _heading(out, form.photos_heading)
        per_row = form_photos_per_row(len(photos))
        _photo_grid(out, doc, figures.items, per_row, form_photo_box_cm(usable, per_row))


def _form_value(f, row: Any) -> Any:
    value = f.value(row)
    return "" if value is None else value


def write_docx(doc: Document, target: str | IO[bytes]) -> int:
    """Write ``doc`` to ``target``; returns the number of rows of its first table (forms: of forms)."""
    out = _setup(doc)
    count = 0
    if doc.form is not None:
        for n, row in enumerate(doc.sheets[0].rows, start=1):
            if n > 1:
                out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _form_page(out, doc, doc.form, row)
            count = n
        if count == 0:
            _title(out, doc.form.title)
            _facts(out, doc)
            out.add_paragraph("（本年度暂无记录）")
    else:
        _title(out, doc.title)
        _facts(out, doc)
        figures = Figures()
        for i, sheet in enumerate(doc.sheets):
            if sheet.heading:
                _heading(out, sheet.heading)
            n = _ledger_table(out, doc, sheet.paper_columns, sheet.rows, figures)
            if i == 0:
                count = n
        if doc.notes and doc.notes_heading:
            _heading(out, doc.notes_heading)
        for para in doc.notes:
            out.add_paragraph(clean_text(para))
        _signatures(out, doc, doc.signatures)
        _photo_pages(out, doc, figures)
    out.save(target)
    doc.rows_written = count
    return count
