"""Exporting a ledger: build it, write the file, audit the export, hand back the download."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from typing import IO

from django.db import models, transaction
from django.http import FileResponse

from shequ.audit.services import audit
from shequ.ledgers.declare import Context, Ledger
from shequ.ledgers.document import Document, build
from shequ.ledgers.formats import CONTENT_TYPES


# Each writer is imported when a ledger is first written in that format: python-docx (94 modules), xlsxwriter and
# WeasyPrint stay out of the processes that never write one (every process imports this module).
def _write_xlsx(doc: Document, out: IO[bytes]) -> int:
    from shequ.ledgers.formats.xlsx import write_xlsx

    return write_xlsx(doc, out)


def _write_docx(doc: Document, out: IO[bytes]) -> int:
    from shequ.ledgers.formats.docx import write_docx

    return write_docx(doc, out)


def _write_pdf(doc: Document, out: IO[bytes]) -> int:
    from shequ.ledgers.formats.pdf import write_pdf

    return write_pdf(doc, out)


WRITERS: dict[str, Callable[[Document, IO[bytes]], int]] = {"xlsx": _write_xlsx, "docx": _write_docx, "pdf": _write_pdf}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(ledger: Ledger, ctx: Context, doc: Document) -> str:
    """单位-条线-2026年-台账名.xlsx: a Chinese name that says org, area, year and ledger."""
    what = ledger.name_for(ctx) if ledger.name_for else doc.title
    parts = [doc.org_name, doc.area_name, f"{doc.year}年" if doc.year else "", what]
    return _UNSAFE.sub("", "-".join(p for p in parts if p))[:180] + f".{ctx.fmt}"


def ledger_write(*, ledger: Ledger, ctx: Context, out: IO[bytes]) -> tuple[str, int]:
    """Write the ledger for ``ctx`` into ``out``: its Chinese file name and the rows written. Neither checks the
    right nor audits: the caller does (the export view, the annual dossier's build)."""
    doc = build(ledger, ctx)
    rows = WRITERS[ctx.fmt](doc, out)
    return file_name(ledger, ctx, doc), rows


def ledger_export(*, ledger: Ledger, ctx: Context) -> FileResponse:
    """Write the ledger for ``ctx`` into a temporary file (flat memory for xlsx), audit the export, and
    return the streamed download. The caller has checked the export right."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    try:
        name, rows = ledger_write(ledger=ledger, ctx=ctx, out=tmp)
    except BaseException:
        tmp.close()
        raise
    tmp.seek(0)
    subject = ctx.subject if isinstance(ctx.subject, models.Model) else ctx.org
    detail = {
        "ledger": ledger.code,
        "format": ctx.fmt,
        "year": ctx.year,
        "area": ctx.area.code if ctx.area is not None else "",
        "filters": {k: v for k, v in ctx.filters.items() if v not in (None, "", False)},
        "rows": rows,
        **ctx.detail,
    }
    audit(ctx.actor, "ledger.export", subject, detail, org=ctx.org)
    for action, extra in ctx.also_audit:
        with transaction.atomic():  # the row and what follows it (the persons an export held) go in together
            row = audit(ctx.actor, action, None, extra, org=ctx.org)
            for then in ctx.after_audit:
                then(row)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=CONTENT_TYPES[ctx.fmt])
