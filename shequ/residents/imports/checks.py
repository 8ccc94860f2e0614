"""Row checks: every cell of every row checked against the registry's rules, with every problem reported by
row and column in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Org, OrgKind
from shequ.residents import identity
from shequ.residents.imports.headers import HEADERS
from shequ.residents.imports.reading import cell_date, cell_text
from shequ.residents.models import Education, IdType, Person, Relation, ResidenceStatus

MAX_ERRORS = 5000


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


@dataclass
class CheckedRow:
    row: int
    org: Org
    ident: identity.Identity
    values: dict  # provided (non-blank) Person fields, grid as grid_id
    household: str
    hash: str = ""


class Context:
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


def check_row(ctx: Context, row_no: int, raw: dict, result: ImportResult) -> CheckedRow | None:
    errors_before = result.error_count
    values: dict = {}
    for key, value in raw.items():
        if key in ("id_number", "org", "grid", "household", "id_type"):
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key in ("birth_date", "moved_in_on"):
            try:
                values[key] = cell_date(value)
            except ValueError as exc:
                result.error(row_no, key, str(exc))
            continue
        text = cell_text(value)
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
    org_name = cell_text(raw.get("org"))
    if org_name:
        org = ctx.by_name.get(org_name)
        if org is None:
            result.error(row_no, "org", f"“{org_name}”不是您可以导入的社区/村。")
    elif org is None:
        result.error(row_no, "org", "导入到街道以上时,每行都要填写社区。")

    grid_name = cell_text(raw.get("grid"))
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
        id_type = values.pop("id_type", None) or ID_TYPES.get(cell_text(raw.get("id_type")), None)
        if raw.get("id_type") and id_type is None:
            result.error(row_no, "id_type", f"“{cell_text(raw.get('id_type'))}”不是可选的证件类型。")
        else:
            try:
                ident = identity.resolve(
                    id_type=id_type or IdType.RESIDENT,
                    raw_number=cell_text(raw_id),
                    gender=values.get("gender", ""),
                    birth_date=values.get("birth_date"),
                    required=True,
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    for message in messages:
                        result.error(row_no, key, message)
    household = cell_text(raw.get("household"))
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
    return CheckedRow(row=row_no, org=org, ident=ident, values=values, household=household)
