"""A declared ledger run for one export: the document every format writer prints.

The writers read a :class:`Document` only: its title and heading facts, the tables (rows still streaming
from the database), the office form when the ledger has one, the notes and the signature block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shequ.ledgers.declare import KIND_SPECS, Column, Context, Form, Kind, Ledger, Orientation
from shequ.ledgers.values import cn_date

# Printed page geometry (cm): A4, and a wider left margin for binding.
A4 = (21.0, 29.7)
MARGINS = {"left": 2.8, "right": 1.8, "top": 2.0, "bottom": 2.0}


@dataclass
class Sheet:
    """One table: a heading ("" for the ledger's own table), its columns and its rows."""

    heading: str
    columns: Sequence[Column]
    rows: Iterable[Any]

    @property
    def paper_columns(self) -> list[Column]:
        return [c for c in self.columns if c.on_paper]


@dataclass
class Document:
    title: str
    org_name: str
    year: int | None
    area_name: str
    maker: str
    made_on: date
    orientation: Orientation
    sheets: list[Sheet]
    form: Form | None = None
    notes: Sequence[str] = ()
    notes_heading: str = ""
    signatures: Sequence[str] = ("制表人", "审核人", "负责人")
    rows_written: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def facts(self) -> list[tuple[str, str]]:
        """The heading under the title: 填报单位, 年度, 条线, 填报日期."""
        pairs = [("填报单位", self.org_name)]
        if self.year:
            pairs.append(("年度", f"{self.year}年"))
        if self.area_name:
            pairs.append(("条线", self.area_name))
        pairs.append(("填报日期", cn_date(self.made_on)))
        return pairs

    def facts_line(self) -> str:
        return "　　".join(f"{k}：{v}" for k, v in self.facts())

    @property
    def landscape(self) -> bool:
        return self.orientation == "landscape"

    def page_cm(self) -> tuple[float, float]:
        return (A4[1], A4[0]) if self.landscape else A4

    def usable_width_cm(self) -> float:
        return self.page_cm()[0] - MARGINS["left"] - MARGINS["right"]

    def photos_per_row(self) -> int:
        return 3 if self.landscape else 2


def build(ledger: Ledger, ctx: Context) -> Document:
    """Run the declaration for ``ctx``: rows are not read until a writer iterates them."""
    title = ledger.title_for(ctx) if ledger.title_for else ledger.title
    sheets = [Sheet("", ledger.columns, ledger.rows(ctx))]
    sheets += [Sheet(t.heading, t.columns, t.rows(ctx)) for t in ledger.more]
    return Document(
        title=title,
        org_name=ctx.org.name,
        year=ctx.year if ledger.yearly else None,
        area_name=ctx.area.name if ctx.area is not None else ledger.area_label,
        maker=getattr(ctx.actor, "display_name", ""),
        made_on=ctx.today,
        orientation=ledger.orientation,
        sheets=sheets,
        form=ledger.form,
        notes=ledger.notes(ctx) if ledger.notes else (),
        notes_heading=ledger.notes_heading,
        signatures=ledger.signatures,
    )


MIN_TEXT_CM = 3.0
# An office form's rows: room to write in a tall field; everything fits one A4 page with its photos.
FORM_ROW_CM = 0.8
FORM_TALL_CM = 2.8


def form_photos_per_row(n: int) -> int:
    """Two photos side by side; three or four in one row, so the form stays on its page."""
    return 2 if n <= 2 else 4


def form_photo_box_cm(usable: float, per_row: int) -> float:
    return min(usable / per_row - 0.6, 6.0)


def column_widths_cm(columns: Sequence[Column], usable: float) -> list[float]:
    """Printed widths by kind: every column its natural width and long text shares what is left. Without
    long text the natural widths stretch to the page. In a crowded table long text keeps its minimum and
    the other columns give up room down to their own minimums, so 序号 and dates stay legible."""
    specs = [KIND_SPECS[c.kind] for c in columns]
    texts = {i for i, c in enumerate(columns) if c.kind == Kind.TEXT}
    natural = [s.cm for s in specs]
    fixed = sum(w for i, w in enumerate(natural) if i not in texts)
    if not texts:
        return [w * usable / fixed for w in natural]
    room = usable - fixed
    if room >= MIN_TEXT_CM * len(texts):
        return [room / len(texts) if i in texts else w for i, w in enumerate(natural)]
    deficit = MIN_TEXT_CM * len(texts) - room
    slack = sum(s.cm - s.min_cm for i, s in enumerate(specs) if i not in texts)
    if deficit <= slack:
        share = deficit / slack
        return [MIN_TEXT_CM if i in texts else s.cm - (s.cm - s.min_cm) * share for i, s in enumerate(specs)]
    minimum = [MIN_TEXT_CM if i in texts else s.min_cm for i, s in enumerate(specs)]
    return [w * usable / sum(minimum) for w in minimum]


DENSE_COLUMNS = 12  # a table this wide prints in 9 pt instead of 10 pt
