"""Ledgers (台账) made from records, declared for the ledger layer: the activity ledger of an area
(``?area=health``), with its photos in a grid on paper; the 健康教育活动记录表, the national form printed
one page per activity (``?record=`` for one); and the funds ledger (经费收支台账) of an area."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from shequ.ledgers.declare import Column, Context, Filter, Form, FormField, Kind, Ledger, Photo
from shequ.records import extra as extra_fields
from shequ.records import selectors
from shequ.records.catalogue import ARCHIVE_CHOICES, FUNDS_TYPE, INCOME, SPENDING
from shequ.records.models import Record, RecordPhoto

CHUNK = 1000


def _area_code(text: str) -> str:
    if not text.isascii() or len(text) > 40:
        raise ValueError("请选择工作条线。")
    return text


def _records(ctx: Context) -> QuerySet[Record]:
    qs = selectors.ledger_records(ctx.actor, org=ctx.org, area=ctx.area, year=ctx.year).order_by("date", "id")
    if ctx.on_paper:
        return qs.prefetch_related(Prefetch("photos", queryset=RecordPhoto.objects.order_by("id")))
    return qs.annotate(n_photos=Count("photos"))


def _photos(r: Record) -> list[Photo] | int:
    """On paper the record's photos (numbered into the photo pages); in xlsx their count."""
    if hasattr(r, "n_photos"):
        return r.n_photos
    return [Photo(p.image, r.date, r.title) for p in r.photos.all()]


def _extra(r: Record) -> str:
    return "；".join(f"{k}：{v}" for k, v in extra_fields.display(r.extra, r.activity_type.extra_fields))


def _creator(r: Record) -> str:
    return r.created_by.display_name if r.created_by else ""


ACTIVITIES = Ledger(
    code="activities",
    title="工作活动台账",
    area="?",
    filters=[Filter("area", "条线", _area_code)],
    title_for=lambda ctx: f"{ctx.area.name}工作活动台账",
    name_for=lambda ctx: "工作活动台账",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("日期", Kind.DATE, lambda r: r.date),
        Column("单位", Kind.SHORT, lambda r: r.org.name, on_paper=False),
        Column("活动类型", Kind.SHORT, lambda r: r.activity_type.name),
        Column("主题", Kind.SHORT, lambda r: r.title),
        Column("地点", Kind.SHORT, lambda r: r.place),
        Column("组织者", Kind.NAME, lambda r: r.organiser),
        Column("参加人数", Kind.NUMBER, lambda r: r.participant_count),
        Column("活动内容", Kind.TEXT, lambda r: r.content),
        Column("其他信息", Kind.TEXT, _extra, on_paper=False),
        Column("照片", Kind.PHOTOS, _photos),
        Column("登记人", Kind.NAME, _creator, on_paper=False),
    ],
    rows=lambda ctx: _records(ctx).iterator(chunk_size=CHUNK),
)


# --- 健康教育活动记录表 -------------------------------------------------------------------------------------


def _record_pk(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise ValueError("请填写记录的编号。")
    return int(text)


def _health_prepare(ctx: Context) -> None:
    """With ``?record=``: that record, if the actor sees it and it is a health record of the org and year."""
    pk = ctx.filters.get("record")
    if pk is None:
        return
    record = selectors.record_get(ctx.actor, pk)
    if record.area.code != "health" or record.year != ctx.year or not record.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = record


def _health_rows(ctx: Context) -> Iterable[Record]:
    qs = selectors.ledger_records(ctx.actor, org=ctx.org, area=ctx.area, year=ctx.year).order_by("date", "id")
    if ctx.subject is not None:
        qs = qs.filter(pk=ctx.subject.pk)
    person_model = Record._meta.get_field("persons").related_model
    persons = Prefetch("persons", queryset=person_model.objects.only("id", "name").order_by("id"))
    photos = Prefetch("photos", queryset=RecordPhoto.objects.order_by("id"))
    return qs.prefetch_related(persons, photos).iterator(chunk_size=CHUNK)


def _list(value) -> str:
    return "、".join(value) if isinstance(value, list) else str(value or "")


def _forms(r: Record) -> str:
    return _list((r.extra or {}).get("activity_form") or [r.activity_type.name])


def _audience(r: Record) -> str:
    return _list((r.extra or {}).get("audience"))


def _materials(r: Record) -> str:
    x = r.extra or {}
    count = f"{x['materials_count']}份" if x.get("materials_count") else ""
    return "、".join(filter(None, [x.get("materials_kinds", ""), count]))


def _archive(r: Record) -> str:
    chosen = list((r.extra or {}).get("archive") or [])
    if r.photos.all() and "图片材料" not in chosen:
        chosen.append("图片材料")
    if r.persons.all() and "签到表" not in chosen:
        chosen.append("签到表")
    return "  ".join(f"{'☑' if o in chosen else '□'}{o}" for o in ARCHIVE_CHOICES)


def _signed_in(r: Record) -> str:
    names = [p.name for p in r.persons.all()]
    return f"{'、'.join(names)}（共{len(names)}人）" if names else ""


def _form_photos(r: Record) -> list[Photo]:
    return [Photo(p.image, r.date, r.title) for p in r.photos.all()]


def _health_name(ctx: Context) -> str:
    r = ctx.subject
    return f"健康教育活动记录表-{r.date:%m%d}-{r.title[:20]}" if r is not None else "健康教育活动记录表"


HEALTH_FORMS = Ledger(
    code="health-forms",
    title="健康教育活动记录表",
    area="health",
    orientation="portrait",
    filters=[Filter("record", "记录", _record_pk)],
    prepare=_health_prepare,
    name_for=_health_name,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("活动时间", Kind.DATE, lambda r: r.date),
        Column("活动地点", Kind.SHORT, lambda r: r.place),
        Column("活动形式", Kind.SHORT, _forms),
        Column("活动主题", Kind.SHORT, lambda r: r.title),
        Column("组织者", Kind.NAME, lambda r: r.organiser),
        Column("接受健康教育人员类别", Kind.SHORT, _audience),
        Column("接受健康教育人数", Kind.NUMBER, lambda r: r.participant_count),
        Column("资料发放种类及数量", Kind.SHORT, _materials),
        Column("活动内容", Kind.TEXT, lambda r: r.content),
        Column("活动总结评价", Kind.TEXT, lambda r: r.summary),
        Column("照片", Kind.PHOTOS, _form_photos),
    ],
    rows=_health_rows,
    form=Form(
        title="健康教育活动记录表",
        lines=[
            (FormField("活动时间", lambda r: r.date), FormField("活动地点", lambda r: r.place)),
            (FormField("活动形式", _forms),),
            (FormField("活动主题", lambda r: r.title),),
            (FormField("组织者", lambda r: r.organiser),),
            (
                FormField("接受健康教育人员类别", _audience),
                FormField("接受健康教育人数", lambda r: r.participant_count),
            ),
            (FormField("健康教育资料发放种类及数量", _materials),),
            (FormField("活动内容", lambda r: r.content, tall=True),),
            (FormField("活动总结评价", lambda r: r.summary, tall=True),),
            (FormField("签到人员", _signed_in),),
            (FormField("存档材料请附后", _archive),),
        ],
        photos=_form_photos,
        maker=_creator,
    ),
)

# --- 经费收支台账 (the funds ledger of a line of work) ------------------------------------------------------


def _funds(ctx: Context) -> QuerySet[Record]:
    qs = selectors.ledger_records(ctx.actor, org=ctx.org, area=ctx.area, year=ctx.year)
    return qs.filter(activity_type__code=FUNDS_TYPE).order_by("date", "id")


def _amount(r: Record, flow: str) -> Decimal | None:
    x = r.extra or {}
    return Decimal(str(x["amount"])) if x.get("flow") == flow and x.get("amount") else None


def _funds_notes(ctx: Context) -> list[str]:
    income = spending = Decimal(0)
    for extra in _funds(ctx).values_list("extra", flat=True):
        amount = Decimal(str((extra or {}).get("amount") or 0))
        if (extra or {}).get("flow") == INCOME:
            income += amount
        else:
            spending += amount
    return [f"本年收入合计{income:.2f}元，支出合计{spending:.2f}元，结余{income - spending:.2f}元。"]


FUNDS = Ledger(
    code="funds",
    title="经费收支台账",
    area="?",
    orientation="portrait",
    filters=[Filter("area", "条线", _area_code)],
    title_for=lambda ctx: f"{ctx.area.name}经费收支台账",
    name_for=lambda ctx: "经费收支台账",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("日期", Kind.DATE, lambda r: r.date),
        Column("科目/用途", Kind.TEXT, lambda r: (r.extra or {}).get("item") or r.title),
        Column("来源/收款方", Kind.SHORT, lambda r: (r.extra or {}).get("counterpart", "")),
        Column("收入（元）", Kind.NUMBER, lambda r: _amount(r, INCOME)),
        Column("支出（元）", Kind.NUMBER, lambda r: _amount(r, SPENDING)),
        Column("凭证号", Kind.CODE, lambda r: (r.extra or {}).get("voucher_no", "")),
        Column("凭证附件", Kind.NUMBER, lambda r: r.n_files),
        Column("经手人", Kind.NAME, _creator),
    ],
    rows=lambda ctx: _funds(ctx).annotate(n_files=Count("attachments")).iterator(chunk_size=CHUNK),
    notes=_funds_notes,
    notes_heading="合计",
)

LEDGERS = (ACTIVITIES, HEALTH_FORMS, FUNDS)
