"""ID numbers: GB 11643-1999 公民身份号码 (18 characters) and the 20-digit 残疾人证号.

Structure: 6-digit address code + 8-digit birth date + 3-digit sequence (odd: male, even: female)
+ check character (ISO 7064 MOD 11-2). 港澳台居民居住证 numbers follow the same rule with the
address codes 810000 (香港), 820000 (澳门), 830000 (台湾). The 残疾人证号 is the 18-character ID
number followed by the category (1–7) and grade (1–4) digits.

Every refusal is a ValidationError whose Chinese message says what is wrong.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Province-level prefixes of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门, 83 港澳台居住证 台湾).
PROVINCES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip
HMT_PREFIXES = ("810000", "820000", "830000")
EARLIEST_BIRTH = date(1870, 1, 1)
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")

DISABILITY_CATEGORIES = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神", "7": "多重"}
DISABILITY_GRADES = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}


@dataclass(frozen=True)
class ParsedId:
    number: str
    birth_date: date
    gender: str  # "M" or "F"


def normalize(raw: str | None) -> str:
    """Strip spaces, turn full-width digits and a lower-case x into the canonical form."""
    if raw is None:
        return ""
    if type(raw) is str and raw.isascii() and raw.isalnum():
        return raw.upper()  # nothing to clean
    text = str(raw).translate(_FULLWIDTH).strip().replace(" ", "").replace("\u3000", "")
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read from a spreadsheet
        text = text[:-2]
    return text.upper()


_DIGIT_BIAS = ord("0") * sum(WEIGHTS)


def check_char(first17: str) -> str:
    """The GB 11643 check character of 17 ASCII digits (their character codes weighted, less the weighted '0's)."""
    return CHECK_CHARS[(sum(map(operator.mul, first17.encode(), WEIGHTS)) - _DIGIT_BIAS) % 11]


def parse_resident_id(raw: str | None, *, today: date | None = None, label: str = "身份证号码") -> ParsedId:
    """Validate an 18-character number; return it with the birth date and gender it encodes."""
    number = normalize(raw)
    if not number:
        raise ValidationError(f"请填写{label}。", code="id_required")
    if len(number) == 15 and number.isdigit():
        raise ValidationError(f"{label}是15位旧号码，请改填18位号码。", code="id_length")
    if len(number) != 18:
        raise ValidationError(f"{label}应为18位，现在是{len(number)}位。", code="id_length")
    if not (number[:17].isascii() and number[:17].isdigit()):  # not "²" or "٣" either
        raise ValidationError(f"{label}的前17位只能是数字。", code="id_chars")
    if not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(f"{label}的最后一位只能是数字或X。", code="id_chars")
    if number[:2] not in PROVINCES:
        raise ValidationError(f"{label}前6位不是有效的地区代码（前两位“{number[:2]}”不是省级代码）。", code="id_area")
    y, m, d = int(number[6:10]), int(number[10:12]), int(number[12:14])
    try:
        birth = date(y, m, d)
    except ValueError:
        raise ValidationError(
            f"{label}第7–14位的出生日期“{number[6:10]}-{number[10:12]}-{number[12:14]}”不是真实的日期。",
            code="id_date",
        ) from None
    today = today or date.today()
    if birth > today:
        raise ValidationError(f"{label}中的出生日期{birth:%Y-%m-%d}晚于今天。", code="id_date")
    if birth < EARLIEST_BIRTH:
        raise ValidationError(f"{label}中的出生日期{birth:%Y-%m-%d}早于{EARLIEST_BIRTH.year}年。", code="id_date")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(f"{label}的校验位（最后一位）与前17位不符，请核对是否抄错。", code="id_check")
    return ParsedId(number=number, birth_date=birth, gender="M" if int(number[16]) % 2 else "F")


def parse_hmt_permit(raw: str | None) -> ParsedId:
    parsed = parse_resident_id(raw, label="港澳台居民居住证号码")
    if not parsed.number.startswith(HMT_PREFIXES):
        raise ValidationError("港澳台居民居住证号码应以810000、820000或830000开头。", code="id_area")
    return parsed


def check_other_number(raw: str | None, *, label: str) -> str:
    number = normalize(raw)
    if not number:
        raise ValidationError(f"请填写{label}。", code="id_required")
    if len(number) < 5 or len(number) > 30:
        raise ValidationError(f"{label}应为5–30位。", code="id_length")
    if not number.isalnum():
        raise ValidationError(f"{label}只能包含字母和数字。", code="id_chars")
    return number


def mask(number: str) -> str:
    """First 6 and last 4 characters, the rest as asterisks (short numbers keep 1 + last 2)."""
    if not number:
        return ""
    if len(number) >= 12:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    if len(number) > 3:
        return number[0] + "*" * (len(number) - 3) + number[-2:]
    return "*" * len(number)


def tail_key(number: str) -> str:
    """The last six characters reversed: a search by the last 4–6 digits becomes a prefix match."""
    return number[-6:][::-1]


def parse_disability_card(
    raw: str | None, *, id_number: str | None = None, category: str | None = None, grade: str | None = None
) -> tuple[str, str, str]:
    """Check a 残疾人证号; return (id number, category code, grade code).

    With ``id_number``, ``category`` or ``grade``, the card must agree with them.
    """
    card = normalize(raw)
    if not card:
        raise ValidationError("请填写残疾人证号。", code="card_required")
    if len(card) != 20:
        raise ValidationError(f"残疾人证号应为20位(18位身份证号+类别+等级),现在是{len(card)}位。", code="card_length")
    parse_resident_id(card[:18], label="残疾人证号的前18位（身份证号码）")
    cat, grd = card[18], card[19]
    if cat not in DISABILITY_CATEGORIES:
        raise ValidationError(f"残疾人证号第19位是残疾类别，应为1–7，现在是“{cat}”。", code="card_category")
    if grd not in DISABILITY_GRADES:
        raise ValidationError(f"残疾人证号第20位是残疾等级，应为1–4，现在是“{grd}”。", code="card_grade")
    if id_number and card[:18] != normalize(id_number):
        raise ValidationError("残疾人证号的前18位与此人的身份证号码不一致。", code="card_mismatch")
    if category and cat != str(category):
        raise ValidationError(
            f"残疾人证号第19位（类别“{DISABILITY_CATEGORIES[cat]}”）与所选残疾类别不一致。", code="card_mismatch"
        )
    if grade and grd != str(grade):
        raise ValidationError(
            f"残疾人证号第20位（等级“{DISABILITY_GRADES[grd]}”）与所选残疾等级不一致。", code="card_mismatch"
        )
    return card[:18], cat, grd


def make_resident_id(area_code: str, birth: date, seq: int) -> str:
    """A valid number for the address code, birth date and sequence (0–999; its parity gives the gender)."""
    first17 = f"{area_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
