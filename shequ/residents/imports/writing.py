"""Writing checked rows: existing persons found by keyed hash, rows classified as new, changed or unchanged, and,
once every row passed, households and persons written in bulk from the scratch store in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shequ.audit.services import audit_many, hashed
from shequ.core import crypto, phones
from shequ.core.pinyin import name_pinyin
from shequ.orgs.models import Org
from shequ.residents import identity
from shequ.residents.bulk import BackgroundInserts, PlainRows, insert_statement, insert_tuples
from shequ.residents.imports.assemble import PersonRows
from shequ.residents.imports.checks import ADDRESS_KEYS, CheckedRow, Context, ImportResult
from shequ.residents.imports.headers import HEADERS
from shequ.residents.imports.spill import NEW, UPDATE, Spill
from shequ.residents.models import Household, Person, Relation, compose_address

BATCH = 2000
COMPARED = (
    "name",
    "gender",
    "birth_date",
    "phone",
    "relation",
    "residence_status",
    "ethnicity",
    "education",
    "occupation",
    "notes",
    "moved_in_on",
    "grid_id",
    *ADDRESS_KEYS,
)
CHANGES_SHOWN = 200
LABELS = {**HEADERS, "grid_id": "网格", "household": "户号", "address_line": "详细地址"}


def any_of(column: str, values: list) -> tuple[str, list]:
    """``column`` is one of ``values``, as SQL and parameters: one array parameter on PostgreSQL (binding and
    planning thousands of separate parameters costs more there than the lookup itself), a plain IN list elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def households_named(org_id: int, numbers: list[str], db=connection) -> list[tuple[int, str]]:
    """(pk, number) of the org's households with these numbers, in one indexed query (through ``db``)."""
    where, params = any_of("number", numbers)
    table = connection.ops.quote_name(Household._meta.db_table)
    with db.cursor() as cursor:
        cursor.execute(f"SELECT id, number FROM {table} WHERE org_id = %s AND {where}", [org_id, *params])  # noqa: S608  # nosec B608 - the model's table, placeholders only
        return cursor.fetchall()


def find_existing(
    rows: list[CheckedRow], all_hashes: list[list[str]], db=connection, before_main: Callable[[], None] | None = None
) -> dict[str, dict]:
    """Existing persons by the current-key hash of the rows: which hashes are registered (one indexed query through
    ``db``, no rows built), then the registered persons' values (one query, only when some are, through the main
    connection once ``before_main`` has freed it)."""
    if not rows:
        return {}
    index = {r.hash: r.hash for r in rows}
    for other in all_hashes[1:]:
        for r, h in zip(rows, other, strict=True):
            index[h] = r.hash
    table = connection.ops.quote_name(Person._meta.db_table)
    keys = list(index)
    where, params = any_of("id_hash", keys)
    with db.cursor() as cursor:
        # NOT (id_hash = '') is the partial unique index's condition: without it neither database uses the index
        cursor.execute(f"SELECT id_hash FROM {table} WHERE {where} AND NOT (id_hash = '')", params)  # noqa: S608 - the model's table, placeholders only  # nosec B608
        registered = [h for (h,) in cursor.fetchall()]
    if not registered:
        return {}
    if before_main is not None:
        before_main()
    plain = [k for k in COMPARED if k != "phone"]
    fields = ("pk", "id_hash", "org_id", "org__name", "org__path", "household__number", *plain, *phones.COLUMNS)
    found = Person.objects.filter(id_hash__in=registered).exclude(id_hash="").values(*fields)
    return {index[v["id_hash"]]: v for v in found}


def _phone_seen(r: CheckedRow, current: dict) -> None:
    """The registered number in ``current["phone"]`` for comparing: the row's own when their hashes agree (no
    decryption), else the stored one decrypted (a change, shown to the worker)."""
    if "phone" not in current:
        typed = r.values.get("phone")
        if typed is not None and phones.same_number(typed, current["phone_hash"]):
            current["phone"] = typed
        else:
            current["phone"] = phones.decrypt(current["phone_cipher"])


def classify(ctx: Context, rows: list[CheckedRow], existing: dict[str, dict], result: ImportResult, commit: bool):
    """Sort a batch of checked rows into new, changed, unchanged or refused: the rows for the scratch store (those a
    later step reads), and (for a real import) the new persons' records to write."""
    out, new = [], []
    for r in rows:
        is_head = r.values.get("relation") == Relation.HEAD
        current = existing.get(r.hash)
        if current is None:
            result.added += 1
            if is_head or (r.household and not commit):  # what a later step reads of a new person
                out.append((r.row, NEW, r.org.pk, r.household, is_head, None if commit else _addr(r.values)))
            new.append(r)
            continue
        if current["org_id"] != r.org.pk:
            if any(current["org__path"].startswith(p) for p in ctx.view_paths):
                result.error(r.row, "id_number", f"此人已登记在“{current['org__name']}”,如需迁入请办理迁移。")
            else:
                result.error(r.row, "id_number", "该证件号码已在其他社区登记，不能重复导入。")
            continue
        _phone_seen(r, current)
        changed = {k: v for k, v in r.values.items() if current.get(k) != v and k in COMPARED}
        old = {k: current.get(k) for k in changed}
        if r.household and r.household != (current["household__number"] or ""):
            changed["household"] = r.household
            old["household"] = current["household__number"] or ""
        if not changed:
            result.unchanged += 1
            continue
        result.updated += 1
        if len(result.changes) < CHANGES_SHOWN:
            result.changes.append(
                {
                    "row": r.row,
                    "name": current["name"],
                    "fields": [[LABELS.get(k, k), _shown(old[k]), _shown(v)] for k, v in changed.items()],
                }
            )
        merged = {k: current.get(k) for k in COMPARED}
        merged.update(changed)
        record = {
            "pk": current["pk"],
            "changed": changed,
            "old": old,
            # the stored columns of the number rather than the number: the scratch store holds no plain phone
            "current": {k: current.get(k) for k in (*COMPARED, *phones.COLUMNS) if k != "phone"},
            "merged_addr": _addr(merged),
        }
        out.append((r.row, UPDATE, r.org.pk, r.household or current["household__number"] or "", is_head, record))
    return out, new


def _shown(value) -> str:
    if value is None or value == "":
        return "（空）"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _addr(values: dict) -> dict:
    return {"addr": {k: values.get(k) or "" for k in ADDRESS_KEYS}, "grid_id": values.get("grid_id")}


def _sequence(model, db) -> str:
    """The name of the sequence of ``model``'s id column (PostgreSQL)."""
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        return cursor.fetchone()[0]


def _seed_sqlite_sequence(model) -> None:
    """Make sure ``model``'s table has its row in SQLite's ``sqlite_sequence`` (a table that never had a row has none),
    at least at its highest id."""
    table = model._meta.db_table
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, coalesce(max(id), 0) FROM {quoted} "  # noqa: S608 - the model's table  # nosec B608
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` new ids of ``model``'s table on SQLite: its AUTOINCREMENT counter (``sqlite_sequence``, which SQLite
    never hands out again) moved on by ``count`` in one statement, which also takes the database's write lock, so
    that no other connection can take the same ids before this transaction ends."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq", [count, model._meta.db_table]
        )
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))


def find_households(spill: Spill) -> int:
    """Which households of the file exist already; the number of households the import would add."""
    spill.plan_households()
    for batch in spill.household_keys(BATCH):
        by_org: dict[int, list[str]] = {}
        for org_id, number in batch:
            by_org.setdefault(org_id, []).append(number)
        found = []
        for org_id, numbers in by_org.items():
            for pk, number in households_named(org_id, numbers):
                found.append((pk, org_id, number))
        spill.set_household_pks(found)
    return spill.count_new_households()


class Writer:
    """Writes a real import as its rows are checked, inside the caller's transaction: new households and persons
    batch by batch; once every row passed, the changes of registered persons and the heads of households. Writing
    stops at the first error (the caller then rolls everything back), the checks go on."""

    def __init__(self, actor, org: Org, spill: Spill):
        self.actor, self.org, self.spill = actor, org, spill
        self.now = timezone.now()
        # New persons' and households' ids are taken before they are written, so that a household created with its
        # head's row is written with its head at once (no second write of every household, no reading them back)
        self.stamp = connection.ops.adapt_datetimefield_value(self.now)
        self.rows = PersonRows(self.stamp, actor.pk)
        self.persons = BackgroundInserts(Person, self.rows.fields)
        self.active = True
        self.households_added = 0
        self.household_rows = PlainRows(list(Household._meta.concrete_fields))
        self.household_sql = insert_statement(Household, self.household_rows.fields)
        self.sequences: tuple[str, str] | None = None  # the tables' sequences (PostgreSQL) or counters (SQLite)
        self.new_share = 1.0  # of the last batch's checked rows
        # On PostgreSQL the registry is read and ids are taken through a second connection while the main one writes
        # the previous batch, when the import's transaction is the outermost: what that connection sees (the
        # committed registry) is then all the import's own connection would see besides its own rows, which the
        # scratch store knows. Inside a caller's transaction everything goes through the main connection.
        self.reads_aside = self.persons.threaded and not connection.in_atomic_block
        self.reader = connections.create_connection(DEFAULT_DB_ALIAS) if self.reads_aside else connection

    def households(self, first_of: dict[tuple[int, str], dict]) -> dict[tuple[int, str], int]:
        """Household pks for (org, number) keys: known to the file already, found in the registry, or created
        with the address of their first row (``first_of``: key → that row's address and grid)."""
        pks, new = self._known_households(first_of)
        rows = self._new_households(new, first_of, {}, self._next_ids(0, len(new))[1], pks)
        insert_tuples(Household, self.household_rows.fields, rows)
        return pks

    def _known_households(self, first_of: dict[tuple[int, str], dict]) -> tuple[dict, list[tuple[int, str]]]:
        """The pks of the keys known to the file already or found in the registry (those found are noted in the
        scratch store), and the keys of the households to create."""
        keys = list(first_of)
        pks = self.spill.household_pks(keys)
        missing = [k for k in keys if k not in pks]
        by_org: dict[int, list[str]] = {}
        for org_id, number in missing:
            by_org.setdefault(org_id, []).append(number)
        found = []
        for org_id, numbers in by_org.items():
            for pk, number in households_named(org_id, numbers, self.reader):
                found.append((pk, org_id, number))
                pks[(org_id, number)] = pk
        self.spill.add_households(found)
        return pks, [k for k in missing if k not in pks]

    def _new_households(
        self,
        new: list[tuple[int, str]],
        first_of: dict[tuple[int, str], dict],
        heads: dict[tuple[int, str], int],
        ids: list[int],
        pks: dict[tuple[int, str], int],
    ) -> list[tuple]:
        """The rows to write of the households ``new``, with their first row's address, their head where ``heads``
        (key → the pk of its head's row) names it, and the pks ``ids`` taken in advance; their pks go to ``pks`` and
        the scratch store."""
        if not new:
            return []
        rows = []
        ready, when, actor_pk = self.household_rows.ready, self.stamp, self.actor.pk
        for i, (org_id, number) in enumerate(new):
            address = first_of[(org_id, number)]
            parts = address["addr"]
            record = {
                "org_id": org_id,
                "grid_id": address.get("grid_id"),
                "number": number,
                "head_id": heads.get((org_id, number)),
                "address": compose_address(**parts),
                "created_by_id": actor_pk,
                **parts,
            }
            rows.append(ready(record, when, id=ids[i]))
        self.households_added += len(rows)
        found = [(pk, org_id, number) for pk, (org_id, number) in zip(ids, new, strict=True)]
        for pk, org_id, number in found:
            pks[(org_id, number)] = pk
        self.spill.add_households(found, {k for k in new if k in heads})
        return rows

    def prepare(self, rows: list[CheckedRow]) -> None:
        """Encrypt and assemble the rows' cells (those not done yet)."""
        rows = [r for r in rows if r.cells is None]
        if rows:
            ciphers = crypto.encrypt_many([r.ident.number for r in rows], context=identity.ID_CONTEXT)
            self.rows.prepare(rows, ciphers, phones.columns_many([r.values.get("phone") for r in rows]))

    @property
    def prepares_early(self) -> bool:
        """Whether the next batch's rows should be prepared before the last batch is written: on PostgreSQL (the
        server writes while this process works) while most rows are new (a file read again would waste it)."""
        return self.active and self.persons.threaded and self.new_share >= 0.5

    def add(self, rows: list[CheckedRow], checked: int) -> None:
        """Write new persons (and their new households); ``checked``: the batch's checked rows, new or not."""
        self.new_share = len(rows) / checked if checked else 1.0
        if not self.active or not rows:
            return
        first_of: dict[tuple[int, str], dict] = {}
        for r in rows:
            if r.household and (r.org.pk, r.household) not in first_of:
                first_of[(r.org.pk, r.household)] = _addr(r.values)
        self.prepare(rows)
        if not self.reads_aside:
            self.persons.wait()  # the main connection is free for the reads
        pks, new = self._known_households(first_of) if first_of else ({}, [])
        heads: dict[tuple[int, str], int] = {}
        ids, household_ids = self._next_ids(len(rows), len(new))
        for r, pk in zip(rows, ids, strict=True):
            if r.household and r.values.get("relation") == Relation.HEAD:
                heads.setdefault((r.org.pk, r.household), pk)
        households = self._new_households(new, first_of, heads, household_ids, pks)
        # the batch's new households, then its persons, on the writer's next turn
        self.persons.add(self.rows.build(rows, pks, ids), (self.household_sql, households))

    def _next_ids(self, persons: int, households: int) -> tuple[list[int], list[int]]:
        """New ids for the person and household tables, in ascending order (file order)."""
        if connection.vendor != "postgresql":
            if self.sequences is None:
                _seed_sqlite_sequence(Person)
                _seed_sqlite_sequence(Household)
                self.sequences = (Person._meta.db_table, Household._meta.db_table)
            return _reserve_ids(Person, persons), _reserve_ids(Household, households)
        if self.sequences is None:
            self.sequences = (_sequence(Person, self.reader), _sequence(Household, self.reader))
        with self.reader.cursor() as cursor:  # a sequence hands out the same ids to any connection
            cursor.execute(
                "SELECT (SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)), "
                "(SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s))",
                [self.sequences[0], persons, self.sequences[1], households],
            )
            person_ids, household_ids = cursor.fetchone()
        return sorted(person_ids or []), sorted(household_ids or [])

    def wait(self) -> None:
        """Until the persons added so far are written (before the connection is used for anything else)."""
        self.persons.wait()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        self.persons.close()
        if self.reads_aside:
            self.reader.close()

    def finish(self, progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
        """The changes of registered persons, then the heads of the households of the file."""
        self.persons.wait()
        for batch in self.spill.update_households(BATCH):
            self.households({(org_id, number): data["merged_addr"] for org_id, number, data in batch})
        now = timezone.now()
        for batch in self.spill.rows_of(UPDATE, 500):
            _write_updates(self.actor, self.org, batch, now)
            done += len(batch)
            if progress:
                progress(done, total)
        head_of = (
            Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).order_by("pk").values("pk")[:1]
        )
        for pks in self.spill.head_households(1000):
            Household.objects.filter(pk__in=pks).update(head=Subquery(head_of))


def _write_updates(actor, org: Org, batch: list, now) -> None:
    """One bulk update over the union of the changed fields; each object carries current values for the fields it
    does not change. Each person's change goes to the audit log as one row: the fields, with keyed hashes of the
    old and new values (the log keeps no personal data)."""
    fields: set[str] = set()
    for _row, _pk, record in batch:
        fields.update(record["changed"])
    plain = fields - {"household", "phone"}
    touch_address = bool(fields & set(ADDRESS_KEYS))
    new_phones = [record["changed"]["phone"] for _r, _p, record in batch if "phone" in record["changed"]]
    phone_columns = iter(phones.columns_many(new_phones))
    objs, history = [], []
    for _row, household_pk, record in batch:
        changed, merged_addr = record["changed"], record["merged_addr"]
        person = Person(pk=record["pk"], updated_at=now)
        for key in plain:
            setattr(person, key, changed[key] if key in changed else record["current"].get(key))
        if "phone" in fields:
            stored = next(phone_columns) if "phone" in changed else record["current"]
            for key in phones.COLUMNS:
                setattr(person, key, stored[key])
        if "household" in fields:
            person.household_id = household_pk
        if "name" in fields:
            person.name_pinyin, person.name_initials = name_pinyin(person.name)
        if touch_address:
            for key, value in merged_addr["addr"].items():
                setattr(person, key, value or "")
            person.address = compose_address(**merged_addr["addr"])
        objs.append(person)
        detail = {"changes": {k: [hashed(_json(record["old"].get(k))), hashed(_json(v))] for k, v in changed.items()}}
        history.append((record["pk"], detail))
    names = {*plain, "updated_at"}
    if "phone" in fields:
        names.update(phones.COLUMNS)
    if "household" in fields:
        names.add("household")
    if "name" in fields:
        names.update({"name_pinyin", "name_initials"})
    if touch_address:
        names.update({*ADDRESS_KEYS, "address"})
    Person.objects.bulk_update(objs, sorted(names), batch_size=500)
    audit_many(actor, "person.import_update", Person, history, org=org)


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
