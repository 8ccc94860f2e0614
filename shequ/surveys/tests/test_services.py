"""Building a survey, drawing its sample and entering answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.surveys import services
from shequ.surveys.entry import Given, parse_cell, parse_paper, record_response
from shequ.surveys.models import Answer, Channel, Question, QuestionKind, RespondentStatus, SurveyStatus
from shequ.surveys.tests.helpers import health_survey, registry, respond


def test_a_survey_copies_its_questions_from_the_banks(personas):
    survey = health_survey(personas.worker_a, personas.community_a, knowledge=3, behaviour=2)
    kinds = list(survey.questions.values_list("number", "kind"))
    assert kinds == [(1, "knowledge"), (2, "knowledge"), (3, "knowledge"), (4, "behaviour"), (5, "behaviour")]
    first = survey.questions.get(number=1)
    assert first.source.text == first.text and first.correct == first.source.correct


def test_a_worker_of_another_community_cannot_build_a_survey_here(personas):
    with pytest.raises(PermissionDenied):
        health_survey(personas.worker_b, personas.community_a)


def test_the_sample_is_reproducible_with_its_seed_and_takes_one_person_per_household(personas):
    registry(personas.community_a, households=12, members=3)
    survey = health_survey(personas.worker_a, personas.community_a)
    first = [r.person_id for r in services.draw_sample(actor=personas.worker_a, survey=survey, size=8, seed=7)]
    again = [r.person_id for r in services.draw_sample(actor=personas.worker_a, survey=survey, size=8, seed=7)]
    other = [r.person_id for r in services.draw_sample(actor=personas.worker_a, survey=survey, size=8, seed=8)]
    assert first == again
    assert first != other
    assert len(first) == 8
    households = survey.respondents.values_list("person__household_id", flat=True)
    assert len(set(households)) == 8
    assert survey.sampling["frame"] == 36 and survey.sampling["units"] == 12


def test_the_frame_keeps_ages_15_to_69_and_one_building_when_asked(personas):
    registry(personas.community_a, households=4, members=1, born=1980)
    registry(personas.community_a, households=3, members=1, born=2018)  # children
    survey = health_survey(personas.worker_a, personas.community_a)
    drawn = services.draw_sample(actor=personas.worker_a, survey=survey, size=100, seed=1)
    assert len(drawn) == 4
    drawn = services.draw_sample(actor=personas.worker_a, survey=survey, size=100, seed=1, building="1")
    assert {r.building for r in drawn} == {"1"}


def test_staff_respondents_are_the_staff_of_the_org(personas):
    survey = health_survey(personas.worker_a, personas.community_a, audience="staff")
    names = {r.name for r in services.add_staff(actor=personas.worker_a, survey=survey)}
    assert {"社区A专干", "社区A书记", "A网格员"} <= names
    assert "居民甲" not in names and "社区B专干" not in names


@pytest.mark.parametrize(
    ("kind", "options", "correct", "raw", "expected"),
    [
        ("knowledge", ["a", "b", "c", "d"], [0, 2], "ac", [0, 2]),
        ("knowledge", ["a", "b", "c", "d"], [0, 2], "1 3", [0, 2]),
        ("single", ["a", "b", "c"], [], "B", [1]),
        ("multiple", ["a", "b", "c"], [], "C、A", [0, 2]),
        ("single", ["a", "b"], [], "", []),
    ],
)
def test_paper_cells_are_letters_or_digits(kind, options, correct, raw, expected):
    q = Question(number=3, kind=kind, text="题", options=options, correct=correct)
    assert parse_cell(q, raw).choices == expected


def test_paper_cells_refuse_what_the_form_cannot_hold():
    single = Question(number=2, kind="single", text="题", options=["a", "b"])
    rating = Question(number=5, kind="rating", text="评分")
    with pytest.raises(ValidationError, match="第2题：只有A–B"):
        parse_cell(single, "C")
    with pytest.raises(ValidationError, match="第2题是单选题"):
        parse_cell(single, "AB")
    with pytest.raises(ValidationError, match="第5题：评分应为1到5"):
        parse_cell(rating, "6")
    assert parse_cell(rating, "4").rating == 4
    with pytest.raises(ValidationError) as exc:
        parse_paper([single, rating], {2: "Z", 5: "9"})
    assert len(exc.value.messages) == 2


def _open_sampled(personas, size=3):
    registry(personas.community_a, households=size, members=1)
    survey = health_survey(personas.worker_a, personas.community_a, knowledge=4, behaviour=2)
    services.draw_sample(actor=personas.worker_a, survey=survey, size=size, seed=1)
    services.survey_open(actor=personas.worker_a, survey=survey)
    return survey


def test_a_response_has_an_answer_row_per_question_marked_right_or_not(personas):
    survey = _open_sampled(personas)
    r1 = survey.respondents.get(number=1)
    response = respond(personas.worker_a, survey, r1, {1: True, 2: False, 3: True, 5: True})
    answers = {a.question.number: a for a in Answer.objects.filter(response=response).select_related("question")}
    assert sorted(answers) == [1, 2, 3, 4, 5, 6]
    assert [answers[n].is_correct for n in range(1, 7)] == [True, False, True, False, True, False]
    assert (response.knowledge_right, response.knowledge_total) == (2, 4)
    assert (response.behaviour_right, response.behaviour_total) == (1, 2)
    r1.refresh_from_db()
    assert r1.status == RespondentStatus.ANSWERED


def test_a_respondent_answers_once(personas):
    survey = _open_sampled(personas)
    r1 = survey.respondents.get(number=1)
    respond(personas.worker_a, survey, r1, {1: True})
    with pytest.raises(ValidationError, match="1号调查对象已提交过答卷"):
        respond(personas.worker_a, survey, r1, {1: False})
    assert survey.responses.count() == 1


def test_answers_need_an_open_survey_and_a_non_blank_form(personas):
    survey = _open_sampled(personas)
    r1 = survey.respondents.get(number=1)
    with pytest.raises(ValidationError, match="空白"):
        record_response(actor=personas.worker_a, survey=survey, given={}, channel=Channel.PAPER, respondent=r1)
    services.survey_close(actor=personas.worker_a, survey=survey)
    assert survey.status == SurveyStatus.CLOSED
    with pytest.raises(ValidationError, match="不在调查中"):
        record_response(
            actor=personas.worker_a, survey=survey, given={1: Given(choices=[0])}, channel=Channel.PAPER, respondent=r1
        )


def test_a_scored_question_needs_its_right_options(personas):
    survey = health_survey(personas.worker_a, personas.community_a)
    with pytest.raises(ValidationError):
        services.question_add(
            actor=personas.worker_a, survey=survey, kind=QuestionKind.KNOWLEDGE, text="题", options=["是", "否"]
        )
    q = services.question_add(
        actor=personas.worker_a,
        survey=survey,
        kind=QuestionKind.KNOWLEDGE,
        text="题",
        options=["是", "否"],
        correct=[1],
    )
    assert q.number == 7
    services.question_remove(actor=personas.worker_a, question=survey.questions.get(number=1))
    assert list(survey.questions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
