"""Values as a ledger shows them: dates as 2026年3月5日, yes/no as 是/否, numbers without trailing zeros."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from shequ.ledgers.declare import Column

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def clean_text(text: str) -> str:
    """Text safe for XML documents: control characters other than tab and newline dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def cell_value(col: Column, row: Any, n: int) -> Any:
    """The value of ``col`` for ``row`` (the ``n``-th row), normalised: a date for a datetime (local
    date), 是/否 for a boolean, "" for nothing. Numbers, dates and photo lists stay as they are."""
    if col.value is None:
        return n
    value = col.value(row)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


DATE_ONE_LINE_CM = 2.5  # 2026年12月31日 fits on one line at 10 pt in a cell this wide


def paper_text(value: Any, width_cm: float | None = None) -> str:
    """How a value reads on paper (docx, PDF). A date in a column too narrow for 2026年1月8日 on one line is
    written 2026.1.8, as office forms do, rather than broken inside the day."""
    if isinstance(value, date):
        if width_cm is not None and width_cm < DATE_ONE_LINE_CM:
            return f"{value.year}.{value.month}.{value.day}"
        return cn_date(value)
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    return clean_text(str(value))
