"""Surveys API: the surveys in scope, a questionnaire, its results (both formulas, with the interval), and
answers entered by a worker (a visit or a paper form), all or nothing; 404 outside scope."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from shequ.core.paging import ApiPagination
from shequ.surveys import selectors
from shequ.surveys.entry import WORKER_CHANNELS, parse_paper, record_response
from shequ.surveys.filters import SurveyFilter
from shequ.surveys.models import Channel
from shequ.surveys.results import Rate, survey_results

router = Router(tags=["问卷调查"])


class SurveyFilterIn(Schema):
    """The survey list's filters as the API documents them; ``SurveyFilter`` reads and checks them (400 when
    invalid)."""

    status: str = Field("", description="draft 草稿、open 调查中、closed 已结束；空为全部")
    org: str = Field("", description="调查单位id，含其下级")
    area: str = Field("", description="条线代码，如 health")
    year: str = Field("", description="开始年份")


class SurveyOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(..., alias="org.name")
    area: str = Field(..., alias="area.code")
    title: str
    audience: str
    status: str
    pass_mark: int
    opened_on: dt.date | None
    closed_on: dt.date | None
    respondents: int = Field(..., alias="n_respondents")
    responses: int = Field(..., alias="n_responses")


class QuestionOut(Schema):
    number: int
    kind: str
    text: str
    options: list[str]
    multiple: bool


class SurveyDetailOut(Schema):
    id: int
    org_id: int
    area: str = Field(..., alias="area.code")
    title: str
    intro: str
    audience: str
    status: str
    pass_mark: int
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


class RateOut(Schema):
    label: str
    numerator: int
    denominator: int
    people: int
    value: Decimal | None = Field(None, description="百分比；分母为0时为空（无数据）")
    interval_low: Decimal | None = Field(None, description="95% Wilson 置信区间下限（%）")
    interval_high: Decimal | None = None


class ResultsOut(Schema):
    survey_id: int
    responses: int
    drawn: int
    refused: int
    absent: int
    response_rate: RateOut | None
    knowledge: list[RateOut]
    behaviour: list[RateOut]
    satisfaction: RateOut | None


class ResponseIn(Schema):
    number: int | None = Field(None, description="问卷编号（调查对象）；抽样或工作人员调查必填")
    channel: str = Field(Channel.PAPER, description="visit 入户调查、paper 纸质问卷录入")
    answers: dict[int, str] = Field(..., description="题号 → 所填，如 {1: 'A', 2: 'BC', 3: '4'}（与纸质录入相同）")


class ResponseOut(Schema):
    id: int
    survey_id: int
    number: int | None = None
    knowledge_right: int
    knowledge_total: int
    behaviour_right: int
    behaviour_total: int

    @staticmethod
    def resolve_number(obj) -> int | None:
        return obj.respondent.number if obj.respondent_id else None


def _rate(rate: Rate | None) -> dict | None:
    if rate is None:
        return None
    low, high = rate.interval or (None, None)
    return {
        "label": rate.label,
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "people": rate.people,
        "value": rate.value,
        "interval_low": low,
        "interval_high": high,
    }


@router.get("/", response=list[SurveyOut], summary="问卷列表（本人管辖范围）")
@paginate(ApiPagination)
def list_surveys(request, filters: Query[SurveyFilterIn]):
    flt = SurveyFilter(request.GET, queryset=selectors.survey_list(request.user), actor=request.user)
    return flt.rows_or_error()


@router.get("/{int:survey_id}", response=SurveyDetailOut, summary="问卷及其题目")
def get_survey(request, survey_id: int):
    return selectors.survey_get(request.user, survey_id)


@router.get(
    "/{int:survey_id}/results", response=ResultsOut, summary="调查结果：知晓率、形成率（两种口径）、应答率、满意度"
)
def get_results(request, survey_id: int):
    r = survey_results(selectors.survey_get(request.user, survey_id))
    return {
        "survey_id": survey_id,
        "responses": r.n,
        "drawn": r.drawn,
        "refused": r.refused,
        "absent": r.absent,
        "response_rate": _rate(r.response_rate),
        "knowledge": [_rate(x) for x in r.knowledge] if r.has_knowledge else [],
        "behaviour": [_rate(x) for x in r.behaviour] if r.has_behaviour else [],
        "satisfaction": _rate(r.satisfaction),
    }


@router.get("/{int:survey_id}/responses", response=list[ResponseOut], summary="问卷的答卷（按问卷编号）")
@paginate(ApiPagination)
def list_responses(request, survey_id: int):
    survey = selectors.survey_get(request.user, survey_id)
    return survey.responses.select_related("respondent").order_by("respondent__number", "pk")


@router.post("/{int:survey_id}/responses", response={201: ResponseOut}, summary="录入一份答卷（入户或纸质）")
def create_response(request, survey_id: int, payload: ResponseIn):
    survey = selectors.survey_get(request.user, survey_id)
    if payload.channel not in WORKER_CHANNELS or payload.channel == Channel.IMPORT:
        raise ValidationError({"channel": ["填写方式应为 visit（入户调查）或 paper（纸质问卷录入）。"]})
    respondent = selectors.respondent_get(survey, payload.number) if payload.number is not None else None
    given = parse_paper(list(survey.questions.all()), payload.answers)
    response = record_response(
        actor=request.user, survey=survey, given=given, channel=payload.channel, respondent=respondent
    )
    return Status(201, response)
