"""Demo step: each community's register of documents. The health line's annual plan, assessment standards and
reward rules (柳树村 adopted its reward rules only in April, late for the first-quarter target); the disability
line's rules and plan (柳树村 has none); a safety emergency plan whose review date has passed in 幸福社区; and the
school's safety rules in their second version. Files are short Word documents. Idempotent: an org that has
documents is left alone."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shequ.documents import services
from shequ.documents.models import Document

COMMUNITIES = ["communityA", "communityB", "village1", "village2"]
# (area, kind, title, adopted (month, day), review after months or None, orgs left out, orgs adopting late)
SPECS = [
    ("health", "plan", "年度健康教育工作计划", (1, 15), None, set(), {}),
    ("health", "standard", "健康教育工作考核标准", (2, 20), None, set(), {}),
    ("health", "reward", "健康教育工作奖惩措施", (3, 10), None, set(), {"village2": (4, 20)}),
    ("disability", "rule", "残疾人康复工作制度", (1, 20), 24, {"village2"}, {}),
    ("disability", "plan", "残疾人康复年度工作计划", (1, 25), None, {"village2"}, {}),
    ("safety", "emergency", "突发事件应急预案", (3, 5), 12, set(), {}),
    ("selfgov", "charter", "社区协商议事委员会章程", (1, 8), 36, set(), {}),
]


def _docx(title: str, org_name: str, lines: list[str]) -> SimpleUploadedFile:
    from docx import Document as Docx  # the demo command's alone: every process imports this module

    doc = Docx()
    doc.add_heading(f"{org_name}{title}", level=1)
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile(f"{title}.docx", out.getvalue())


def _body(title: str) -> list[str]:
    return [
        f"第一条 为做好{title.removesuffix('工作计划').removesuffix('章程')}相关工作，结合本社区实际，制定本文件。",
        "第二条 本文件适用于社区居委会及其工作人员、网格员和志愿者。",
        "第三条 各责任人应按职责分工抓好落实，每季度检查一次落实情况。",
        "第四条 本文件自通过之日起施行。",
    ]


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    return date(day.year + y, m + 1, min(day.day, 28))


def step(ctx, options) -> None:
    year = ctx.year
    today = timezone.localdate()
    actor = ctx.users["admin"]
    for key in COMMUNITIES:
        org = ctx.orgs.get(key)
        if org is None or Document.objects.filter(org=org).exists():
            continue
        for n, (area, kind, title, (month, day), review, left_out, late) in enumerate(SPECS, start=1):
            if key in left_out:
                continue
            month, day = late.get(key, (month, day))
            adopted = date(year, month, day)
            if adopted > today:
                continue
            review_on = None
            if review:
                review_on = _add_months(adopted, review)
                if area == "safety" and key == "communityA":
                    review_on = date(year, 10, 31)  # 幸福社区's plan was due for review and has not been revised
            services.register(actor=actor, org=org, area=ctx.areas[area], kind=kind, title=title, adopted_on=adopted,
                              review_on=review_on, number=f"{org.name[:2]}发〔{year}〕{n}号",
                              file=_docx(title, org.name, _body(title)))  # fmt: skip
    school = ctx.orgs.get("school")
    if school is not None and not Document.objects.filter(org=school).exists():
        first = services.register(actor=actor, org=school, area=ctx.areas["school"], kind="rule",
                                  title="学校安全管理制度", adopted_on=date(year - 1, 2, 25),
                                  file=_docx("学校安全管理制度", school.name, _body("学校安全管理制度")))  # fmt: skip
        if date(year, 2, 24) <= today:
            services.new_version(actor=actor, document=first, adopted_on=date(year, 2, 24),
                                 review_on=date(year + 1, 2, 24),
                                 file=_docx("学校安全管理制度", school.name, _body("学校安全管理制度")))  # fmt: skip
