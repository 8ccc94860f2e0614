"""The dossier's index (年度档案目录), declared for the ledger layer like any ledger, so that it prints as every ledger
does (A4, the header row on each page, 第 N 页 共 M 页): every file of the archive with its pages, every line of
work's targets with their state, the photos by line and month, and what the completeness check found missing.

The build hands the index what it wrote (``ctx.subject``: each file's name, rows and pages); printed on its own
(``/ledgers/dossier-index/<org>/<year>.pdf``) it lists the same files without their page counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from shequ.dossier import checklist, contents
from shequ.dossier.contents import Part
from shequ.ledgers.declare import Column, Context, Kind, Ledger, Table
from shequ.plans import compliance
from shequ.plans import selectors as plan_selectors


@dataclass
class Index:
    parts: list[Part]
    photos: list[dict]
    targets: list[Any] = field(default_factory=list)  # compliance Results of the org's own targets
    gaps: list[checklist.Gap] = field(default_factory=list)


def index_for(ctx: Context, parts: list[Part]) -> Index:
    """What the index lists for ``ctx``'s org and year, given the parts (named, with pages when written)."""
    actor, org, year = ctx.actor, ctx.org, ctx.year
    assert year is not None
    targets = [t for t in plan_selectors.targets_for(actor, year=year, root=org) if t.plan.org_id == org.pk]
    results = compliance.evaluate(targets, today=ctx.today)
    return Index(
        parts=parts,
        photos=contents.photo_months(actor, org, year),
        targets=[results[t.pk] for t in targets],
        gaps=checklist.gaps(actor, org, year, today=ctx.today),
    )


def _prepare(ctx: Context) -> None:
    if ctx.subject is None:
        assert ctx.year is not None
        ctx.subject = index_for(ctx, contents.named(ctx.actor, ctx.org, ctx.year))


def _category(part: Part) -> str:
    return part.folder.split("/")[0].split("-", 1)[-1]


def _files(part: Part) -> str:
    return "\n".join(part.names[f].rsplit("/", 1)[-1] for f in contents.FORMATS if f in part.names)


def _notes(ctx: Context) -> list[str]:
    index: Index = ctx.subject
    ok = sum(1 for r in index.targets if r.state == compliance.State.OK)
    n_photos = sum(p["n"] for p in index.photos)
    table_only = sum(1 for p in index.parts if contents.print_skipped(p))
    lines = [
        f"本档案收录{len(index.parts)}份台账（每份Excel与PDF各一"
        + (f"；其中{table_only}份本年无记录，只附Excel表格" if table_only else "")
        + f"）、{n_photos}张活动照片；{len(index.targets)}项工作指标中{ok}项达标。",
        "文件按类别放在以编号开头的文件夹中，照片按“照片/条线/年-月/日期-主题-序号.jpg”存放。",
    ]
    if index.gaps:
        lines.append(f"生成时完整性检查发现{len(index.gaps)}项待补充的材料，列于“完整性检查”表。")
    else:
        lines.append("生成时完整性检查未发现缺少的材料。")
    lines.append(f"生成日期：{timezone.localdate():%Y年%m月%d日}。")
    return lines


LEDGER = Ledger(
    code=contents.INDEX,
    title="年度档案目录",
    area=None,
    orientation="portrait",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("类别", Kind.SHORT, _category),
        Column("材料名称", Kind.TEXT, lambda p: p.label),
        Column("条线", Kind.SHORT, lambda p: p.area.name if p.area is not None else p.ledger.area_label),
        Column("文件", Kind.TEXT, _files, on_paper=False),
        Column("条数", Kind.NUMBER, lambda p: p.rows),
        Column("页数", Kind.NUMBER, lambda p: p.pages),
    ],
    rows=lambda ctx: ctx.subject.parts,
    more=[
        Table(
            "工作指标完成情况",
            [
                Column("序号", Kind.SERIAL),
                Column("条线", Kind.SHORT, lambda r: r.target.plan.area.name),
                Column("指标", Kind.TEXT, lambda r: r.target.title),
                Column("要求", Kind.SHORT, lambda r: str(r.total.expected or "")),
                Column("完成", Kind.SHORT, lambda r: str(r.total.done if r.total.done is not None else "")),
                Column("状态", Kind.SHORT, lambda r: r.total.state_label),
            ],
            lambda ctx: ctx.subject.targets,
        ),
        Table(
            "活动照片",
            [
                Column("序号", Kind.SERIAL),
                Column("条线", Kind.SHORT, lambda p: p["record__area__name"]),
                Column("月份", Kind.SHORT, lambda p: f"{p['record__date__month']}月"),
                Column("张数", Kind.NUMBER, lambda p: p["n"]),
            ],
            lambda ctx: ctx.subject.photos,
        ),
        Table(
            "完整性检查：待补充的材料",
            [
                Column("序号", Kind.SERIAL),
                Column("类别", Kind.SHORT, lambda g: g.kind_label),
                Column("条线", Kind.SHORT, lambda g: g.area),
                Column("说明", Kind.TEXT, lambda g: g.text),
            ],
            lambda ctx: ctx.subject.gaps,
        ),
    ],
    prepare=_prepare,
    notes=_notes,
    notes_heading="说明",
    signatures=("整理人", "审核人", "负责人"),
)
LEDGERS = (LEDGER,)
