"""What a ledger (台账) declares: its code, title, area, orientation, columns and rows.

A line of work describes each of its ledgers once with :class:`Ledger` and registers it
(``shequ.ledgers.registry``); the layer does everything else alike for every ledger: the export right,
the audit row, the Chinese file name, and the xlsx, docx and PDF files with their print layout.

A column has a :class:`Kind`: the kind decides its printed width (long text gets the room), its
alignment and how the value is written (a date is a real date cell in xlsx and 2026年1月8日 on paper).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from django.core.files import File

    from shequ.accounts.models import User
    from shequ.orgs.models import Area, Org

Orientation = Literal["portrait", "landscape"]
# The signature line that carries the name of who made the ledger or filled the form in.
MAKER_LABELS = frozenset({"制表人", "填表人", "登记人"})
FORMATS = ("xlsx", "docx", "pdf")


class Kind(StrEnum):
    """What a column holds; the kind sets the width, alignment and cell type."""

    SERIAL = "serial"  # 序号, numbered by the layer when the value is None
    NUMBER = "number"  # a count or an amount: a number cell
    DATE = "date"  # a date: a date cell, 2026年1月8日 on paper
    NAME = "name"  # a person's or a unit's name
    CODE = "code"  # an ID number, a phone number, a file number: kept on one line where it can be
    SHORT = "short"  # a type, a state, a place: a few words
    TEXT = "text"  # content, description, measures: wraps and gets the room
    PHOTOS = "photos"  # the row's photos: the photo pages on paper, a count in xlsx


@dataclass(frozen=True)
class KindSpec:
    cm: float  # natural printed width; TEXT columns share what is left
    min_cm: float  # the narrowest it may be squeezed to in a crowded table
    align: Literal["left", "center", "right"]


KIND_SPECS: dict[Kind, KindSpec] = {
    Kind.SERIAL: KindSpec(1.1, 0.9, "center"),
    Kind.NUMBER: KindSpec(1.9, 1.2, "center"),
    Kind.DATE: KindSpec(2.8, 1.7, "center"),
    Kind.NAME: KindSpec(2.0, 1.2, "center"),
    Kind.CODE: KindSpec(3.6, 2.4, "center"),
    Kind.SHORT: KindSpec(2.6, 1.5, "left"),
    Kind.TEXT: KindSpec(5.0, 3.0, "left"),
    Kind.PHOTOS: KindSpec(1.8, 1.3, "center"),
}


@dataclass(frozen=True)
class Photo:
    """A photo to print: the stored image (or its thumbnail), and the record's date and title under it."""

    file: File  # a stored image (an ImageField's file)
    on: date | None
    title: str


@dataclass(frozen=True)
class Column:
    """One column: its header, its kind and how a row gives its value."""

    header: str
    kind: Kind
    value: Callable[[Any], Any] | None = None  # None: only for SERIAL (numbered by the layer)
    on_paper: bool = True  # False: in the xlsx only (details that would crowd the printed page)


class BadFilter(ValueError):
    """A filter value a ledger refuses (a 400 with its Chinese message): raised while parsing the query string or
    by a ledger's ``prepare`` that reads its list's own filters."""


@dataclass(frozen=True)
class Filter:
    """A query-string filter (``?area=health&record=5``): ``parse`` turns the text into a value or raises
    ValueError with a Chinese message (a 400 for the user)."""

    name: str
    label: str
    parse: Callable[[str], Any] = str


def parse_pk(text: str) -> int:
    """A filter's row id (``?meeting=12``): digits only, or a Chinese message."""
    if not text.isdigit() or len(text) > 12:
        raise ValueError("请填写编号。")
    return int(text)


@dataclass(frozen=True)
class FormField:
    """One line of an office form: a label and the row's value; ``tall`` gives it room to write in."""

    label: str
    value: Callable[[Any], Any]
    tall: bool = False


@dataclass(frozen=True)
class Form:
    """An office form printed once per row (活动记录表, 人民调解受理登记表): on paper (docx, PDF) each row
    becomes its own page; the xlsx keeps one line per row with the ledger's columns.

    ``lines``: each line holds one field (label and value across the page) or two (label, value, label,
    value). ``photos``: the row's photos, printed in a grid under the form.
    """

    title: str
    lines: Sequence[tuple[FormField] | tuple[FormField, FormField]]
    photos: Callable[[Any], Sequence[Photo]] | None = None
    signatures: Sequence[str] = ("填表人", "负责人")
    maker: Callable[[Any], str] | None = None  # who filled the form in (the first signature); else the exporter
    seal: str = ""  # the place for a seal under the signatures (人民调解委员会（印章）)
    photos_heading: str = "活动照片"  # the heading over the photos (签名 for a signed letter)


@dataclass(frozen=True)
class Table:
    """A further table of a ledger (a plan's tasks after its targets): its own heading, columns and rows."""

    heading: str
    columns: Sequence[Column]
    rows: Callable[[Context], Iterable[Any]]


@dataclass
class Context:
    """One export: who asks, for which org, year, area and filters, in which format."""

    actor: User
    org: Org
    year: int | None
    fmt: str
    today: date
    filters: dict[str, Any] = field(default_factory=dict)
    area: Area | None = None
    subject: Any = None  # the one object a form or a plan ledger is about, set by ``prepare``
    detail: dict[str, Any] = field(default_factory=dict)  # added to the export's audit row
    also_audit: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # further audit rows
    # Called with each further row once written, in the same transaction (e.g. the persons an export held).
    after_audit: list[Callable[[Any], None]] = field(default_factory=list)

    @property
    def on_paper(self) -> bool:
        """docx and PDF print photos and forms; xlsx lists counts."""
        return self.fmt != "xlsx"


@dataclass(frozen=True)
class Ledger:
    """A ledger declared once.

    - ``area``: the area code the ledger belongs to; ``"?"`` when the user chooses it (``?area=health``);
      ``None`` when the ledger belongs to no single area (the residents roster).
    - ``rows(ctx)``: the rows for the actor, org, year and filters, already scoped (a queryset iterator).
    - ``prepare(ctx)``: optional; resolves ``ctx.subject`` or ``ctx.area`` from the filters, raising Http404
      or PermissionDenied as the rest of the app does.
    - ``title_for(ctx)`` / ``name_for(ctx)``: optional titles that depend on the export (the area's name, the
      plan's title) and the last part of the file name.
    - ``notes(ctx)``: paragraphs printed after the tables (a plan's text).
    """

    code: str
    title: str
    area: str | None
    columns: Sequence[Column]
    rows: Callable[[Context], Iterable[Any]]
    orientation: Orientation = "landscape"
    yearly: bool = True
    filters: Sequence[Filter] = ()
    form: Form | None = None
    more: Sequence[Table] = ()
    prepare: Callable[[Context], None] | None = None
    title_for: Callable[[Context], str] | None = None
    name_for: Callable[[Context], str] | None = None
    notes: Callable[[Context], Sequence[str]] | None = None
    notes_heading: str = ""
    signatures: Sequence[str] = ("制表人", "审核人", "负责人")
    area_label: str = ""  # 条线 shown when the ledger spans areas (安全隐患: 学校安全/平安建设)

    def __post_init__(self) -> None:
        for col in self.columns:
            if col.value is None and col.kind != Kind.SERIAL:
                raise ValueError(f"{self.code}: column {col.header} needs a value")
