"""The surveys API: scoped lists, the questionnaire, results with both formulas and the interval, and answers
entered all or nothing."""

from __future__ import annotations

import json

import pytest

from shequ.surveys import services
from shequ.surveys.models import Response
from shequ.surveys.tests.test_results import three_answered

pytestmark = pytest.mark.django_db
BASE = "/api/surveys/"


def test_list_is_scoped_and_filtered(personas, client_for):
    survey = three_answered(personas)
    mine = client_for(personas.worker_a).get(BASE).json()
    assert [s["title"] for s in mine["items"]] == [survey.title]
    assert mine["items"][0]["responses"] == 3 and mine["items"][0]["respondents"] == 4
    assert mine["items"][0]["status"] == "open" and mine["items"][0]["area"] == "health"
    assert client_for(personas.worker_b).get(BASE).json()["count"] == 0
    assert client_for(personas.worker_a).get(BASE, {"status": "closed"}).json()["count"] == 0
    wrong = client_for(personas.worker_a).get(BASE, {"status": "done"})
    assert wrong.status_code == 400 and "status" in wrong.json()["detail"]
    assert client_for(personas.worker_a).get(BASE, {"area": "safety"}).json()["count"] == 0
    assert client_for(personas.supervisor).get(BASE, {"org": personas.street.pk}).json()["count"] == 1
    assert client_for(personas.worker_b).get(BASE, {"org": personas.community_a.pk}).json()["count"] == 0


def test_questionnaire_and_404_outside_scope(personas, client_for):
    survey = three_answered(personas)
    body = client_for(personas.worker_a).get(f"{BASE}{survey.pk}").json()
    assert [q["number"] for q in body["questions"]] == [1, 2, 3, 4, 5, 6]
    assert body["questions"][0]["options"] and body["questions"][0]["kind"] == "knowledge"
    refused = client_for(personas.worker_b).get(f"{BASE}{survey.pk}")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert client_for(personas.worker_b).get(f"{BASE}{survey.pk}/results").status_code == 404


def test_results_give_both_formulas_with_the_interval(personas, client_for):
    # The hand-worked example of test_results: 9/12 = 75% by questions (Wilson 25.6–96.3%), 1/3 by persons.
    survey = three_answered(personas)
    body = client_for(personas.worker_a).get(f"{BASE}{survey.pk}/results").json()
    by_q, by_p = body["knowledge"]
    assert (by_q["numerator"], by_q["denominator"], by_q["value"]) == (9, 12, "75.00")
    assert (by_q["interval_low"], by_q["interval_high"]) == ("25.6", "96.3")
    assert (by_p["numerator"], by_p["denominator"], by_p["value"]) == (1, 3, "33.33")
    assert body["behaviour"][0]["value"] == "50.00"
    assert body["responses"] == 3 and body["drawn"] == 4 and body["response_rate"]["value"] == "75.00"


def test_a_paper_form_entered_through_the_api(personas, client_for):
    survey = three_answered(personas)
    right = {q.number: "".join("ABCDEFGHIJ"[i] for i in q.correct) for q in survey.questions.all()}
    client = client_for(personas.worker_a)
    post = client.post(
        f"{BASE}{survey.pk}/responses",
        json.dumps({"number": 4, "answers": right}),
        content_type="application/json",
    )
    assert post.status_code == 201, post.content
    body = post.json()
    assert body["number"] == 4 and (body["knowledge_right"], body["knowledge_total"]) == (4, 4)
    listed = client.get(f"{BASE}{survey.pk}/responses").json()
    assert listed["count"] == 4 and [r["number"] for r in listed["items"]] == [1, 2, 3, 4]
    assert client_for(personas.worker_b).get(f"{BASE}{survey.pk}/responses").status_code == 404
    again = client.post(
        f"{BASE}{survey.pk}/responses", json.dumps({"number": 4, "answers": right}), content_type="application/json"
    )
    assert again.status_code == 400 and "已提交过答卷" in json.dumps(again.json(), ensure_ascii=False)


def test_a_wrong_answer_saves_nothing_and_names_the_question(personas, client_for):
    survey = three_answered(personas)
    before = Response.objects.count()
    post = client_for(personas.worker_a).post(
        f"{BASE}{survey.pk}/responses",
        json.dumps({"number": 4, "answers": {1: "Z", 2: "A"}}),
        content_type="application/json",
    )
    assert post.status_code == 400 and "第1题" in json.dumps(post.json(), ensure_ascii=False)
    assert Response.objects.count() == before


def test_entry_needs_the_right_to_record_work(personas, client_for):
    survey = three_answered(personas)
    services.survey_close(actor=personas.worker_a, survey=survey)
    closed = client_for(personas.worker_a).post(
        f"{BASE}{survey.pk}/responses", json.dumps({"number": 4, "answers": {1: "A"}}), content_type="application/json"
    )
    assert closed.status_code == 400 and "不在调查中" in json.dumps(closed.json(), ensure_ascii=False)
    inspector = client_for(personas.inspector).post(
        f"{BASE}{survey.pk}/responses", json.dumps({"number": 4, "answers": {1: "A"}}), content_type="application/json"
    )
    assert inspector.status_code == 403
