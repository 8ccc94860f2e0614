"""The office form of a report (``?form=dispute_monthly&period=3``): for the community that owes it, its report as
submitted; for a street or a district, the sum of the reports of the communities below it, with who has reported.
Through the ledger layer: xlsx, docx and PDF, the export right in the form's line of work, the audit row."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from shequ.ledgers.declare import BadFilter, Column, Context, Filter, Kind, Ledger, Table
from shequ.reports import selectors
from shequ.reports.models import State, Submission
from shequ.reports.periods import count


def _period_no(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError("请填写1至12之间的期次。")
    return int(text)


def _prepare(ctx: Context) -> None:
    code, no = ctx.filters.get("form"), ctx.filters.get("period")
    if not code or no is None:
        raise BadFilter("请选择报表和期次。")
    form = selectors.form_get(code)
    if no > count(form.cycle) or ctx.year is None:
        raise Http404
    ctx.area = form.area
    data = selectors.rollup(ctx.actor, form=form, focus=ctx.org, year=ctx.year, no=no)
    own = None
    own_form = ctx.org.kind in form.kinds
    if own_form:
        own = (
            Submission.objects.filter(form=form, org=ctx.org, year=ctx.year, period_no=no)
            .exclude(state=State.RETURNED)
            .first()
        )
    totals = dict(zip([f["code"] for f in data["fields"]], [v for _label, v in data["total"]], strict=True))
    rows = []
    for f in form.fields:
        text = f.get("kind") == "text"
        value = totals.get(f["code"], "")
        if text:
            value = (own.values.get(f["code"], "") if own else "") if own_form else "见各单位报表"
        rows.append({"label": f["label"], "value": value})
    ctx.subject = {"form": form, "data": data, "own": own, "rows": rows}
    ctx.detail = {"form": form.code, "period": data["period"].label}


def _notes(ctx: Context) -> list[str]:
    s = ctx.subject
    form, data, own = s["form"], s["data"], s["own"]
    period = data["period"]
    due = f"{period.due.year}年{period.due.month}月{period.due.day}日"
    lines = [f"报送期次：{period.label}；报送截止：{due}；报送对象：{form.receiver or '上级单位'}。"]
    if ctx.org.kind in form.kinds:
        if own is None:
            lines.append("本期尚未报送（或已退回待重报）。")
        else:
            lines.append(f"状态：{own.get_state_display()}（第{own.revision}次报送）。")
            if own.zero:
                lines.append(f"零报告：{form.zero_text}。")
    else:
        lines.append(f"汇总：应报{data['owing']}个单位，已报{data['reported']}个（退回待重报的不计入）。")
        if data["missing"]:
            lines.append("未报：" + "、".join(o.name for o in data["missing"]) + "。")
    return lines


def _progress(ctx: Context) -> list[dict]:
    """A community's own report: its history; a street's or district's: each org below it, reported or not."""
    s = ctx.subject
    if ctx.org.kind in s["form"].kinds:
        if s["own"] is None:
            return []
        events = s["own"].events.select_related("actor").order_by("at", "pk")
        return [
            {
                "who": e.actor.display_name or e.actor.username,
                "what": e.get_kind_display() + (f"：{e.reason}" if e.reason else ""),
                "on": timezone.localtime(e.at).date(),
            }
            for e in events
        ]
    return [
        {"who": r["name"], "what": f"已报{r['reported']}个，应报{r['owing']}个", "on": None} for r in s["data"]["rows"]
    ]


REPORT = Ledger(
    code="report",
    title="信息报送报表",
    area=None,
    orientation="portrait",
    filters=[Filter("form", "报表"), Filter("period", "期次", _period_no)],
    prepare=_prepare,
    title_for=lambda ctx: f"{ctx.subject['form'].name}（{ctx.subject['data']['period'].label}）",
    name_for=lambda ctx: f"{ctx.subject['form'].name}-{ctx.subject['data']['period'].short}",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("项目", Kind.TEXT, lambda r: r["label"]),
        Column("数据", Kind.TEXT, lambda r: r["value"]),
    ],
    rows=lambda ctx: ctx.subject["rows"],
    more=[
        Table(
            heading="报送情况",
            columns=[
                Column("序号", Kind.SERIAL),
                Column("单位/人员", Kind.NAME, lambda r: r["who"]),
                Column("情况", Kind.TEXT, lambda r: r["what"]),
                Column("日期", Kind.DATE, lambda r: r["on"]),
            ],
            rows=_progress,
        ),
    ],
    notes=_notes,
    notes_heading="说明",
    signatures=("填表人", "审核人", "单位负责人"),
)

LEDGERS = (REPORT,)
