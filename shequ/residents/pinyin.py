"""Pinyin of names, stored on each person so that search is a prefix match on an indexed column.

Most Chinese names have two or three characters, too short for trigram indexes; instead each
person keeps ``name_pinyin`` ("zhangsan") and ``name_initials`` ("zs"), and a search for "zs",
"zhangs" or "张" is a range scan ``prefix <= column < next(prefix)`` on a plain btree index, which
works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=100_000)
def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name in lower-case ASCII: 张三 → ("zhangsan", "zs")."""
    name = (name or "").strip()
    if not name:
        return "", ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s), v_to_u=False)
    if name[0] in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[name[0]]
    parts = [p for p in (_clean(s) for s in syllables) if p]
    return "".join(parts)[:200], "".join(p[0] for p in parts)[:50]


def next_prefix(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
