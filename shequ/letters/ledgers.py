"""Ledgers of responsibility letters: the signing register (责任书签订登记表; ``?kind=`` for one kind) and each
signed letter printed on its own A4 page with its clauses and the signature (``?letter=``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from shequ.accounts.roles import Perm
from shequ.ledgers.declare import BadFilter, Column, Context, Filter, Form, FormField, Kind, Ledger, Photo, parse_pk
from shequ.letters.models import Letter, LetterKind
from shequ.orgs.models import subtree_q

CHUNK = 1000


def _kind(text: str) -> str:
    if not LetterKind.objects.filter(code=text).exists():
        raise BadFilter("没有这种责任书。")
    return text


def _scoped(ctx: Context):
    assert ctx.year is not None
    qs = Letter.objects.visible_to(ctx.actor, Perm.EXPORT).filter(subtree_q(ctx.org.path, "org__path"), year=ctx.year)
    if ctx.filters.get("kind"):
        qs = qs.filter(kind__code=ctx.filters["kind"])
    return qs


def _register_rows(ctx: Context) -> Iterable[Letter]:
    return (
        _scoped(ctx)
        .select_related("kind", "issuer", "org")
        .order_by("kind__sort", "level", "org__path", "labels", "holder_name", "id")
        .iterator(chunk_size=CHUNK)
    )


def _state(x: Letter) -> str:
    if x.signed_on:
        return "已签订"
    return "逾期未签" if x.due_on < x.today else "待签订"


def _with_today(ctx: Context, rows: Iterable[Letter]) -> Iterable[Letter]:
    for x in rows:
        x.today = ctx.today
        yield x


REGISTER = Ledger(
    code="letter-register",
    title="责任书签订登记表",
    area=None,
    filters=[Filter("kind", "责任书", _kind)],
    columns=[
        Column("序号", Kind.SERIAL),
        Column("责任书", Kind.SHORT, lambda x: x.kind.name),
        Column("层级", Kind.NUMBER, lambda x: x.level),
        Column("发出单位", Kind.NAME, lambda x: x.issuer.name),
        Column("责任单位/责任人", Kind.NAME, lambda x: x.holder_name),
        Column("职务", Kind.SHORT, lambda x: x.holder_role),
        Column("年级/班级", Kind.SHORT, lambda x: x.labels),
        Column("发出日期", Kind.DATE, lambda x: x.issued_on),
        Column("签订期限", Kind.DATE, lambda x: x.due_on),
        Column("签订日期", Kind.DATE, lambda x: x.signed_on),
        Column("签字人", Kind.NAME, lambda x: x.signer_name),
        Column("签署方式", Kind.SHORT, lambda x: x.get_signed_how_display() if x.signed_how else ""),
        Column("状态", Kind.SHORT, _state),
    ],
    rows=lambda ctx: _with_today(ctx, _register_rows(ctx)),
)


def _letter_prepare(ctx: Context) -> None:
    pk = ctx.filters.get("letter")
    if pk is None:
        return
    found = (
        Letter.objects.visible_to(ctx.actor, Perm.EXPORT).select_related("kind", "area", "org").filter(pk=pk).first()
    )
    if found is None or found.year != ctx.year or not found.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = found
    ctx.area = found.area


def _letter_rows(ctx: Context) -> Iterable[Letter]:
    qs = _scoped(ctx).filter(signed_on__isnull=False)
    if ctx.subject is not None:
        qs = qs.filter(pk=ctx.subject.pk)
    return qs.select_related("kind", "issuer", "holder_org").order_by("level", "org__path", "id").iterator(CHUNK)


def _clauses(x: Letter) -> str:
    return "\n".join(f"{n}. {c}" for n, c in enumerate(x.kind.clause_list, start=1))


def _signature(x: Letter) -> list[Photo]:
    if x.signature:
        return [Photo(x.signature, x.signed_on, f"{x.signer_name}签名")]
    if x.scan and x.scan.name.rsplit(".", 1)[-1].lower() in {"jpg", "png", "gif", "webp"}:
        return [Photo(x.scan, x.signed_on, "签字后的责任书扫描件")]
    return []


def _letter_name(ctx: Context) -> str:
    x = ctx.subject
    return f"{x.kind.name}-{x.holder_name}" if x is not None else "责任书"


LETTER = Ledger(
    code="responsibility-letter",
    title="责任书",
    area=None,
    orientation="portrait",
    filters=[Filter("letter", "责任书", parse_pk), Filter("kind", "责任书类型", _kind)],
    prepare=_letter_prepare,
    name_for=_letter_name,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("责任书", Kind.SHORT, lambda x: x.kind.name),
        Column("发出单位", Kind.NAME, lambda x: x.issuer.name),
        Column("责任单位/责任人", Kind.NAME, lambda x: x.holder_text),
        Column("签订日期", Kind.DATE, lambda x: x.signed_on),
        Column("签字人", Kind.NAME, lambda x: x.signer_name),
    ],
    rows=_letter_rows,
    form=Form(
        title="责任书",
        lines=[
            (FormField("名称", lambda x: f"{x.year}年{x.kind.name}"),),
            (FormField("甲方（发出单位）", lambda x: x.issuer.name), FormField("发出日期", lambda x: x.issued_on)),
            (FormField("乙方（责任单位/责任人）", lambda x: x.holder_text), FormField("职务", lambda x: x.holder_role)),
            (FormField("责任内容", _clauses, tall=True),),
            (FormField("签订日期", lambda x: x.signed_on), FormField("签字人", lambda x: x.signer_name)),
            (FormField("签署方式", lambda x: x.get_signed_how_display()),),
        ],
        photos=_signature,
        signatures=("甲方", "乙方"),
        photos_heading="签名",
        maker=lambda x: x.issuer.name,
    ),
)

LEDGERS = (REGISTER, LETTER)
