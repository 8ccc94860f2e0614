"""A survey's results, its answers table and one response."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.paging import paginate
from shequ.surveys import charts, selectors
from shequ.surveys.entry import letter
from shequ.surveys.ledgers import export_year
from shequ.surveys.results import survey_results


@login_required
def results(request, pk: int):
    survey = selectors.survey_get(request.user, pk)
    res = survey_results(survey)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "res": res,
            "charts": [(qr, charts.svg(qr)) for qr in res.questions],
            "can_export": access.can(request.user, survey.org, Perm.EXPORT, survey.area_id),
            "year": export_year(survey),
        },
    )


def _cell(answer, question) -> str:
    if answer is None:
        return ""
    if answer.rating:
        return str(answer.rating)
    if answer.text:
        return answer.text
    return "".join(letter(i) for i in answer.choices)


@login_required
def answers_table(request, pk: int):
    """Every response as a row, every question as a column (the letters as typed from paper)."""
    survey = selectors.survey_get(request.user, pk)
    questions = list(survey.questions.all())
    page = paginate(request, selectors.responses(survey), per_page=100)
    rows = []
    for r in page:
        by_q = {a.question_id: a for a in r.answers.all()}
        cells = [(_cell(by_q.get(q.pk), q), by_q.get(q.pk) and by_q[q.pk].is_correct) for q in questions]
        rows.append((r, cells))
    context = {"survey": survey, "questions": questions, "page": page, "rows": rows}
    return render(request, "surveys/answers.html", context)


@login_required
def response_detail(request, pk: int):
    response = selectors.response_get(request.user, pk)
    answers = list(response.answers.select_related("question").order_by("question__number"))
    lines = []
    for a in answers:
        q = a.question
        words = "、".join(q.options[i] for i in a.choices if i < len(q.options))
        lines.append((q, _cell(a, q), words, {True: "是", False: "否"}.get(a.is_correct, "—")))
    return render(request, "surveys/response.html", {"response": response, "survey": response.survey, "lines": lines})
