"""Dashboard card of surveys: those under way in the user's scope."""

from __future__ import annotations

from django.urls import reverse

from shequ.surveys.models import Survey, SurveyStatus


def survey_cards(user) -> list[dict]:
    running = Survey.objects.visible_to(user).filter(status=SurveyStatus.OPEN).count()
    if not running:
        return []
    return [{"label": "调查中的问卷", "value": running, "url": reverse("surveys:list") + "?status=open"}]
