"""Every read of surveys, starting from the models' ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Area
from shequ.surveys.models import Bank, BankQuestion, Respondent, Response, Survey


def survey_list(actor) -> QuerySet[Survey]:
    """The surveys in the actor's scope with their counts (filtered by ``filters.SurveyFilter``)."""
    qs = Survey.objects.visible_to(actor).select_related("org", "area")
    counts = {"n_responses": Count("responses", distinct=True), "n_respondents": Count("respondents", distinct=True)}
    return qs.annotate(**counts).order_by("-created_at", "-pk")


def survey_get(actor, pk: int) -> Survey:
    """A survey the actor may see, or 404 (also for another org's)."""
    survey = Survey.objects.visible_to(actor).select_related("org", "area", "created_by").filter(pk=pk).first()
    if survey is None:
        raise Http404("没有这份问卷。")
    return survey


def can_edit(actor, survey: Survey) -> bool:
    return access.can(actor, survey.org, Perm.RECORD_WORK, survey.area_id)


def bank_questions(actor, areas: QuerySet[Area]) -> list[BankQuestion]:
    banks = Bank.objects.visible_to(actor, Perm.RECORD_WORK).filter(area__in=areas)
    return list(BankQuestion.objects.filter(bank__in=banks).select_related("bank", "bank__area"))


def banks(actor, areas: QuerySet[Area]) -> QuerySet[Bank]:
    return Bank.objects.visible_to(actor, Perm.RECORD_WORK).filter(area__in=areas).select_related("area")


def respondents(survey: Survey, *, q: str = "") -> QuerySet[Respondent]:
    qs = survey.respondents.select_related("grid", "response")
    if q.isdigit():
        qs = qs.filter(number=int(q))
    elif q:
        qs = qs.filter(Q(name__contains=q) | Q(building=q))
    return qs


def respondent_get(survey: Survey, number: int) -> Respondent:
    found = survey.respondents.select_related("grid").filter(number=number).first()
    if found is None:
        raise Http404("没有这个问卷编号。")
    return found


def response_get(actor, pk: int) -> Response:
    found = (
        Response.objects.visible_to(actor)
        .select_related("survey", "survey__org", "survey__area", "respondent", "grid", "entered_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有这份答卷。")
    return found


def responses(survey: Survey) -> QuerySet[Response]:
    return (
        survey.responses.select_related("respondent", "grid", "entered_by")
        .prefetch_related("answers")
        .order_by("respondent__number", "pk")
    )
