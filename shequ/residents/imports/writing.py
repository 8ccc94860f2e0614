"""Writing checked rows: existing persons found by keyed hash, rows classified as new, changed or unchanged,
households planned, and everything written in bulk."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shequ.core import crypto
from shequ.orgs.models import Org
from shequ.residents import identity
from shequ.residents.bulk import insert_rows, person_columns
from shequ.residents.imports.checks import CheckedRow, Context, ImportResult
from shequ.residents.models import Household, Person, Relation, compose_address
from shequ.residents.pinyin import name_pinyin

BATCH = 2000
ADDRESS_KEYS = ("estate", "building", "unit_no", "room", "village_group", "house_no")
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
    *ADDRESS_KEYS,
)


def chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def find_existing(rows: list[CheckedRow], all_hashes: list[list[str]], checked: list[CheckedRow]) -> dict[str, dict]:
    """Existing persons by current-key hash of the rows, in one query per batch."""
    if not rows:
        return {}
    index = {r.hash: r.hash for r in rows}
    if len(all_hashes) > 1:
        for other in all_hashes[1:]:
            for r, h in zip(checked, other, strict=True):
                if r.hash in index:
                    index[h] = r.hash
    found: dict[str, dict] = {}
    keys = list(index)
    fields = ("pk", "id_hash", "org_id", "org__name", "org__path", "grid_id", "household__number", *COMPARED)
    for chunk in chunks(keys):
        for values in Person.objects.filter(id_hash__in=chunk).values(*fields):
            found[index[values["id_hash"]]] = values
    return found


def classify(ctx: Context, rows: list[CheckedRow], existing: dict[str, dict], result: ImportResult):
    new_rows: list[CheckedRow] = []
    updates: list[tuple[CheckedRow, dict, dict]] = []  # (row, current values, changed fields)
    for r in rows:
        current = existing.get(r.hash)
        if current is None:
            new_rows.append(r)
            continue
        if current["org_id"] != r.org.pk:
            if any(current["org__path"].startswith(p) for p in ctx.view_paths):
                result.error(r.row, "id_number", f"此人已登记在“{current['org__name']}”,如需迁入请办理迁移。")
            else:
                result.error(r.row, "id_number", "该证件号码已在其他社区登记,不能重复导入。")
            continue
        changed = {k: v for k, v in r.values.items() if current.get(k) != v}
        if r.household and r.household != (current["household__number"] or ""):
            changed["household"] = r.household
        if changed:
            updates.append((r, current, changed))
        else:
            result.unchanged += 1
    return new_rows, updates


def plan_households(new_rows: list[CheckedRow], updates: list, result: ImportResult) -> dict:
    wanted: dict[tuple[int, str], CheckedRow] = {}
    heads: dict[tuple[int, str], int] = {}
    for r in [*new_rows, *(u[0] for u in updates)]:
        if not r.household:
            continue
        key = (r.org.pk, r.household)
        wanted.setdefault(key, r)
        if r.values.get("relation") == Relation.HEAD:
            if key in heads:
                result.error(r.row, "relation", f"户号“{r.household}”已在第{heads[key]}行填写了户主。")
            heads[key] = r.row
    found: dict[tuple[int, str], int] = {}
    by_org: dict[int, list[str]] = {}
    for org_id, number in wanted:
        by_org.setdefault(org_id, []).append(number)
    for org_id, numbers in by_org.items():
        for chunk in chunks(numbers):
            for pk, number in Household.objects.filter(org_id=org_id, number__in=chunk).values_list("pk", "number"):
                found[(org_id, number)] = pk
    new = {key: r for key, r in wanted.items() if key not in found}
    return {"found": found, "new": new, "with_head": set(heads)}


def write(actor, org: Org, new_rows: list[CheckedRow], updates: list, households: dict) -> None:
    now = timezone.now()
    hh_ids: dict[tuple[int, str], int] = dict(households["found"])
    new_households = []
    for (org_id, number), r in households["new"].items():
        address = {k: r.values.get(k, "") for k in ADDRESS_KEYS}
        new_households.append(
            Household(
                org_id=org_id,
                grid_id=r.values.get("grid_id"),
                number=number,
                address=compose_address(**address),
                created_by=actor,
                **address,
            )
        )
    for hh in Household.objects.bulk_create(new_households, batch_size=1000):
        hh_ids[(hh.org_id, hh.number)] = hh.pk

    columns = person_columns()
    for chunk in chunks(new_rows):
        ciphers = crypto.encrypt_many([r.ident.number for r in chunk], context=identity.ID_CONTEXT)
        records = []
        for r, cipher in zip(chunk, ciphers, strict=True):
            v = r.values
            py, ini = name_pinyin(v["name"])
            record = {
                **v,
                **r.ident.columns(cipher=cipher, hash_=r.hash),
                "org_id": r.org.pk,
                "household_id": hh_ids.get((r.org.pk, r.household)) if r.household else None,
                "name_pinyin": py,
                "name_initials": ini,
                "address": compose_address(**{k: v.get(k, "") for k in ADDRESS_KEYS}),
                "created_by_id": actor.pk,
                "created_at": now,
                "updated_at": now,
            }
            records.append(record)
        insert_rows(Person, columns, records)

    if updates:
        _write_updates(updates, hh_ids, now)

    head_households = [hh_ids[key] for key in households["with_head"] if key in hh_ids]
    head_of = Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).order_by("pk").values("pk")[:1]
    for chunk in chunks(head_households, 1000):
        Household.objects.filter(pk__in=chunk).update(head=Subquery(head_of))


def _write_updates(updates: list, hh_ids: dict, now) -> None:
    """One bulk update over the union of the changed fields; each object carries current values
    for the fields it does not change."""
    fields: set[str] = set()
    for _r, _current, changed in updates:
        fields.update(changed)
    plain = fields - {"household"}
    touch_name = "name" in fields
    touch_address = bool(fields & set(ADDRESS_KEYS))
    objs = []
    for r, current, changed in updates:
        merged = {k: current.get(k) for k in (*COMPARED, "grid_id")}
        merged.update({k: v for k, v in changed.items() if k != "household"})
        person = Person(pk=current["pk"], updated_at=now)
        for key in plain:
            setattr(person, key, merged[key])
        if "household" in fields:
            number = changed.get("household") or current["household__number"] or ""
            person.household_id = hh_ids.get((r.org.pk, number)) if number else None
        if touch_name:
            person.name_pinyin, person.name_initials = name_pinyin(merged["name"])
        if touch_address:
            for key in ADDRESS_KEYS:
                setattr(person, key, merged[key] or "")
            person.address = compose_address(**{k: merged[k] or "" for k in ADDRESS_KEYS})
        objs.append(person)
    names = {*plain, "updated_at"}
    if "household" in fields:
        names.add("household")
    if touch_name:
        names.update({"name_pinyin", "name_initials"})
    if touch_address:
        names.update({*ADDRESS_KEYS, "address"})
    Person.objects.bulk_update(objs, sorted(names), batch_size=500)
