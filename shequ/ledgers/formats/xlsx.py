"""The xlsx of a ledger: streamed row by row in xlsxwriter's constant-memory mode.

Dates are real date cells shown as 2026年1月8日, numbers are numbers, and text is always written as
text (a value beginning with = + - @ or a tab is marked with Excel's quote prefix, so it never becomes
a formula, not even when the cell is edited). The sheet prints as the office files it: A4 in the
ledger's orientation, a binding margin on the left, the header row repeated on every page, fitted to
the page width, 第 N 页 共 M 页 in the footer; on screen the header is frozen and filtered.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from shequ.ledgers.declare import KIND_SPECS, MAKER_LABELS, Column, Kind
from shequ.ledgers.document import MARGINS, Document, Sheet, column_widths_cm
from shequ.ledgers.formats import CJK_FONT
from shequ.ledgers.values import cell_value, clean_text

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 2  # title, the heading facts, then the column headers
LINE_HEIGHT = 14.25  # points per line of 10.5 pt text
MAX_LINES = 27  # Excel's row height limit is 409 pt
CM_PER_INCH = 2.54
CM_PER_CHAR = 0.2  # one unit of an Excel column width (a digit of the default font) on paper
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": CJK_FONT, "font_size": 10.5}
        cell = {**base, "border": 1, "valign": "top", "text_wrap": True}
        self.title = wb.add_format({**base, "bold": True, "font_size": 18, "align": "center", "valign": "vcenter"})
        self.facts = wb.add_format({**base, "align": "left", "valign": "vcenter"})
        self.header = wb.add_format(
            {**cell, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#F2F2F2"}
        )
        self.sign = wb.add_format({**base, "valign": "top", "text_wrap": True})
        self.seal = wb.add_format({**base, "align": "right", "valign": "vcenter"})
        self.by_kind: dict[Kind, Format] = {}
        self.quoted: dict[Kind, Format] = {}
        for kind, spec in KIND_SPECS.items():
            extra: dict[str, Any] = {"align": spec.align}
            if kind == Kind.DATE:
                extra["num_format"] = DATE_FORMAT
            elif kind == Kind.PHOTOS:
                extra["num_format"] = '0"张"'
            self.by_kind[kind] = wb.add_format({**cell, **extra})
            self.quoted[kind] = wb.add_format({**cell, **extra, "quote_prefix": True})
        self.date = wb.add_format({**cell, "align": "center", "num_format": DATE_FORMAT})


def _write(ws: Worksheet, r: int, c: int, col: Column, value: Any, fmts: _Formats) -> None:
    fmt = fmts.by_kind[col.kind]
    if col.kind == Kind.PHOTOS and not isinstance(value, int | str):
        value = len(value)
    if isinstance(value, date):
        ws.write_datetime(r, c, value, fmts.date if col.kind != Kind.DATE else fmt)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt)
    else:
        text = clean_text(str(value)) if value != "" else ""
        if not text:
            ws.write_blank(r, c, None, fmt)
        elif text.startswith(FORMULA_START) or str(value).startswith(FORMULA_START):
            ws.write_string(r, c, str(value), fmts.quoted[col.kind])
        else:
            ws.write_string(r, c, text, fmt)


def _widths(doc: Document, cols: list[Column]) -> list[float]:
    """Column widths in characters, from the printed widths by kind. A sheet with more columns than the page
    holds keeps their natural widths (it is scaled to the page width when printed) rather than squeezing
    its text into tall rows."""
    natural = sum(KIND_SPECS[c.kind].cm for c in cols)
    width = max(doc.usable_width_cm(), natural)
    return [round(cm / CM_PER_CHAR, 1) for cm in column_widths_cm(cols, width)]


def _text_width(text: str) -> float:
    """Width in characters: a Chinese character (three bytes in UTF-8) counts as 1.8."""
    wide = (len(text.encode()) - len(text)) / 2
    return len(text) + 0.8 * wide


def _row_height(values: list[Any], widths: list[float]) -> float:
    """A row tall enough for its wrapped text (spreadsheet programs do not grow rows on opening)."""
    lines = 1
    for value, width in zip(values, widths, strict=True):
        if isinstance(value, str) and value:
            usable = max(width - 1, 1)
            lines = max(lines, sum(max(math.ceil(_text_width(part) / usable), 1) for part in value.split("\n")))
    return LINE_HEIGHT * min(lines, MAX_LINES)


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_NAME_BAD.sub("", name).strip("'")[:31] or "台账"
    out, n = base, 2
    while out in used:
        out, n = f"{base[:28]}({n})", n + 1
    used.add(out)
    return out


def _signature_block(ws: Worksheet, row: int, ncols: int, doc: Document, fmts: _Formats) -> int:
    """制表人/审核人/负责人 with date lines across the page, then the place for the seal; returns the last row."""
    labels = list(doc.signatures)
    ws.set_row(row, 42)
    spans = _spans(ncols, len(labels))
    for (first, last), label in zip(spans, labels, strict=False):
        name = doc.maker if label in MAKER_LABELS else ""
        text = f"{label}（签字）：{name}\n日期：　　　　年　　月　　日"
        if first == last:
            ws.write_string(row, first, text, fmts.sign)
        else:
            ws.merge_range(row, first, row, last, text, fmts.sign)
    row += 1
    ws.set_row(row, 36)
    seal = "（单位盖章）"
    if ncols > 1:
        ws.merge_range(row, 0, row, ncols - 1, seal, fmts.seal)
    else:
        ws.write_string(row, 0, seal, fmts.seal)
    return row


def _spans(ncols: int, parts: int) -> list[tuple[int, int]]:
    """Split ``ncols`` columns into ``parts`` adjacent spans (fewer when there are fewer columns)."""
    parts = max(1, min(parts, ncols))
    size, extra = divmod(ncols, parts)
    spans, start = [], 0
    for i in range(parts):
        width = size + (1 if i < extra else 0)
        spans.append((start, start + width - 1))
        start += width
    return spans


def _write_sheet(wb: xlsxwriter.Workbook, doc: Document, sheet: Sheet, fmts: _Formats, used: set[str]) -> int:
    title = f"{doc.title}——{sheet.heading}" if sheet.heading else doc.title
    ws = wb.add_worksheet(_sheet_name(sheet.heading or doc.title, used))
    cols = list(sheet.columns)
    ncols = len(cols)
    widths = _widths(doc, cols)
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    last_col = max(ncols - 1, 0)
    ws.set_row(0, 32)
    if last_col:
        ws.merge_range(0, 0, 0, last_col, title, fmts.title)
        ws.merge_range(1, 0, 1, last_col, doc.facts_line(), fmts.facts)
    else:
        ws.write_string(0, 0, title, fmts.title)
        ws.write_string(1, 0, doc.facts_line(), fmts.facts)
    ws.set_row(HEADER_ROW, 30)
    for c, col in enumerate(cols):
        ws.write_string(HEADER_ROW, c, col.header, fmts.header)
    r = HEADER_ROW
    n = 0
    for n, row in enumerate(sheet.rows, start=1):
        r = HEADER_ROW + n
        values = [cell_value(col, row, n) for col in cols]
        height = _row_height(values, widths)
        if height > LINE_HEIGHT:
            ws.set_row(r, height)
        for c, (col, value) in enumerate(zip(cols, values, strict=True)):
            _write(ws, r, c, col, value, fmts)
        # Writing this row flushed the one before; xlsxwriter would keep its height to the end (memory
        # growing with the rows), though nothing reads it again.
        ws.row_info.pop(r - 1, None)
        ws.row_sizes.pop(r - 1, None)  # (used to place images, which a ledger sheet has none of)
    last_row = _signature_block(ws, r + 2, ncols, doc, fmts)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.autofilter(HEADER_ROW, 0, max(r, HEADER_ROW), last_col)
    ws.print_area(0, 0, last_row, last_col)
    ws.repeat_rows(HEADER_ROW)
    ws.set_paper(9)  # A4
    if doc.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(
        left=MARGINS["left"] / CM_PER_INCH,
        right=MARGINS["right"] / CM_PER_INCH,
        top=MARGINS["top"] / CM_PER_INCH,
        bottom=MARGINS["bottom"] / CM_PER_INCH,
    )
    ws.set_footer("&C第 &P 页 共 &N 页")
    return n


def write_xlsx(doc: Document, target: str | IO[bytes]) -> int:
    """Write ``doc`` to ``target`` (a path or a binary file); returns the number of rows of its first table."""
    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    wb.set_properties({"title": doc.title, "author": doc.maker, "company": doc.org_name})
    fmts = _Formats(wb)
    used: set[str] = set()
    counts = [_write_sheet(wb, doc, sheet, fmts, used) for sheet in doc.sheets]
    wb.close()
    doc.rows_written = counts[0] if counts else 0
    return doc.rows_written
