"""The case ledgers (台账) as the offices file them (domain-formats §3.2, §7), declared for the ledger layer.

Per org (its subtree, by where each case was registered) and year: 矛盾纠纷排查调处台账, 安全隐患排查
整改台账, 民情民意办理台账; and the 人民调解受理登记表, one page per dispute (``?case=`` for one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Case as CaseWhen
from django.db.models import F, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from shequ.cases import selectors
from shequ.cases.choices import CaseKind, CaseState, DisputeSource, EntryKind, MediationOutcome, RectifyState
from shequ.cases.models import Case, CaseAttachment, CaseEntry
from shequ.ledgers.declare import Column, Context, Filter, Form, FormField, Kind, Ledger, Photo
from shequ.ledgers.values import cn_date
from shequ.orgs.models import Org, subtree_q

CHUNK = 500


def _day(value) -> date | None:
    if value is None:
        return None
    return timezone.localdate(value) if hasattr(value, "hour") else value


def _cases(ctx: Context, kinds: list[str]) -> QuerySet[Case]:
    return (
        selectors.visible_cases(ctx.actor)
        .filter(
            year=ctx.year,
            case_type__kind__in=kinds,
            origin_org__in=Org.objects.filter(subtree_q(ctx.org.path)).values("pk"),
        )
        .order_by("registered_on", "pk")
    )


def rectify_state(case: Case) -> str:
    """整改 state of a hazard from its lifecycle: 未整改 → 整改中 → 已整改待验收 → 已销号."""
    if case.state == CaseState.REGISTERED:
        return RectifyState.PENDING.label
    if case.state == CaseState.RETURNED:
        return RectifyState.VOID.label
    if case.is_open:
        return RectifyState.IN_PROGRESS.label
    if case.hazard.signed_off_at:
        return RectifyState.SIGNED_OFF.label
    return RectifyState.DONE.label


def _parties(case: Case) -> str:
    return "、".join(p.name for p in case.parties.all())


def _last_visit(case: Case) -> date | None:
    visits = [e.happened_at for e in case.entries.all() if e.kind == EntryKind.RETURN_VISIT]
    return _day(max(visits) if visits else case.rated_at)


def _owner(case: Case) -> str:
    return case.owner_name  # set by stream_named_staff: 其他单位工作人员 outside the reader's scope


# --- 矛盾纠纷排查调处台账 --------------------------------------------------------------------------------


def _dispute_rows(ctx: Context) -> Iterable[Case]:
    entries = Prefetch("entries", queryset=CaseEntry.objects.only("case_id", "kind", "happened_at"))
    qs = _cases(ctx, [CaseKind.DISPUTE]).select_related("dispute", "owner", "origin_org")
    # 备注 names the registering unit when it is below the ledger's org.
    note = CaseWhen(When(origin_org_id=ctx.org.pk, then=Value("")), default=F("origin_org__name"))
    rows = qs.annotate(ledger_note=note).prefetch_related("parties", entries).iterator(chunk_size=CHUNK)
    return selectors.stream_named_staff(ctx.actor, rows, chunk=CHUNK)


def _outcome(case: Case) -> str:
    d = case.dispute
    outcome = d.get_outcome_display() if d.outcome else CaseState(case.state).label
    if d.outcome == MediationOutcome.FAILED and d.failed_to:
        outcome += f"（{d.failed_to}）"
    return outcome


DISPUTES = Ledger(
    code="disputes",
    title="矛盾纠纷排查调处台账",
    area="safety",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("排查/登记日期", Kind.DATE, lambda c: c.registered_on),
        Column("来源", Kind.NAME, lambda c: c.dispute.get_source_display()),
        Column("当事人", Kind.SHORT, _parties),
        Column("纠纷类型", Kind.NAME, lambda c: c.category),
        Column("简要情况", Kind.TEXT, lambda c: c.description),
        Column(
            "风险等级/是否重大",
            Kind.NAME,
            lambda c: f"{c.dispute.get_risk_level_display()}{'/重大' if c.dispute.is_major else ''}",
        ),
        Column("调处责任人", Kind.NAME, _owner),
        Column("调处期限", Kind.DATE, lambda c: c.deadline),
        Column("调处结果", Kind.SHORT, _outcome),
        Column("协议书编号", Kind.SHORT, lambda c: c.dispute.agreement_no),
        Column("回访日期", Kind.DATE, _last_visit),
        Column("备注", Kind.SHORT, lambda c: c.ledger_note),
    ],
    rows=_dispute_rows,
)


# --- 安全隐患排查整改台账 --------------------------------------------------------------------------------


def _case_photos(case: Case) -> list[Photo]:
    return [Photo(a.file, case.registered_on, case.title) for a in case.attachments.all() if a.is_image]


def _hazard_rows(ctx: Context) -> Iterable[Case]:
    images = Prefetch("attachments", queryset=CaseAttachment.objects.filter(is_image=True).order_by("id"))
    qs = _cases(ctx, [CaseKind.HAZARD]).select_related("hazard", "area", "origin_org").prefetch_related(images)
    return qs.iterator(chunk_size=CHUNK)


def _hazard_state(case: Case) -> str:
    signed = case.hazard.signed_off_at
    return rectify_state(case) + (f"（{cn_date(_day(signed))}）" if signed else "")


HAZARDS = Ledger(
    code="hazards",
    title="安全隐患排查整改台账",
    area=None,
    area_label="学校安全/平安建设",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("排查日期", Kind.DATE, lambda c: c.registered_on),
        Column("排查人", Kind.NAME, lambda c: c.hazard.found_by),
        Column(
            "部位/区域",
            Kind.SHORT,
            lambda c: f"{c.hazard.place_type}/{c.category}" + (f"（{c.place}）" if c.place else ""),
        ),
        Column("隐患描述", Kind.TEXT, lambda c: c.description),
        Column("照片", Kind.PHOTOS, _case_photos),
        Column("等级", Kind.NAME, lambda c: c.hazard.get_level_display()),
        Column("整改措施", Kind.TEXT, lambda c: c.hazard.rectification_measures),
        Column("整改责任人", Kind.NAME, lambda c: c.hazard.rectifier),
        Column("整改时限", Kind.DATE, lambda c: c.hazard.rectify_deadline or c.deadline),
        Column("临时防护措施", Kind.SHORT, lambda c: c.hazard.temporary_measures),
        Column("整改完成日期", Kind.DATE, lambda c: c.hazard.rectified_on),
        Column("验收人", Kind.NAME, lambda c: c.hazard.checker),
        Column("验收结论", Kind.SHORT, lambda c: c.hazard.check_conclusion),
        Column("状态", Kind.SHORT, _hazard_state),
    ],
    rows=_hazard_rows,
)


# --- 民情民意办理台账 ------------------------------------------------------------------------------------


def _opinion_rows(ctx: Context) -> Iterable[Case]:
    qs = _cases(ctx, [CaseKind.OPINION, CaseKind.MONITOR]).select_related("case_type", "owner", "origin_org")
    return selectors.stream_named_staff(ctx.actor, qs.iterator(chunk_size=CHUNK), chunk=CHUNK)


OPINIONS = Ledger(
    code="opinions",
    title="民情民意办理台账",
    area="selfgov",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("登记日期", Kind.DATE, lambda c: c.registered_on),
        Column("渠道", Kind.NAME, lambda c: c.get_channel_display()),
        Column("反映人", Kind.NAME, lambda c: c.reporter_name),
        Column("类别", Kind.SHORT, lambda c: f"{c.case_type.name}/{c.category}"),
        Column("反映内容", Kind.TEXT, lambda c: f"{c.title}：{c.description}"),
        Column("承办人", Kind.NAME, _owner),
        Column("办理情况/答复", Kind.TEXT, lambda c: c.public_reply or c.result),
        Column("答复时间", Kind.DATE, lambda c: _day(c.public_reply_at)),
        Column("办结日期", Kind.DATE, lambda c: _day(c.resolved_at)),
        Column("满意度", Kind.NAME, lambda c: f"{c.rating}星" if c.rating else ""),
        Column("状态", Kind.SHORT, lambda c: CaseState(c.state).label + ("（交流栏不展示）" if c.board_hidden else "")),
    ],
    rows=_opinion_rows,
)


# --- 人民调解受理登记表 (one page per dispute) ------------------------------------------------------------

SOURCE_AS_FILED = {
    DisputeSource.VISIT: "①当事人申请",
    DisputeSource.CALL: "①当事人申请",
    DisputeSource.SCREENING: "②人民调解委员会主动调解",
    DisputeSource.GRID: "②人民调解委员会主动调解",
    DisputeSource.TRANSFER: "接受委托移送调解",
}


def _case_no(case: Case) -> str:
    return f"（{case.year}）人调字第{case.pk}号"


def _party_names(case: Case) -> str:
    parties = list(case.parties.all())
    names = "与".join(p.name for p in parties)
    return f"{names}之间的纠纷" if len(parties) > 1 else names


def _party_lines(case: Case) -> str:
    return "\n".join(
        f"{p.get_role_display()}：" + " ".join(x for x in [p.name, p.phone, p.address] if x) for p in case.parties.all()
    )


def _category(case: Case) -> str:
    return f"{case.category}纠纷" if case.category and case.category != "其他" else "其他纠纷"


def _people_amount(case: Case) -> str:
    d = case.dispute
    return f"{d.people_count}人" + (f"，{d.amount}元" if d.amount is not None else "")


def _sessions(case: Case) -> str:
    return "\n".join(
        f"{cn_date(_day(e.happened_at))} {e.actor_name}：{e.text}"
        for e in case.entries.all()
        if e.kind == EntryKind.MEDIATION
    )


def _visits(case: Case) -> str:
    return "\n".join(
        f"{cn_date(_day(e.happened_at))} {e.text}" for e in case.entries.all() if e.kind == EntryKind.RETURN_VISIT
    )


def _mediation_outcome(case: Case) -> str:
    d = case.dispute
    outcome = d.get_outcome_display() if d.outcome else "尚未调结"
    if d.outcome == MediationOutcome.FAILED and d.failed_to:
        outcome += f"，去向：{d.failed_to}"
    return outcome


def _leader(case: Case) -> str:
    return case.leader_name


def _mediation_prepare(ctx: Context) -> None:
    """With ``?case=``: that dispute, if the actor sees it and it belongs to the org and year asked for."""
    pk = ctx.filters.get("case")
    if pk is None:
        return
    case = selectors.case_get(ctx.actor, pk)
    if (
        case.case_type.kind != CaseKind.DISPUTE
        or case.year != ctx.year
        or not case.origin_org.path.startswith(ctx.org.path)
    ):
        raise Http404
    ctx.subject = case
    ctx.area = case.area


def _mediation_rows(ctx: Context) -> Iterable[Case]:
    qs = _cases(ctx, [CaseKind.DISPUTE])
    if ctx.subject is not None:
        qs = qs.filter(pk=ctx.subject.pk)
    qs = qs.select_related("dispute", "owner", "leader", "origin_org").prefetch_related("parties", "entries")
    return selectors.stream_named_staff(ctx.actor, qs.iterator(chunk_size=CHUNK), ("owner", "leader"), chunk=CHUNK)


def _case_pk(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise ValueError("请填写纠纷的编号。")
    return int(text)


MEDIATION = Ledger(
    code="mediation",
    title="人民调解受理登记表",
    area="safety",
    orientation="portrait",
    filters=[Filter("case", "纠纷", _case_pk)],
    prepare=_mediation_prepare,
    name_for=lambda ctx: f"人民调解受理登记表-{ctx.subject.code}" if ctx.subject else "人民调解受理登记表",
    columns=[
        Column("卷号", Kind.SHORT, _case_no),
        Column("受理日期", Kind.DATE, lambda c: c.registered_on),
        Column("当事人", Kind.SHORT, _party_names),
        Column("当事人情况", Kind.TEXT, _party_lines),
        Column("纠纷类型", Kind.NAME, _category),
        Column("案件来源", Kind.SHORT, lambda c: SOURCE_AS_FILED.get(c.dispute.source, c.dispute.get_source_display())),
        Column("纠纷简要情况", Kind.TEXT, lambda c: c.description),
        Column("涉及人数/金额", Kind.SHORT, _people_amount),
        Column(
            "风险等级",
            Kind.SHORT,
            lambda c: c.dispute.get_risk_level_display() + ("，重大纠纷" if c.dispute.is_major else ""),
        ),
        Column("人民调解员", Kind.NAME, _owner),
        Column("包案领导", Kind.NAME, _leader),
        Column("调解记录", Kind.TEXT, _sessions),
        Column("调解结果", Kind.SHORT, _mediation_outcome),
        Column("协议书编号", Kind.SHORT, lambda c: c.dispute.agreement_no),
        Column("协议内容", Kind.TEXT, lambda c: c.dispute.agreement_text),
        Column("回访情况", Kind.TEXT, _visits),
    ],
    rows=_mediation_rows,
    form=Form(
        title="人民调解受理登记表",
        lines=[
            (FormField("卷号", _case_no), FormField("受理日期", lambda c: c.registered_on)),
            (FormField("当事人", _party_names),),
            (FormField("当事人情况", _party_lines),),
            (
                FormField("纠纷类型", _category),
                FormField("案件来源", lambda c: SOURCE_AS_FILED.get(c.dispute.source, c.dispute.get_source_display())),
            ),
            (FormField("纠纷简要情况", lambda c: c.description, tall=True),),
            (
                FormField("涉及人数/金额", _people_amount),
                FormField(
                    "风险等级",
                    lambda c: c.dispute.get_risk_level_display() + ("，重大纠纷" if c.dispute.is_major else ""),
                ),
            ),
            (FormField("人民调解员", _owner), FormField("包案领导", _leader)),
            (FormField("调解记录", _sessions, tall=True),),
            (FormField("调解结果", _mediation_outcome), FormField("协议书编号", lambda c: c.dispute.agreement_no)),
            (FormField("协议内容", lambda c: c.dispute.agreement_text, tall=True),),
            (FormField("回访情况", _visits),),
        ],
        signatures=("当事人", "登记人"),
        seal="人民调解委员会（印章）",
    ),
)

LEDGERS = (DISPUTES, HAZARDS, OPINIONS, MEDIATION)
