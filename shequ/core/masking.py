"""Personal details out of public text (民情民意交流栏): phone numbers, ID numbers, house numbers, e-mail.

``mask_public(text)`` hides what the public must not read in a resident's post or a reply: mobile numbers (the
first three digits stay: 138********), landline numbers (the area code stays), 18- and 15-digit ID numbers (all
digits), house-number addresses (the numbers of 3栋2单元501室, 3-2-501, 12号院1号楼, 文化路88号) and e-mail
addresses (the domain stays). ``public_name`` is how a resident who agreed to publication is named: the
surname only, with 先生/女士 where known (王女士, 欧阳先生), else 王姓居民, else 居民.
"""

from __future__ import annotations

import re

STAR = "*"
_D = r"(?<![0-9A-Za-z])"  # not inside a longer number or word (Chinese text has no \b between 话 and 1)
_E = r"(?![0-9A-Za-z])"

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
ID_18 = re.compile(_D + r"\d{6}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx]" + _E)
ID_15 = re.compile(_D + r"\d{15}" + _E)
MOBILE = re.compile(r"(?<![0-9])(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])(?:\(?(0\d{2,3})\)?[-\s]?)([2-9]\d{2,3}[-\s]?\d{4})(?:[-转]\d{1,5})?(?![0-9])")
LOCAL_NUMBER = re.compile(r"(?<![0-9-])([2-9]\d{3}[-\s]?\d{4}|[2-9]\d{6})(?![0-9-])")
DASHED_ADDRESS = re.compile(_D + r"\d{1,3}-\d{1,2}-\d{2,4}" + _E)
# a number (with a letter, 甲/乙 or a sub-number) before a unit of a house address; 号 not after 月 (5月12号)
ADDRESS_UNIT = re.compile(
    r"(?<![0-9月年])([A-Za-z]?\d+(?:[-之]\d+)?[A-Za-z]?)\s*(栋|幢|号楼|座|单元|室|房|号院|层|楼|户|弄|号|组)"
)
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "令狐",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "澹台",
    ]
)


def _stars(text: str) -> str:
    return "".join(STAR if ch.isalnum() else ch for ch in text)


def mask_public(text: str) -> str:
    """The text with personal details masked (see the module); text without them comes back unchanged."""
    if not text:
        return text or ""
    text = EMAIL.sub(lambda m: f"{STAR * 3}@{m.group(1)}", text)
    text = ID_18.sub(lambda m: STAR * len(m.group(0)), text)
    text = ID_15.sub(lambda m: STAR * 15, text)
    text = MOBILE.sub(lambda m: m.group(1) + STAR * 8, text)
    text = LANDLINE.sub(lambda m: (m.group(1) or "") + "-" + STAR * 8, text)
    text = LOCAL_NUMBER.sub(lambda m: _stars(m.group(0)), text)
    text = DASHED_ADDRESS.sub(lambda m: _stars(m.group(0)), text)
    return ADDRESS_UNIT.sub(lambda m: _stars(m.group(1)) + m.group(2), text)


def surname(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2]
    return name[:1]


def public_name(name: str, gender: str = "") -> str:
    """王女士 / 王先生 (gender ``F``/``M``), 王姓居民 when the gender is unknown, 居民 when there is no name."""
    family = surname(name)
    if not family or not ("\u4e00" <= family[0] <= "\u9fff"):
        return "居民"
    if gender == "M":
        return f"{family}先生"
    if gender == "F":
        return f"{family}女士"
    return f"{family}姓居民"
