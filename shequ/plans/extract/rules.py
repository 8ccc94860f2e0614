"""Sentence-level rules: every measurable requirement a sentence states, in the kinds plans know.

Works on normalized text (see :mod:`numerals`). Each rule finds spans in a clause; a span consumed by one
rule (a change's "5个百分点") is not read again by a later one (as a rate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shequ.plans.extract import timewords as tw

NUM = r"(\d+(?:\.\d+)?)"
COUNT_UNITS = "次|期|场|轮|批|回|遍"
AMOUNT_UNITS = "人次|名|人|个|户|所|处|块|支|家|份|项|条|间|套|台|本|课时|学时|小时|件|篇|类"
GE_WORDS = re.compile(r"(不少于|不低于|至少|最少|达到|达|保持在|稳定在|确保|力争|以上|及以上|超过|高于)")
LE_WORDS = re.compile(r"(不超过|不高于|控制在|以内|以下|低于|少于)")
CLAUSE = re.compile(r"[^,，;；:：]+")

VETO_WORD = re.compile(r"一票否决")
ABSENCE = re.compile(
    r"(不发生|杜绝|(?:防止|严防|避免)发生|无[^,，;；。]{0,10}?(?:事故|案件|上访|犯罪|事件|伤亡|发案|激化)|"
    r"零(?:伤亡|事故|发案|上访|投诉|案件))"
)
GROUP = re.compile(
    r"(?<!完善)(?<!健全)(成立|建立|组建|组成|设立|成立起)[^,，;；。]{0,40}?"
    r"(领导小组|工作小组|评估小组|小组|委员会|议事会|理事会|志愿者队伍|队伍|服务队|巡逻队|协会|工作站|讲师团|"
    r"领导机构|(?:教育|工作|服务|宣传)网络)(?![^,，;；。]{0,36}(?:机制|体系|制度|模式|格局))"
)
CHANGE = re.compile(rf"(提高|提升|增加|增长|上升|下降|降低|减少)了?{NUM}\s*(个百分点|%)(以上)?")
PER_HEAD = re.compile(
    rf"(人均|每人每年|每人|按[^,，;；。]{{0,12}}?人口(?:每人每年|每人|人均)?)\s*(不少于|不低于|至少|达到)?\s*{NUM}\s*(元|万元)"
)
PERCENT = re.compile(rf"{NUM}\s*%(?:\s*[-~至到]\s*{NUM}\s*%)?")
COUNT = re.compile(rf"(至少|不少于|不低于|最少)?\s*{NUM}(?:\s*[-~至到]\s*{NUM})?\s*({COUNT_UNITS})(?!性)(以上)?")
RANGE = re.compile(r"(?<![\d.])(\d+)\s*[-~至到—–]\s*(\d+)\s*(名|人|个)(?![月年日])")
AMOUNT = re.compile(
    rf"(配备|安排|指派|聘请|聘用|招募|培育|发展|新增|建成|建设|安装|培训|组建|完成|覆盖|评选|创建|打造|设立|设置|"
    rf"吸纳|服务|帮扶|达到|不少于|至少|确保)[^,，;；。0-9是]{{0,10}}?{NUM}\s*({AMOUNT_UNITS})"
)
IN_N_PLACES = re.compile(rf"在[^,，;；。0-9]{{0,6}}?{NUM}\s*个[^,，;；。]{{1,12}}?(安装|建立|设立|建设|设置|开设)")
BY_PERIOD = re.compile(
    r"(分月|按月|逐月|按季度|按季|按周|逐周)(?=[^,，;；。0-9]{0,4}?(?:进行|开展|组织)?(?:记录|登记|统计|上报|报送))"
)
IMPLICIT_EVERY = re.compile(
    r"^(?:\d{1,2}(?:日|号)(?:前)?)?[^,，;；。0-9]{0,3}?(召开|开展|举办|组织|更换|出|进行|检查|排查|巡查|走访|报送|汇总|"
    r"测试|检修|考核|上报|通报|听取|研判|分析|调度|培训|学习|讲座|督查|更新|发布|公开|评议)"
)
EACH = re.compile(r"各\s*(?:召开|开展|举办|组织|进行)?\s*$")


@dataclass
class Found:
    kind: str
    start: int  # span in the normalized sentence
    end: int
    comparison: str = ""
    value: str = ""
    max_value: str = ""
    unit: str = ""
    period: str = ""
    months: list[int] = field(default_factory=list)
    min_per_year: str = ""
    deadline: str = ""
    clause: tuple[int, int] = (0, 0)


def _num(text: str) -> str:
    v = text.rstrip("0").rstrip(".") if "." in text else text
    return v or "0"


COMPARATOR = re.compile(
    r"(不少于|不低于|不超过|不高于|控制在|保持在|稳定在|以上|以内|以下|至少|最少|达到|超过|高于|低于|少于|确保|力争|达)"
)


def _comparison(clause: str, start: int, end: int, default: str = ">=") -> str:
    """The comparison words nearest the number decide: after it (以上, 以内) first, then before it."""
    after = COMPARATOR.match(clause[end : end + 4].lstrip())
    words = (
        [after.group(1)] if after else [m.group(1) for m in COMPARATOR.finditer(clause[max(0, start - 8) : start])][-1:]
    )
    if not words:
        return default
    return "<=" if LE_WORDS.fullmatch(words[0]) else ">="


def _free(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return all(e <= a or s >= b for a, b in taken)


def _period_before(clause: str, pos: int, sentence: str, clause_start: int) -> tuple[str, int]:
    """The period a count at ``pos`` is per: the nearest 每X before it in the clause, else a year word
    in the clause, else the nearest 每X earlier in the sentence; ("", -1) when none."""
    best = ("", -1)
    for m in tw.EVERY.finditer(clause[:pos]):
        best = (tw.PERIOD_OF[m.group(1)], m.start())
    if best[0]:
        return best
    if tw.YEAR_WORDS.search(clause):
        return "year", tw.YEAR_WORDS.search(clause).start()
    for m in tw.EVERY.finditer(sentence[:clause_start]):
        best = (tw.PERIOD_OF[m.group(1)], -1)
    return best


def _clauses(sentence: str):
    for m in CLAUSE.finditer(sentence):
        yield m.start(), m.group(0)


def find(sentence: str) -> list[Found]:
    """Every requirement of one normalized sentence, in reading order."""
    out: list[Found] = []
    taken: list[tuple[int, int]] = []  # sentence offsets already read

    def add(f: Found, cs: int) -> None:
        f.start += cs
        f.end += cs
        taken.append((f.start, f.end))
        out.append(f)

    # Vetoes: one per sentence that names the one-vote veto; otherwise one per clause stating an absence.
    if VETO_WORD.search(sentence):
        m = VETO_WORD.search(sentence)
        out.append(Found("veto", m.start(), m.end()))
    else:
        for cs, clause in _clauses(sentence):
            m = ABSENCE.search(clause)
            if m and not re.search(r"(如|若|一旦|凡|对)[^,，;；]{0,6}$", clause[: m.start()]):
                add(Found("veto", m.start(), m.end()), cs)

    nouns: set[str] = set()
    for cs, clause in _clauses(sentence):
        for m in GROUP.finditer(clause):
            # The same group named twice in a sentence is one group; its words may hold a number (组建10人小组).
            if m.group(2) not in nouns:
                nouns.add(m.group(2))
                out.append(Found("group", cs + m.start(), cs + m.end()))
            break
        for m in CHANGE.finditer(clause):
            sign = "+" if m.group(1) in ("提高", "提升", "增加", "增长", "上升") else "-"
            add(Found("change", m.start(), m.end(), sign, _num(m.group(2)), unit="%"), cs)
        for m in PER_HEAD.finditer(clause):
            if _free(taken, cs + m.start(), cs + m.end()):
                cmp = _comparison(clause, m.start(), m.end())
                add(Found("per_head", m.start(), m.end(), cmp, _num(m.group(3)), unit=f"{m.group(4)}/人"), cs)
        for m in PERCENT.finditer(clause):
            if not _free(taken, cs + m.start(), cs + m.end()):
                continue
            if m.group(2):
                add(Found("range", m.start(), m.end(), "between", _num(m.group(1)), _num(m.group(2)), "%"), cs)
            else:
                cmp = _comparison(clause, m.start(), m.end())
                add(Found("rate", m.start(), m.end(), cmp, _num(m.group(1)), unit="%"), cs)
        for m in COUNT.finditer(clause):
            if not _free(taken, cs + m.start(), cs + m.end()):
                continue
            # A count names an order ("第3次") or a share ("1次性") rather than a frequency.
            if clause[max(0, m.start() - 1) : m.start()] == "第":
                continue
            period, _ = _period_before(clause, m.start(), sentence, cs)
            value = _num(m.group(2))
            cmp, maxv = (">=", "")
            if m.group(3):
                cmp, maxv = "between", _num(m.group(3))
            elif LE_WORDS.search(clause[max(0, m.start() - 6) : m.start()]):
                cmp = "<="
            each = EACH.search(clause[: m.start()])
            if each:
                head = re.split(r"每[^、]{0,4}?(?=[^、]*、)", clause[: each.start()])[-1]
                items = len(re.findall(r"、", head)) + 1
                value = str(int(float(value) * items)) if items > 1 else value
            f = Found("count", m.start(), m.end(), cmp, value, maxv, unit=m.group(4), period=period or "year")
            if f.period != "year":
                f.months = tw.months_window(sentence[: cs + m.start()])
            add(f, cs)
        for m in RANGE.finditer(clause):
            if _free(taken, cs + m.start(), cs + m.end()) and int(m.group(1)) < int(m.group(2)):
                unit = "人" if m.group(3) in ("名", "人") else "个"
                add(Found("range", m.start(), m.end(), "between", m.group(1), m.group(2), unit), cs)
        for pat in (AMOUNT, IN_N_PLACES):
            for m in pat.finditer(clause):
                s, e = m.start(2 if pat is AMOUNT else 1), m.end()
                if not _free(taken, cs + s, cs + e):
                    continue
                if pat is AMOUNT:
                    unit = {"名": "人"}.get(m.group(3), m.group(3))
                    value = m.group(2)
                else:
                    unit, value = "个", m.group(1)
                if clause[max(0, s - 1) : s] in ("第", "是") or re.match(r"\s*(年|月|日|周岁|岁)", clause[e : e + 2]):
                    continue
                add(Found("rate", s, e, ">=", _num(value), unit=unit), cs)

    # Implicit frequencies: "每月召开…", "分月进行记录" with no number state once a period.
    for cs, clause in _clauses(sentence):
        m = BY_PERIOD.search(clause)
        if m and _free(taken, cs + m.start(), cs + m.end()):
            period = {"分月": "month", "按月": "month", "逐月": "month", "按周": "week", "逐周": "week"}.get(
                m.group(1), "quarter"
            )
            add(Found("count", m.start(), m.end(), ">=", "1", unit="次", period=period), cs)
        for m in tw.EVERY.finditer(clause):
            rest = clause[m.end() :]
            if IMPLICIT_EVERY.match(rest) and _free(taken, cs + m.start(), cs + len(clause)):
                period = tw.PERIOD_OF[m.group(1)]
                f = Found("count", m.start(), m.end(), ">=", "1", unit="次", period=period)
                if period != "year":
                    f.months = tw.months_window(sentence[: cs + m.start()])
                add(f, cs)
                break

    # A monthly count followed by a yearly total in the next clause is one target ("每月1次,全年不少于12次").
    merged: list[Found] = []
    for f in sorted(out, key=lambda f: f.start):
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and f.kind == "count"
            and prev.kind == "count"
            and f.period == "year"
            and prev.period not in ("year", "")
            and not prev.min_per_year
        ):
            prev.min_per_year = f.value
            prev.end = max(prev.end, f.end)
            continue
        merged.append(f)

    # Deadlines: a date with a completion word, in a clause that has no frequency of its own.
    has_frequency = any(f.kind == "count" and f.period != "year" for f in merged)
    clauses = list(_clauses(sentence))
    for k, (cs, clause) in enumerate(clauses):
        d = tw.deadline(clause)
        if d is None or tw.EVERY.search(clause[: d[2]]) or re.search(r"每年\s*$", clause[: d[2]]):
            continue
        if any(cs <= f.start < cs + len(clause) for f in merged):
            continue
        mo, day, s, e = d
        # The date leads its clause ("2026年1-2月,由…牵头,…完成…"): the action may follow in the sentence.
        action = clause if tw.DONE.search(clause) or s > 8 else "".join(c for _, c in clauses[k : k + 4])
        if not _free(taken, cs + s, cs + e) or not tw.DONE.search(action):
            continue
        if has_frequency and tw.months_window(clause) and not re.search(r"前|底|末|完成", clause[s : e + 4]):
            continue
        if re.search(r"(20\d\d|\d{2}|xx|XX|__)年\s*$", clause[:s]) and re.search(
            r"(印发|发布|下发|出台的)", clause[e:]
        ):
            continue
        merged.append(Found("deadline", s + cs, e + cs, deadline=f"{mo:02d}-{day:02d}"))
        break
    return sorted(merged, key=lambda f: f.start)
