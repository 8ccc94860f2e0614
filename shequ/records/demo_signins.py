"""Demo step, after the residents: who signed in to the demo records (the attendance indicators count).

Disabled residents are visited by the needs survey and served by the rehabilitation records; residents aged
18–60 attend the community school's training, lectures and remote courses, a few more of them this year than
last (幸福社区 more than the others, so its training rate rises by more than five points). Idempotent: a
record that has a sign-in list already is left alone.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from shequ.records.models import Record
from shequ.residents.indicators import RESIDENT_STATUSES
from shequ.residents.models import Person

SURVEY = ("disability", "needs_survey")
REHAB = ("disability", "rehab_service")
TRAINING = {("education", "training"), ("education", "lecture"), ("education", "remote")}
# Share of the eligible residents signed in during the year: (last year, this year).
TRAINING_SHARE = {"communityA": (0.30, 0.38)}
TRAINING_SHARE_OTHERS = (0.26, 0.29)
SURVEYED_SHARE = 0.9
REHAB_SHARE = 0.8


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _spread(rng: random.Random, persons: list[int], records: list[int], most: int) -> list[tuple[int, int]]:
    """Each person signs in to one to ``most`` of the records."""
    pairs = set()
    for pk in persons:
        for record_id in rng.sample(records, min(len(records), rng.randint(1, most))):
            pairs.add((record_id, pk))
    return sorted(pairs)


def step(ctx, options) -> None:
    through = Record.persons.through
    keys = {org.pk: key for key, org in ctx.orgs.items()}
    added = 0
    for community in sorted(ctx.communities, key=lambda o: o.path):
        people = list(
            Person.objects.filter(org=community, moved_out_on__isnull=True, is_deceased=False).values_list(
                "pk", "birth_date", "residence_status", "disability__has_card", "disability__needs", "disability__id"
            )
        )
        disabled = [pk for pk, _b, _s, _c, _n, d in people if d is not None]
        rehab = [pk for pk, _b, _s, card, needs, d in people if d is not None and (card or "rehab" in (needs or []))]
        for year in (ctx.year - 1, ctx.year):
            records = list(
                Record.objects.filter(org=community, year=year, persons__isnull=True).values_list(
                    "pk", "activity_type__area__code", "activity_type__code"
                )
            )
            by_type: dict[tuple[str, str], list[int]] = {}
            for pk, area, code in records:
                by_type.setdefault((area, code), []).append(pk)
            if not by_type:
                continue
            rng = random.Random(f"signins-{community.pk}-{year}")  # noqa: S311 (demo data, reproducible)
            on = date(year, 12, 31)
            adults = [
                pk
                for pk, birth, status, *_rest in people
                if status in RESIDENT_STATUSES and (a := _age(birth, on)) is not None and 18 <= a <= 60
            ]
            share = TRAINING_SHARE.get(keys.get(community.pk, ""), TRAINING_SHARE_OTHERS)[year == ctx.year]
            pairs: list[tuple[int, int]] = []
            if by_type.get(SURVEY):
                chosen = rng.sample(disabled, round(len(disabled) * SURVEYED_SHARE))
                pairs += _spread(rng, chosen, by_type[SURVEY], 1)
            if by_type.get(REHAB):
                pairs += _spread(rng, rng.sample(rehab, round(len(rehab) * REHAB_SHARE)), by_type[REHAB], 3)
            training = [pk for t in sorted(TRAINING) for pk in by_type.get(t, [])]
            if training:
                pairs += _spread(rng, rng.sample(adults, round(len(adults) * share)), training, 2)
            with transaction.atomic():
                through.objects.bulk_create(
                    [through(record_id=r, person_id=p) for r, p in pairs], batch_size=2000, ignore_conflicts=True
                )
            added += len(pairs)
    if not options.get("quiet"):
        print(f"工作记录：签到名单新增 {added} 人次。")
