"""The residents' side (/p/s/): a sampled resident answers once through the personal link (no login); an
open survey takes one anonymous answer per device, and at most ``hourly_limit`` an hour from one address."""

from __future__ import annotations

import hashlib
import secrets

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from shequ.core.forms import add_service_errors
from shequ.surveys.entry import record_response
from shequ.surveys.forms import AnswerForm
from shequ.surveys.models import Audience, Channel, Respondent, Response, Survey, SurveyStatus

DEVICE_COOKIE = "shequ_device"
COOKIE_AGE = 400 * 24 * 3600


def _page(request, survey, form, **extra):
    return render(request, "surveys/public.html", {"survey": survey, "form": form, **extra})


def personal(request, token: str):
    respondent = (
        Respondent.objects.select_related("survey", "survey__org").filter(token=token).first() if token else None
    )
    if respondent is None:
        raise Http404("链接无效。")
    survey = respondent.survey
    if Response.objects.filter(respondent=respondent).exists():
        return _page(request, survey, None, done=True, already=True)
    if survey.status != SurveyStatus.OPEN:
        return _page(request, survey, None, not_open=True)
    form = AnswerForm(request.POST or None, questions=list(survey.questions.all()))
    if request.method == "POST" and form.is_valid():
        try:
            record_response(actor=None, survey=survey, given=form.given(), channel=Channel.LINK, respondent=respondent)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _page(request, survey, None, done=True)
    return _page(request, survey, form, respondent=respondent)


def _device(request) -> tuple[str, bool]:
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    fresh = len(raw) != 32
    if fresh:
        raw = secrets.token_hex(16)
    return raw, fresh


def open_survey(request, token: str):
    survey = Survey.objects.select_related("org").filter(public_token=token, audience=Audience.OPEN).first()
    if survey is None or not token:
        raise Http404("链接无效。")
    raw, fresh = _device(request)
    device = hashlib.sha256(f"{survey.pk}:{raw}".encode()).hexdigest()
    if not fresh and Response.objects.filter(survey=survey, device=device).exists():
        response = _page(request, survey, None, done=True, already=True)
    elif survey.status != SurveyStatus.OPEN:
        response = _page(request, survey, None, not_open=True)
    else:
        form = AnswerForm(request.POST or None, questions=list(survey.questions.all()), profile=True)
        response = None
        if request.method == "POST" and form.is_valid():
            limited = is_ratelimited(
                request,
                group=f"survey-open-{survey.pk}",
                key=lambda _g, r: get_client_ip_address(r) or "",
                rate=f"{survey.hourly_limit}/h",
                increment=True,
            )
            if limited:
                form.add_error(None, "提交过于频繁，请稍后再试。")
            else:
                try:
                    record_response(
                        actor=None,
                        survey=survey,
                        given=form.given(),
                        channel=Channel.OPEN,
                        gender=form.cleaned_data.get("gender") or "",
                        age=form.cleaned_data.get("age"),
                        device=device,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    response = _page(request, survey, None, done=True)
        if response is None:
            response = _page(request, survey, form)
    if fresh:
        secure = request.is_secure()
        response.set_cookie(DEVICE_COOKIE, raw, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=secure)
    return response
