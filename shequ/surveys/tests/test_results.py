"""The formulas, pinned by hand-worked examples.

Three respondents answer 4 knowledge and 2 behaviour questions:
  R1 knowledge 4/4, behaviour 2/2;  R2 knowledge 3/4, behaviour 1/2;  R3 knowledge 2/4, behaviour 0/2.
- 知晓率 by questions = (4 + 3 + 2) ÷ (4 × 3) = 9/12 = 75%;
  by persons (pass mark 80%): only R1 (100%) reaches it → 1/3 = 33.33%;
- 形成率 by questions = (2 + 1 + 0) ÷ (2 × 3) = 3/6 = 50%; by persons: R1 only → 33.33%;
- the 95% Wilson interval of 75% over 3 respondents: z² = 3.8415, centre = 0.75 + 3.8415/6 = 1.39025,
  spread = 1.96 × √(0.75 × 0.25/3 + 3.8415/36) = 0.80624, ÷ (1 + 3.8415/3 = 2.28049) → 25.6%–96.3%.
"""

from __future__ import annotations

from decimal import Decimal

from shequ.surveys import services
from shequ.surveys.results import band, survey_results
from shequ.surveys.tests.helpers import health_survey, registry, respond

R1 = {1: True, 2: True, 3: True, 4: True, 5: True, 6: True}
R2 = {1: True, 2: True, 3: True, 4: False, 5: True, 6: False}
R3 = {1: True, 2: False, 3: True, 4: False, 5: False, 6: False}


def three_answered(personas):
    registry(personas.community_a, personas.grid_a, households=4, members=1)
    survey = health_survey(personas.worker_a, personas.community_a, knowledge=4, behaviour=2)
    services.draw_sample(actor=personas.worker_a, survey=survey, size=4, seed=3)
    services.survey_open(actor=personas.worker_a, survey=survey)
    for number, right in ((1, R1), (2, R2), (3, R3)):
        respond(personas.worker_a, survey, survey.respondents.get(number=number), right)
    return survey


def test_knowledge_and_behaviour_rates_by_both_formulas(personas):
    res = survey_results(three_answered(personas))
    by_q, by_p = res.knowledge
    assert (by_q.numerator, by_q.denominator, by_q.value) == (9, 12, Decimal("75.00"))
    assert (by_p.numerator, by_p.denominator, by_p.text) == (1, 3, "33.33%")
    assert "按题目计算" in by_q.label and "按人计算" in by_p.label
    b_q, b_p = res.behaviour
    assert (b_q.numerator, b_q.denominator, b_q.text) == (3, 6, "50%")
    assert b_p.text == "33.33%"
    assert by_q.interval == (Decimal("25.6"), Decimal("96.3"))


def test_sample_size_and_response_rate(personas):
    res = survey_results(three_answered(personas))
    assert res.n == 3 and res.drawn == 4
    assert res.response_rate.text == "75%"


def test_rates_by_group(personas):
    res = survey_results(three_answered(personas))
    grids = {g.label: g for g in res.groups["网格"]}
    assert grids["A第1网格"].n == 3 and grids["A第1网格"].knowledge.text == "75%"
    genders = {g.label: g.n for g in res.groups["性别"]}
    assert genders == {"男": 3}
    assert band(15) == "15–24岁" and band(69) == "65–69岁" and band(70) == "70岁以上" and band(None) == "年龄不详"


def test_per_question_counts(personas):
    res = survey_results(three_answered(personas))
    q4 = res.questions[3]
    assert q4.right.numerator == 1 and q4.right.denominator == 3
    assert sum(o.count for o in q4.options) == 3
    assert [o.right for o in q4.options].count(True) == len(q4.question.correct)


def test_no_answers_give_no_data_not_a_division_error(personas):
    survey = health_survey(personas.worker_a, personas.community_a)
    res = survey_results(survey)
    assert res.knowledge[0].text == "无数据" and res.knowledge[1].text == "无数据"
    assert res.knowledge[0].interval is None
    assert res.response_rate is None


def test_satisfaction_gives_a_score_and_a_distribution(personas):
    from shequ.orgs.models import Area
    from shequ.surveys.entry import Given, record_response
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
    # Ratings on question 1: 5, 4, 2 → mean 3.67, satisfied (4–5) 2/3; question 2: 3 → mean 3.
    for i, (a, b) in enumerate(((5, 3), (4, None), (2, None))):
        given = {1: Given(rating=a)} | ({2: Given(rating=b)} if b else {})
        record_response(actor=None, survey=survey, given=given, channel="open", device=f"d{i}")
    res = survey_results(survey)
    q1 = res.questions[0]
    assert q1.mean == Decimal("3.67") and q1.satisfied.text == "66.67%"
    assert [o.count for o in q1.options] == [0, 1, 0, 1, 1]
    # Overall: 2 satisfied of 4 ratings; mean (5 + 4 + 2 + 3) / 4 = 3.5.
    assert res.satisfaction.text == "50%" and res.satisfaction_mean == Decimal("3.50")
