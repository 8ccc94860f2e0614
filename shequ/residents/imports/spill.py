"""A scratch store for checked rows: a private temporary SQLite file (Python's sqlite3), deleted when closed.

The checks run batch by batch over a stream of rows; what a later step needs (the ID hash of every row for the
duplicates within the file, each row's household and head mark, the households found or created, the changes of
registered persons) goes here instead of into memory, so an import of a million rows stays within a fixed memory
bound. The store holds no ID numbers, only their keyed hashes.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterator
from datetime import date

NEW, UPDATE = 0, 1  # the kinds of rows kept (unchanged and refused rows are not: no later step reads them)
_DATE_TAG = "\x00d"


def _id_key(hash_: str) -> bytes:
    """An ID hash as the store keeps it: its first 128 bits as bytes (as exact as the whole hash for finding repeats
    within a file, as HMAC-SHA-256-128 is; a quarter of the text's size, so the table stays in the page cache)."""
    return bytes.fromhex(hash_[:32])


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


def _pack(values: dict) -> bytes:
    return marshal.dumps(_plain(values))


def _unpack(blob: bytes) -> dict:
    return _dated(marshal.loads(blob))  # noqa: S302 - written by this process a moment ago, never by anyone else  # nosec B302


class Spill:
    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)  # "" = a private temporary file
        # A small page cache: the store's pages stay in the operating system's file cache, not in this process,
        # while python-calamine still holds the whole sheet (16 MB of cache cost 14 MB of peak memory).
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4000;
            CREATE TABLE ids (hash BLOB PRIMARY KEY, row INTEGER) WITHOUT ROWID;
            CREATE TABLE repeats (hash BLOB, row INTEGER);
            CREATE TABLE rows (seq INTEGER PRIMARY KEY, row INTEGER, kind INTEGER, org INTEGER,
                               household TEXT, head INTEGER, data BLOB);
            CREATE TABLE households (org INTEGER, number TEXT, first_seq INTEGER, pk INTEGER,
                                     headed INTEGER DEFAULT 0, PRIMARY KEY (org, number));
            """
        )
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()

    def add_ids(self, pairs: list[tuple[int, str]]) -> bool:
        """(spreadsheet row, ID hash) of rows with an ID number, in row order; whether any of them repeats an ID
        number of an earlier row (of this batch or an earlier one). The first row of each number is kept by the
        insert itself; only when the insert left some out are the repeats looked for."""
        keys = [(_id_key(h), row) for row, h in pairs]
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO ids VALUES (?, ?)", keys)
        if self.db.total_changes - before == len(keys):
            return False
        first = dict(self._select_in("SELECT hash, row FROM ids WHERE hash IN ({})", [k for k, _row in keys]))
        self.db.executemany("INSERT INTO repeats VALUES (?, ?)", [(k, row) for k, row in keys if first[k] != row])
        return True

    def add_rows(self, rows: list[tuple[int, int, int, str, bool, dict | None]]) -> None:
        """(spreadsheet row, kind, org id, household number, is head, values) of the rows a later step reads:
        changed persons, heads of households, and in a dry run every new person with a household."""
        self.db.executemany(
            "INSERT INTO rows (row, kind, org, household, head, data) VALUES (?, ?, ?, ?, ?, ?)",
            [(r, k, o, h, int(head), _pack(v) if v is not None else None) for r, k, o, h, head, v in rows],
        )

    def household_pks(self, keys: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
        """Households of the file already found or created, by (org, number)."""
        out: dict[tuple[int, str], int] = {}
        for org_id in {k[0] for k in keys}:
            numbers = [n for o, n in keys if o == org_id]
            sql = "SELECT number, pk FROM households WHERE org = ? AND number IN ({})"
            found = self._select_in(sql, numbers, org_id)
            out.update({(org_id, number): pk for number, pk in found})
        return out

    def _select_in(self, sql: str, values: list, *before) -> Iterator[tuple]:
        """The rows of ``sql`` whose ``IN ({})`` is each chunk of ``values`` in turn (SQLite binds at most a few
        hundred parameters at once), its other parameters ``before`` them."""
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            yield from self.db.execute(sql.format(",".join("?" * len(chunk))), [*before, *chunk])

    def add_households(self, found: list[tuple[int, int, str]], headed: set[tuple[int, str]] = frozenset()) -> None:
        """(pk, org, number) of households found in the registry or just created; ``headed``: (org, number) of
        those created with their head already set."""
        self.db.executemany(
            "INSERT INTO households (pk, org, number, headed) VALUES (?, ?, ?, ?)",
            [(pk, org, number, (org, number) in headed) for pk, org, number in found],
        )

    def update_households(self, size: int) -> Iterator[list[tuple[int, str, dict]]]:
        """(org, household, values of its first row) for the households of changed persons."""
        cursor = self.db.execute(
            "SELECT org, household, data, min(seq) FROM rows WHERE kind = 1 AND household <> '' GROUP BY org, household"
        )
        while batch := cursor.fetchmany(size):
            yield [(org, number, _unpack(data)) for org, number, data, _seq in batch]

    def duplicates(self) -> Iterator[tuple[int, int]]:
        """(row, first row with the same ID number) for every repeated ID number, in row order."""
        return self.db.execute("SELECT r.row, i.row FROM repeats r JOIN ids i ON i.hash = r.hash ORDER BY r.row")

    def extra_heads(self) -> Iterator[tuple[int, str, int]]:
        """(row, household, first head's row) for every second head of one household."""
        return self.db.execute(
            "SELECT row, household, first FROM (SELECT row, household, min(row) OVER (PARTITION BY org, household) "
            "AS first FROM rows WHERE head = 1) WHERE row <> first ORDER BY row"
        )

    def plan_households(self) -> None:
        self.db.execute(
            "INSERT INTO households (org, number, first_seq) SELECT org, household, min(seq) FROM rows "
            "WHERE household <> '' GROUP BY org, household"
        )

    def household_keys(self, size: int) -> Iterator[list[tuple[int, str]]]:
        cursor = self.db.execute("SELECT org, number FROM households ORDER BY org, number")
        while batch := cursor.fetchmany(size):
            yield batch

    def set_household_pks(self, pairs: list[tuple[int, int, str]]) -> None:
        self.db.executemany("UPDATE households SET pk = ? WHERE org = ? AND number = ?", pairs)

    def count_new_households(self) -> int:
        return self.db.execute("SELECT count(*) FROM households WHERE pk IS NULL").fetchone()[0]

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
        """The households with a head among the rows of the file, except those created with their head set."""
        cursor = self.db.execute(
            "SELECT DISTINCT h.pk FROM rows r JOIN households h ON h.org = r.org AND h.number = r.household "
            "WHERE r.head = 1 AND NOT h.headed"
        )
        while batch := cursor.fetchmany(size):
            yield [pk for (pk,) in batch]
