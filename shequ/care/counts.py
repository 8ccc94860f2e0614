"""本月未走访 counted per community, for the workbench of a street or a district.

A community's workbench lists its people due a visit, worked out live. Above it, a street or a district holds
thousands of people under care: working out each one's schedule and last visit on every view would grow with the
district. So the figures of each community (due and due soon, per group of people) are kept in the cache for
``PLANS_STANDING_MAX_AGE`` seconds (shared by the web processes when ``REDIS_URL`` is set), worked out with the same
rules as the lists, a batch of communities at a time, and only for the communities whose figures are missing; a
leader sees the groups of people whose line of work they may read. The scheduled ``manage.py plans_standings`` works
them all out again (:func:`refresh`, declared as a kept figure), so that no leader's view pays for the district.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache

from shequ.care import rules, selectors
from shequ.care.catalogue import CATEGORY_NAMES
from shequ.orgs.models import Org, OrgKind
from shequ.residents.models import Person
from shequ.residents.visibility import visible_kinds

Counts = dict[str, tuple[int, int]]  # category -> (due, due soon)


def _key(org_id: int, today: date) -> str:
    return f"care-due:1:{org_id}:{today.isoformat()}"


def _work_out(org_ids: list[int], today: date) -> dict[int, Counts]:
    persons = Person.objects.filter(org_id__in=org_ids, is_deceased=False, moved_out_on__isnull=True)
    out: dict[int, dict[str, list[int]]] = {pk: {} for pk in org_ids}
    for s in selectors.subjects(None, persons, today):
        if s.rule is None or s.org_id not in out:
            continue
        c = out[s.org_id].setdefault(s.category, [0, 0])
        c[0] += rules.is_due(s.rule, today, s.last_visit, s.care_start)
        c[1] += rules.is_due_soon(s.rule, today, s.last_visit, s.care_start)
    return {pk: {cat: (d, soon) for cat, (d, soon) in counts.items()} for pk, counts in out.items()}


def by_community(communities: list[Org], today: date) -> dict[int, Counts]:
    """Each community's figures: from the cache where kept, else worked out now (all missing ones together)."""
    keys = {c.pk: _key(c.pk, today) for c in communities}
    found = cache.get_many(list(keys.values()))
    out = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [pk for pk in keys if pk not in out]
    if missing:
        made = _work_out(missing, today)
        cache.set_many({keys[pk]: made[pk] for pk in missing}, timeout=settings.PLANS_STANDING_MAX_AGE)
        out.update(made)
    return out


REFRESH_BATCH = 20


def refresh(today: date) -> int:
    """Work out and keep every active community's figures, a batch of communities at a time; returns how many."""
    ids = list(Org.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path").values_list("pk", flat=True))
    for i in range(0, len(ids), REFRESH_BATCH):
        batch = ids[i : i + REFRESH_BATCH]
        made = _work_out(batch, today)
        cache.set_many({_key(pk, today): made[pk] for pk in batch}, timeout=settings.PLANS_STANDING_MAX_AGE)
    return len(ids)


def visible_totals(user, communities: list[Org], today: date) -> list[tuple[Org, int, int]]:
    """(community, due, due soon) for each community, counting only the groups of people the user may see there."""
    figures = by_community(communities, today)
    rows = []
    for org in communities:
        kinds = visible_kinds(user, org)
        seen = [cat for cat in CATEGORY_NAMES if ("disability" if cat == "disability" else "special") in kinds]
        counts = figures.get(org.pk, {})
        rows.append((org, sum(counts.get(c, (0, 0))[0] for c in seen), sum(counts.get(c, (0, 0))[1] for c in seen)))
    return rows
