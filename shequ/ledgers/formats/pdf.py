"""The PDF of a ledger, printed by WeasyPrint from HTML with a CJK font.

The same print layout as the docx: A4 in the declared orientation with a binding margin on the left,
the header row repeated on every page (``thead``), rows never split, column widths by kind,
第 N 页 共 M 页 in the footer (``counter(page)``/``counter(pages)``), the signature block, and the photos
in a grid; a ledger with an office form prints the form once per row, one page each.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from typing import IO, Any

from django.template.loader import render_to_string

from shequ.ledgers.declare import KIND_SPECS, MAKER_LABELS, Column, Form, Kind
from shequ.ledgers.document import (
    DENSE_COLUMNS,
    FORM_ROW_CM,
    FORM_TALL_CM,
    MARGINS,
    Document,
    column_widths_cm,
    form_photo_box_cm,
    form_photos_per_row,
)
from shequ.ledgers.fonts import PDF_FONTS, PDF_TITLE_FONTS, check_pdf_fonts
from shequ.ledgers.formats.photos import FORM_PHOTOS, Figure, Figures, fit, load, rows_of
from shequ.ledgers.values import cell_value, paper_text


class _Counter:
    def __init__(self) -> None:
        self.n = 0


def _rows(
    columns: Sequence[Column], widths: Sequence[float], rows, figures: Figures, counter: _Counter
) -> Iterator[list[tuple[str, str]]]:
    for n, row in enumerate(rows, start=1):
        counter.n = n
        out: list[tuple[str, str]] = []
        for col, w in zip(columns, widths, strict=True):
            value = cell_value(col, row, n)
            text = figures.add(value) if col.kind == Kind.PHOTOS else paper_text(value, w)
            out.append((text, KIND_SPECS[col.kind].align))
        yield out


class _PrintedFigure:
    """A figure for the template: the picture is read when the template reaches it."""

    def __init__(self, figure: Figure, box_w: float) -> None:
        self.figure = figure
        self.box_w = box_w

    @property
    def caption(self) -> str:
        return self.figure.caption

    def picture(self) -> dict[str, Any] | None:
        picture = load(self.figure.photo)
        if picture is None:
            return None
        w, h = fit(picture, self.box_w, self.box_w * 0.75)
        data = base64.b64encode(picture.data).decode()
        return {"src": f"data:image/jpeg;base64,{data}", "w": f"{w:.2f}cm", "h": f"{h:.2f}cm"}


class _Grid:
    """Rows of figures, read lazily: the table's rows number the figures before the grid is printed."""

    def __init__(self, figures: Figures, per_row: int, box_w: float) -> None:
        self.figures, self.per_row, self.box_w = figures, per_row, box_w

    def __iter__(self):
        for group in rows_of(self.figures.items, self.per_row):
            yield [_PrintedFigure(f, self.box_w) for f in group]

    def __bool__(self) -> bool:
        return bool(self.figures.items)


def _tables(doc: Document, figures: Figures, counter: _Counter) -> list[dict[str, Any]]:
    usable = doc.usable_width_cm()
    tables = []
    for i, sheet in enumerate(doc.sheets):
        columns = sheet.paper_columns
        widths = column_widths_cm(columns, usable)
        tables.append(
            {
                "heading": sheet.heading,
                "dense": len(columns) >= DENSE_COLUMNS,
                "cols": [{"header": c.header, "width": f"{w:.2f}cm"} for c, w in zip(columns, widths, strict=True)],
                "rows": _rows(columns, widths, sheet.rows, figures, counter if i == 0 else _Counter()),
            }
        )
    return tables


def _forms(doc: Document, form: Form, counter: _Counter) -> Iterator[dict[str, Any]]:
    for n, row in enumerate(doc.sheets[0].rows, start=1):
        counter.n = n
        lines = [[(f.label, paper_text("" if (v := f.value(row)) is None else v), f.tall) for f in line]
                 for line in form.lines]  # fmt: skip
        figures = Figures()
        if form.photos:
            figures.add(list(form.photos(row))[:FORM_PHOTOS])
        maker = form.maker(row) if form.maker else doc.maker
        per_row = form_photos_per_row(len(figures.items))
        grid = _Grid(figures, per_row, form_photo_box_cm(doc.usable_width_cm(), per_row))
        signatures = [(label, maker if label in MAKER_LABELS else "") for label in form.signatures]
        yield {"lines": lines, "grid": grid, "signatures": signatures}


def render_html(doc: Document, counter: _Counter | None = None) -> str:
    counter = counter or _Counter()
    figures = Figures()
    per_row = doc.photos_per_row()
    context = {
        "doc": doc,
        "page": "A4 landscape" if doc.landscape else "A4 portrait",
        "margins": MARGINS,
        "body_font": PDF_FONTS,
        "title_font": PDF_TITLE_FONTS,
        "facts": doc.facts(),
        "form": doc.form,
        "forms": _forms(doc, doc.form, counter) if doc.form else None,
        "tables": None if doc.form else _tables(doc, figures, counter),
        "grid": _Grid(figures, per_row, doc.usable_width_cm() / per_row - 0.6),
        "signatures": [(label, doc.maker if label in MAKER_LABELS else "") for label in doc.signatures],
        "counter": counter,
        "form_row": f"{FORM_ROW_CM}cm",
        "form_tall": f"{FORM_TALL_CM}cm",
    }
    return render_to_string("ledgers/print.html", context)


def write_pdf(doc: Document, target: str | IO[bytes]) -> int:
    """Write ``doc`` as a PDF to ``target``; returns the number of rows (forms) of its first table."""
    check_pdf_fonts()
    import weasyprint

    counter = _Counter()
    html = render_html(doc, counter)
    weasyprint.HTML(string=html).write_pdf(target)
    doc.rows_written = counter.n
    return counter.n
