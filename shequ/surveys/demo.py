"""Demo step: the health survey year of the demo district.

Each community ran its residents' 健康素养 survey in the autumn (the knowledge and behaviour banks, a sample
of one resident aged 15–69 per household drawn with a seed, most answers typed from paper, some through the
residents' links, a few refused or not met) and closed it; 社区A also surveyed its staff and has a
satisfaction survey still open. Community A's residents reach the 97% 知晓率 but miss the 80% 形成率, the
other communities the other way round, so the health plans show both 达标 and 未达标 from computed figures.
Idempotent: a community that has its demo survey for the year is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from shequ.orgs.models import Area
from shequ.surveys import services
from shequ.surveys.entry import Given, record_response
from shequ.surveys.models import Audience, BankQuestion, Channel, QuestionKind, Survey

SAMPLE = 60
# Chance of a right knowledge answer and of a healthy behaviour answer, per community.
ACCURACY = {"communityA": (0.99, 0.74)}
ACCURACY_OTHERS = (0.93, 0.86)
LINK_SHARE = 0.2
MISSED_SHARE = 0.08


def _questions(*codes: str) -> list[BankQuestion]:
    return list(
        BankQuestion.objects.filter(bank__area__code="health", bank__code__in=codes).order_by(
            "bank__sort", "bank_id", "sort"
        )
    )


def _given(rng: random.Random, questions, accuracy: tuple[float, float]) -> dict[int, Given]:
    out = {}
    for q in questions:
        if q.kind == QuestionKind.RATING:
            out[q.number] = Given(rating=rng.choices([5, 4, 3, 2], weights=[5, 4, 2, 1])[0])
            continue
        if q.kind not in (QuestionKind.KNOWLEDGE, QuestionKind.BEHAVIOUR):
            continue
        p = accuracy[0] if q.kind == QuestionKind.KNOWLEDGE else accuracy[1]
        if rng.random() < p:
            out[q.number] = Given(choices=list(q.correct))
        else:
            wrong = [i for i in range(len(q.options)) if i not in q.correct]
            out[q.number] = Given(choices=[rng.choice(wrong)] if wrong else [])
    return out


def _days(year: int) -> tuple[date, date]:
    today = timezone.localdate()
    close = min(today - timedelta(days=1), date(year, 11, 20)) if year == today.year else date(year, 11, 20)
    close = max(close, date(year, 1, 2))
    return max(close - timedelta(days=35), date(year, 1, 1)), close


def _run(actor, org, title, audience, questions, accuracy, year, rng, *, close=True) -> Survey | None:
    if Survey.objects.filter(org=org, title=title).exists():
        return None
    health = Area.objects.get(code="health")
    survey = services.survey_create(
        actor=actor, org=org, area=health, title=title, audience=audience, questions=questions,
        intro="为了解居民健康素养水平，请根据您的实际情况作答。调查不记名，感谢您的支持！",
    )  # fmt: skip
    if audience == Audience.RESIDENTS:
        services.draw_sample(actor=actor, survey=survey, size=SAMPLE, seed=year)
    elif audience == Audience.STAFF:
        services.add_staff(actor=actor, survey=survey)
    opened, closed = _days(year)
    services.survey_open(actor=actor, survey=survey, on=opened)
    qs = list(survey.questions.all())
    respondents = list(survey.respondents.all()) or [None] * 12
    for r in respondents:
        if r is not None and audience == Audience.RESIDENTS and rng.random() < MISSED_SHARE:
            services.respondent_mark(actor=actor, respondent=r, status=rng.choice(["refused", "absent"]))
            continue
        by_link = r is not None and rng.random() < LINK_SHARE
        channel = Channel.LINK if by_link else (Channel.PAPER if r is not None else Channel.OPEN)
        record_response(
            actor=None if by_link or channel == Channel.OPEN else actor,
            survey=survey,
            given=_given(rng, qs, accuracy),
            channel=channel,
            respondent=r,
            gender=rng.choice("MF") if r is None else "",
            age=rng.randint(20, 75) if r is None else None,
            device=f"demo-{rng.random()}" if r is None else "",
            audit_it=False,
        )
    if close:
        services.survey_close(actor=actor, survey=survey, on=closed)
    return survey


def step(ctx, options) -> None:
    year = ctx.year
    literacy = _questions("literacy", "behaviour")
    for community in sorted(ctx.communities, key=lambda o: o.path):
        key = next((k for k, o in ctx.orgs.items() if o.pk == community.pk), "")
        actor = ctx.users.get({"communityA": "a_worker", "communityB": "b_worker"}.get(key, ""), ctx.users["admin"])
        accuracy = ACCURACY.get(key, ACCURACY_OTHERS)
        # Seeded by the community's code, not its id: ids differ with what was written before (a test run's order)
        rng = random.Random(f"survey-{community.division_code or key}-{year}")
        title = f"{year}年居民健康素养与健康行为调查"
        _run(actor, community, title, Audience.RESIDENTS, literacy, accuracy, year, rng)
        if key == "communityA":
            _run(actor, community, f"{year}年健康教育人员健康知识测试", Audience.STAFF, _questions("literacy"),
                 (0.995, 1.0), year, rng)  # fmt: skip
            _run(actor, community, f"{year}年健康教育满意度调查", Audience.OPEN, _questions("satisfaction"),
                 (1.0, 1.0), year, rng, close=False)  # fmt: skip
