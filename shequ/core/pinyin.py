"""Pinyin of names, stored on each person so that search is a prefix match on an indexed column.

Most Chinese names have two or three characters, too short for trigram indexes; instead each
person keeps ``name_pinyin`` ("zhangsan") and ``name_initials`` ("zs"), and a search for "zs",
"zhangs" or "张" is a range scan ``prefix <= column < next(prefix)`` on a plain btree index, which
works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
from functools import lru_cache

# Names are read one character at a time: pypinyin's phrase dictionary and its private copy of the character
# dictionary would only cost memory (about 40 MB in every process). These switches must be set before import.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")

from pypinyin import Style, lazy_pinyin

# Surnames read differently from the same character in ordinary words.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "区": "ou",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "翟": "zhai",
    "召": "shao",
    "任": "ren",
    "种": "chong",
    "员": "yun",
    "尉": "yu",
    "长": "chang",
    "秘": "bi",
    "繁": "po",
    "过": "guo",
    "沈": "shen",
    "那": "na",
    "万": "wan",
}


def _clean(syllable: str) -> str:
    return "".join(ch for ch in syllable.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=20_000)
def _char(ch: str) -> str:
    """The usual reading of one character ("" for punctuation); Latin letters stay as they are."""
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    readings = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore", v_to_u=False)
    return _clean(readings[0]) if readings else ""


def name_syllables(name: str) -> list[str]:
    """The syllables of a name in lower-case ASCII: 单田芳 → ["shan", "tian", "fang"].

    Names are read character by character (a name is not a phrase), with the surname readings
    above for the first character; a run of Latin letters counts as one word ("Tom李" → ["tom", "li"]).
    """
    name = (name or "").strip()
    parts: list[str] = []
    latin = ""
    for i, ch in enumerate(name):
        if ch.isascii():
            if ch.isalnum():
                latin += ch.lower()
            elif latin:
                parts.append(latin)
                latin = ""
            continue
        if latin:
            parts.append(latin)
            latin = ""
        syllable = SURNAME_READINGS.get(ch) if i == 0 else None
        syllable = syllable or _char(ch)
        if syllable:
            parts.append(syllable)
    if latin:
        parts.append(latin)
    return parts


def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name in lower-case ASCII: 张三 → ("zhangsan", "zs")."""
    parts = name_syllables(name)
    return "".join(parts)[:200], "".join(p[0] for p in parts)[:50]


def next_prefix(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
