"""A scratch store for checked rows: a private temporary SQLite file (Python's sqlite3), deleted when closed.

The checks run batch by batch over a stream of rows; what a later step needs (the ID hash for duplicates within
the file, the household for planning households, the values to write) goes here instead of into memory, so an
import of a million rows stays within a fixed memory bound. The store holds no plain ID numbers: only keyed
hashes and, for a real import, the encrypted form that is written to the registry anyway.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterator
from datetime import date

NEW, UPDATE, UNCHANGED, REFUSED = 0, 1, 2, 3
_DATE_TAG = "\x00d"


def _plain(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        if isinstance(v, date):
            v = (_DATE_TAG, v.toordinal())
        elif isinstance(v, dict):
            v = _plain(v)
        elif isinstance(v, str) and type(v) is not str:  # a choices member
            v = str.__str__(v)
        out[k] = v
    return out


def _dated(values: dict) -> dict:
    for k, v in values.items():
        if isinstance(v, tuple) and len(v) == 2 and v[0] == _DATE_TAG:
            values[k] = date.fromordinal(v[1])
        elif isinstance(v, dict):
            _dated(v)
    return values


def _pack(values: dict | tuple) -> bytes:
    """A dict (dates tagged), or a row of plain values (already marshallable: see bulk.PlainRows)."""
    if isinstance(values, dict):
        return marshal.dumps(_plain(values))
    try:
        return marshal.dumps(values)
    except ValueError:  # a choices member among the values: keep its plain value
        return marshal.dumps(tuple(str.__str__(v) if isinstance(v, str) else v for v in values))


def _unpack(blob: bytes) -> dict | tuple:
    out = marshal.loads(blob)  # noqa: S302 - written by this process a moment ago, never by anyone else
    return _dated(out) if isinstance(out, dict) else out


class Spill:
    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)  # "" = a private temporary file
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16000;
            CREATE TABLE ids (row INTEGER, hash TEXT);
            CREATE TABLE rows (seq INTEGER PRIMARY KEY, row INTEGER, kind INTEGER, org INTEGER,
                               household TEXT, head INTEGER, data BLOB);
            CREATE TABLE households (org INTEGER, number TEXT, first_seq INTEGER, pk INTEGER,
                                     PRIMARY KEY (org, number));
            """
        )
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()

    def add_ids(self, pairs: list[tuple[int, str]]) -> None:
        self.db.executemany("INSERT INTO ids VALUES (?, ?)", pairs)

    def add_rows(self, rows: list[tuple[int, int, int, str, bool, dict | None]]) -> None:
        """(spreadsheet row, kind, org id, household number, is head, values)."""
        self.db.executemany(
            "INSERT INTO rows (row, kind, org, household, head, data) VALUES (?, ?, ?, ?, ?, ?)",
            [(r, k, o, h, int(head), _pack(v) if v is not None else None) for r, k, o, h, head, v in rows],
        )

    def duplicates(self) -> Iterator[tuple[int, int]]:
        """(row, first row with the same ID number) for every repeated ID number, in row order."""
        return self.db.execute(
            "SELECT row, first FROM (SELECT row, min(row) OVER (PARTITION BY hash) AS first FROM ids) "
            "WHERE row <> first ORDER BY row"
        )

    def extra_heads(self) -> Iterator[tuple[int, str, int]]:
        """(row, household, first head's row) for every second head of one household."""
        return self.db.execute(
            "SELECT row, household, first FROM (SELECT row, household, min(row) OVER (PARTITION BY org, household) "
            "AS first FROM rows WHERE head = 1 AND kind IN (0, 1)) WHERE row <> first ORDER BY row"
        )

    def plan_households(self) -> None:
        self.db.execute(
            "INSERT INTO households (org, number, first_seq) SELECT org, household, min(seq) FROM rows "
            "WHERE kind IN (0, 1) AND household <> '' GROUP BY org, household"
        )

    def household_keys(self, size: int) -> Iterator[list[tuple[int, str]]]:
        cursor = self.db.execute("SELECT org, number FROM households ORDER BY org, number")
        while batch := cursor.fetchmany(size):
            yield batch

    def set_household_pks(self, pairs: list[tuple[int, int, str]]) -> None:
        self.db.executemany("UPDATE households SET pk = ? WHERE org = ? AND number = ?", pairs)

    def count_new_households(self) -> int:
        return self.db.execute("SELECT count(*) FROM households WHERE pk IS NULL").fetchone()[0]

    def new_households(self, size: int) -> Iterator[list[tuple[int, str, dict]]]:
        cursor = self.db.execute(
            "SELECT h.org, h.number, r.data FROM households h JOIN rows r ON r.seq = h.first_seq "
            "WHERE h.pk IS NULL ORDER BY h.org, h.number"
        )
        while batch := cursor.fetchmany(size):
            yield [(org, number, _unpack(data)) for org, number, data in batch]

    def rows_of(self, kind: int, size: int) -> Iterator[list[tuple[int, int | None, dict]]]:
        """(row, household pk, values) of the rows of ``kind``, in file order."""
        cursor = self.db.execute(
            "SELECT r.row, h.pk, r.data FROM rows r LEFT JOIN households h ON h.org = r.org "
            "AND h.number = r.household WHERE r.kind = ? ORDER BY r.seq",
            (kind,),
        )
        while batch := cursor.fetchmany(size):
            yield [(row, pk, _unpack(data)) for row, pk, data in batch]

    def head_households(self, size: int) -> Iterator[list[int]]:
        cursor = self.db.execute(
            "SELECT DISTINCT h.pk FROM rows r JOIN households h ON h.org = r.org AND h.number = r.household "
            "WHERE r.head = 1 AND r.kind IN (0, 1)"
        )
        while batch := cursor.fetchmany(size):
            yield [pk for (pk,) in batch]

    def count(self, kind: int) -> int:
        return self.db.execute("SELECT count(*) FROM rows WHERE kind = ?", (kind,)).fetchone()[0]
