"""Survey answers as nouns of the indicator catalogue, and the rates a survey measures: 健康知识知晓率 and
健康行为形成率 of residents, and the health staff's own 知晓率.

Question-based formula (reference/domain-formats.md §1.4): correct answers ÷ (questions × respondents). Each
response holds one answer row per question, so both sides count answer rows of the org's **latest closed
survey** of that area and audience in the year that has questions of that kind. The sample size is the count
of its responses (样本不足 below the template's minimum); the 95% Wilson interval is taken over them.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from shequ.core.indicators import Condition, Indicator, Measure, Noun, Period, RowColumn
from shequ.orgs.models import Org, served_path
from shequ.surveys.models import Answer, Audience, Question, QuestionKind, Response, Survey, SurveyStatus


def closed_surveys(area: str, audience: str, kind: str, period: Period):
    """Closed surveys of ``area`` and ``audience`` in the period with questions of ``kind``."""
    has_kind = Question.objects.filter(survey=OuterRef("pk"), kind=kind)
    return Survey.objects.filter(
        status=SurveyStatus.CLOSED,
        area__code=area,
        audience=audience,
        closed_on__gte=period.start,
        closed_on__lte=period.end,
    ).filter(Exists(has_kind))


def latest_surveys(value, period: Period):
    """Each org's latest closed survey (by closing day, then the later created) — a subquery, no query."""
    area, audience, kind = value["area"], value["audience"], value["kind"]
    later = (
        closed_surveys(area, audience, kind, period)
        .filter(org=OuterRef("org"))
        .filter(Q(closed_on__gt=OuterRef("closed_on")) | Q(closed_on=OuterRef("closed_on"), pk__gt=OuterRef("pk")))
    )
    return closed_surveys(area, audience, kind, period).filter(~Exists(later))


def _latest_text(value) -> str:
    audience = Audience(value["audience"]).label
    return f"本年最近一次结束的{audience}调查中的{QuestionKind(value['kind']).label}"


def answers_latest_q(value, period: Period) -> Q:
    return Q(response__survey__in=latest_surveys(value, period).values("pk"), question__kind=value["kind"])


def responses_latest_q(value, period: Period) -> Q:
    return Q(survey__in=latest_surveys(value, period).values("pk"))


def _answer_text(a: Answer) -> str:
    q = a.question
    if a.rating:
        return str(a.rating)
    if a.text:
        return a.text
    return "、".join(q.options[i] for i in a.choices if i < len(q.options)) or "（未答）"


ANSWERS = Noun(
    code="survey_answers",
    name="问卷答案",
    model=Answer,
    org="response__survey__org",
    date="response__survey__closed_on",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={
        "latest": Condition("最近一次调查", answers_latest_q, _latest_text),
        "correct": Condition("答对（知识题）或符合健康行为（行为题）", lambda _v, _p: Q(is_correct=True)),
    },
    columns=(
        RowColumn("问卷", lambda a: a.response.survey.title),
        RowColumn("答卷", lambda a: a.response_id),
        RowColumn("题号", lambda a: a.question.number),
        RowColumn("题目", lambda a: a.question.text),
        RowColumn("回答", _answer_text),
        RowColumn("答对/符合", lambda a: "是" if a.is_correct else "否"),
    ),
    related=("response__survey", "question"),
    url=lambda a: reverse("surveys:response", args=[a.response_id]),
)

RESPONSES = Noun(
    code="survey_responses",
    name="答卷",
    model=Response,
    org="survey__org",
    date="survey__closed_on",
    visible=lambda actor, qs, _sensitive: qs.visible_to(actor),
    conditions={"latest": Condition("最近一次调查", responses_latest_q, _latest_text)},
    columns=(
        RowColumn("问卷", lambda r: r.survey.title),
        RowColumn("答卷", lambda r: r.pk),
        RowColumn("填写方式", lambda r: r.get_channel_display()),
        RowColumn("知识题答对", lambda r: f"{r.knowledge_right}/{r.knowledge_total}"),
        RowColumn("行为题符合", lambda r: f"{r.behaviour_right}/{r.behaviour_total}"),
    ),
    related=("survey",),
    url=lambda r: reverse("surveys:response", args=[r.pk]),
)

NOUNS = (ANSWERS, RESPONSES)


def survey_sources(value):
    """Links to the surveys behind each asked org's figure (its own and its subtree's latest), in two
    queries."""

    def source(org_ids: list[int], period: Period) -> dict[int, list[tuple[str, str]]]:
        asked = Org.objects.filter(pk__in=org_ids).values_list("pk", "path", "kind", "unit_type")
        paths = {pk: served_path(path, kind, unit_type) for pk, path, kind, unit_type in asked}
        if not paths:
            return {}
        q = Q()
        for path in paths.values():
            q |= Q(org__path__startswith=path)
        out: dict[int, list[tuple[str, str]]] = defaultdict(list)
        rows = latest_surveys(value, period).filter(q).values_list("pk", "title", "closed_on", "org__path")
        for pk, title, closed_on, org_path in rows.order_by("org__path", "pk"):
            for org_id, path in paths.items():
                if org_path.startswith(path):
                    label = f"{title}（{closed_on.month}月{closed_on.day}日结束）的结果与答卷"
                    out[org_id].append((label, reverse("surveys:results", args=[pk])))
        return out

    return source


def rate(code: str, name: str, audience: str, kind: str, needs: tuple[str, ...], note: str = "") -> Indicator:
    latest = {"latest": {"area": "health", "audience": audience, "kind": kind}}
    what = QuestionKind(kind).label
    right = "答对的" if kind == QuestionKind.KNOWLEDGE else "符合健康行为的"
    return Indicator(
        code=code,
        name=name,
        area="health",
        numerator=Measure("survey_answers", f"{right}{what}答案数", {**latest, "correct": True}),
        denominator=Measure("survey_answers", f"{what}答案数（每份问卷{what}数 × 调查人数）", latest),
        sample=Measure("survey_responses", "答卷份数", latest),
        interval=True,
        measured=True,
        source=survey_sources(latest["latest"]),
        needs=needs,
        note=note,
    )


FORMULA = (
    "按题目计算（domain-formats §1.4）：{right}题目总数 ÷ （每份问卷{what}数 × 调查人数） × 100%；"
    "取本年最近一次结束的调查。"
)

INDICATORS = (
    rate(
        "health_knowledge_rate",
        "居民健康知识知晓率",
        Audience.RESIDENTS,
        QuestionKind.KNOWLEDGE,
        ("居民健康素养问卷调查（抽样、答卷）",),
        FORMULA.format(right="答对健康知识", what="健康知识题"),
    ),
    rate(
        "health_behaviour_rate",
        "居民健康行为形成率",
        Audience.RESIDENTS,
        QuestionKind.BEHAVIOUR,
        ("居民健康行为问卷调查（抽样、答卷）",),
        FORMULA.format(right="符合健康行为", what="健康行为题"),
    ),
    rate(
        "health_staff_knowledge_rate",
        "健康教育人员健康知识知晓率",
        Audience.STAFF,
        QuestionKind.KNOWLEDGE,
        ("工作人员健康知识问卷调查（答卷）",),
        FORMULA.format(right="答对健康知识", what="健康知识题"),
    ),
)
