"""Reading an uploaded table: the first sheet of an xlsx/xls/ods file or a csv file, and its cells as text
and dates."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime


class ImportFileError(Exception):
    """The file cannot be read as a table of persons (wrong type, no header row …)."""


def read_table(data: bytes, filename: str) -> list[list]:
    """The first sheet of an xlsx/xls/ods file (python-calamine) or a csv file (UTF-8 or GB18030)."""
    name = filename.lower()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return list(csv.reader(io.StringIO(text)))
        raise ImportFileError("无法识别CSV文件的编码,请另存为UTF-8编码的CSV或xlsx文件。")
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, OSError) as exc:
            raise ImportFileError("无法读取此Excel文件,请确认文件未损坏且未加密。") from exc
    raise ImportFileError("只能导入 xlsx、xls 或 csv 文件。")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def cell_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for sep in ("年", "月", "/", "."):
        text = text.replace(sep, "-")
    text = text.replace("日", "").strip("-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError):
        raise ValueError(f"“{cell_text(value)}”不是有效日期,请写成 1980-01-31 的形式。") from None
