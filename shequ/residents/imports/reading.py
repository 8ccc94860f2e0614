"""Reading an uploaded table as a stream of rows: xlsx, xls (old Excel), et (WPS), ods via python-calamine, csv in
UTF-8 (with or without BOM), GBK/GB18030 or UTF-16 as a text stream.

The kind of file is told from its first bytes, not its name, so a renamed file gets a clear refusal; a workbook
with an open password gets its own. A spreadsheet is held in memory while it is read (python-calamine reads whole
sheets), so workbooks above ``RESIDENTS_IMPORT_MAX_SHEET_MB`` are refused with a request to split them; a csv is
read as a stream whatever its size.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
SAMPLE = 64 * 1024


class ImportFileError(Exception):
    """The file cannot be read as a table of persons (wrong type, no header row …)."""


@dataclass
class Table:
    """One sheet of an uploaded file, its rows read on demand.

    ``rows`` yields lists of cell values from the sheet's first row and column (spreadsheet row 1, column A).
    """

    kind: str  # "xlsx", "xls", "ods" or "csv"
    sheet: str
    sheets: list[dict] = field(default_factory=list)  # [{"name", "rows"}] of every visible sheet
    height: int = 0  # rows in the sheet (0 for a csv: not known before it is read)
    merged: list = field(default_factory=list)
    _rows: Iterator[list] | None = None
    _close: object = None

    def rows(self) -> Iterator[list]:
        assert self._rows is not None
        return self._rows

    def close(self) -> None:
        """Free the sheet (python-calamine's memory) as soon as its rows were read."""
        self._rows = None
        if self._close is not None:
            self._close()
            self._close = None


def kind_of(head: bytes, filename: str) -> str:
    name = filename.lower()
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if name.endswith(SPREADSHEET_SUFFIXES):
        if b"\x00" in head[:512] or not name.endswith((".xls", ".et")):
            raise ImportFileError(
                "此文件不是有效的Excel文件(可能是改了扩展名的其他文件),请在Excel或WPS中另存为xlsx后再上传。"
            )
        return "csv"  # a text table saved with an .xls name (some older systems export this way)
    if name.endswith(TEXT_SUFFIXES):
        return "csv"
    raise ImportFileError("只能导入 xlsx、xls、et(WPS)或 csv 文件。")


def open_table(fh, filename: str, *, sheet: str = "", size: int | None = None, prefer=None) -> Table:
    """Open ``fh`` (a binary file object) as a table; ``sheet`` names the sheet. By default it is the sheet with
    most rows among those that ``prefer`` (given a sheet's first rows) accepts, else among all."""
    head = fh.read(SAMPLE)
    fh.seek(0)
    kind = kind_of(head, filename)
    if kind == "csv":
        return _open_csv(fh, head)
    if size is None:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(0)
    limit = settings.RESIDENTS_IMPORT_MAX_SHEET_MB
    if size > limit * 1024 * 1024:
        raise ImportFileError(
            f"文件有{size / 1024 / 1024:.0f} MB,超过了一次可导入的Excel文件大小({limit} MB)。请拆分文件后分批导入,"
            "或另存为CSV文件再上传(CSV文件不受此限制)。"
        )
    if kind == "xls" and _is_encrypted_ole(fh):
        raise ImportFileError("此文件设置了打开密码。请在Excel或WPS中取消密码、另存后再上传。")
    return _open_workbook(fh, sheet, kind, prefer)


def _is_encrypted_ole(fh) -> bool:
    """An encrypted xlsx is an OLE container with an EncryptionInfo stream."""
    data = fh.read(1024 * 1024)
    fh.seek(0)
    return "EncryptionInfo".encode("utf-16-le") in data


def _open_workbook(fh, sheet: str, kind: str, prefer) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_filelike(fh)
        names = [m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
        if sheet and sheet not in names:
            raise ImportFileError(f"文件中没有名为“{sheet}”的工作表。")
        chosen, sheets, rank = None, [], None
        for name in names:
            candidate = workbook.get_sheet_by_name(name)
            sheets.append({"name": name, "rows": candidate.height})
            if sheet:
                if name == sheet:
                    chosen = candidate
                continue
            head = list(itertools.islice(candidate.iter_rows(), 30)) if prefer else []
            score = (bool(prefer and prefer(head)), candidate.height)
            if rank is None or score > rank:
                chosen, rank = candidate, score
            del candidate
    except PasswordError as exc:
        raise ImportFileError("此文件设置了打开密码。请在Excel或WPS中取消密码、另存后再上传。") from exc
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFileError("无法读取此Excel文件,请确认文件未损坏且未加密。") from exc
    if chosen is None:
        raise ImportFileError("文件中没有工作表。")
    start = chosen.start or (0, 0)
    merged = chosen.merged_cell_ranges or []

    def close() -> None:
        workbook.close()

    return Table(
        kind=kind,
        sheet=chosen.name,
        sheets=sheets,
        height=chosen.height + start[0],
        merged=merged,
        _rows=_padded(chosen.iter_rows(), start[1]),
        _close=close,
    )


def _padded(rows: Iterator[list], first_col: int) -> Iterator[list]:
    """Rows from spreadsheet column A (python-calamine starts them at the first column holding data)."""
    if not first_col:
        return rows  # as they are: no generator step per row
    pad = [""] * first_col
    return (pad + row for row in rows)


def _open_csv(fh, head: bytes) -> Table:
    encoding = detect_encoding(head)
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    sample = head.decode(encoding, errors="ignore")[:8192]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[list]:
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"CSV文件第{reader.line_num + 1}行附近有无法识别的字符,请另存为UTF-8编码的CSV或xlsx文件。"
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(f"CSV文件第{reader.line_num}行格式有误:{exc}") from exc

    return Table(kind="csv", sheet="", _rows=rows(), _close=text.detach)


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), otherwise GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
    except UnicodeDecodeError:
        raise ImportFileError("无法识别CSV文件的编码,请另存为UTF-8编码的CSV或xlsx文件。") from None
    return "gb18030"


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
