"""The import itself: check every row, then write all of them in one transaction or none."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import crypto
from shequ.orgs.models import Org
from shequ.residents import identity
from shequ.residents.bulk import refresh_statistics
from shequ.residents.imports.checks import CheckedRow, Context, ImportResult, check_row
from shequ.residents.imports.headers import locate_header
from shequ.residents.imports.reading import ImportFileError
from shequ.residents.imports.writing import BATCH, classify, find_existing, plan_households, write

MAX_ROWS = 1_000_000
ANALYZE_AFTER = 10_000  # rows written: refresh the planner's statistics


def run_import(
    *,
    actor,
    org: Org,
    rows: list[list],
    commit: bool,
    filename: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check ``rows`` (a header row and data rows) and, with ``commit`` and no error, write them."""
    access.check(actor, org, Perm.IMPORT_DATA)
    header_index, mapping, ignored = locate_header(rows)
    data = rows[header_index + 1 :]
    result = ImportResult(ignored_headers=ignored)
    if len(data) > MAX_ROWS:
        raise ImportFileError(f"一次最多导入{MAX_ROWS}行,此文件有{len(data)}行,请拆分后导入。")
    ctx = Context(actor, org)
    if not ctx.communities:
        raise ImportFileError(f"您不能向“{org.name}”及其下级社区导入居民。")

    checked: list[CheckedRow] = []
    items = list(mapping.items())
    first_data_row = header_index + 2  # spreadsheet row numbers start at 1
    for offset, cells in enumerate(data):
        if not any(v not in (None, "") for v in cells):
            continue
        result.total += 1
        raw = {key: (cells[col] if col < len(cells) else None) for col, key in items}
        row = check_row(ctx, first_data_row + offset, raw, result)
        if row is not None:
            checked.append(row)
        if progress and result.total % BATCH == 0:
            progress(result.total, len(data))

    # Keys: the hash under every configured key, so a rotation under way still finds everyone.
    inputs = [identity.hash_input(r.ident.id_type, r.ident.number) for r in checked]
    all_hashes = crypto.keyed_hash_many_all_keys(inputs, context=identity.ID_CONTEXT)
    seen: dict[str, int] = {}
    unique_rows: list[CheckedRow] = []
    for r, h in zip(checked, all_hashes[0], strict=True):
        r.hash = h
        if h in seen:
            result.error(r.row, "id_number", f"与第{seen[h]}行的证件号码相同。")
            continue
        seen[h] = r.row
        unique_rows.append(r)

    existing = find_existing(unique_rows, all_hashes, checked)
    new_rows, updates = classify(ctx, unique_rows, existing, result)
    households = plan_households(new_rows, updates, result)
    if progress:
        progress(len(data), len(data))
    result.added = len(new_rows)
    result.updated = len(updates)
    result.households_added = len(households["new"])
    if not commit or not result.ok:
        return result
    try:
        with transaction.atomic():
            write(actor, org, new_rows, updates, households)
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
        result.error(0, "", "导入期间有人登记了相同证件号码的居民,本次导入未写入任何数据,请重新检查后再导入。")
        return result
    result.committed = True
    if result.added + result.updated >= ANALYZE_AFTER:
        refresh_statistics()
    return result
