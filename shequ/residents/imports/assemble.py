"""New persons' rows as tuples in column order, built straight from checked rows for the bulk insert.

A row starts as a copy of a template (defaults, the import's timestamp, the importing user) and gets each checked
value set by its column's position; no dict per row. Dates, which repeat across the rows of a roster, are adapted
for the database once each.
"""

from __future__ import annotations

from django.db import connection

from shequ.core import phones
from shequ.core.pinyin import name_pinyin
from shequ.residents import idnumbers
from shequ.residents.bulk import PlainRows, person_columns
from shequ.residents.imports.checks import CheckedRow
from shequ.residents.models import Person, compose_address

_PLAIN: list[PlainRows] = []
CACHED = 5_000  # distinct dates (and names) kept: a bound on memory whatever the file's size


def plain_persons() -> PlainRows:
    """The shape of a person row (built once: it reads the model's fields)."""
    if not _PLAIN:
        _PLAIN.append(PlainRows(person_columns()))
    return _PLAIN[0]


class PersonRows:
    """Builds the insert tuples of new persons; one per import (its caches live as long as the import)."""

    def __init__(self, stamp, actor_pk: int | None):
        plain = plain_persons()
        # the ids, taken in advance, go first
        self.fields = [Person._meta.pk, *plain.fields]
        index = {name: i + 1 for name, i in plain.index.items()}
        template = [None, *plain.defaults]
        for i in plain.stamps:
            template[i + 1] = stamp
        template[index["created_by_id"]] = actor_pk
        self.template = template
        self.index = index
        self.date_names = frozenset(plain.names[i] for i in plain.dates)
        self.adapt_date = connection.ops.adapt_datefield_value
        self.dates: dict = {}
        self.readings: dict[str, tuple[str, str]] = {}  # pinyin by name: names repeat in a roster

    def _date(self, value):
        adapted = self.dates.get(value)
        if adapted is None:
            if len(self.dates) >= CACHED:
                self.dates.clear()
            adapted = self.dates[value] = self.adapt_date(value)
        return adapted

    def _pinyin(self, name: str) -> tuple[str, str]:
        reading = self.readings.get(name)
        if reading is None:
            if len(self.readings) >= CACHED:
                self.readings.clear()
            reading = self.readings[name] = name_pinyin(name)
        return reading

    @staticmethod
    def _address(values: dict) -> str:
        get = values.get
        return compose_address(
            estate=get("estate", ""),
            building=get("building", ""),
            unit_no=get("unit_no", ""),
            room=get("room", ""),
            village_group=get("village_group", ""),
            house_no=get("house_no", ""),
            address_line=get("address_line", ""),
        )

    def prepare(self, rows: list[CheckedRow], ciphers: list[str], phone_columns: list[dict[str, str]]) -> None:
        """Fill each row's ``cells``: everything of its tuple but its id and household (``ciphers``: the rows'
        encrypted ID numbers; ``phone_columns``: their phones' stored columns)."""
        index, template, date_names = self.index, self.template, self.date_names
        at = index.get
        i_type, i_cipher, i_hash = index["id_type"], index["id_cipher"], index["id_hash"]
        i_masked, i_tail, i_org = index["id_masked"], index["id_tail"], index["org_id"]
        i_pinyin, i_initials, i_address = index["name_pinyin"], index["name_initials"], index["address"]
        phone_at = [(index[c], c) for c in phones.COLUMNS]
        mask, tail = idnumbers.mask, idnumbers.tail_key
        for r, cipher, phone in zip(rows, ciphers, phone_columns, strict=True):
            row = template.copy()
            values = r.values
            for key, value in values.items():
                i = at(key)
                if i is not None:
                    row[i] = self._date(value) if key in date_names else value
            number = r.ident.number
            row[i_type] = r.ident.id_type
            if number:
                row[i_cipher], row[i_hash], row[i_masked], row[i_tail] = cipher, r.hash, mask(number), tail(number)
            else:
                row[i_cipher] = row[i_hash] = row[i_masked] = row[i_tail] = ""
            for i, column in phone_at:
                row[i] = phone[column]
            row[i_org] = r.org.pk
            row[i_pinyin], row[i_initials] = self._pinyin(values["name"])
            row[i_address] = self._address(values)
            r.cells = row

    def build(self, rows: list[CheckedRow], households: dict[tuple[int, str], int], pks: list[int]) -> list[tuple]:
        """The tuples of ``rows``, prepared (``households``: pks by (org, number); ``pks``: their ids). A row's cells
        are dropped once its tuple is made."""
        i_household = self.index["household_id"]
        out = []
        next_pk = iter(pks).__next__
        for r in rows:
            row = r.cells
            row[0] = next_pk()
            row[i_household] = households.get((r.org.pk, r.household)) if r.household else None
            out.append(tuple(row))
            r.cells = None
        return out
