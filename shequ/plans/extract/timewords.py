"""Dates, deadlines, periods and month windows in plain (normalized) plan text."""

from __future__ import annotations

import calendar
import re

# A fixed non-leap year for month ends: a plan's deadline of "2月底" is 28 February.
_YEAR = 2023


def month_end(month: int) -> int:
    return calendar.monthrange(_YEAR, month)[1]


# Period words after 每 (longest first), to the PeriodKind values of plans.periods (plus "day").
PERIOD_WORDS: list[tuple[str, str]] = [
    ("半个月", "half_month"),
    ("半月", "half_month"),
    ("两个月", "two_months"),
    ("2个月", "two_months"),
    ("双月", "two_months"),
    ("个季度", "quarter"),
    ("季度", "quarter"),
    ("季", "quarter"),
    ("半年", "half_year"),
    ("学期", "half_year"),
    ("个月", "month"),
    ("月", "month"),
    ("周", "week"),
    ("星期", "week"),
    ("年度", "year"),
    ("年", "year"),
    ("天", "day"),
    ("日", "day"),
]
_PERIOD_ALT = "|".join(re.escape(w) for w, _ in PERIOD_WORDS)
EVERY = re.compile(rf"每(?:个)?({_PERIOD_ALT})")
YEAR_WORDS = re.compile(r"(全年|年内|每年|一年|1年|今年|本年度|年度内|全年度)")
PERIOD_OF = dict(PERIOD_WORDS)

QUARTER_MONTHS = {1: [1, 2, 3], 2: [4, 5, 6], 3: [7, 8, 9], 4: [10, 11, 12]}

# Month windows: 5-8月, 5、6、7、8月份, 暑期, 上半年, 第3季度.
MONTH_RANGE = re.compile(r"(?<![\d.])(\d{1,2})\s*[-~至到—–]\s*(\d{1,2})\s*月(?!\d{0,2}日)")
MONTH_LIST = re.compile(r"(?<![\d.])(\d{1,2}(?:\s*[、,]\s*\d{1,2})+)\s*月(?:份)?")
SINGLE_MONTH = re.compile(r"(?<![\d.年-])(\d{1,2})\s*月(?:份)?(?![\d底末前初中下上])")
HALF_YEAR = re.compile(r"(上|下)半年")
QUARTER = re.compile(r"第?([1-4])\s*季度")

# Deadlines.
DATE = re.compile(r"(?<![\d.])(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)")
MONTH_END = re.compile(r"(?<![\d.])(\d{1,2})\s*月(?:份)?\s*(底|末|上旬|中旬|下旬|初)")
MONTH_BEFORE = re.compile(r"(?<![\d.])(\d{1,2})\s*月(?:份)?\s*(?:前|之前|以前)")
RANGE_END = re.compile(r"(?<![\d.])(\d{1,2})\s*[-~至到—–]\s*(\d{1,2})\s*(?:个)?月")
YEAR_END = re.compile(r"(年底前|年底|年末|年内完成|年前完成|全年完成)")
QUARTER_END = re.compile(r"第?([1-4])\s*季度(?:末|底|内|前|完成)?")
DONE = re.compile(
    r"(前|之前|以前|完成|建成|建立|成立|制定|制订|签订|启动|落实|实现|出台|健全|组建|设立|举办|开展|组织|召开|"
    r"上报|报送|评估|验收|部署|利用|聘请|安装|覆盖|到位|排查|检查|调研|培训|改造|整改)"
)


def months_window(text: str) -> list[int]:
    """The months a frequency is limited to, if the text names them; else []."""
    m = MONTH_RANGE.search(text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1 <= a <= b <= 12:
            return list(range(a, b + 1))
    m = MONTH_LIST.search(text)
    if m:
        months = [int(x) for x in re.split(r"\s*[、,]\s*", m.group(1))]
        if all(1 <= x <= 12 for x in months):
            return sorted(set(months))
    if "暑期" in text or "暑假" in text:
        return [7, 8]
    if "寒假" in text:
        return [1, 2]
    m = HALF_YEAR.search(text)
    if m:
        return list(range(1, 7)) if m.group(1) == "上" else list(range(7, 13))
    m = QUARTER.search(text)
    if m:
        return QUARTER_MONTHS[int(m.group(1))]
    m = SINGLE_MONTH.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return [int(m.group(1))]
    return []


def deadline(text: str) -> tuple[int, int, int, int] | None:
    """(month, day, start, end) of the deadline the text states, or None."""
    found: list[tuple[int, int, int, int]] = []
    for m in DATE.finditer(text):
        mo, d = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12 and 1 <= d <= month_end(mo):
            found.append((mo, d, m.start(), m.end()))
    for m in MONTH_END.finditer(text):
        mo = int(m.group(1))
        if 1 <= mo <= 12:
            d = {"上旬": 10, "中旬": 20, "初": 10}.get(m.group(2), month_end(mo))
            found.append((mo, d, m.start(), m.end()))
    for m in MONTH_BEFORE.finditer(text):
        mo = int(m.group(1))
        if 2 <= mo <= 12:
            found.append((mo - 1, month_end(mo - 1), m.start(), m.end()))
    if not found:
        for m in RANGE_END.finditer(text):
            a, b = int(m.group(1)), int(m.group(2))
            if 1 <= a <= b <= 12 and (DONE.search(text[m.end() : m.end() + 30]) or m.start() <= 8):
                found.append((b, month_end(b), m.start(), m.end()))
    if not found:
        m = HALF_YEAR.search(text)
        if m and re.search(r"完成|前|内|底|末", text[m.end() : m.end() + 20] + text[max(0, m.start() - 4) : m.start()]):
            found.append((6, 30, m.start(), m.end()) if m.group(1) == "上" else (12, 31, m.start(), m.end()))
    if not found:
        m = QUARTER_END.search(text)
        if m and re.search(r"末|底|前|完成|内", text[m.start() : m.end() + 12]):
            q = int(m.group(1))
            mo = q * 3
            found.append((mo, month_end(mo), m.start(), m.end()))
    if not found:
        m = YEAR_END.search(text)
        if m:
            found.append((12, 31, m.start(), m.end()))
    if not found:
        return None
    return min(found, key=lambda f: f[2])
