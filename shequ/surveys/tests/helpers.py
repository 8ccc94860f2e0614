"""Helpers for the surveys' tests: a small registry to sample from, and surveys built from the banks."""

from __future__ import annotations

from datetime import date

from shequ.orgs.models import Area
from shequ.residents.models import Household, Person
from shequ.surveys import services
from shequ.surveys.entry import Given, record_response
from shequ.surveys.models import Bank, BankQuestion, Channel, Question, Survey

_numbers = iter(range(1, 10_000_000))


def registry(org, grid=None, *, households: int = 10, members: int = 3, born: int = 1980) -> list[Person]:
    """``households`` households of ``members`` persons each, born from ``born`` on, in two buildings."""
    people = []
    for h in range(households):
        hh = Household.objects.create(org=org, grid=grid, number=f"H{next(_numbers)}", building=str(1 + h % 2))
        for m in range(members):
            people.append(
                Person.objects.create(
                    org=org,
                    grid=grid,
                    household=hh,
                    name=f"居民{h}-{m}",
                    gender="M" if m % 2 == 0 else "F",
                    birth_date=date(born + m, 3, 1),
                    building=hh.building,
                )
            )
    return people


def bank_questions(area: str, code: str, n: int | None = None) -> list[BankQuestion]:
    qs = list(BankQuestion.objects.filter(bank__area__code=area, bank__code=code).order_by("sort"))
    return qs[:n] if n else qs


def health_survey(actor, org, *, knowledge: int = 4, behaviour: int = 2, audience: str = "residents") -> Survey:
    questions = bank_questions("health", "literacy", knowledge) + bank_questions("health", "behaviour", behaviour)
    return services.survey_create(
        actor=actor,
        org=org,
        area=Area.objects.get(code="health"),
        title="居民健康素养调查",
        audience=audience,
        questions=questions,
    )


def answer_all(survey: Survey, question: Question, right: bool) -> Given:
    if right:
        return Given(choices=list(question.correct))
    wrong = [i for i in range(len(question.options)) if i not in question.correct][:1]
    return Given(choices=wrong)


def respond(actor, survey: Survey, respondent, right: dict[int, bool], channel: str = Channel.PAPER):
    """A response answering question number n right when ``right[n]`` (every scored question listed)."""
    questions = {q.number: q for q in survey.questions.all()}
    given = {n: answer_all(survey, questions[n], ok) for n, ok in right.items()}
    return record_response(actor=actor, survey=survey, given=given, channel=channel, respondent=respondent)


def health_bank() -> Bank:
    return Bank.objects.get(area__code="health", code="literacy")
