"""Row checks: every cell of every row checked against the registry's rules, with every problem reported by
row and column in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Org, OrgKind
from shequ.residents import identity
from shequ.residents.imports.headers import HEADERS, NOTES
from shequ.residents.imports.reading import cell_text
from shequ.residents.imports.values import id_text, parse_address, parse_date, parse_phones, parse_relation
from shequ.residents.models import Education, IdType, Person, ResidenceStatus

MAX_ERRORS = 5000


def _labels(choices, extra: dict | None = None) -> dict[str, str]:
    out = {label: value for value, label in choices}
    out.update({value: value for value, _ in choices})
    out.update(extra or {})
    return out


ID_TYPES = _labels(
    IdType.choices,
    {"身份证": IdType.RESIDENT, "居住证": IdType.HMT, "港澳台居住证": IdType.HMT, "二代身份证": IdType.RESIDENT},
)
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F", "1": "M", "2": "F"}
STATUSES = _labels(
    ResidenceStatus.choices,
    {
        "户籍人口": "huji",
        "常住人口": "changzhu",
        "流动人口": "liudong",
        "寄住人口": "jizhu",
        "本地": "huji",
        "外来": "liudong",
    },
)
EDUCATIONS = _labels(
    Education.choices,
    {
        "高中": "senior",
        "中专": "senior",
        "职高": "senior",
        "技校": "senior",
        "大学本科": "bachelor",
        "大学专科": "college",
        "专科": "college",
        "硕士": "postgrad",
        "博士": "postgrad",
        "研究生及以上": "postgrad",
        "文盲": "none",
        "半文盲": "none",
        "无": "none",
    },
)
CHOICE_MAPS = {
    "gender": GENDERS,
    "residence_status": STATUSES,
    "education": EDUCATIONS,
}
MAX_LEN = {f.name: f.max_length for f in Person._meta.get_fields() if getattr(f, "max_length", None)}
DATE_KEYS = ("birth_date", "moved_in_on")
ADDRESS_KEYS = ("estate", "building", "unit_no", "room", "village_group", "house_no", "address_line")
SPECIAL_KEYS = {"id_number", "org", "grid", "household", "id_type", "relation", "phone", "address_line", NOTES}
_SPECIAL, _DATE = object(), object()
# What a column's cell is, by key, for the loop over a row's cells: checked on its own (special), a date, one of the
# choices (its labels), or else a text of at most this many characters.
KINDS: dict[str, object] = {
    **MAX_LEN,
    **CHOICE_MAPS,
    **dict.fromkeys(DATE_KEYS, _DATE),
    **dict.fromkeys(SPECIAL_KEYS, _SPECIAL),
}


@dataclass
class RowError:
    row: int
    column: str
    message: str
    col: int | None = None  # the column's index in the file, to mark the cell

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "col": self.col}


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
    skipped: list[dict] = field(default_factory=list)  # rows not read as persons: {"row", "reason"}
    changes: list[dict] = field(default_factory=list)  # the first changes of existing persons, old → new
    sheet: str = ""
    sheets: list[dict] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # field key → column index
    header_row: int = 0  # index (from 0) of the header's last row
    width: int = 0  # columns of the header
    keep_all_errors: bool = False  # for the file of errors: every error, not only the first MAX_ERRORS

    def error(self, row: int, key_or_header: str, message: str) -> None:
        self.error_count += 1
        if self.keep_all_errors or len(self.errors) < MAX_ERRORS:
            self.errors.append(
                RowError(row, HEADERS.get(key_or_header, key_or_header), message, self.columns.get(key_or_header))
            )

    def skip(self, row: int, reason: str) -> None:
        if len(self.skipped) < 200:
            self.skipped.append({"row": row, "reason": reason})

    @property
    def ok(self) -> bool:
        return self.error_count == 0


@dataclass
class CheckedRow:
    row: int
    org: Org
    ident: identity.Identity
    values: dict  # provided (non-blank) Person fields, grid as grid_id
    household: str
    hash: str = ""
    cells: list | None = None  # a new person's row for the insert, but for its id and household (assemble)


class Context:
    """What the checks need, loaded once: the target communities and their grids."""

    def __init__(self, actor, org: Org):
        self.actor = actor
        self.org = org
        allowed = Org.objects.visible_to(actor, Perm.EDIT_RESIDENTS).filter(kind=OrgKind.COMMUNITY, is_active=True)
        importable = set(Org.objects.visible_to(actor, Perm.IMPORT_DATA).values_list("pk", flat=True))
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
        self.today = date.today()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def id_number_of(raw: dict) -> str:
    """The ID number as typed, cleaned (for finding duplicates even in rows with other errors)."""
    value = raw.get("id_number")
    if isinstance(value, int | float) and abs(value) >= 1e15:
        return ""
    return id_text(value)


def check_row(
    ctx: Context, row_no: int, raw: dict, result: ImportResult, extra_notes: list[str] = (), number: str | None = None
) -> CheckedRow | None:
    """Check one row (``raw``: field key → cell value; ``number``: its ID number cleaned, if already known);
    return it checked, or None after reporting its errors."""
    errors_before = result.error_count
    values: dict = {}
    notes: list[str] = []
    for key, value in raw.items():
        if value is None or value == "":
            continue
        kind = KINDS.get(key, 10_000)
        if kind is _SPECIAL:
            continue
        if kind is _DATE:
            try:
                values[key] = parse_date(value)
            except ValueError as exc:
                result.error(row_no, key, str(exc))
            continue
        text = value.strip() if type(value) is str else cell_text(value)
        if not text:
            continue
        if type(kind) is int:  # a plain text: its longest length
            if len(text) > kind:
                result.error(row_no, key, f"不能超过{kind}个字（现在{len(text)}个）。")
                continue
            values[key] = text
            continue
        mapped = kind.get(text) or kind.get(text.replace(" ", ""))
        if mapped is None:
            options = "、".join(label for label in dict.fromkeys(kind) if not label.isascii())
            result.error(row_no, key, f"“{text}”不是可选的值（可选：{options}）。")
            continue
        values[key] = mapped
    if "name" in values:
        values["name"] = values["name"].replace(" ", "").replace("\u3000", "") or values["name"]
    else:
        result.error(row_no, "name", "请填写姓名。")

    if not _blank(raw.get("phone")):
        try:
            phones = parse_phones(raw["phone"])
        except ValueError as exc:
            result.error(row_no, "phone", str(exc))
        else:
            values["phone"] = phones[0]
            if len(phones) > 1:
                notes.append("其他电话：" + "/".join(phones[1:]))

    if not _blank(raw.get("address_line")):
        for key, part in parse_address(raw["address_line"]).items():
            if key == "address_line" or key not in values:  # a column of its own wins over the parsed part
                if len(part) > MAX_LEN.get(key, 255):
                    values["address_line"] = cell_text(raw["address_line"])[:255]
                    break
                values[key] = part

    notes.extend(extra_notes)
    if notes:
        values["notes"] = "\n".join([values["notes"], *notes] if values.get("notes") else notes)

    org = ctx.org if ctx.org.pk in ctx.communities else None
    org_name = cell_text(raw.get("org"))
    if org_name:
        org = ctx.by_name.get(org_name)
        if org is None:
            result.error(row_no, "org", f"“{org_name}”不是您可以导入的社区/村。")
    elif org is None:
        result.error(row_no, "org", "导入到街道以上时，每行都要填写社区。")

    grid_name = cell_text(raw.get("grid"))
    if grid_name and org is not None:
        grid_id = ctx.grids.get((org.pk, grid_name))
        if grid_id is None:
            result.error(row_no, "grid", f"{org.name}没有名为“{grid_name}”的网格。")
        else:
            values["grid_id"] = grid_id

    raw_id = raw.get("id_number")
    ident = None
    if isinstance(raw_id, int | float) and abs(raw_id) >= 1e15:
        result.error(row_no, "id_number", "证件号码被Excel存成了数字，末几位已丢失；请把该列设为“文本”格式后重新填写。")
    else:
        type_text = cell_text(raw.get("id_type"))
        id_type = ID_TYPES.get(type_text) if type_text else IdType.RESIDENT.value
        if id_type is None:
            result.error(row_no, "id_type", f"“{type_text}”不是可选的证件类型。")
        else:
            try:
                ident = identity.resolve(
                    id_type=id_type,
                    raw_number=number if number is not None else id_text(raw_id),
                    gender=values.get("gender", ""),
                    birth_date=values.get("birth_date"),
                    required=True,
                    today=ctx.today,
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        result.error(row_no, key, message)
    gender = ident.gender if ident is not None and ident.gender else values.get("gender", "")
    if not _blank(raw.get("relation")):
        try:
            values["relation"] = parse_relation(raw["relation"], gender)
        except ValueError as exc:
            result.error(row_no, "relation", str(exc))
    household = cell_text(raw.get("household"))
    if len(household) > 40:
        result.error(row_no, "household", "户号不能超过40个字。")
    if values.get("relation") and not household:
        result.error(row_no, "relation", "填写了与户主关系，但没有填写户号。")
    if result.error_count > errors_before or ident is None or org is None:
        return None
    values["gender"], values["birth_date"] = ident.gender or values.get("gender", ""), ident.birth_date
    if not values["gender"]:
        values.pop("gender")
    if values["birth_date"] is None:
        values.pop("birth_date")
    return CheckedRow(row=row_no, org=org, ident=ident, values=values, household=household)
