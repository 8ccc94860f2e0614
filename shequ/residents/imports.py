"""Import of persons and households from xlsx or csv with Chinese column headers.

One pass checks every row (a dry run reports every problem by row and column, and how many rows
would be added, updated or left unchanged); the real import writes everything in one transaction
or nothing. Rows are keyed by the ID number's keyed hash, so importing the same file again adds
nothing. The work is done in bulk: one query per 2,000 rows to find existing persons, batched
hashing and encryption, bulk inserts and updates — no query per row.

Blank cells leave an existing person's value as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import crypto
from shequ.orgs.models import Org, OrgKind
from shequ.residents import identity, idnumbers
from shequ.residents.bulk import insert_rows, person_columns, refresh_statistics
from shequ.residents.models import (
    Education,
    Household,
    IdType,
    Person,
    Relation,
    ResidenceStatus,
    compose_address,
)
from shequ.residents.pinyin import name_pinyin

BATCH = 2000
MAX_ROWS = 1_000_000
MAX_ERRORS = 5000
ANALYZE_AFTER = 10_000  # rows written: refresh the planner's statistics
ADDRESS_KEYS = ("estate", "building", "unit_no", "room", "village_group", "house_no")


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    text: bool = False  # the template formats this column as text


COLUMNS: list[Col] = [
    Col("姓名", "name", True),
    Col("证件类型", "id_type", help="居民身份证(默认)、港澳台居民居住证、护照、其他"),
    Col("证件号码", "id_number", True, ("身份证号码", "身份证号", "公民身份号码"), "18位身份证号码;请用文本格式", True),
    Col("性别", "gender", help="男/女;身份证号码可推出,可不填"),
    Col("出生日期", "birth_date", help="如 1980-01-31;身份证号码可推出,可不填"),
    Col("联系电话", "phone", aliases=("电话", "手机", "手机号"), text=True),
    Col("社区", "org", aliases=("社区/村", "村/社区", "所属社区"), help="导入到街道以上时必填"),
    Col("网格", "grid", aliases=("所属网格", "村民小组/网格")),
    Col("户号", "household", text=True),
    Col("与户主关系", "relation", help="户主、配偶、子女、父母……"),
    Col("小区", "estate"),
    Col("楼栋", "building", text=True),
    Col("单元", "unit_no", text=True),
    Col("房号", "room", text=True),
    Col("村民小组", "village_group"),
    Col("门牌", "house_no", aliases=("门牌号",), text=True),
    Col("居住状态", "residence_status", help="户籍、常住、流动、寄住"),
    Col("民族", "ethnicity"),
    Col("文化程度", "education", help="未上学、小学、初中、高中/中专、大专、本科、研究生"),
    Col("职业", "occupation"),
    Col("迁入日期", "moved_in_on"),
    Col("备注", "notes"),
]
HEADERS = {c.key: c.header for c in COLUMNS}
_HEADER_KEYS = {name: c.key for c in COLUMNS for name in (c.header, *c.aliases)}


def _labels(choices, extra: dict | None = None) -> dict[str, str]:
    out = {label: value for value, label in choices}
    out.update({value: value for value, _ in choices})
    out.update(extra or {})
    return out


ID_TYPES = _labels(IdType.choices, {"身份证": IdType.RESIDENT, "居住证": IdType.HMT})
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"}
RELATIONS = _labels(Relation.choices, {"本人": Relation.HEAD, "妻": Relation.SPOUSE, "夫": Relation.SPOUSE})
for _k, _v in {
    "子": "child",
    "女": "child",
    "儿子": "child",
    "女儿": "child",
    "父亲": "parent",
    "母亲": "parent",
}.items():
    RELATIONS[_k] = _v
STATUSES = _labels(ResidenceStatus.choices, {"户籍人口": "huji", "常住人口": "changzhu", "流动人口": "liudong"})
EDUCATIONS = _labels(
    Education.choices, {"高中": "senior", "中专": "senior", "大学本科": "bachelor", "硕士": "postgrad"}
)
CHOICE_MAPS = {
    "id_type": ID_TYPES,
    "gender": GENDERS,
    "relation": RELATIONS,
    "residence_status": STATUSES,
    "education": EDUCATIONS,
}
MAX_LEN = {f.name: f.max_length for f in Person._meta.get_fields() if getattr(f, "max_length", None)}
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


class ImportFileError(Exception):
    """The file cannot be read as a table of persons (wrong type, no header row …)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    total: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    households_added: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    committed: bool = False
    ignored_headers: list[str] = field(default_factory=list)

    def error(self, row: int, key_or_header: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, HEADERS.get(key_or_header, key_or_header), message))

    @property
    def ok(self) -> bool:
        return self.error_count == 0


# --- reading -------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[list]:
    """The first sheet of an xlsx/xls/ods file (python-calamine) or a csv file (UTF-8 or GB18030)."""
    name = filename.lower()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return list(csv.reader(io.StringIO(text)))
        raise ImportFileError("无法识别CSV文件的编码,请另存为UTF-8编码的CSV或xlsx文件。")
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, OSError) as exc:
            raise ImportFileError("无法读取此Excel文件,请确认文件未损坏且未加密。") from exc
    raise ImportFileError("只能导入 xlsx、xls 或 csv 文件。")


def locate_header(rows: Sequence[Sequence]) -> tuple[int, dict[int, str], list[str]]:
    """Find the header row among the first ten (a template may carry a title above it)."""
    for index, row in enumerate(rows[:10]):
        cells = [_text(v) for v in row]
        if "姓名" in cells:
            mapping: dict[int, str] = {}
            ignored = []
            for col, header in enumerate(cells):
                key = _HEADER_KEYS.get(header.replace("*", "").strip())
                if key and key not in mapping.values():
                    mapping[col] = key
                elif header:
                    ignored.append(header)
            missing = [c.header for c in COLUMNS if c.required and c.key not in mapping.values()]
            if missing:
                raise ImportFileError(f"表头缺少必填列:{'、'.join(missing)}。请使用下载的导入模板。")
            return index, mapping, ignored
    raise ImportFileError("没有找到表头行(应有“姓名”“证件号码”等列)。请使用下载的导入模板。")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for sep in ("年", "月", "/", "."):
        text = text.replace(sep, "-")
    text = text.replace("日", "").strip("-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError):
        raise ValueError(f"“{_text(value)}”不是有效日期,请写成 1980-01-31 的形式。") from None


# --- checking ------------------------------------------------------------------------------


@dataclass
class _Row:
    row: int
    org: Org
    ident: identity.Identity
    values: dict  # provided (non-blank) Person fields, grid as grid_id
    household: str
    hash: str = ""


class _Context:
    """What the checks need, loaded once: the target communities and their grids."""

    def __init__(self, actor, org: Org):
        self.actor = actor
        self.org = org
        allowed = access.org_scope(actor, Perm.EDIT_RESIDENTS).filter(kind=OrgKind.COMMUNITY, is_active=True)
        importable = set(access.org_scope(actor, Perm.IMPORT_DATA).values_list("pk", flat=True))
        allowed = list(allowed.filter(pk__in=importable).filter(path__startswith=org.path))
        self.communities = {o.pk: o for o in allowed}
        self.by_name: dict[str, Org] = {}
        for o in allowed:
            self.by_name.setdefault(o.name, o)
        self.grids = {
            (g.parent_id, g.name): g.pk
            for g in Org.objects.filter(kind=OrgKind.GRID, parent_id__in=list(self.communities)).only("pk", "name")
        }
        self.view_paths = access.scope_paths(actor, Perm.VIEW)


def _check_row(ctx: _Context, row_no: int, raw: dict, result: ImportResult) -> _Row | None:
    errors_before = result.error_count
    values: dict = {}
    for key, value in raw.items():
        if key in ("id_number", "org", "grid", "household", "id_type"):
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key in ("birth_date", "moved_in_on"):
            try:
                values[key] = _date(value)
            except ValueError as exc:
                result.error(row_no, key, str(exc))
            continue
        text = _text(value)
        if key in CHOICE_MAPS:
            mapped = CHOICE_MAPS[key].get(text)
            if mapped is None:
                options = "、".join(label for label in dict.fromkeys(CHOICE_MAPS[key]) if not label.isascii())
                result.error(row_no, key, f"“{text}”不是可选的值(可选:{options})。")
                continue
            values[key] = mapped
            continue
        if len(text) > MAX_LEN.get(key, 10_000):
            result.error(row_no, key, f"不能超过{MAX_LEN[key]}个字(现在{len(text)}个)。")
            continue
        values[key] = text
    if "name" not in values:
        result.error(row_no, "name", "请填写姓名。")
    if "phone" in values and not (values["phone"].replace("-", "").isdigit() and 7 <= len(values["phone"]) <= 20):
        result.error(row_no, "phone", f"“{values['phone']}”不是有效的电话号码。")

    org = ctx.org if ctx.org.pk in ctx.communities else None
    org_name = _text(raw.get("org"))
    if org_name:
        org = ctx.by_name.get(org_name)
        if org is None:
            result.error(row_no, "org", f"“{org_name}”不是您可以导入的社区/村。")
    elif org is None:
        result.error(row_no, "org", "导入到街道以上时,每行都要填写社区。")

    grid_name = _text(raw.get("grid"))
    if grid_name and org is not None:
        grid_id = ctx.grids.get((org.pk, grid_name))
        if grid_id is None:
            result.error(row_no, "grid", f"{org.name}没有名为“{grid_name}”的网格。")
        else:
            values["grid_id"] = grid_id

    raw_id = raw.get("id_number")
    ident = None
    if isinstance(raw_id, (int, float)) and abs(raw_id) >= 1e15:
        result.error(row_no, "id_number", "证件号码被Excel存成了数字,末几位已丢失;请把该列设为“文本”格式后重新填写。")
    else:
        id_type = values.pop("id_type", None) or ID_TYPES.get(_text(raw.get("id_type")), None)
        if raw.get("id_type") and id_type is None:
            result.error(row_no, "id_type", f"“{_text(raw.get('id_type'))}”不是可选的证件类型。")
        else:
            try:
                ident = identity.resolve(
                    id_type=id_type or IdType.RESIDENT,
                    raw_number=_text(raw_id),
                    gender=values.get("gender", ""),
                    birth_date=values.get("birth_date"),
                    required=True,
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        result.error(row_no, key, message)
    household = _text(raw.get("household"))
    if len(household) > 40:
        result.error(row_no, "household", "户号不能超过40个字。")
    if values.get("relation") and not household:
        result.error(row_no, "relation", "填写了与户主关系,但没有填写户号。")
    if result.error_count > errors_before or ident is None or org is None:
        return None
    values["gender"], values["birth_date"] = ident.gender or values.get("gender", ""), ident.birth_date
    if not values["gender"]:
        values.pop("gender")
    if values["birth_date"] is None:
        values.pop("birth_date")
    return _Row(row=row_no, org=org, ident=ident, values=values, household=household)


def _chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
    ctx = _Context(actor, org)
    if not ctx.communities:
        raise ImportFileError(f"您不能向“{org.name}”及其下级社区导入居民。")

    checked: list[_Row] = []
    items = list(mapping.items())
    first_data_row = header_index + 2  # spreadsheet row numbers start at 1
    for offset, cells in enumerate(data):
        if not any(v not in (None, "") for v in cells):
            continue
        result.total += 1
        raw = {key: (cells[col] if col < len(cells) else None) for col, key in items}
        row = _check_row(ctx, first_data_row + offset, raw, result)
        if row is not None:
            checked.append(row)
        if progress and result.total % BATCH == 0:
            progress(result.total, len(data))

    # Keys: the hash under every configured key, so a rotation under way still finds everyone.
    inputs = [identity.hash_input(r.ident.id_type, r.ident.number) for r in checked]
    all_hashes = crypto.keyed_hash_many_all_keys(inputs, context=identity.ID_CONTEXT)
    seen: dict[str, int] = {}
    unique_rows: list[_Row] = []
    for r, h in zip(checked, all_hashes[0], strict=True):
        r.hash = h
        if h in seen:
            result.error(r.row, "id_number", f"与第{seen[h]}行的证件号码相同。")
            continue
        seen[h] = r.row
        unique_rows.append(r)

    existing = _existing(unique_rows, all_hashes, checked)
    new_rows, updates = _classify(ctx, unique_rows, existing, result)
    households = _plan_households(new_rows, updates, result)
    if progress:
        progress(len(data), len(data))
    result.added = len(new_rows)
    result.updated = len(updates)
    result.households_added = len(households["new"])
    if not commit or not result.ok:
        return result
    try:
        with transaction.atomic():
            _write(actor, org, new_rows, updates, households)
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


def _existing(rows: list[_Row], all_hashes: list[list[str]], checked: list[_Row]) -> dict[str, dict]:
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
    for chunk in _chunks(keys):
        for values in Person.objects.filter(id_hash__in=chunk).values(*fields):
            found[index[values["id_hash"]]] = values
    return found


def _classify(ctx: _Context, rows: list[_Row], existing: dict[str, dict], result: ImportResult):
    new_rows: list[_Row] = []
    updates: list[tuple[_Row, dict, dict]] = []  # (row, current values, changed fields)
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


def _plan_households(new_rows: list[_Row], updates: list, result: ImportResult) -> dict:
    wanted: dict[tuple[int, str], _Row] = {}
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
        for chunk in _chunks(numbers):
            for pk, number in Household.objects.filter(org_id=org_id, number__in=chunk).values_list("pk", "number"):
                found[(org_id, number)] = pk
    new = {key: r for key, r in wanted.items() if key not in found}
    return {"found": found, "new": new, "with_head": set(heads)}


def _write(actor, org: Org, new_rows: list[_Row], updates: list, households: dict) -> None:
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
    for chunk in _chunks(new_rows):
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
    for chunk in _chunks(head_households, 1000):
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


TEMPLATE_EXAMPLES = [
    {
        "name": "张三",
        "id_type": "居民身份证",
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "household": "A-001",
        "relation": "户主",
        "estate": "幸福家园",
        "building": "3",
        "unit_no": "2",
        "room": "301",
        "residence_status": "户籍",
        "ethnicity": "汉族",
        "education": "高中/中专",
        "occupation": "退(离)休人员",
    },
    {
        "name": "李四",
        "id_type": "居民身份证",
        "id_number": idnumbers.make_resident_id("110105", date(1952, 3, 8), 37),
        "household": "A-001",
        "relation": "配偶",
        "estate": "幸福家园",
        "building": "3",
        "unit_no": "2",
        "room": "301",
        "residence_status": "户籍",
        "ethnicity": "汉族",
        "education": "初中",
    },
]


def template_rows() -> list[list[str]]:
    """Two example rows for the downloadable template, in column order."""
    return [[example.get(c.key, "") for c in COLUMNS] for example in TEMPLATE_EXAMPLES]
