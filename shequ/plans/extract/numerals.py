"""Chinese numerals and number forms made plain, keeping the way back to the original text.

``normalize("全年不少于十二次")`` gives ``"全年不少于12次"`` and, for every character of the result, the index
of the original character it came from, so that what is found in the plain text can be highlighted in
the document. Only numerals that stand as quantities are converted (followed by a measure word or
preceded by a quantity word): 一票否决, 统一, 第一责任人 and 进一步 stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

DIGITS = "零〇一二三四五六七八九十百千万两"
# Measure words and units after which a run of Chinese numerals is a quantity.
MEASURES = (
    "次|期|场|轮|批|个|名|人|户|所|处|块|支|家|项|条|份|本|篇|天|日|周|月|年|季度|学期|小时|分钟|学时|课时|"
    "元|万元|岁|届|类|种|台|套|间|张|件|起|宗|位|节|课时|倍|星期"
)
# Words before a numeral that make it a quantity even without a measure word (百分之九十七 is handled apart).
QUANTITY_BEFORE = "不少于|不低于|不超过|至少|达到|提高|降低|下降|增加|每|约|共|前|第|满"

_PERCENT = re.compile(rf"百分之([{DIGITS}点]+)")
_RUN = re.compile(rf"[{DIGITS}]+(?:点[{DIGITS}]+)?")
_MEASURE_AFTER = re.compile(rf"(?:{MEASURES})")
_BEFORE = re.compile(rf"(?:{QUANTITY_BEFORE})$")
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．％～－—–：；，（）",
    "0123456789.%~---:;,()",
)


@dataclass(frozen=True)
class Plain:
    """Text with Chinese numerals as digits; ``origin[i]`` is the index in the original of ``text[i]``."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``."""
        if start >= len(self.origin):
            last = self.origin[-1] + 1 if self.origin else 0
            return last, last
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def _to_number(run: str) -> str | None:
    if run in ("两",):
        return "2"
    try:
        value = cn2an.cn2an(run.replace("两", "二").replace("〇", "零"), "smart")
    except (ValueError, KeyError):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _quantity_context(text: str, start: int, end: int) -> bool:
    if _MEASURE_AFTER.match(text, end):
        return True
    if _BEFORE.search(text[max(0, start - 3) : start]):
        return True
    # 5、6、7、8月 / 三至五月: a numeral in a list that ends with a measure word.
    m = re.match(rf"(?:[、,，至到~\-—–和或及][{DIGITS}0-9]+)+", text[end:])
    return bool(m and _MEASURE_AFTER.match(text, end + m.end()))


def normalize(text: str) -> Plain:
    """Full-width digits and signs to ASCII, 百分之N to N%, Chinese numerals that are quantities to digits."""
    text = text.translate(_FULLWIDTH)
    out: list[str] = []
    origin: list[int] = []

    def emit(piece: str, start: int, end: int) -> None:
        # Spread the replacement over the original span: the first characters map to its start.
        for k, ch in enumerate(piece):
            out.append(ch)
            origin.append(min(start + k, end - 1))

    i = 0
    n = len(text)
    while i < n:
        m = _PERCENT.match(text, i)
        if m:
            num = "100" if m.group(1) == "百" else _to_number(m.group(1))
            if num is not None:
                emit(num + "%", m.start(), m.end())
                i = m.end()
                continue
        m = _RUN.match(text, i)
        if m:
            run = m.group(0)
            # 一一, 万一, 一把手 …: single 一 without a measure word after it is not a quantity.
            article = (
                run == "一"
                and text[m.end() : m.end() + 1] == "个"
                and not _BEFORE.search(text[max(0, m.start() - 3) : m.start()])
            )
            if (
                not article
                and _quantity_context(text, m.start(), m.end())
                and not (run in ("一", "万") and not _MEASURE_AFTER.match(text, m.end()))
            ):
                num = _to_number(run)
                if num is not None:
                    emit(num, m.start(), m.end())
                    i = m.end()
                    continue
            emit(run, m.start(), m.end())
            i = m.end()
            continue
        out.append(text[i])
        origin.append(i)
        i += 1
    return Plain("".join(out), origin)
