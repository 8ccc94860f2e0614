"""The surveys' ledgers: the questionnaire as a printable A4 form, the answers table, and the results report
with a chart per question (PNG images in docx and PDF). Each is about one survey (``?survey=``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.http import Http404

from shequ.ledgers.declare import Column, Context, Filter, Kind, Ledger, Photo, Table
from shequ.surveys import charts, selectors
from shequ.surveys.entry import letter
from shequ.surveys.models import QuestionKind, Survey
from shequ.surveys.results import GENDERS, survey_results


def export_year(survey: Survey) -> int:
    """The year a survey's ledgers are filed under: the year it closed (or opened, or was created)."""
    return survey.year or survey.created_at.year


def _survey_pk(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise ValueError("请填写问卷的编号。")
    return int(text)


def _prepare(ctx: Context) -> None:
    pk = ctx.filters.get("survey")
    if pk is None:
        raise Http404("请选择问卷。")
    survey = selectors.survey_get(ctx.actor, pk)
    if survey.org_id != ctx.org.pk or export_year(survey) != ctx.year:
        raise Http404
    ctx.subject = survey
    ctx.area = survey.area


FILTERS = [Filter("survey", "问卷", _survey_pk)]


def _options(q) -> str:
    if q.kind == QuestionKind.RATING:
        return "1.很不满意  2.不满意  3.一般  4.满意  5.很满意"
    if q.kind == QuestionKind.TEXT:
        return ""
    return "  ".join(f"{letter(i)}.{o}" for i, o in enumerate(q.options)) + ("（可多选）" if q.multiple else "")


def _form_notes(ctx: Context) -> list[str]:
    s: Survey = ctx.subject
    lines = [s.intro] if s.intro else []
    return [
        *lines,
        "问卷编号：________  调查员：________  调查日期：____年__月__日  性别：□男 □女  年龄：____岁",
        "填写方式：在“答案”栏填写所选选项的字母（多选题可填多个），评分题填1–5分。",
    ]


QUESTIONNAIRE = Ledger(
    code="survey-form",
    title="调查问卷",
    area=None,
    orientation="portrait",
    filters=FILTERS,
    prepare=_prepare,
    title_for=lambda ctx: ctx.subject.title,
    name_for=lambda ctx: "调查问卷",
    columns=[
        Column("题号", Kind.SERIAL),
        Column("题目", Kind.TEXT, lambda q: q.text),
        Column("选项", Kind.TEXT, _options),
        Column("答案", Kind.SHORT, lambda q: ""),
    ],
    rows=lambda ctx: list(ctx.subject.questions.all()),
    notes=_form_notes,
    notes_heading="填写说明",
    signatures=("调查员", "受访者", "质控员"),
)


def _answer_rows(ctx: Context) -> Iterable:
    questions = list(ctx.subject.questions.all())
    for r in selectors.responses(ctx.subject):
        by_q = {a.question_id: a for a in r.answers.all()}
        cells = []
        for q in questions:
            a = by_q.get(q.pk)
            value = "" if a is None else (str(a.rating or "") or a.text or "".join(letter(i) for i in a.choices))
            cells.append(f"{q.number}{value or '—'}")
        r.cells = " ".join(cells)
        yield r


ANSWERS = Ledger(
    code="survey-answers",
    title="问卷答卷表",
    area=None,
    filters=FILTERS,
    prepare=_prepare,
    title_for=lambda ctx: f"{ctx.subject.title}答卷表",
    name_for=lambda ctx: "答卷表",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("问卷编号", Kind.NUMBER, lambda r: r.respondent.number if r.respondent_id else ""),
        Column("网格", Kind.SHORT, lambda r: r.grid.name if r.grid_id else ""),
        Column("楼栋", Kind.SHORT, lambda r: r.building),
        Column("性别", Kind.SHORT, lambda r: GENDERS.get(r.gender, "")),
        Column("年龄", Kind.NUMBER, lambda r: r.age if r.age is not None else ""),
        Column("填写方式", Kind.SHORT, lambda r: r.get_channel_display()),
        Column("知识题答对", Kind.SHORT, lambda r: f"{r.knowledge_right}/{r.knowledge_total}"),
        Column("行为题符合", Kind.SHORT, lambda r: f"{r.behaviour_right}/{r.behaviour_total}"),
        Column("答案（题号+选项）", Kind.TEXT, lambda r: r.cells),
    ],
    rows=_answer_rows,
    signatures=("制表人", "审核人"),
)


def _results(ctx: Context):
    """The survey's results, worked out once per export (the tables all read them)."""
    found = getattr(ctx, "survey_results", None)
    if found is None:
        found = survey_results(ctx.subject)
        ctx.survey_results = found
    return found


def _rate_rows(ctx: Context) -> list[tuple]:
    res = _results(ctx)
    rows = [("样本量", "答卷份数", f"{res.n}份", "", "")]
    if res.response_rate:
        rr = res.response_rate
        rows.append(("应答率", rr.label, rr.text, f"{rr.numerator}/{rr.denominator}", ""))
    for title, rates, present in (
        ("健康知识知晓率", res.knowledge, res.has_knowledge),
        ("健康行为形成率", res.behaviour, res.has_behaviour),
    ):
        if present:
            rows += [(title, r.label, r.text, f"{r.numerator}/{r.denominator}", r.interval_text) for r in rates]
    if res.satisfaction:
        s = res.satisfaction
        rows.append(("满意度", f"平均分{res.satisfaction_mean or '无数据'}（满分5分）；{s.label}", s.text, "", ""))
    return rows


def _group_rows(ctx: Context) -> list[tuple]:
    res = _results(ctx)
    return [(title, g.label, g.n, g.knowledge.text, g.behaviour.text) for title, gs in res.groups.items() for g in gs]


def _chart(ctx: Context, qr) -> list[Photo]:
    if not ctx.on_paper or not qr.options:
        return []
    name = f"survey-{ctx.subject.pk}-q{qr.question.number}.png"
    return [Photo(ContentFile(charts.png(qr), name=name), None, f"第{qr.question.number}题")]


def _question_rows(ctx: Context) -> list[tuple]:
    res = _results(ctx)
    out = []
    for qr in res.questions:
        if qr.right:
            figure = f"答对/符合率{qr.right.text}"
        elif qr.mean is not None:
            figure = f"平均分{qr.mean}，满意率{qr.satisfied.text}"
        else:
            figure = "；".join(f"{o.letter}.{o.count}人" for o in qr.options) or f"{len(qr.texts)}条意见"
        out.append((qr, figure, _chart(ctx, qr)))
    return out


REPORT = Ledger(
    code="survey-report",
    title="问卷调查结果报告",
    area=None,
    orientation="portrait",
    filters=FILTERS,
    prepare=_prepare,
    title_for=lambda ctx: f"{ctx.subject.title}结果报告",
    name_for=lambda ctx: "调查结果报告",
    columns=[
        Column("指标", Kind.SHORT, lambda r: r[0]),
        Column("口径", Kind.TEXT, lambda r: r[1]),
        Column("结果", Kind.SHORT, lambda r: r[2]),
        Column("分子/分母", Kind.SHORT, lambda r: r[3]),
        Column("95%置信区间", Kind.SHORT, lambda r: r[4]),
    ],
    rows=_rate_rows,
    more=[
        Table(
            "各题结果",
            [
                Column("题号", Kind.NUMBER, lambda r: r[0].question.number),
                Column("题目", Kind.TEXT, lambda r: r[0].question.text),
                Column("作答人数", Kind.NUMBER, lambda r: r[0].answered),
                Column("结果", Kind.TEXT, lambda r: r[1]),
                Column("图表", Kind.PHOTOS, lambda r: r[2]),
            ],
            _question_rows,
        ),
        Table(
            "分组结果（按题目计算）",
            [
                Column("分组", Kind.SHORT, lambda r: r[0]),
                Column("组别", Kind.SHORT, lambda r: r[1]),
                Column("人数", Kind.NUMBER, lambda r: r[2]),
                Column("知晓率", Kind.SHORT, lambda r: r[3]),
                Column("形成率", Kind.SHORT, lambda r: r[4]),
            ],
            _group_rows,
        ),
    ],
    signatures=("制表人", "审核人", "负责人"),
)

LEDGERS = (QUESTIONNAIRE, ANSWERS, REPORT)
