"""The ledger of the eight key prevention items (八项重点防范内容教育演练台账): for each term of the year that a
school's calendar starts in, each item with the safety lessons that taught it and the drills that practised it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shequ.education import schoolyear
from shequ.education.models import CalendarKind, CalendarPeriod
from shequ.ledgers.declare import Column, Context, Kind, Ledger
from shequ.orgs.models import UnitType


def _lines(records) -> str:
    return "\n".join(f"{r.date.month}月{r.date.day}日 {r.title}" for r in records)


def _prepare(ctx: Context) -> None:
    """The checklists of the terms that start in the year (and have started), read once for rows and notes."""
    assert ctx.year is not None
    calendar = schoolyear.calendar_of(ctx.org) if ctx.org.unit_type == UnitType.SCHOOL else None
    if calendar is None:
        ctx.subject = []
        return
    terms = CalendarPeriod.objects.filter(
        calendar=calendar,
        kind=CalendarKind.TERM,
        start__gte=date(ctx.year, 1, 1),
        start__lte=min(date(ctx.year, 12, 31), ctx.today),
    )
    ctx.subject = schoolyear.coverage(ctx.org, terms)


def _rows(ctx: Context) -> Iterable[tuple[schoolyear.TermCoverage, schoolyear.ItemRow]]:
    return [(c, row) for c in ctx.subject for row in c.rows]


def _notes(ctx: Context) -> list[str]:
    out = []
    for c in ctx.subject:
        out.append(f"{c.term.name}：已教育 {c.taught}/8 项，已演练 {c.drilled}/{schoolyear.DRILLABLE} 项。")
    out.append("由安全教育课（教育内容）和应急演练（演练类别）记录得出；跨年学期次年1月的记录归入次年。")
    return out


EIGHT_ITEMS_LEDGER = Ledger(
    code="school-eight-items",
    title="八项重点防范内容教育演练台账",
    area="school",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("学期", Kind.SHORT, lambda cr: cr[0].term.name),
        Column("防范内容", Kind.SHORT, lambda cr: cr[1].item.plan_text),
        Column("已教育", Kind.SHORT, lambda cr: "是" if cr[1].taught else "否"),
        Column("安全教育课", Kind.TEXT, lambda cr: _lines(cr[1].lessons)),
        Column("已演练", Kind.SHORT, lambda cr: ("是" if cr[1].drilled else "否") if cr[1].item.drills else "不适用"),
        Column("应急演练", Kind.TEXT, lambda cr: _lines(cr[1].drills)),
    ],
    rows=_rows,
    prepare=_prepare,
    notes=_notes,
    notes_heading="覆盖情况",
)

LEDGERS = (EIGHT_ITEMS_LEDGER,)
