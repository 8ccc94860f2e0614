"""Who is responsible, as plans write it: 牵头单位, 配合单位, 责任人, 分管领导, 完成时限."""

from __future__ import annotations

import re

from shequ.plans.extract import timewords as tw
from shequ.plans.extract.draft import Responsibility

_VALUE = r"\s*[:：]\s*([^;；。\n]{1,40}?)(?=[,，;；。\s]*(?:牵头|责任|配合|协办|分管|完成时限|时间节点|$))"
LABELLED = {
    "lead": re.compile(r"(?:牵头单位|责任单位|牵头部门|责任部门|主责单位)" + _VALUE),
    "partners": re.compile(r"(?:配合单位|配合部门|协办单位)" + _VALUE),
    "owner": re.compile(r"(?:责任人|具体责任人)" + _VALUE),
    "leader": re.compile(r"(?:分管领导|责任领导)" + _VALUE),
    "due": re.compile(r"(?:完成时限|完成时间|时间节点)" + _VALUE),
}
INLINE_LEAD = re.compile(r"由([^,，;；。、]{2,20}?)(?:牵头|负责|主抓|组织实施)")
INLINE_PARTNERS = re.compile(r"([^,，;；。由]{2,30}?)(?:等部门|等单位)?(?:配合|协助|协同)(?!机制)")


def find(text: str) -> Responsibility:
    """What ``text`` (normalized) says of responsibility; empty fields where it says nothing."""
    r = Responsibility()
    for key, pat in LABELLED.items():
        m = pat.search(text + "\n")
        if m:
            value = m.group(1).strip(" ,，、")
            if key == "due":
                d = tw.deadline(value)
                r.due = f"{d[0]:02d}-{d[1]:02d}" if d else ""
            else:
                setattr(r, key, value)
    if not r.lead:
        m = INLINE_LEAD.search(text)
        if m:
            r.lead = m.group(1)
    if not r.partners:
        m = INLINE_PARTNERS.search(text)
        if m and r.lead and r.lead not in m.group(1):
            r.partners = m.group(1).strip(" ,，、")
    return r


def merge(inner: Responsibility, outer: Responsibility) -> Responsibility:
    """``inner``'s fields, with ``outer``'s where ``inner`` has none."""
    return Responsibility(**{k: getattr(inner, k) or getattr(outer, k) for k in inner.__dataclass_fields__})
