"""Writing checked rows: existing persons found by keyed hash, rows classified as new, changed or unchanged, and,
once every row passed, households and persons written in bulk from the scratch store in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shequ.audit.services import audit_many
from shequ.core import crypto
from shequ.orgs.models import Org
from shequ.residents import identity
from shequ.residents.bulk import PlainRows, insert_rows, insert_tuples, person_columns
from shequ.residents.imports.checks import ADDRESS_KEYS, CheckedRow, Context, ImportResult
from shequ.residents.imports.headers import HEADERS
from shequ.residents.imports.spill import NEW, REFUSED, UNCHANGED, UPDATE, Spill
from shequ.residents.models import Household, Person, Relation, compose_address
from shequ.residents.pinyin import name_pinyin

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
_PLAIN: list[PlainRows] = []


def plain_persons() -> PlainRows:
    """The shape of a person row as kept in the scratch store (built once: it reads the model's fields)."""
    if not _PLAIN:
        _PLAIN.append(PlainRows(person_columns()))
    return _PLAIN[0]


def chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def find_existing(rows: list[CheckedRow], all_hashes: list[list[str]]) -> dict[str, dict]:
    """Existing persons by the current-key hash of the rows, in one query (a batch of rows)."""
    if not rows:
        return {}
    index = {r.hash: r.hash for r in rows}
    for other in all_hashes[1:]:
        for r, h in zip(rows, other, strict=True):
            index[h] = r.hash
    fields = ("pk", "id_hash", "org_id", "org__name", "org__path", "household__number", *COMPARED)
    return {index[v["id_hash"]]: v for v in Person.objects.filter(id_hash__in=list(index)).values(*fields)}


def classify(ctx: Context, rows: list[CheckedRow], existing: dict[str, dict], result: ImportResult, commit: bool):
    """Put a batch of checked rows into the scratch store as new, changed, unchanged or refused."""
    out = []
    new_rows = [r for r in rows if r.hash not in existing]
    ciphers = crypto.encrypt_many([r.ident.number for r in new_rows], context=identity.ID_CONTEXT) if commit else []
    cipher_of = dict(zip((r.row for r in new_rows), ciphers, strict=False))
    plain = plain_persons()
    for r in rows:
        is_head = r.values.get("relation") == Relation.HEAD
        current = existing.get(r.hash)
        if current is None:
            result.added += 1
            out.append(
                (
                    r.row,
                    NEW,
                    r.org.pk,
                    r.household,
                    is_head,
                    plain.make(_new_record(r, cipher_of[r.row])) if commit else _addr(r.values),
                )
            )
            continue
        if current["org_id"] != r.org.pk:
            if any(current["org__path"].startswith(p) for p in ctx.view_paths):
                result.error(r.row, "id_number", f"此人已登记在“{current['org__name']}”,如需迁入请办理迁移。")
            else:
                result.error(r.row, "id_number", "该证件号码已在其他社区登记,不能重复导入。")
            out.append((r.row, REFUSED, r.org.pk, "", False, None))
            continue
        changed = {k: v for k, v in r.values.items() if current.get(k) != v and k in COMPARED}
        old = {k: current.get(k) for k in changed}
        if r.household and r.household != (current["household__number"] or ""):
            changed["household"] = r.household
            old["household"] = current["household__number"] or ""
        if not changed:
            result.unchanged += 1
            out.append((r.row, UNCHANGED, r.org.pk, "", False, None))
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
            "current": {k: current.get(k) for k in COMPARED},
            "merged_addr": _addr(merged),
        }
        out.append((r.row, UPDATE, r.org.pk, r.household or current["household__number"] or "", is_head, record))
    return out


def _shown(value) -> str:
    if value is None or value == "":
        return "(空)"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _addr(values: dict) -> dict:
    return {"addr": {k: values.get(k) or "" for k in ADDRESS_KEYS}, "grid_id": values.get("grid_id")}


def _new_record(r: CheckedRow, cipher: str) -> dict:
    v = r.values
    py, ini = name_pinyin(v["name"])
    return {
        **v,
        **r.ident.columns(cipher=cipher, hash_=r.hash),
        "org_id": r.org.pk,
        "name_pinyin": py,
        "name_initials": ini,
        "address": compose_address(**{k: v.get(k, "") for k in ADDRESS_KEYS}),
    }


def find_households(spill: Spill) -> int:
    """Which households of the file exist already; the number of households the import would add."""
    spill.plan_households()
    for batch in spill.household_keys(BATCH):
        by_org: dict[int, list[str]] = {}
        for org_id, number in batch:
            by_org.setdefault(org_id, []).append(number)
        found = []
        for org_id, numbers in by_org.items():
            for pk, number in Household.objects.filter(org_id=org_id, number__in=numbers).values_list("pk", "number"):
                found.append((pk, org_id, number))
        spill.set_household_pks(found)
    return spill.count_new_households()


def write(actor, org: Org, spill: Spill, result: ImportResult, progress: Callable[[int, int], None] | None) -> None:
    """Write households, new persons and changes from the scratch store (inside the caller's transaction)."""
    now = timezone.now()
    total = result.added + result.updated + result.households_added
    done = 0
    plain = plain_persons()
    household_columns = [f for f in Household._meta.concrete_fields if not f.primary_key]
    for batch in spill.new_households(BATCH):
        records, by_org = [], {}
        for org_id, number, data in batch:
            if isinstance(data, tuple):  # a new person's row
                address = {
                    "addr": {k: data[plain.index[k]] for k in ADDRESS_KEYS},
                    "grid_id": data[plain.index["grid_id"]],
                }
            else:
                address = data.get("merged_addr") or data
            parts = address["addr"]
            records.append(
                {
                    "org_id": org_id,
                    "grid_id": address.get("grid_id"),
                    "number": number,
                    "address": compose_address(**parts),
                    "created_by_id": actor.pk,
                    "created_at": now,
                    "updated_at": now,
                    **parts,
                }
            )
            by_org.setdefault(org_id, []).append(number)
        insert_rows(Household, household_columns, records)
        for org_id, numbers in by_org.items():
            found = Household.objects.filter(org_id=org_id, number__in=numbers).values_list("pk", "number")
            spill.set_household_pks([(pk, org_id, number) for pk, number in found])
        done += len(records)
        if progress:
            progress(done, total)

    stamp = connection.ops.adapt_datetimefield_value(now)
    for batch in spill.rows_of(NEW, BATCH):
        rows = [plain.finish(t, stamp, household_id=pk, created_by_id=actor.pk) for _row, pk, t in batch]
        insert_tuples(Person, plain.fields, rows)
        done += len(rows)
        if progress:
            progress(done, total)

    for batch in spill.rows_of(UPDATE, 500):
        _write_updates(actor, org, batch, now)
        done += len(batch)
        if progress:
            progress(done, total)

    head_of = Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).order_by("pk").values("pk")[:1]
    for pks in spill.head_households(1000):
        Household.objects.filter(pk__in=pks).update(head=Subquery(head_of))


def _write_updates(actor, org: Org, batch: list, now) -> None:
    """One bulk update over the union of the changed fields; each object carries current values for the fields it
    does not change. The old values go to the audit log, one row per person."""
    fields: set[str] = set()
    for _row, _pk, record in batch:
        fields.update(record["changed"])
    plain = fields - {"household"}
    touch_address = bool(fields & set(ADDRESS_KEYS))
    objs, history = [], []
    for _row, household_pk, record in batch:
        changed, merged_addr = record["changed"], record["merged_addr"]
        person = Person(pk=record["pk"], updated_at=now)
        for key in plain:
            setattr(person, key, changed[key] if key in changed else record["current"].get(key))
        if "household" in fields:
            person.household_id = household_pk
        if "name" in fields:
            person.name_pinyin, person.name_initials = name_pinyin(person.name)
        if touch_address:
            for key, value in merged_addr["addr"].items():
                setattr(person, key, value or "")
            person.address = compose_address(**merged_addr["addr"])
        objs.append(person)
        detail = {"changes": {k: [_json(record["old"].get(k)), _json(v)] for k, v in changed.items()}}
        history.append((record["pk"], changed.get("name") or record["current"]["name"], detail))
    names = {*plain, "updated_at"}
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
