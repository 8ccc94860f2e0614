"""The extraction pipeline: structure, sentences, rules, matching and responsibility into a draft."""

from __future__ import annotations

import re

from shequ.plans.extract import matching, responsibility, rules, structure
from shequ.plans.extract.draft import Draft, DraftTarget, Match, Obligation, Responsibility
from shequ.plans.extract.numerals import normalize

OBLIGATION = re.compile(
    r"(要|必须|应当|应|须|确保|做到|加强|落实|开展|建立|健全|完善|推进|组织|定期|及时|积极|认真|切实|严格|力争|负责|"
    r"提高|加大|强化|深入|广泛|做好|抓好|制定|制订)"
)
RESP_LINE = re.compile(r"(牵头单位|责任单位|牵头部门|配合单位|责任人|分管领导|完成时限)\s*[:：]")
NUMBERISH = re.compile(r"[\d%]|每|全年|年内|不少于|至少|以上|次|期")
ACTIVITY_KINDS = ("count", "deadline", "group", "veto")


def _clause_title(plain: str, start: int, end: int) -> str:
    """The words around a requirement that say what it is about: its clause, with the clause before it
    when its own clause is only the number ("每月1次,全年不少于12次")."""
    clauses = [(m.start(), m.end()) for m in re.finditer(r"[^,，;；:：。]+", plain)]
    idx = next((i for i, (s, e) in enumerate(clauses) if s <= start < e), len(clauses) - 1)
    if idx < 0:
        return plain[:60]
    s, e = clauses[idx]
    own = plain[s:e]
    bare = NUMBERISH.sub("", own)
    words = re.sub(r"[^\u4e00-\u9fff]", "", bare)
    first = idx
    while len(words) < 8 and first > 0:
        first -= 1
        words += re.sub(r"[^\u4e00-\u9fff]", "", plain[clauses[first][0] : clauses[first][1]])
    title = plain[clauses[first][0] : e].strip(" ,，、")
    title = re.sub(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)", "", title)
    title = re.sub(r"^(一是|二是|三是|四是|五是|同时|并且|并|其中|此外|要|\d+[、.])", "", title).strip()
    return title[:60]


def _section_label(st: structure.Structure, index: int | None) -> str:
    return " › ".join(f"{s.number}{s.title}" for s in st.path(index))


def extract(text: str, *, title: str = "") -> Draft:
    """The draft of the plan ``text``; offsets in the draft index ``text`` as given."""
    st = structure.parse(text)
    plan_title = title or st.title
    area, area_conf = matching.recognise_area(plan_title, text)
    # A document of several plans (篇1, 篇2 …): each part is matched against its own line of work.
    bounds = [p for p, _ in st.parts] + [len(text)]
    part_areas = [
        (bounds[k], bounds[k + 1], matching.recognise_area("", text[bounds[k] : bounds[k + 1]])[0])
        for k in range(len(st.parts))
    ]

    def area_at(pos: int) -> str:
        return next((a for s, e, a in part_areas if s <= pos < e and a), area)

    # Responsibility statements by section (a line "牵头单位:…" speaks for its section's targets).
    section_resp: dict[int | None, Responsibility] = {}
    sentence_resp: list[Responsibility] = []
    for sent in st.sentences:
        r = responsibility.find(normalize(sent.text).text)
        sentence_resp.append(r)
        if RESP_LINE.search(sent.text):
            section_resp[sent.section] = responsibility.merge(section_resp.get(sent.section, Responsibility()), r)

    def resp_for(i: int) -> Responsibility:
        r = sentence_resp[i]
        index = st.sentences[i].section
        while True:
            r = responsibility.merge(r, section_resp.get(index, Responsibility()))
            if index is None:
                return r
            index = st.sections[index].parent

    targets: list[DraftTarget] = []
    obligations: list[Obligation] = []
    for i, sent in enumerate(st.sentences):
        plain = normalize(sent.text)
        founds = rules.find(plain.text)
        label = _section_label(st, sent.section)
        if not founds:
            if (
                not sent.heading
                and len(sent.text) >= 8
                and OBLIGATION.search(sent.text)
                and not RESP_LINE.search(sent.text)
            ):
                obligations.append(
                    Obligation(f"o{len(obligations) + 1}", sent.text, sent.start, sent.end, label, resp_for(i))
                )
            continue
        for f in founds:
            qs, qe = plain.span(f.start, f.end)
            ttl = _clause_title(plain.text, f.start, f.end)
            if f.kind in ACTIVITY_KINDS:
                here = area_at(sent.start)
                code, name, conf = matching.match_activity(ttl, here)
                if not code:
                    # Only the rest of the sentence names it: less sure.
                    code, name, conf = matching.match_activity(plain.text, here)
                    conf = round(max(0.0, conf - 0.2), 2)
                match = Match(code, name, conf)
            else:
                ind = matching.indicator(plain.text, f.start)
                match = Match("", ind, 0.6 if ind else 0.0)
            r = resp_for(i)
            targets.append(
                DraftTarget(
                    id=f"t{len(targets) + 1}",
                    kind=f.kind,
                    title=ttl,
                    start=sent.start,
                    end=sent.end,
                    quote_start=sent.start + qs,
                    quote_end=sent.start + qe,
                    basis=sent.text,
                    comparison=f.comparison,
                    value=f.value,
                    max_value=f.max_value,
                    unit=f.unit,
                    period=f.period,
                    months=f.months,
                    min_per_year=f.min_per_year,
                    deadline=f.deadline,
                    section=label,
                    match=match,
                    responsibility=r,
                    note="按日的频次：采用时请换算为每周" if f.period == "day" else "",
                )
            )
    return Draft(
        title=plan_title,
        area=area,
        area_confidence=area_conf,
        sections=[s.as_dict() for s in st.sections],
        targets=targets,
        obligations=obligations,
    )
