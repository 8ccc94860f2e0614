"""Bulk writes shared by the import and the demo."""

from __future__ import annotations

import contextlib
import threading

from django.db import connection

SQLITE_CACHE_KB = 32 * 1024


def person_columns() -> list:
    from shequ.residents.models import Person

    return [f for f in Person._meta.concrete_fields if not f.primary_key]


def insert_rows(model, fields: list, records: list[dict]) -> None:
    """Insert plain rows without building model instances: COPY on PostgreSQL, executemany elsewhere.

    Building tens of thousands of model objects and compiling their INSERTs costs more than the
    database work itself; the values here were already checked, so they go in as they are.
    Missing values take the field's default; dates and times are adapted as Django would.
    """
    if records:
        insert_tuples(model, fields, tuples_of(fields, records))


def tuples_of(fields: list, records: list[dict]) -> list[tuple]:
    """``records`` (dicts by attname) as tuples in the order of ``fields``: defaults for missing values, dates and
    times adapted for the database."""
    ops = connection.ops
    defaults = {f.attname: f.get_default() for f in fields}
    adapters = {}
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateField":
            adapters[f.attname] = ops.adapt_datefield_value
        elif kind == "DateTimeField":
            adapters[f.attname] = ops.adapt_datetimefield_value
    names = [f.attname for f in fields]
    adapted: dict = {}  # the same timestamp on every row is adapted once

    def adapt(name: str, value):
        key = (name, value)
        if key not in adapted:
            adapted[key] = adapters[name](value)
        return adapted[key]

    def row(rec: dict) -> tuple:
        return tuple(
            adapt(name, value) if (value := rec.get(name, defaults[name])) is not None and name in adapters else value
            for name in names
        )

    return [row(r) for r in records]


class PlainRows:
    """Rows of a model as plain tuples in column order, for :func:`insert_tuples`."""

    def __init__(self, fields: list):
        self.fields = fields
        self.names = [f.attname for f in fields]
        self.index = {name: i for i, name in enumerate(self.names)}
        self.defaults = [f.get_default() for f in fields]
        self.dates = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
        # The row's own timestamps (created, updated): a date-time that records an event (an account linked)
        # stays empty until it happens.
        self.stamps = [
            i
            for i, f in enumerate(fields)
            if f.get_internal_type() == "DateTimeField"
            and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        ]

    def ready(self, rec: dict, when, **values) -> tuple:
        """A row to insert at once: defaults for missing values, dates adapted, every own timestamp ``when``
        (adapted already), ``values`` set."""
        ops = connection.ops
        out = [rec.get(name, default) for name, default in zip(self.names, self.defaults, strict=True)]
        for i in self.dates:
            if out[i] is not None:
                out[i] = ops.adapt_datefield_value(out[i])
        for i in self.stamps:
            out[i] = when
        for name, value in values.items():
            out[self.index[name]] = value
        return tuple(out)


def insert_statement(model, fields: list) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql":
        return f"COPY {table} ({cols}) FROM STDIN"
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 - table and columns from the model, values bound  # nosec B608


def _write(cursor, sql: str, rows: list[tuple], copy: bool) -> None:
    """``rows`` into the table of ``sql`` through ``cursor`` (a Django cursor: its driver's cursor does the COPY)."""
    if copy:
        with cursor.cursor.copy(sql) as out:
            for rec in rows:
                out.write_row(rec)
    else:
        # A bigger page cache for this connection: random keys (the ID hash index) otherwise
        # thrash SQLite's 2 MB default once the table outgrows it.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        cursor.executemany(sql, rows)


def insert_tuples(model, fields: list, rows: list[tuple]) -> None:
    """Insert rows already in column order and adapted: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    sql = insert_statement(model, fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        _write(cursor, sql, rows, connection.vendor == "postgresql")


class BackgroundInserts:
    """Batches of rows for one table inserted as with :func:`insert_tuples`, inside the caller's transaction. On
    PostgreSQL each batch's COPY runs on a worker thread, so that the caller reads and checks the next batch while
    the server writes this one; the caller must call :meth:`wait` before it uses the connection for anything else
    (:meth:`add` waits for the previous batch itself). Elsewhere a batch is written at once: SQLite's work on each
    row is too short to share the interpreter with the checks."""

    def __init__(self, model, fields: list):
        self.sql = insert_statement(model, fields)
        self.threaded = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def add(self, rows: list[tuple], *before: tuple[str, list[tuple]]) -> None:
        """Write ``rows``, after the rows of ``before`` (pairs of :func:`insert_statement` and rows of other
        tables, such as the households of a batch of persons) on the same turn."""
        self.wait()
        writes = [(sql, batch) for sql, batch in (*before, (self.sql, rows)) if batch]
        if not writes:
            return
        if not self.threaded:
            with connection.wrap_database_errors:
                self._write_all(writes)
            return
        self.thread = threading.Thread(target=self._run, args=(writes,), name="shequ-copy", daemon=True)
        self.thread.start()

    def _write_all(self, writes: list[tuple[str, list[tuple]]]) -> None:
        for sql, rows in writes:
            _write(self.cursor, sql, rows, self.threaded)

    def _run(self, writes: list[tuple[str, list[tuple]]]) -> None:
        try:
            self._write_all(writes)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by wait()
            self.error = exc

    def wait(self) -> None:
        """Until the last batch is written; its error, if any, raised here as Django's database error."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            with connection.wrap_database_errors:
                raise error

    def close(self) -> None:
        """Wait for the last batch, its error dropped (the caller is already leaving with another)."""
        with contextlib.suppress(Exception):  # the caller's own error is the one to report
            self.wait()
        self.cursor.close()


# The columns that lists, searches, dashboards and joins filter or group on. PostgreSQL's ANALYZE sorts a sample of
# every column it is given; ciphers, masks, notes and the parts of addresses kept only for display would cost most of
# its time (long, random text under a collation) and never inform a plan.
STATISTICS_COLUMNS = {
    "residents_person": (
        "id", "org_id", "grid_id", "household_id", "relation", "name", "name_pinyin", "name_initials", "gender",
        "birth_date", "id_type", "id_hash", "id_tail", "residence_status", "ethnicity", "education", "estate",
        "building", "address", "is_deceased", "moved_out_on", "possible_duplicate", "account_id", "phone_hash",
        "phone_tail", "created_at",
    ),
    "residents_household": ("id", "org_id", "grid_id", "number", "head_id", "estate", "building", "address"),
}  # fmt: skip


def refresh_statistics() -> None:
    """Update the planner's statistics after a bulk load, so searches pick their indexes at once
    (SQLite has none until ANALYZE runs; PostgreSQL's autovacuum would get there later). On PostgreSQL only the
    columns plans depend on (:data:`STATISTICS_COLUMNS`); SQLite's ANALYZE reads the indexes only."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns in STATISTICS_COLUMNS.items():
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {quote(table)} ({', '.join(quote(c) for c in columns)})")
            else:
                cursor.execute(f"ANALYZE {quote(table)}")
