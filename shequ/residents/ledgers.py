"""The residents roster (居民花名册) as a ledger: the persons of an org the actor sees through the list's
filter. ID numbers are masked; with ``?whole=1`` an actor who may see them whole gets them whole, and
the export is written to the audit log (``person.view_id``, with the filters, the count and a digest of the ids)
with one side row per person it showed whole (``AuditPerson``, in bulk): each of them finds the export in their
我的信息 and in the 敏感个人信息查阅台账. The ids are gathered as 8 bytes each (8 MB for a million)."""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit_persons, persons_digest
from shequ.ledgers.declare import BadFilter, Column, Context, Filter, Kind, Ledger
from shequ.residents import identity, search
from shequ.residents.filters import PersonFilter
from shequ.residents.models import Person
from shequ.residents.selectors import person_list
from shequ.residents.viewing import SENSITIVE_VIEWS

FILTER_NAMES = ["q", "grid", "status", "profile", "permit", "housing", "employer", "duplicates"]


def _prepare(ctx: Context) -> None:
    """The list's own FilterSet reads the filters; the org is the one in the address."""
    if ctx.filters.get("whole"):
        access.check(ctx.actor, ctx.org, Perm.VIEW_SENSITIVE)
    data = {k: ctx.filters[k] for k in FILTER_NAMES if k in ctx.filters}
    if ctx.filters.get(search.SEALED) and not data.get("q"):
        data["q"] = search.open_sealed(ctx.actor, ctx.filters[search.SEALED])  # the list's sealed whole number
    f = PersonFilter({**data, "org": str(ctx.org.pk)}, queryset=person_list(ctx.actor), actor=ctx.actor)
    if f.invalid:
        label, message = next((f.form[n].label, e[0]) for n, e in f.form.errors.items())
        raise BadFilter(f"筛选条件“{label}”无效：{message}")
    ctx.subject = f


def _rows(ctx: Context) -> Iterator[Person]:
    f: PersonFilter = ctx.subject
    whole_paths = access.scope_paths(ctx.actor, Perm.VIEW_SENSITIVE) if ctx.filters.get("whole") else []
    whole_ids = array("q")
    qs = f.rows.select_related("org", "grid", "household").order_by("org__path", "name_pinyin", "id")
    for p in qs.iterator(chunk_size=2000):
        p.id_shown = p.id_masked
        if whole_paths and p.id_cipher and any(p.org.path.startswith(path) for path in whole_paths):
            p.id_shown = identity.decrypt_id(p.id_cipher)
            whole_ids.append(p.pk)
        yield p
    ctx.detail["whole"] = len(whole_ids)
    if whole_ids:
        filters = {k: v for k, v in ctx.filters.items() if k != search.SEALED and v not in (None, "", False)}
        detail = {"export": True, "ledger": "residents", "filters": filters, "whole": len(whole_ids)}
        ctx.also_audit.append(("person.view_id", {**detail, "persons_digest": persons_digest(whole_ids)}))
        ctx.after_audit.append(lambda row: audit_persons(row, whole_ids))


ROSTER = Ledger(
    code="residents",
    title="居民花名册",
    area=None,
    yearly=False,
    filters=[
        *(Filter(name, name) for name in FILTER_NAMES),
        Filter(search.SEALED, "查找（加密）"),
        Filter("whole", "完整证件号码", lambda v: v == "1"),
    ],
    prepare=_prepare,
    name_for=lambda ctx: f"居民花名册{ctx.today:%Y%m%d}",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("姓名", Kind.NAME, lambda p: p.name),
        Column("证件类型", Kind.SHORT, lambda p: p.get_id_type_display() if p.id_masked else "", on_paper=False),
        Column("证件号码", Kind.CODE, lambda p: p.id_shown),
        Column("性别", Kind.NAME, lambda p: p.get_gender_display()),
        Column("出生日期", Kind.DATE, lambda p: p.birth_date),
        Column("联系电话", Kind.CODE, lambda p: p.phone),
        Column("社区", Kind.SHORT, lambda p: p.org.name, on_paper=False),
        Column("网格", Kind.SHORT, lambda p: p.grid.name if p.grid_id else ""),
        Column("户号", Kind.SHORT, lambda p: p.household.number if p.household_id else "", on_paper=False),
        Column("与户主关系", Kind.NAME, lambda p: p.get_relation_display()),
        Column("地址", Kind.TEXT, lambda p: p.address),
        Column("居住状态", Kind.NAME, lambda p: p.get_residence_status_display()),
        Column("民族", Kind.NAME, lambda p: p.ethnicity, on_paper=False),
        Column("文化程度", Kind.SHORT, lambda p: p.get_education_display(), on_paper=False),
        Column("职业", Kind.SHORT, lambda p: p.occupation, on_paper=False),
        Column("迁入日期", Kind.DATE, lambda p: p.moved_in_on, on_paper=False),
        Column("备注", Kind.TEXT, lambda p: p.notes, on_paper=False),
    ],
    rows=_rows,
)

LEDGERS = (ROSTER, SENSITIVE_VIEWS)
