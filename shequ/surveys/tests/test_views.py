"""The survey pages: building, sampling, entering on a visit and from paper, the residents' links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shequ.surveys import services
from shequ.surveys.models import Bank, Response, Survey, SurveyStatus
from shequ.surveys.tests.helpers import health_survey, registry, respond


def test_a_worker_builds_a_survey_from_whole_banks(personas, client_for):
    c = client_for(personas.worker_a)
    assert c.get(reverse("surveys:create")).status_code == 200
    literacy = Bank.objects.get(area__code="health", code="literacy")
    behaviour = Bank.objects.get(area__code="health", code="behaviour")
    r = c.post(
        reverse("surveys:create"),
        {
            "org": personas.community_a.pk,
            "area": literacy.area_id,
            "title": "2026年居民健康素养调查",
            "audience": "residents",
            "pass_mark": 80,
            "banks": [literacy.pk, behaviour.pk],
        },
    )
    survey = Survey.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("surveys:detail", args=[survey.pk])
    assert survey.questions.count() == literacy.questions.count() + behaviour.questions.count()


def test_a_survey_without_questions_is_refused_with_the_form_kept(personas, client_for):
    c = client_for(personas.worker_a)
    r = c.post(reverse("surveys:create"), {"org": personas.community_a.pk, "area": 1, "title": "空问卷",
                                           "audience": "residents", "pass_mark": 80})  # fmt: skip
    assert r.status_code == 200
    assert "请至少选用一个题库或一道题目" in r.content.decode()
    assert "空问卷" in r.content.decode()
    assert not Survey.objects.exists()


def _running(personas, size=3):
    registry(personas.community_a, households=size, members=1)
    survey = health_survey(personas.worker_a, personas.community_a, knowledge=2, behaviour=1)
    services.draw_sample(actor=personas.worker_a, survey=survey, size=size, seed=1)
    services.survey_open(actor=personas.worker_a, survey=survey)
    return survey


def test_a_paper_form_is_typed_as_a_number_and_letters(personas, client_for):
    survey = _running(personas)
    c = client_for(personas.worker_a)
    q1 = survey.questions.get(number=1)
    right = "".join(chr(65 + i) for i in q1.correct)
    r = c.post(reverse("surveys:paper", args=[survey.pk]), {"number": 2, "q1": right.lower(), "q2": "", "q3": "1"})
    assert r.status_code == 302
    response = Response.objects.get()
    assert response.respondent.number == 2 and response.channel == "paper"
    assert response.knowledge_right == 1 and response.knowledge_total == 2


def test_a_paper_form_with_a_bad_cell_keeps_what_was_typed(personas, client_for):
    survey = _running(personas)
    c = client_for(personas.worker_a)
    r = c.post(reverse("surveys:paper", args=[survey.pk]), {"number": 1, "q1": "Z", "q2": "A", "q3": "A"})
    body = r.content.decode()
    assert r.status_code == 200 and "第1题：只有" in body and 'value="Z"' in body
    assert not Response.objects.exists()
    r = c.post(reverse("surveys:paper", args=[survey.pk]), {"number": 99, "q1": "A"})
    assert "没有这个问卷编号" in r.content.decode()


def test_a_resident_answers_once_through_the_personal_link(personas, client):
    survey = _running(personas)
    respondent = survey.respondents.get(number=1)
    url = reverse("survey_public:personal", args=[respondent.token])
    assert client.get(url).status_code == 200
    r = client.post(url, {"q1": "0", "q2": "0", "q3": "0"})
    assert r.status_code == 200 and "提交成功" in r.content.decode()
    assert Response.objects.get().channel == "link"
    r = client.post(url, {"q1": "1"})
    assert "您已经提交过" in r.content.decode()
    assert Response.objects.count() == 1
    assert client.get(reverse("survey_public:personal", args=["nonsense"])).status_code == 404


def test_an_open_survey_takes_one_answer_per_device_and_limits_an_address(personas, client):
    from django.test import Client

    from shequ.orgs.models import Area
    from shequ.surveys.tests.helpers import bank_questions

    survey = services.survey_create(
        actor=personas.worker_a,
        org=personas.community_a,
        area=Area.objects.get(code="health"),
        title="满意度",
        audience="open",
        questions=bank_questions("health", "satisfaction"),
    )
    services.survey_open(actor=personas.worker_a, survey=survey)
    Survey.objects.filter(pk=survey.pk).update(hourly_limit=2)
    url = reverse("survey_public:open", args=[survey.public_token])
    client.get(url)  # the device cookie
    assert "提交成功" in client.post(url, {"q1": "5", "gender": "F", "age": "40"}).content.decode()
    assert "您已经提交过" in client.post(url, {"q1": "4"}).content.decode()
    other = Client()
    other.get(url)
    assert "提交成功" in other.post(url, {"q1": "3"}).content.decode()
    third = Client()
    third.get(url)
    assert "提交过于频繁" in third.post(url, {"q1": "3"}).content.decode()
    assert Response.objects.filter(survey=survey).count() == 2


def test_closed_survey_links_say_so(personas, client):
    survey = _running(personas)
    services.survey_close(actor=personas.worker_a, survey=survey)
    r = client.get(reverse("survey_public:personal", args=[survey.respondents.first().token]))
    assert "已经结束" in r.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_survey_pages_run_a_fixed_number_of_queries(n, personas, client_for, django_assert_max_num_queries):
    survey = _running(personas, size=n)
    for r in survey.respondents.all():
        respond(personas.worker_a, survey, r, {1: True, 2: r.number % 2 == 0, 3: True})
    c = client_for(personas.leader_a)
    for name in ("surveys:detail", "surveys:results", "surveys:answers"):
        with django_assert_max_num_queries(22):
            assert c.get(reverse(name, args=[survey.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert c.get(reverse("surveys:list")).status_code == 200
    assert survey.status == SurveyStatus.OPEN
