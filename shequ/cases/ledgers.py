"""The case ledgers (台账) as the offices file them (domain-formats §3.2, §7), xlsx and docx.

Per org (its subtree, by where each case was registered) and year: 矛盾纠纷排查调处台账, 安全隐患排查
整改台账, 民情民意办理台账; and the 人民调解受理登记表 of one dispute. Rows are read with an iterator,
so a ledger of any size streams in flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from shequ.cases import clock
from shequ.cases.choices import CaseState, DisputeSource, EntryKind, MediationOutcome, RectifyState
from shequ.cases.models import Case, CaseEntry
from shequ.cases.selectors import visible_cases
from shequ.ledgers.writers import Column, Ledger, add_heading_block, add_table, add_title, cn_date, new_document
from shequ.orgs.models import Org, subtree_q


def _d(value) -> str:
    if value is None:
        return ""
    return cn_date(timezone.localdate(value) if hasattr(value, "hour") else value)


def _cases(actor, org: Org, year: int, kinds: list[str]):
    return (
        visible_cases(actor)
        .filter(
            year=year,
            case_type__kind__in=kinds,
            origin_org__in=Org.objects.filter(subtree_q(org.path)).values("pk"),
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


def _last_visit(case: Case):
    visits = [e.happened_at for e in case.entries.all() if e.kind == EntryKind.RETURN_VISIT]
    return max(visits) if visits else case.rated_at


def dispute_ledger(actor, org: Org, year: int, maker: str = "") -> Ledger:
    qs = (
        _cases(actor, org, year, ["dispute"])
        .select_related("dispute", "owner", "origin_org")
        .prefetch_related(
            "parties", Prefetch("entries", queryset=CaseEntry.objects.only("case_id", "kind", "happened_at"))
        )
    )

    def rows() -> Iterator[list]:
        for i, c in enumerate(qs.iterator(chunk_size=500), start=1):
            d = c.dispute
            outcome = d.get_outcome_display() if d.outcome else CaseState(c.state).label
            if d.outcome == MediationOutcome.FAILED and d.failed_to:
                outcome += f"({d.failed_to})"
            yield [
                i,
                c.registered_on,
                d.get_source_display(),
                _parties(c),
                c.category,
                c.description,
                f"{d.get_risk_level_display()}{'/重大' if d.is_major else ''}",
                c.owner.display_name if c.owner else "",
                c.deadline,
                outcome,
                d.agreement_no,
                _d(_last_visit(c)),
                c.origin_org.name if c.origin_org_id != org.pk else "",
            ]

    return Ledger(
        title="矛盾纠纷排查调处台账",
        org_name=org.name,
        year=year,
        area_name="平安建设",
        maker=maker,
        made_on=clock.today(),
        columns=[
            Column("序号", 5),
            Column("排查/登记日期", 13),
            Column("来源", 8),
            Column("当事人", 16),
            Column("纠纷类型", 10),
            Column("简要情况", 30),
            Column("风险等级/是否重大", 10),
            Column("调处责任人", 10),
            Column("调处期限", 13),
            Column("调处结果", 14),
            Column("协议书编号", 12),
            Column("回访日期", 13),
            Column("备注", 12),
        ],
        rows=rows(),
    )


def hazard_ledger(actor, org: Org, year: int, maker: str = "") -> Ledger:
    qs = (
        _cases(actor, org, year, ["hazard"])
        .select_related("hazard", "area", "origin_org")
        .prefetch_related("attachments")
    )

    def rows() -> Iterator[list]:
        for i, c in enumerate(qs.iterator(chunk_size=500), start=1):
            h = c.hazard
            photos = sum(1 for a in c.attachments.all() if a.is_image)
            yield [
                i,
                c.registered_on,
                h.found_by,
                f"{h.place_type}/{c.category}" + (f"({c.place})" if c.place else ""),
                c.description,
                f"{photos}张" if photos else "",
                h.get_level_display(),
                h.rectification_measures,
                h.rectifier,
                h.rectify_deadline or c.deadline,
                h.temporary_measures,
                h.rectified_on,
                h.checker,
                h.check_conclusion,
                rectify_state(c) + (f"({_d(h.signed_off_at)})" if h.signed_off_at else ""),
            ]

    return Ledger(
        title="安全隐患排查整改台账",
        org_name=org.name,
        year=year,
        area_name="学校安全/平安建设",
        maker=maker,
        made_on=clock.today(),
        columns=[
            Column("序号", 5),
            Column("排查日期", 13),
            Column("排查人", 8),
            Column("部位/区域", 14),
            Column("隐患描述", 26),
            Column("照片", 6),
            Column("等级", 6),
            Column("整改措施", 22),
            Column("整改责任人", 9),
            Column("整改时限", 13),
            Column("临时防护措施", 16),
            Column("整改完成日期", 13),
            Column("验收人", 8),
            Column("验收结论", 14),
            Column("状态", 14),
        ],
        rows=rows(),
    )


def opinion_ledger(actor, org: Org, year: int, maker: str = "") -> Ledger:
    qs = _cases(actor, org, year, ["opinion", "monitor"]).select_related("case_type", "owner", "origin_org")

    def rows() -> Iterator[list]:
        for i, c in enumerate(qs.iterator(chunk_size=500), start=1):
            yield [
                i,
                c.registered_on,
                c.get_channel_display(),
                c.reporter_name,
                f"{c.case_type.name}/{c.category}",
                f"{c.title}:{c.description}",
                c.owner.display_name if c.owner else "",
                c.public_reply or c.result,
                _d(c.public_reply_at),
                _d(c.resolved_at),
                f"{c.rating}星" if c.rating else "",
                CaseState(c.state).label + ("(交流栏不展示)" if c.board_hidden else ""),
            ]

    return Ledger(
        title="民情民意办理台账",
        org_name=org.name,
        year=year,
        area_name="居民自治",
        maker=maker,
        made_on=clock.today(),
        columns=[
            Column("序号", 5),
            Column("登记日期", 13),
            Column("渠道", 9),
            Column("反映人", 8),
            Column("类别", 14),
            Column("反映内容", 30),
            Column("承办人", 8),
            Column("办理情况/答复", 30),
            Column("答复时间", 13),
            Column("办结日期", 13),
            Column("满意度", 7),
            Column("状态", 10),
        ],
        rows=rows(),
    )


LEDGERS = {
    "disputes": ("矛盾纠纷排查调处台账", dispute_ledger),
    "hazards": ("安全隐患排查整改台账", hazard_ledger),
    "opinions": ("民情民意办理台账", opinion_ledger),
}


# --- 人民调解受理登记表 (one dispute) -----------------------------------------------------------------

SOURCE_AS_FILED = {
    DisputeSource.VISIT: "①当事人申请",
    DisputeSource.CALL: "①当事人申请",
    DisputeSource.SCREENING: "②人民调解委员会主动调解",
    DisputeSource.GRID: "②人民调解委员会主动调解",
    DisputeSource.TRANSFER: "接受委托移送调解",
}


def mediation_pairs(case: Case) -> list[tuple[str, str]]:
    """The fields of the 人民调解受理登记表 for one dispute, in the order of the paper form."""
    d = case.dispute
    parties = list(case.parties.all())
    sessions = [e for e in case.entries.all() if e.kind == EntryKind.MEDIATION]
    visits = [e for e in case.entries.all() if e.kind == EntryKind.RETURN_VISIT]
    names = "与".join(p.name for p in parties)
    outcome = d.get_outcome_display() if d.outcome else "尚未调结"
    if d.outcome == MediationOutcome.FAILED and d.failed_to:
        outcome += f",去向:{d.failed_to}"
    return [
        ("卷号", f"({case.year})人调字第{case.pk}号"),
        ("受理日期", cn_date(case.registered_on)),
        ("当事人", f"{names}之间的纠纷" if len(parties) > 1 else names),
        *[
            (
                f"{p.get_role_display()}",
                " ".join(x for x in [p.name, p.phone, p.address] if x),
            )
            for p in parties
        ],
        ("纠纷类型", f"{case.category}纠纷" if case.category and case.category != "其他" else "其他纠纷"),
        ("案件来源", SOURCE_AS_FILED.get(d.source, d.get_source_display())),
        ("纠纷简要情况", case.description),
        ("涉及人数/金额", f"{d.people_count}人" + (f",{d.amount}元" if d.amount is not None else "")),
        ("风险等级", d.get_risk_level_display() + (",重大纠纷" if d.is_major else "")),
        ("人民调解员", case.owner.display_name if case.owner else ""),
        ("包案领导", case.leader.display_name if case.leader else ""),
        (
            "调解记录",
            "\n".join(f"{_d(e.happened_at)} {e.actor_name}:{e.text}" for e in sessions) or "",
        ),
        ("调解结果", outcome),
        ("协议书编号", d.agreement_no),
        ("协议内容", d.agreement_text),
        ("回访情况", "\n".join(f"{_d(e.happened_at)} {e.text}" for e in visits)),
        ("当事人签名", ""),
        ("登记人签名", ""),
        ("人民调解委员会(印章)", ""),
    ]


def mediation_docx(case: Case):
    doc = new_document()
    add_title(doc, "人民调解受理登记表")
    add_heading_block(doc, [("单位", case.origin_org.name), ("制表日期", cn_date(clock.today()))])
    add_table(doc, ["项目", "内容"], mediation_pairs(case), widths=[1, 3])
    return doc


def mediation_ledger(case: Case, maker: str = "") -> Ledger:
    return Ledger(
        title="人民调解受理登记表",
        org_name=case.origin_org.name,
        year=case.year,
        area_name="平安建设",
        maker=maker,
        made_on=clock.today(),
        columns=[Column("项目", 18), Column("内容", 70)],
        rows=mediation_pairs(case),
        landscape=False,
    )
