"""Entering answers: on a visit (a phone, one tap per option), from paper (keyboard only: a number, then
letters, Enter to move on), and from a spreadsheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import add_service_errors
from shequ.surveys import importing, selectors
from shequ.surveys.entry import parse_paper, record_response
from shequ.surveys.forms import AnswerForm, ImportForm
from shequ.surveys.models import Audience, Channel, SurveyStatus


def _running(request, pk: int):
    survey = selectors.survey_get(request.user, pk)
    access.check(request.user, survey.org, Perm.RECORD_WORK, survey.area_id)
    return survey


def _closed_page(request, survey):
    if survey.status != SurveyStatus.OPEN:
        messages.error(request, "问卷不在调查中，不能录入答卷。")
        return redirect("surveys:detail", survey.pk)
    return None


@login_required
def enter_visit(request, pk: int, number: int):
    """A worker on a visit fills the respondent's answers on the phone."""
    survey = _running(request, pk)
    if (closed := _closed_page(request, survey)) is not None:
        return closed
    respondent = selectors.respondent_get(survey, number)
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            record_response(
                actor=request.user, survey=survey, given=form.given(), channel=Channel.VISIT, respondent=respondent
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{respondent.number}号（{respondent.name}）的答卷已保存。")
            return redirect(reverse("surveys:detail", args=[pk]) + "#respondents")
    return render(
        request, "surveys/enter.html", {"survey": survey, "form": form, "respondent": respondent, "paper": False}
    )


@login_required
def enter_paper(request, pk: int):
    """Paper forms typed one after another: the number, the letters, Enter; the page comes back empty for the
    next form with a count of those saved."""
    survey = _running(request, pk)
    if (closed := _closed_page(request, survey)) is not None:
        return closed
    questions = list(survey.questions.all())
    sampled = survey.audience != Audience.OPEN
    form = AnswerForm(
        request.POST or None,
        questions=questions,
        paper=True,
        respondents=True if sampled else None,
        profile=not sampled,
    )
    if request.method == "POST" and form.is_valid():
        try:
            respondent = None
            if sampled:
                respondent = selectors.respondent_get(survey, form.cleaned_data["number"])
            given = parse_paper(questions, form.cells())
            record_response(
                actor=request.user,
                survey=survey,
                given=given,
                channel=Channel.PAPER,
                respondent=respondent,
                gender=form.cleaned_data.get("gender") or "",
                age=form.cleaned_data.get("age"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Http404:
            form.add_error("number", "没有这个问卷编号。")
        else:
            who = f"{respondent.number}号" if respondent else "一份"
            messages.success(request, f"{who}答卷已保存（共{survey.responses.count()}份）。")
            return redirect("surveys:paper", pk)
    return render(
        request,
        "surveys/enter.html",
        {"survey": survey, "form": form, "paper": True, "saved": survey.responses.count()},
    )


@login_required
def enter_import(request, pk: int):
    survey = _running(request, pk)
    if (closed := _closed_page(request, survey)) is not None:
        return closed
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importing.import_answers(actor=request.user, survey=survey, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not report.errors:
                messages.success(request, f"已导入{report.saved}份答卷。")
                return redirect("surveys:results", pk)
    questions = list(survey.questions.all())
    return render(
        request,
        "surveys/import.html",
        {"survey": survey, "form": form, "report": report, "questions": questions},
    )
