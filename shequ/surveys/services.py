"""Every write to surveys: building one from the banks, drawing its respondents, opening and closing it.
Answers are written by :mod:`shequ.surveys.entry`."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import Membership, User
from shequ.accounts.roles import STAFF_ROLES, Perm
from shequ.audit.services import audit
from shequ.core.indicators import Period
from shequ.orgs.models import Area, Org, subtree_q
from shequ.residents.indicators import age_q, living_q
from shequ.residents.models import Person, ResidenceStatus
from shequ.surveys.models import (
    CHOICE_KINDS,
    SCORED_KINDS,
    Audience,
    BankQuestion,
    Question,
    QuestionKind,
    Respondent,
    Survey,
    SurveyStatus,
)

MAX_SAMPLE = 5000
FRAME_STATUSES = (ResidenceStatus.HUJI, ResidenceStatus.CHANGZHU)


def new_token() -> str:
    return secrets.token_urlsafe(16)[:22]


def _check_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError("问卷已开始调查，不能再修改题目或调查对象。")


def survey_create(
    *,
    actor: User,
    org: Org,
    area: Area,
    title: str,
    audience: str,
    questions: Sequence[BankQuestion] = (),
    intro: str = "",
    pass_mark: int = 80,
) -> Survey:
    """A draft survey of ``org`` with the chosen bank questions, in the order given."""
    access.check(actor, org, Perm.RECORD_WORK, area)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写问卷名称。"})
    if audience not in Audience.values:
        raise ValidationError({"audience": "请选择调查对象。"})
    if not 1 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": "合格线应在1%到100%之间。"})
    with transaction.atomic():
        survey = Survey.objects.create(
            org=org,
            area=area,
            title=title,
            intro=intro.strip(),
            audience=audience,
            pass_mark=pass_mark,
            created_by=actor,
            public_token=new_token() if audience == Audience.OPEN else "",
        )
        Question.objects.bulk_create(
            Question(
                survey=survey,
                source=bq,
                number=i,
                kind=bq.kind,
                text=bq.text,
                options=list(bq.options),
                correct=list(bq.correct),
            )
            for i, bq in enumerate(questions, start=1)
        )
        audit(actor, "survey.create", survey, {"questions": len(questions), "audience": audience})
    return survey


def question_add(
    *, actor: User, survey: Survey, kind: str, text: str, options: Sequence[str] = (), correct: Sequence[int] = ()
) -> Question:
    """A question of the survey's own, after the others."""
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    _check_draft(survey)
    text, options = text.strip(), [o.strip() for o in options if o.strip()]
    correct = sorted({int(c) for c in correct})
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "请选择题型。"})
    if not text:
        raise ValidationError({"text": "请填写题目。"})
    if kind in CHOICE_KINDS and len(options) < 2:
        raise ValidationError({"options": "选择题至少需要两个选项。"})
    if kind in SCORED_KINDS and (not correct or any(c >= len(options) for c in correct)):
        raise ValidationError({"correct": "知识题请标出正确选项，行为题请标出健康行为的选项。"})
    with transaction.atomic():
        last = survey.questions.aggregate(n=Max("number"))["n"] or 0
        question = Question.objects.create(
            survey=survey,
            number=last + 1,
            kind=kind,
            text=text,
            options=options if kind in CHOICE_KINDS else [],
            correct=correct if kind in SCORED_KINDS else [],
        )
        audit(actor, "survey.question_add", survey, {"number": question.number})
    return question


def question_remove(*, actor: User, question: Question) -> None:
    """Remove a question and number the rest again."""
    survey = question.survey
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    _check_draft(survey)
    with transaction.atomic():
        number = question.number
        question.delete()
        later = list(survey.questions.filter(number__gt=number).order_by("number"))
        for q in later:  # renumber one by one, keeping (survey, number) unique throughout
            q.number -= 1
            q.save(update_fields=["number"])
        audit(actor, "survey.question_remove", survey, {"number": number})


# --- respondents -------------------------------------------------------------------------------------------


def _age(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def sample_frame(
    actor: User, survey: Survey, *, age_min: int, age_max: int, grid: Org | None, building: str, day: date
):
    """The registry's residents the sample is drawn from, in a fixed order: living, 户籍 or 常住, aged
    ``[age_min, age_max]`` on ``day``, of the survey's org (and of one grid or building)."""
    period = Period(day.year, day)
    qs = Person.objects.visible_to(actor, Perm.VIEW)
    qs = qs.filter(org_id__in=access.resolve(actor).subtree_ids(survey.org_id))
    qs = qs.filter(living_q(True, period), age_q([age_min, age_max], period), residence_status__in=FRAME_STATUSES)
    if grid is not None:
        qs = qs.filter(grid=grid)
    if building:
        qs = qs.filter(building=building)
    return qs.order_by("household_id", "pk")


def draw_sample(
    *,
    actor: User,
    survey: Survey,
    size: int,
    seed: int,
    age_min: int = 15,
    age_max: int = 69,
    grid: Org | None = None,
    building: str = "",
    per_household: bool = True,
) -> list[Respondent]:
    """Draw the survey's respondents from the registry, reproducibly: the same frame and ``seed`` give the
    same sample. With ``per_household``, one resident is chosen in each household first (as the national
    health-literacy monitoring does), then ``size`` households. A new draw replaces the previous one."""
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    _check_draft(survey)
    if survey.audience != Audience.RESIDENTS:
        raise ValidationError("只有面向居民的抽样调查才需要抽取样本。")
    if not 1 <= size <= MAX_SAMPLE:
        raise ValidationError({"size": f"样本量应在1到{MAX_SAMPLE}之间。"})
    if not 0 <= age_min <= age_max <= 120:
        raise ValidationError({"age_min": "年龄范围不正确。"})
    if grid is not None and not grid.path.startswith(survey.org.path):
        raise ValidationError({"grid": "网格不属于调查单位。"})
    day = timezone.localdate()
    frame = list(
        sample_frame(
            actor, survey, age_min=age_min, age_max=age_max, grid=grid, building=building.strip(), day=day
        ).values_list("pk", "household_id", "name", "grid_id", "building", "gender", "birth_date")
    )
    rng = random.Random(seed)  # noqa: S311  # nosec B311 (a reproducible survey sample, not a secret)
    if per_household:
        households: dict = {}
        for row in frame:
            households.setdefault(row[1] if row[1] is not None else f"p{row[0]}", []).append(row)
        units = [rng.choice(members) for members in households.values()]
    else:
        units = frame
    chosen = rng.sample(units, min(size, len(units)))
    chosen.sort(key=lambda r: (r[3] or 0, r[4], r[0]))  # by grid and building: the order a visitor walks
    with transaction.atomic():
        survey.respondents.all().delete()
        respondents = Respondent.objects.bulk_create(
            Respondent(
                survey=survey,
                number=i,
                person_id=pk,
                name=name,
                grid_id=grid_id,
                building=bld,
                gender=gender,
                age=_age(birth, day),
                token=new_token(),
            )
            for i, (pk, _hh, name, grid_id, bld, gender, birth) in enumerate(chosen, start=1)
        )
        survey.sampling = {
            "size": size,
            "seed": seed,
            "age": [age_min, age_max],
            "grid": grid.pk if grid else None,
            "grid_name": grid.name if grid else "",
            "building": building.strip(),
            "per_household": per_household,
            "frame": len(frame),
            "units": len(units),
            "drawn": len(respondents),
            "on": day.isoformat(),
        }
        survey.save(update_fields=["sampling"])
        audit(actor, "survey.sample", survey, {"drawn": len(respondents), "seed": seed})
    return respondents


def add_staff(*, actor: User, survey: Survey) -> list[Respondent]:
    """The staff of the survey's org and below (the health staff's own 知晓率) as its respondents."""
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    _check_draft(survey)
    if survey.audience != Audience.STAFF:
        raise ValidationError("只有工作人员调查才从工作人员名单生成调查对象。")
    members = (
        Membership.objects.filter(org__in=Org.objects.filter(subtree_q(survey.org.path)).values("pk"))
        .filter(role__in=list(STAFF_ROLES), is_active=True, user__is_active=True)
        .select_related("user", "org")
        .order_by("org__path", "user_id")
    )
    seen, rows = set(), []
    for m in members:
        if m.user_id not in seen:
            seen.add(m.user_id)
            rows.append(m)
    with transaction.atomic():
        survey.respondents.all().delete()
        respondents = Respondent.objects.bulk_create(
            Respondent(survey=survey, number=i, user=m.user, name=m.user.display_name, token=new_token())
            for i, m in enumerate(rows, start=1)
        )
        survey.sampling = {"staff": len(respondents)}
        survey.save(update_fields=["sampling"])
        audit(actor, "survey.staff", survey, {"drawn": len(respondents)})
    return respondents


# --- the survey's course -----------------------------------------------------------------------------------


def survey_open(*, actor: User, survey: Survey, on: date | None = None) -> Survey:
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    _check_draft(survey)
    if not survey.questions.exists():
        raise ValidationError("问卷还没有题目。")
    if survey.audience != Audience.OPEN and not survey.respondents.exists():
        raise ValidationError("请先抽取样本或生成调查对象。")
    survey.status = SurveyStatus.OPEN
    survey.opened_on = on or timezone.localdate()
    with transaction.atomic():
        survey.save(update_fields=["status", "opened_on"])
        audit(actor, "survey.open", survey)
    return survey


def survey_close(*, actor: User, survey: Survey, on: date | None = None) -> Survey:
    """End the survey: its results count from now on, in the year it closed."""
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("只有调查中的问卷可以结束。")
    day = on or timezone.localdate()
    if survey.opened_on and day < survey.opened_on:
        raise ValidationError("结束日期不能早于开始日期。")
    survey.status = SurveyStatus.CLOSED
    survey.closed_on = day
    with transaction.atomic():
        survey.save(update_fields=["status", "closed_on"])
        audit(actor, "survey.close", survey, {"responses": survey.responses.count()})
    return survey


def respondent_mark(*, actor: User, respondent: Respondent, status: str) -> Respondent:
    """A visitor notes that the respondent refused or was not met (未遇); the response rate counts them."""
    survey = respondent.survey
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    if status not in ("refused", "absent", "pending"):
        raise ValidationError("状态不正确。")
    if hasattr(respondent, "response"):
        raise ValidationError("该对象已有答卷。")
    respondent.status = status
    with transaction.atomic():
        respondent.save(update_fields=["status"])
        audit(actor, "survey.respondent_mark", survey, {"number": respondent.number, "status": status})
    return respondent
