"""Writing answers: one response with an answer row for every question, whoever enters it.

A worker enters answers on a visit or from paper (``Perm.RECORD_WORK`` on the survey's org); a sampled
resident answers once through the personal link; an open survey takes one anonymous response per device.
Paper forms are typed as letters or digits per question (``AB`` or ``12`` for the first two options, ``4``
for a rating), which :func:`parse_paper` reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.surveys.models import (
    CHOICE_KINDS,
    RATING_SCALE,
    Answer,
    Channel,
    Question,
    QuestionKind,
    Respondent,
    RespondentStatus,
    Response,
    Survey,
    SurveyStatus,
)

LETTERS = "ABCDEFGHIJ"
WORKER_CHANNELS = (Channel.VISIT, Channel.PAPER, Channel.IMPORT)


@dataclass
class Given:
    """What was given for one question: ticked options (from 0), a rating, or text."""

    choices: list[int] = field(default_factory=list)
    rating: int | None = None
    text: str = ""


def letter(i: int) -> str:
    return LETTERS[i] if 0 <= i < len(LETTERS) else str(i + 1)


def parse_cell(question: Question, raw: str) -> Given:
    """Read one typed cell of a paper form; raise ValidationError with a Chinese message naming the question."""
    raw = str(raw or "").strip()
    if not raw:
        return Given()
    if question.kind == QuestionKind.TEXT:
        return Given(text=raw[:500])
    if question.kind == QuestionKind.RATING:
        if raw.isdigit() and int(raw) in RATING_SCALE:
            return Given(rating=int(raw))
        raise ValidationError(f"第{question.number}题：评分应为1到5。")
    n = len(question.options)
    picked = []
    for ch in raw.upper().replace(",", "").replace("，", "").replace(" ", "").replace("、", ""):
        i = LETTERS.find(ch) if ch.isalpha() else (int(ch) - 1 if ch.isdigit() else -1)
        if not 0 <= i < n:
            span = f"{letter(0)}–{letter(n - 1)}（或1–{n}）"
            raise ValidationError(f"第{question.number}题：只有{span}{n}个选项，“{raw}”无法识别。")
        picked.append(i)
    picked = sorted(set(picked))
    if len(picked) > 1 and not question.multiple:
        raise ValidationError(f"第{question.number}题是单选题，只能选一项。")
    return Given(choices=picked)


def parse_paper(questions: list[Question], cells: dict[int, str]) -> dict[int, Given]:
    """Every question's cell (by question number); all errors at once."""
    out, errors = {}, []
    for q in questions:
        try:
            out[q.number] = parse_cell(q, cells.get(q.number, ""))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return out


def _answers(questions: list[Question], given: dict[int, Given]) -> list[Answer]:
    answers = []
    for q in questions:
        g = given.get(q.number) or Given()
        choices = [c for c in g.choices if 0 <= c < len(q.options)] if q.kind in CHOICE_KINDS else []
        answers.append(
            Answer(
                question=q,
                choices=choices,
                rating=g.rating if q.kind == QuestionKind.RATING else None,
                text=g.text if q.kind == QuestionKind.TEXT else "",
                is_correct=q.is_right(choices),
            )
        )
    return answers


def _scores(answers: list[Answer]) -> dict[str, int]:
    s = {"knowledge_right": 0, "knowledge_total": 0, "behaviour_right": 0, "behaviour_total": 0}
    for a in answers:
        kind = a.question.kind
        if kind in (QuestionKind.KNOWLEDGE, QuestionKind.BEHAVIOUR):
            s[f"{kind}_total"] += 1
            s[f"{kind}_right"] += bool(a.is_correct)
    return s


def record_response(
    *,
    actor: User,
    survey: Survey,
    given: dict[int, Given],
    channel: str,
    respondent: Respondent | None = None,
    gender: str = "",
    age: int | None = None,
    device: str = "",
    audit_it: bool = True,
) -> Response:
    """Save one response. Workers need the right to record work on the survey's org; a personal link or an
    open survey needs none (the link's token or the device was checked by the caller)."""
    if channel in WORKER_CHANNELS:
        access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("问卷不在调查中，不能提交答卷。")
    if respondent is not None and respondent.survey_id != survey.pk:
        raise ValidationError("调查对象不属于该问卷。")
    if respondent is None and channel != Channel.OPEN and survey.respondents.exists():
        raise ValidationError("请填写问卷编号（调查对象）。")
    questions = list(survey.questions.all())
    answers = _answers(questions, given)
    if not any(a.choices or a.rating or a.text for a in answers):
        raise ValidationError("答卷是空白的：请至少回答一题。")
    profile = {"gender": gender, "age": age, "grid_id": None, "building": ""}
    if respondent is not None:
        profile = {
            "gender": respondent.gender,
            "age": respondent.age,
            "grid_id": respondent.grid_id,
            "building": respondent.building,
        }
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                respondent=respondent,
                channel=channel,
                device=device,
                entered_by=actor if getattr(actor, "is_authenticated", False) else None,
                **profile,
                **_scores(answers),
            )
            for a in answers:
                a.response = response
            Answer.objects.bulk_create(answers)
            if respondent is not None:
                Respondent.objects.filter(pk=respondent.pk).update(status=RespondentStatus.ANSWERED)
            if audit_it:
                number = respondent.number if respondent else None
                audit(actor, "survey.response", survey, {"channel": channel, "number": number}, org=survey.org)
    except IntegrityError as exc:
        if respondent is not None:
            raise ValidationError(f"{respondent.number}号调查对象已提交过答卷。") from exc
        raise ValidationError("这台设备已经填写过这份问卷。") from exc
    return response
