"""A closed year's assessment does not change: no step of the cycle is taken, no community's assessment is opened,
and the page shows no form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shequ.assessment import services
from shequ.assessment.models import Assessment, Score, Stage
from shequ.records import services as record_services

pytestmark = pytest.mark.django_db
YEAR = 2025


def _started(p) -> Assessment:
    services.start(actor=p.admin, top=p.district, year=YEAR)
    return Assessment.objects.get(org=p.community_a, year=YEAR)


def test_a_closed_years_assessment_is_not_scored_or_moved_on(personas):
    a = _started(personas)
    record_services.year_close(actor=personas.leader_a, org=personas.community_a, year=YEAR)
    judged = next(s for s in Score.objects.filter(assessment=a).select_related("rubric") if s.spec.get("judged"))
    with pytest.raises(ValidationError, match="已关账"):
        services.self_save(actor=personas.leader_a, a=a, entries={judged.pk: {"score": "1"}})
    with pytest.raises(ValidationError, match="已关账"):
        services.self_submit(actor=personas.leader_a, a=a)
    a.refresh_from_db()
    judged.refresh_from_db()
    assert (a.stage, judged.self_score) == (Stage.SELF, None)


def test_no_assessment_is_opened_in_a_closed_year(personas):
    record_services.year_close(actor=personas.admin, org=personas.street, year=YEAR)
    assert services.start(actor=personas.admin, top=personas.district, year=YEAR) == 1  # only 社区C's street is open
    assert list(Assessment.objects.values_list("org__name", flat=True)) == ["社区C"]
    with pytest.raises(ValidationError, match="已关账"):
        services.start(actor=personas.admin, top=personas.street, year=YEAR)


def test_the_page_of_a_closed_years_assessment_offers_no_form(personas, client_for):
    a = _started(personas)
    record_services.year_close(actor=personas.leader_a, org=personas.community_a, year=YEAR)
    page = client_for(personas.leader_a).get(reverse("assessment:detail", args=[a.pk]))
    assert "考核结果已冻结" in page.content.decode()
    assert page.context["can_self"] is False
    posted = client_for(personas.leader_a).post(reverse("assessment:detail", args=[a.pk]), {"action": "self_submit"})
    assert posted.status_code == 200 and "已关账" in posted.content.decode()
