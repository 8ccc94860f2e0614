"""Cell values as people write them in rosters: dates in every form a spreadsheet produces, ID numbers and phones
with stray characters, relations as everyday words, addresses in one cell. Each parser returns the stored form
or raises ValueError with a Chinese message that says what to write instead."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, timedelta

from shequ.residents.catalogue import BY_GENDER, RELATION_SYNONYMS, RELATIONS

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)
# Characters that spreadsheets and copy-paste leave in cells: non-breaking and ideographic spaces, zero-width
# characters and the byte-order mark, tabs and line breaks.
_INVISIBLE = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000\u200b\u200c\u200d\u2060\ufeff\t\r\n "), None)
_FULLWIDTH = {
    ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＸｘＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＹＺ＋－"
}
_FULLWIDTH.update({ord("（"): "(", ord("）"): ")", ord("—"): "-", ord("–"): "-", ord("／"): "/", ord("．"): "."})


def clean(text: str) -> str:
    """Full-width letters and digits to ASCII; invisible characters and spaces removed."""
    if text.isalnum() and text.isascii():  # the common case: nothing to change
        return text
    return text.translate(_FULLWIDTH).translate(_INVISIBLE)


# --- dates -------------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]?\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{6})?$")
_DATE_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def parse_date(value) -> date:
    """A date cell, a numeric date serial (33239), or text: 1990-01-01, 1990/1/1, 1990.1.1, 1990年1月1日, 19900101,
    each also with a time part."""
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)  # the common 1990-01-01, at C speed
        except ValueError:
            pass
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("不是日期。")
    if isinstance(value, int | float):
        serial = int(value)
        if 19000101 <= serial <= 21001231:  # 19900101 typed as a number
            return _ymd(str(serial)[:4], str(serial)[4:6], str(serial)[6:], value)
        if 1 <= value < 2958466:  # a date serial (the time of day, if any, is dropped)
            return EXCEL_EPOCH + timedelta(days=serial)
        raise ValueError(f"“{value}”不是有效日期,请写成 1980-01-31 的形式。")
    text = clean(str(value)).replace("：", ":")
    text_spaced = str(value).strip()
    for candidate in (text_spaced, text):
        match = _DATE_TEXT.match(candidate) or _DATE_COMPACT.match(candidate)
        if match:
            return _ymd(*match.groups(), value)
    if text.isdigit() and 3 <= len(text) <= 5:  # a serial that became text
        return EXCEL_EPOCH + timedelta(days=int(text))
    raise ValueError(f"“{str(value).strip()}”不是有效日期,请写成 1980-01-31 的形式。")


def _ymd(y, m, d, original) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"“{original}”不是真实的日期(没有这一天)。") from None


# --- ID numbers --------------------------------------------------------------------------------------


def id_text(value) -> str:
    """The ID number as typed, without a leading apostrophe (Excel's text marker), spaces, invisible characters;
    full-width digits and X and a lower-case x made canonical."""
    if value is None:
        return ""
    if type(value) is str and value.isalnum() and value.isascii():
        return value.upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean(str(value)).lstrip("'‘’`")
    return text.upper()


# --- phones ------------------------------------------------------------------------------------------

_PHONE_SPLIT = re.compile(r"[/,，;；、]|\s{2,}")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0[12]\d|0[3-9]\d{2})(\d{7,8})(?:(?:转|-|ext|#)(\d{1,6}))?$")


def parse_phones(value) -> list[str]:
    """One or more phone numbers in a cell: mobiles with spaces, dashes or +86, landlines with an area code
    (010-12345678, (0571)88886666). Returns the numbers in stored form; raises ValueError for anything else."""
    if type(value) is str and len(value) == 11 and value.isdigit() and value[0] == "1":
        return [value]  # the common case: a plain mobile number
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    numbers = []
    for part in _PHONE_SPLIT.split(raw.translate(_FULLWIDTH)):
        text = part.strip()
        if not text:
            continue
        numbers.append(_one_phone(text, raw))
    if not numbers:
        raise ValueError("请填写电话号码。")
    return numbers


def _one_phone(text: str, raw: str) -> str:
    digits = re.sub(r"[\s\-()（）.]", "", text.translate(_INVISIBLE))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.match(digits):
        return digits
    match = _LANDLINE.match(digits)
    if match:
        area, number, ext = match.groups()
        return f"{area}-{number}" + (f"-{ext}" if ext else "")
    if digits.isdigit() and 7 <= len(digits) <= 8 and digits[0] in "23456789":  # a local number, no area code
        return digits
    raise ValueError(f"“{raw}”不是有效的电话号码(手机11位,座机请带区号,如 010-12345678)。")


# --- relations ---------------------------------------------------------------------------------------

RELATION_LABELS = dict(RELATIONS)
_RELATION_WORDS: dict[str, str] = {label: code for code, label in RELATIONS}
_RELATION_WORDS.update(RELATION_SYNONYMS)
_RELATION_WORDS.update({code: code for code, _ in RELATIONS})
_SUGGESTION_WORDS = (
    [label for _, label in RELATIONS],  # the national labels first, then the everyday words
    [w for w in (*RELATION_SYNONYMS, *BY_GENDER) if w not in RELATION_LABELS.values()],
)


def parse_relation(value, gender: str = "") -> str:
    """The 家庭关系代码 of a cell: a code (02, 2), a label of GB/T 4761 (长女) or an everyday word (老伴, 儿子)."""
    if type(value) is str and value in _RELATION_WORDS:
        return _RELATION_WORDS[value]
    text = clean(str(value)).strip("()")
    if isinstance(value, int | float) or text.isdigit():
        text = f"{int(float(text)):02d}" if text.replace(".0", "").isdigit() else text
    code = _RELATION_WORDS.get(text)
    if code:
        return code
    if text in BY_GENDER:
        male, female, unknown = BY_GENDER[text]
        return male if gender == "M" else female if gender == "F" else unknown
    near = difflib.get_close_matches(text, _SUGGESTION_WORDS[0], n=1, cutoff=0.5) or difflib.get_close_matches(
        text, _SUGGESTION_WORDS[1], n=1, cutoff=0.5
    )
    if near:
        word = near[0]
        code = _RELATION_WORDS.get(word)
        hint = f"“{RELATION_LABELS[code]}”" if code and RELATION_LABELS[code] != word else f"“{word}”"
        raise ValueError(f"“{value}”不是家庭关系的写法,您是不是要填{hint}?")
    raise ValueError(f"“{value}”不是家庭关系的写法,请填户主、配偶、子、女、父亲、母亲等(GB/T 4761 家庭关系)。")


# --- addresses ---------------------------------------------------------------------------------------

_NUM = r"[0-9A-Za-z一二三四五六七八九十]+"
_TOWN = re.compile(
    rf"^(?P<estate>.*?)(?P<building>{_NUM})(?P<bsuffix>栋|幢|号楼|座)(?:(?P<unit_no>{_NUM})单元)?"
    rf"(?:(?P<room>{_NUM})(?:室|号)?)?$"
)
_DASHED = re.compile(r"^(?P<estate>.*?[^0-9\-])?(?P<building>\d+)-(?P<unit_no>\d+)-(?P<room>\d+)$")
_VILLAGE = re.compile(rf"^(?P<village_group>.*?(?:村民小组|小组|组|队))(?P<house_no>{_NUM})号?$")
ADDRESS_PARTS = ("estate", "building", "unit_no", "room", "village_group", "house_no")


def parse_address(value) -> dict[str, str]:
    """Address parts of a one-cell address: 幸福小区3栋2单元501室, 3-2-501, 和平路12号院1号楼, 第三村民小组18号.

    Returns the parts found; an address that does not fit is returned whole as ``address_line``, never dropped."""
    text = str(value).strip().translate(_FULLWIDTH)
    compact = text.translate(_INVISIBLE)
    if not compact:
        return {}
    match = _DASHED.match(compact)
    if match:
        return {k: v for k, v in match.groupdict().items() if v}
    match = _TOWN.match(compact)
    if match:
        parts = match.groupdict()
        suffix = parts.pop("bsuffix")
        if suffix != "栋":
            parts["building"] += suffix
        parts = {k: v for k, v in parts.items() if v}
        if len(parts.get("estate", "")) <= 100:
            return parts
    match = _VILLAGE.match(compact)
    if match and len(match["village_group"]) <= 50:
        return dict(match.groupdict())
    return {"address_line": text[:255]}
