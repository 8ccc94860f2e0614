"""The import itself: read the rows as a stream and check them in batches, report every problem; a real import
writes each batch as it is checked, in one transaction that is rolled back at the end if any row failed, so it
writes all rows or none."""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext

from django.conf import settings
from django.db import IntegrityError, transaction

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import crypto
from shequ.orgs.models import Org
from shequ.residents import identity
from shequ.residents.bulk import refresh_statistics
from shequ.residents.imports.checks import CheckedRow, Context, ImportResult, check_row, id_number_of
from shequ.residents.imports.headers import (
    EXAMPLE_IDS,
    EXAMPLE_NUMBERS,
    HEADER_SCAN,
    IGNORABLE,
    NOTES,
    Layout,
    find_layout,
    looks_like_roster,
    normalise,
    resolve_mapping,
    skip_reason,
)
from shequ.residents.imports.reading import ImportFileError, Table, cell_text
from shequ.residents.imports.spill import Spill
from shequ.residents.imports.writing import BATCH, Writer, classify, find_existing, find_households
from shequ.residents.models import IdType, ImportMapping

ANALYZE_AFTER = 10_000  # rows written: refresh the planner's statistics
Progress = Callable[[str, int, int], None]  # (phase "checking" or "writing", done, total)


class NeedsMapping(Exception):
    """Columns of the file match no field: the worker chooses a field or "ignore" for each before the check."""

    def __init__(self, layout: Layout, sheet: str = "", sheets: list | None = None):
        super().__init__("有列需要确认对应的字段。")
        self.layout, self.sheet, self.sheets = layout, sheet, sheets or []


def remembered_choices(org: Org, layout: Layout) -> dict[str, str] | None:
    saved = ImportMapping.objects.filter(org=org, shape=layout.shape).values_list("mapping", flat=True).first()
    if saved is None:
        return None
    return {str(col): saved.get(layout.headers[col], "") for col in layout.unmatched if col < len(layout.headers)}


def suggested_choice(layout: Layout, col: int) -> str | None:
    """ "" (ignore) for a column that carries nothing to keep (序号, 年龄); None when the worker must choose."""
    header = layout.headers[col] if col < len(layout.headers) else ""
    return "" if normalise(header) in IGNORABLE else None


@contextlib.contextmanager
def _settled_memory() -> Iterator[None]:
    """The import allocates many short-lived objects: the collector's full passes would walk every object of the
    process (Django, the pinyin tables) again and again. What exists before the import is set aside for its
    duration (``gc.freeze``) and young collections run less often; cycles made during the import are still
    collected."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@_settled_memory()
def run_import(
    *,
    actor,
    org: Org,
    commit: bool,
    rows: Iterable[list] | None = None,
    table: Table | None = None,
    choices: dict[str, str] | None = None,
    filename: str = "",
    progress: Progress | None = None,
    result: ImportResult | None = None,
) -> ImportResult:
    """Check the rows of ``table`` (or the list ``rows``: a header and data rows) and, with ``commit`` and no
    error, write them. ``choices`` maps unmatched columns (by index, as text) to a field key, NOTES or "" (ignore);
    without it the org's remembered mapping for this file shape is used, and with neither a NeedsMapping is
    raised."""
    access.check(actor, org, Perm.IMPORT_DATA)
    if table is None:
        table = Table(kind="rows", sheet="", _rows=iter(rows or []))
    stream = table.rows()
    first = list(itertools.islice(stream, HEADER_SCAN))
    layout = find_layout(first, table.merged)
    if choices is None:
        choices = remembered_choices(org, layout)
    if layout.unmatched and choices is None:
        raise NeedsMapping(layout, table.sheet, table.sheets)
    mapping = resolve_mapping(layout, choices or {})
    ctx = Context(actor, org)
    if not ctx.communities:
        raise ImportFileError(f"您不能向“{org.name}”及其下级社区导入居民。")

    result = result or ImportResult()
    result.sheet, result.sheets = table.sheet, table.sheets
    result.header_row, result.width = layout.header_row, len(layout.headers)
    result.columns = {key: col for col, key in mapping.items() if key != NOTES}
    items = [(col, key) for col, key in mapping.items() if key != NOTES]
    notes_cols = [(col, layout.headers[col] or f"第{col + 1}列") for col, key in mapping.items() if key == NOTES]
    name_col, id_col = result.columns.get("name"), result.columns.get("id_number")
    max_rows = settings.RESIDENTS_IMPORT_MAX_ROWS
    total_hint = max(table.height - layout.header_row - 1, 0)
    spill = Spill()
    writer = Writer(actor, org, spill) if commit else None
    phase = "writing" if commit else "checking"  # a real import writes as it checks
    try:
        with transaction.atomic() if commit else nullcontext(), writer or nullcontext():
            batch: list[tuple[int, str, CheckedRow | None]] = []
            data_rows = itertools.chain(first[layout.header_row + 1 :], stream)
            for offset, cells in enumerate(data_rows):
                row_no = layout.header_row + 2 + offset  # spreadsheet row numbers start at 1
                reason = skip_reason(cells, name_col, id_col)
                if reason:
                    if reason != "blank":
                        result.skip(row_no, reason)
                    continue
                width = len(cells)
                raw = {key: cells[col] for col, key in items if col < width}
                number = id_number_of(raw)
                if number in EXAMPLE_NUMBERS and (cell_text(raw.get("name")), number) in EXAMPLE_IDS:
                    result.skip(row_no, "导入模板中的示例行")
                    continue
                result.total += 1
                if result.total > max_rows:
                    raise ImportFileError(f"一次最多导入{max_rows}行，此文件超过了，请拆分文件后分批导入。")
                extra = [
                    f"{header}:{cell_text(cells[col])}"
                    for col, header in notes_cols
                    if col < width and cell_text(cells[col])
                ]
                batch.append((row_no, number, check_row(ctx, row_no, raw, result, extra, number)))
                if len(batch) >= BATCH:
                    _flush(ctx, spill, batch, result, writer)
                    batch = []
                    if progress:
                        progress(phase, result.total, max(total_hint, result.total))
            _flush(ctx, spill, batch, result, writer)
            if writer is not None:
                writer.wait()
            if progress:
                progress(phase, result.total, max(total_hint, result.total))
            table.close()  # free the sheet
            del first, stream
            if result.total == 0:
                raise ImportFileError(
                    "文件中没有数据行：表头下面是空的（或只有导入模板的示例行）。请填写居民后再上传。"
                )
            for row, first_row in spill.duplicates():
                result.error(row, "id_number", f"与第{first_row}行的证件号码相同。")
            for row, household, first_row in spill.extra_heads():
                result.error(row, "relation", f"户号“{household}”已在第{first_row}行填写了户主。")
            result.errors.sort(key=lambda e: e.row)
            if writer is None:
                result.households_added = find_households(spill)
                return result
            if not result.ok:
                transaction.set_rollback(True)
                return result
            writer.finish(progress and (lambda done, total: progress(phase, done, total)), result.total, result.total)
            result.households_added = writer.households_added
            audit(
                actor,
                "person.import",
                org,
                {
                    "file": filename,
                    "added": result.added,
                    "updated": result.updated,
                    "households_added": result.households_added,
                },
                org=org,
            )
    except IntegrityError:
        result.error(0, "", "导入期间有人登记了相同证件号码的居民，本次导入未写入任何数据，请重新检查后再导入。")
        return result
    finally:
        table.close()
        spill.close()
    result.committed = True
    return result


def refresh_statistics_after(result: ImportResult) -> None:
    """After a large import has been reported done: refresh the planner's statistics, so that searches pick their
    indexes at once (PostgreSQL's ANALYZE takes about half a second after 100,000 rows; the worker need not wait for
    it)."""
    if result.committed and result.added + result.updated >= ANALYZE_AFTER:
        refresh_statistics()


def _flush(ctx: Context, spill: Spill, batch: list, result: ImportResult, writer: Writer | None) -> None:
    """Hash the batch's ID numbers (every row with one, for duplicates), find and classify its checked rows."""
    if not batch:
        return
    inputs = []
    for _row, number, checked in batch:
        if checked is not None:
            inputs.append(identity.hash_input(checked.ident.id_type, checked.ident.number))
        elif number:
            inputs.append(identity.hash_input(IdType.RESIDENT, number))
    all_hashes = crypto.keyed_hash_many_all_keys(inputs, context=identity.ID_CONTEXT)
    current = iter(all_hashes[0])
    ids, checked_rows, checked_index = [], [], []
    for i, (row, number, checked) in enumerate(batch):
        if checked is None and not number:
            continue
        h = next(current)
        ids.append((row, h))
        if checked is not None:
            checked.hash = h
            checked_rows.append(checked)
            checked_index.append(i)
    if spill.add_ids(ids) and writer is not None:
        # a repeated ID number (in this batch or an earlier one) fails the import: stop writing before the
        # registry's unique index refuses it
        writer.active = False
    if not checked_rows:
        return
    # hashes of the checked rows under every key (a key rotation under way still finds everyone)
    positions = {}
    n = 0
    for i, (_row, number, checked) in enumerate(batch):
        if checked is None and not number:
            continue
        positions[i] = n
        n += 1
    per_key = [[hashes[positions[i]] for i in checked_index] for hashes in all_hashes]
    if writer is None:
        existing = find_existing(checked_rows, per_key)
    else:
        if writer.prepares_early:
            writer.prepare(checked_rows)  # while the server still writes the previous batch
        if not writer.reads_aside:
            writer.wait()  # the previous batch's persons are written: the connection is free
        existing = find_existing(checked_rows, per_key, writer.reader, writer.wait)
    rows, new = classify(ctx, checked_rows, existing, result, writer is not None)
    spill.add_rows(rows)
    if writer is not None:
        writer.active = writer.active and result.ok
        writer.add(new, len(checked_rows))


def open_source(data: bytes, filename: str, sheet: str = "") -> Table:
    """A table over bytes in memory (tests and small files)."""
    from shequ.residents.imports.reading import open_table

    return open_table(io.BytesIO(data), filename, sheet=sheet, size=len(data), prefer=looks_like_roster)


def read_table(data: bytes, filename: str, sheet: str = "") -> list[list]:
    """All rows of a small file at once (tests, the template check)."""
    table = open_source(data, filename, sheet)
    try:
        return [list(r) for r in table.rows()]
    finally:
        table.close()
