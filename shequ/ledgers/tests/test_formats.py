"""The three formats of a known ledger: what an office relies on when it prints and files them."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import datetime

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from shequ.ledgers import fonts
from shequ.ledgers.formats.docx import write_docx
from shequ.ledgers.formats.pdf import write_pdf
from shequ.ledgers.formats.xlsx import write_xlsx
from shequ.ledgers.tests.sample import COLUMNS, FORM, FORMULA_LIKE, document


def _docx(doc) -> DocxDocument:
    buf = io.BytesIO()
    write_docx(doc, buf)
    buf.seek(0)
    return docx.Document(buf)


def _pdf(doc) -> PdfReader:
    buf = io.BytesIO()
    write_pdf(doc, buf)
    buf.seek(0)
    return PdfReader(buf)


# --- docx -------------------------------------------------------------------------------------------


def test_docx_header_row_repeats_and_rows_do_not_split():
    out = _docx(document(30))
    table = out.tables[0]
    first = table.rows[0]._tr
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "日期", "主题"]
    assert all(r._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in table.rows)
    assert all(r._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for r in table.rows[1:])
    assert table.rows[1].cells[1].text == "2025年1月8日"


def test_docx_column_widths_follow_the_kind_and_fill_the_page():
    out = _docx(document(3))
    grid = [int(c.get(qn("w:w"))) for c in out.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    widths = dict(zip([c.header for c in COLUMNS], grid, strict=True))
    assert widths["活动内容"] > widths["主题"] > widths["序号"]
    assert widths["日期"] > widths["参加人数"] > widths["序号"]
    section = out.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    assert abs(sum(grid) * 635 - usable) < 635 * 10  # twips to EMU: the table spans the type area


def test_docx_is_a4_in_the_declared_orientation_with_a_binding_margin():
    land = _docx(document(1)).sections[0]
    assert (round(land.page_width.cm, 1), round(land.page_height.cm, 1)) == (29.7, 21.0)
    assert land.left_margin > land.right_margin
    port = _docx(document(1, orientation="portrait")).sections[0]
    assert (round(port.page_width.cm, 1), round(port.page_height.cm, 1)) == (21.0, 29.7)


def test_docx_footer_numbers_pages_with_fields():
    footer = _docx(document(1)).sections[0].footer.paragraphs[0]
    codes = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert codes == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("第 ") and " 页 共 " in footer.text and footer.text.endswith(" 页")


def test_docx_heading_and_signature_block():
    out = _docx(document(2))
    assert out.paragraphs[0].text == "健康教育工作活动台账"
    facts = out.paragraphs[1].text
    for part in ("填报单位：幸福社区", "年度：2025年", "条线：健康教育", "填报日期：2026年1月5日"):
        assert part in facts
    sign = [c.text for c in out.tables[1].rows[0].cells]
    assert [s.split("（")[0] for s in sign] == ["制表人", "审核人", "负责人"]
    assert all("日期：" in s and "年" in s for s in sign) and "王专干" in sign[0]
    assert any(p.text == "（单位盖章）" for p in out.paragraphs)


def test_docx_photos_form_a_grid_with_captions_instead_of_a_count():
    out = _docx(document(3, photo_rows=2))  # landscape: three to a row
    body = out.tables[0]
    assert body.rows[1].cells[7].text == "见图1、图2" and body.rows[3].cells[7].text == ""
    grids = out.tables[2:]
    assert [len(t.columns) for t in grids] == [3, 3]
    captions = [c.text.strip() for t in grids for c in t.rows[0].cells if c.text.strip()]
    assert captions[0].startswith("图1　2025年1月8日　第1期 健康讲座") and len(captions) == 4
    assert len(out.inline_shapes) == 4
    portrait = _docx(document(3, photo_rows=2, orientation="portrait"))
    assert [len(t.columns) for t in portrait.tables[2:]] == [2, 2]


def test_docx_form_ledger_prints_one_page_per_row():
    out = _docx(document(3, photo_rows=1, form=FORM, orientation="portrait"))
    titles = [p.text for p in out.paragraphs if p.text == "健康教育活动记录表"]
    assert len(titles) == 3
    breaks = out.element.body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    assert len(breaks) == 2
    form = out.tables[0]
    assert [c.text for c in form.rows[0].cells] == ["活动时间", "2025年1月8日", "活动地点", "社区会议室"]
    assert len(out.inline_shapes) == 2


# --- xlsx -------------------------------------------------------------------------------------------


def _xlsx(doc):
    buf = io.BytesIO()
    write_xlsx(doc, buf)
    buf.seek(0)
    return load_workbook(buf).active


def test_xlsx_dates_are_dates_with_a_chinese_format_and_numbers_are_numbers():
    ws = _xlsx(document(3))
    date_cell = ws.cell(4, 2)
    assert date_cell.is_date and date_cell.value == datetime(2025, 1, 8)
    assert "年" in date_cell.number_format and "月" in date_cell.number_format
    assert ws.cell(4, 6).value == 20 and ws.cell(4, 6).data_type == "n"
    assert ws.cell(4, 1).value == 1


def test_xlsx_formula_looking_text_stays_text():
    ws = _xlsx(document(len(FORMULA_LIKE)))
    cells = [ws.cell(4 + i, 9) for i in range(len(FORMULA_LIKE))]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not ws.cell(4, 3).quotePrefix


def test_xlsx_prints_like_the_office_form():
    ws = _xlsx(document(40))
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:I43"
    assert ws.print_area and "$A$1:$I$" in ws.print_area
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1  # 1 is the default
    assert ws.page_setup.fitToHeight == 0
    assert ws.page_margins.left > ws.page_margins.right
    assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text
    assert ws["A1"].value == "健康教育工作活动台账" and "填报单位：幸福社区" in ws["A2"].value
    signature = [c.value for row in ws.iter_rows(min_row=44) for c in row if c.value]
    assert any(str(v).startswith("制表人（签字）：王专干") for v in signature)
    assert "（单位盖章）" in signature


def test_xlsx_photo_column_counts_the_photos():
    ws = _xlsx(document(2, photo_rows=1))
    assert ws.cell(4, 8).value == 2 and ws.cell(4, 8).number_format == '0"张"'


# --- pdf --------------------------------------------------------------------------------------------


def test_pdf_repeats_the_header_and_numbers_every_page():
    reader = _pdf(document(80))
    pages = [re.sub(r"\s", "", p.extract_text()) for p in reader.pages]
    assert 6 <= len(pages) <= 16  # 80 rows of four lines each: at least five rows to a landscape page
    for i, text in enumerate(pages, start=1):
        assert "活动内容" in text and "参加人数" in text, f"page {i} lacks the header row"
        assert f"第{i}页共{len(pages)}页" in text, f"page {i} lacks its number"
    assert "健康教育工作活动台账" in pages[0] and "填报单位：幸福社区" in pages[0]
    assert "2025年1月8日" in pages[0]
    assert "负责人" in pages[-1] and "单位盖章" in pages[-1]


def test_pdf_is_a4_landscape_or_portrait_as_declared():
    land = _pdf(document(1)).pages[0].mediabox
    assert (round(float(land.width) / 72 * 2.54, 1), round(float(land.height) / 72 * 2.54, 1)) == (29.7, 21.0)
    port = _pdf(document(1, orientation="portrait")).pages[0].mediabox
    assert round(float(port.width) / 72 * 2.54, 1) == 21.0


def test_pdf_photo_pages_and_forms():
    reader = _pdf(document(4, photo_rows=3))
    last = reader.pages[-1].extract_text()
    assert "活动照片" in last and "图1" in last and "图6" in last
    forms = _pdf(document(3, form=FORM, orientation="portrait"))
    assert len(forms.pages) == 3
    assert all("健康教育活动记录表" in p.extract_text() for p in forms.pages)


def test_pdf_without_a_cjk_font_fails_clearly(monkeypatch):
    fonts.check_pdf_fonts.cache_clear()
    monkeypatch.setattr(fonts, "missing_cjk_glyphs", lambda: {"台"})
    try:
        with pytest.raises(fonts.PdfUnavailable, match="中文字体"):
            write_pdf(document(1), io.BytesIO())
    finally:
        fonts.check_pdf_fonts.cache_clear()


def test_missing_glyphs_are_detected_when_only_latin_fonts_are_installed(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    code = "from shequ.ledgers.fonts import missing_cjk_glyphs; print(len(missing_cjk_glyphs()))"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert int(out.stdout.strip()) > 0
    assert fonts.missing_cjk_glyphs() == set()  # and this machine has its CJK font


def test_a_crowded_table_squeezes_columns_only_to_their_minimum():
    from shequ.ledgers.declare import KIND_SPECS, Column, Kind
    from shequ.ledgers.document import MIN_TEXT_CM, column_widths_cm

    kinds = [Kind.SERIAL, Kind.DATE, Kind.NAME, Kind.SHORT, Kind.TEXT, Kind.PHOTOS, Kind.SHORT, Kind.TEXT]
    kinds += [Kind.NAME, Kind.DATE, Kind.SHORT, Kind.DATE, Kind.NAME, Kind.SHORT, Kind.SHORT]  # 安全隐患: 15 columns
    columns = [Column(f"列{i}", k, lambda r: "") for i, k in enumerate(kinds)]
    widths = column_widths_cm(columns, 25.1)
    assert sum(widths) == pytest.approx(25.1)
    for col, w in zip(columns, widths, strict=True):
        floor = MIN_TEXT_CM if col.kind == Kind.TEXT else KIND_SPECS[col.kind].min_cm
        assert w >= floor - 1e-9, col.kind
    roomy = column_widths_cm(columns[:6], 25.1)  # few columns: the long text takes what is left
    assert roomy[4] == pytest.approx(25.1 - sum(KIND_SPECS[c.kind].cm for c in columns[:6] if c.kind != Kind.TEXT))


def test_the_makers_name_goes_on_the_makers_signature_line():
    from dataclasses import replace

    form = replace(FORM, signatures=("当事人", "登记人"), seal="人民调解委员会（印章）")
    out = _docx(document(1, form=form, orientation="portrait"))
    sign = [c.text for c in out.tables[1].rows[0].cells]
    assert sign[0].startswith("当事人（签字）：\n") and sign[1].startswith("登记人（签字）：王专干")
    assert any(p.text == "人民调解委员会（印章）" for p in out.paragraphs)
    text = re.sub(r"\s", "", _pdf(document(1, form=form, orientation="portrait")).pages[0].extract_text())
    assert "当事人（签字）：日期" in text and "登记人（签字）：王专干" in text and "人民调解委员会（印章）" in text


def test_a_date_in_a_squeezed_column_is_written_short_instead_of_breaking_inside_the_day():
    from shequ.ledgers.values import DATE_ONE_LINE_CM, paper_text

    on = datetime(2025, 1, 4).date()
    assert paper_text(on, DATE_ONE_LINE_CM + 0.3) == "2025年1月4日"
    assert paper_text(on, DATE_ONE_LINE_CM - 0.5) == "2025.1.4"
    assert paper_text(on) == "2025年1月4日"  # forms and headings: always in full
