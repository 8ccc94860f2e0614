"""A plan's structure: title, numbered headings (一、 (一) 1. (1)) and sentences, all with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN = "一二三四五六七八九十"
# (level, pattern of the number at the start of a line)
HEADING_MARKS: list[tuple[int, re.Pattern]] = [
    (1, re.compile(rf"^[{CN}]+\s*[、.．]")),
    (1, re.compile(rf"^第[{CN}\d]+(?:部分|章)")),
    (2, re.compile(rf"^[(（][{CN}]+[)）]\s*[、.．]?")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^[(（]\d{1,2}[)）]\s*[、.．]?")),
    (4, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
]
# Several plans in one document (篇1, 篇2 … as in collections of plans).
PART_MARK = re.compile(r"(?:篇\s*[\d一二三四五六七八九十]+|第[一二三四五六七八九十\d]+篇)\s*$")
TITLE_WORDS = re.compile(r"(计划|方案|要点|安排|规划|打算|思路)")
SENTENCE_END = re.compile(r"[。！？!?]+[”」』\"]?|\n+")


@dataclass
class Section:
    level: int
    number: str
    title: str
    start: int
    end: int = 0
    parent: int | None = None  # index into the section list

    def as_dict(self) -> dict:
        return {"level": self.level, "number": self.number, "title": self.title, "start": self.start, "end": self.end}


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    section: int | None = None  # innermost section index
    heading: bool = False


@dataclass
class Structure:
    title: str
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    parts: list[tuple[int, str]] = field(default_factory=list)  # (offset, label) of 篇 separators

    def path(self, index: int | None) -> list[Section]:
        out = []
        while index is not None:
            out.append(self.sections[index])
            index = self.sections[index].parent
        return out[::-1]


def _heading(line: str) -> tuple[int, str, str] | None:
    stripped = line.lstrip()
    for level, pat in HEADING_MARKS:
        m = pat.match(stripped)
        if m:
            rest = stripped[m.end() :].strip()
            # The heading is the line, or its first sentence when a paragraph follows it on the same line.
            head = re.split(r"[。:：;；!！?？]", rest, maxsplit=1)[0].strip()
            if len(head) > 40:
                head = head[:40] + "…"
            return level, m.group(0).strip(), head
    return None


def guess_title(text: str) -> str:
    for line in text.splitlines()[:12]:
        s = line.strip()
        if 4 <= len(s) <= 50 and TITLE_WORDS.search(s) and not _heading(s) and not s.endswith("。"):
            return s
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:50]
    return ""


def parse(text: str) -> Structure:
    """Cut ``text`` into sections and sentences; offsets index ``text``."""
    st = Structure(title=guess_title(text))
    stack: list[int] = []  # indices of open sections by level
    pos = 0
    for raw in text.splitlines(keepends=True):
        line_start, line_end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        line = text[line_start:line_end]
        if not line.strip():
            continue
        if PART_MARK.search(line.strip()) and len(line.strip()) <= 30:
            st.parts.append((line_start, line.strip()))
            for idx in stack:
                st.sections[idx].end = line_start
            stack = []
        h = _heading(line)
        if h:
            level, number, title = h
            while stack and st.sections[stack[-1]].level >= level:
                st.sections[stack.pop()].end = line_start
            st.sections.append(Section(level, number, title, line_start, parent=stack[-1] if stack else None))
            stack.append(len(st.sections) - 1)
        current = stack[-1] if stack else None
        first = True
        cursor = line_start
        for m in SENTENCE_END.finditer(line + "\n"):
            end = min(line_start + m.end(), line_end)
            piece = text[cursor:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                st.sentences.append(Sentence(cursor + lead, end, piece.strip(), current, heading=bool(h) and first))
                first = False
            cursor = end
            if cursor >= line_end:
                break
    for idx in stack:
        st.sections[idx].end = len(text)
    return st
