"""The file of errors: the worker's own rows given back as xlsx with a 错误说明 column and every wrong cell marked,
to fix in Excel or WPS and upload again."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from shequ.ledgers.formats import CJK_FONT
from shequ.residents.imports import jobs
from shequ.residents.models import ImportJob

EXPLANATION = "错误说明"


def write_error_file(job: ImportJob, path: str) -> int:
    """Write the job's sheet with its errors to ``path``; return the number of errors."""
    result = jobs.check_file(job, keep_all_errors=True)
    import xlsxwriter  # loaded by the processes that write a workbook (see ledgers.services)

    by_row: dict[int, list] = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e)
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    plain = workbook.add_format({"font_name": CJK_FONT})
    wrong = workbook.add_format({"font_name": CJK_FONT, "bg_color": "#FFC7CE", "font_color": "#9C0006"})
    note = workbook.add_format({"font_name": CJK_FONT, "font_color": "#9C0006", "text_wrap": True})
    head = workbook.add_format({"font_name": CJK_FONT, "bold": True, "bg_color": "#FFC7CE"})
    dated = workbook.add_format({"font_name": CJK_FONT, "num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet((job.sheet or "居民信息")[:31])
    explain_col = result.width
    sheet.set_column(explain_col, explain_col, 60)
    for r, cells in enumerate(jobs.rows_of(job)):
        errors = by_row.get(r + 1, [])
        marked = {e.col for e in errors if e.col is not None}
        for c, value in enumerate(cells):
            _write(sheet, r, c, value, wrong if c in marked else plain, dated)
        if r == result.header_row:
            sheet.write_string(r, explain_col, EXPLANATION, head)
        elif errors:
            sheet.write_string(
                r, explain_col, ";".join(f"{e.column}:{e.message}" if e.column else e.message for e in errors), note
            )
    workbook.close()
    return result.error_count


def _write(sheet, r: int, c: int, value, fmt, dated) -> None:
    if value is None or value == "":
        if fmt.bg_color:
            sheet.write_blank(r, c, None, fmt)
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value, fmt)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(r, c, value, dated)
    elif isinstance(value, time | timedelta):
        sheet.write_string(r, c, str(value), fmt)
    else:
        sheet.write_string(r, c, str(value), fmt)
