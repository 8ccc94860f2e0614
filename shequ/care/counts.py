"""本月未走访 counted per community, for the workbench of a street or a district, and kept for the community's own.

A community's workbench lists its people due a visit. Above it, a street or a district holds
thousands of people under care: working out each one's schedule and last visit on every view would grow with the
district. So the figures of each community (due and due soon, per group of people) are kept in the cache for
``PLANS_STANDING_MAX_AGE`` seconds (shared by the web processes when ``REDIS_URL`` is set), worked out with the same
rules as the lists, a batch of communities at a time, and only for the communities whose figures are missing; a
leader sees the groups of people whose line of work they may read. The scheduled ``manage.py plans_standings`` works
them all out again (:func:`refresh`, declared as a kept figure), so that no leader's view pays for the district.

The same work keeps each community's card for its own workers (:func:`kept_card`): who is due, soonest first, and
what the card shows of the first of them. A worker who sees the whole community (and, if they are a helper, whose
pairs are all of it) reads it instead of working out the community's people under care on every view of the
workbench, with the visits recorded since taken off at once (one query over the records numbered since); a profile,
pair, move or edited visit since shows at the next run, within ``PLANS_STANDING_MAX_AGE`` seconds.
Anyone else's card is worked out live.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.care import rules, selectors
from shequ.care.catalogue import CATEGORY_AREAS, CATEGORY_NAMES
from shequ.care.selectors import Subject
from shequ.orgs.models import Org, OrgKind
from shequ.records.models import Record
from shequ.residents.models import Person
from shequ.residents.visibility import visible_kinds

Counts = dict[str, tuple[int, int]]  # category -> (due, due soon)
# What the card shows of one person due: (person, category, name, grid or community, period, helper, due soon)
CardRow = tuple[int, str, str, str, str, str, bool]
SHOWN = 6  # people named on a community's card
CARD_ROWS = 40  # people due kept with what the card shows of them, the first of each kind of profile
# The visits recorded since a card was worked out are the records numbered after the newest one then, less this
# many: a record whose transaction was still open then was not in the card's read.
ID_MARGIN = 1000


def _key(org_id: int, today: date) -> str:
    return f"care-due:1:{org_id}:{today.isoformat()}"


def _card_key(org_id: int, today: date) -> str:
    return f"care-card:1:{org_id}:{today.isoformat()}"


def card_row(s: Subject, soon: bool) -> CardRow:
    return (s.person_id, s.category, s.name, s.grid_name or s.org_name, s.period_label, s.helper, soon)


def due_and_soon(subjects: list[Subject], today: date) -> tuple[list[Subject], set[tuple[int, str]]]:
    """The subjects due (本月未走访), soonest first, and the (person, category) of those due soon (即将到期)."""
    due = selectors.due(subjects, today)
    soon = {(s.person_id, s.category) for s in due if rules.is_due_soon(s.rule, today, s.last_visit, s.care_start)}
    return due, soon


def _work_out(org_ids: list[int], today: date) -> tuple[dict[int, Counts], dict[int, dict[str, Any]]]:
    """Each community's figures (every group with a schedule, due and due soon), and its card: ``due`` (person,
    category, first day of the period, due soon) of everyone due, soonest first, ``rows`` the first of them with a
    disability and the first of a special group as the card shows them (a line of work sees one kind), ``at`` when
    the read began and ``since_id`` the records already read then."""
    at = timezone.now()
    newest = Record.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    persons = Person.objects.filter(org_id__in=org_ids, is_deceased=False, moved_out_on__isnull=True)
    found: dict[int, list[Subject]] = {pk: [] for pk in org_ids}
    for s in selectors.subjects(None, persons, today):
        if s.rule is not None and s.org_id in found:
            found[s.org_id].append(s)
    counts, cards = {}, {}
    for pk, subjects in found.items():
        due, soon = due_and_soon(subjects, today)
        figures = {s.category: [0, 0] for s in subjects}
        for s in due:
            figures[s.category][0] += 1
            figures[s.category][1] += (s.person_id, s.category) in soon
        counts[pk] = {cat: (d, n) for cat, (d, n) in figures.items()}
        disability = [s for s in due if s.category == "disability"][:CARD_ROWS]
        special = [s for s in due if s.category != "disability"][:CARD_ROWS]
        cards[pk] = {
            "at": at,
            "since_id": max(newest - ID_MARGIN, 0),
            "groups": sorted(figures),
            "due": [(s.person_id, s.category, _start(s), (s.person_id, s.category) in soon) for s in due],
            "rows": [card_row(s, (s.person_id, s.category) in soon) for s in disability + special],
        }
    return counts, cards


def _start(s: Subject) -> int:
    assert s.standing is not None  # a subject due has a schedule, so a standing  # nosec B101
    return s.standing.start.toordinal()


def _keep(made: tuple[dict[int, Counts], dict[int, dict[str, Any]]], org_ids: list[int], today: date) -> None:
    counts, cards = made
    entries = {_key(pk, today): counts[pk] for pk in org_ids}
    entries.update({_card_key(pk, today): cards[pk] for pk in org_ids})
    cache.set_many(entries, timeout=settings.PLANS_STANDING_MAX_AGE)


def by_community(communities: list[Org], today: date) -> dict[int, Counts]:
    """Each community's figures: from the cache where kept, else worked out now (all missing ones together)."""
    keys = {c.pk: _key(c.pk, today) for c in communities}
    found = cache.get_many(list(keys.values()))
    out = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [pk for pk in keys if pk not in out]
    if missing:
        made = _work_out(missing, today)
        _keep(made, missing, today)
        out.update(made[0])
    return out


REFRESH_BATCH = 20


def refresh(today: date) -> int:
    """Work out and keep every active community's figures, a batch of communities at a time; returns how many."""
    ids = list(Org.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path").values_list("pk", flat=True))
    for i in range(0, len(ids), REFRESH_BATCH):
        batch = ids[i : i + REFRESH_BATCH]
        _keep(_work_out(batch, today), batch, today)
    return len(ids)


def _seen_groups(user, org: Org) -> list[str]:
    """The groups of people under care whose profiles the user may read in ``org``."""
    kinds = visible_kinds(user, org)
    return [c for c in CATEGORY_NAMES if ("disability" if c == "disability" else "special") in kinds]


def visible_totals(user, communities: list[Org], today: date) -> list[tuple[Org, int, int]]:
    """(community, due, due soon) for each community, counting only the groups of people the user may see there."""
    figures = by_community(communities, today)
    rows = []
    for org in communities:
        seen = _seen_groups(user, org)
        counts = figures.get(org.pk, {})
        rows.append((org, sum(counts.get(c, (0, 0))[0] for c in seen), sum(counts.get(c, (0, 0))[1] for c in seen)))
    return rows


class KeptCard(NamedTuple):
    anyone: bool  # anyone under care the user sees (else no card at all)
    due: int
    soon: int
    rows: list[CardRow]  # the first people due, as the card shows them
    at: datetime  # when the card was worked out


def kept_card(user, org: Org, today: date) -> KeptCard | None:
    """The card of ``org`` as ``user`` sees it, from the kept one, the visits recorded since taken off; None when it
    must be worked out live (not kept, a user who does not see the whole community, a helper of someone the card does
    not hold, or the first people due of the user not among the kept rows)."""
    if access.scope_paths(user, Perm.VIEW) != [org.path]:
        return None  # not the whole community, or more than it
    card = cache.get(_card_key(org.pk, today))
    if card is None:
        return None
    seen = set(_seen_groups(user, org))
    # A helper also sees the people of their pairs in the pair's group (whatever their lines of work): from the card
    # when the people are of the community, live otherwise.
    pairs = set(selectors._pairs(user, today))
    persons = sorted({p for p, _c in pairs})
    if persons and Person.objects.filter(pk__in=persons).exclude(org=org).exists():
        return None
    visited = _visited_since(user, org, card, today)

    def shown(p: int, c: str) -> bool:
        return (c in seen or (p, c) in pairs) and (p, c) not in visited

    due = [(p, c, soon) for p, c, _start, soon in card["due"] if shown(p, c)]
    kept_rows = {(r[0], r[1]): r for r in card["rows"]}
    first = [(p, c) for p, c, _soon in due[:SHOWN]]
    if any(k not in kept_rows for k in first):
        return None
    rows = [kept_rows[k] for k in first]
    anyone = bool(pairs) or any(c in seen for c in card["groups"])
    return KeptCard(anyone, len(due), sum(1 for *_pc, soon in due if soon), rows, card["at"])


def _visited_since(user, org: Org, card: dict[str, Any], today: date) -> set[tuple[int, str]]:
    """(person, category) of the card's people due with a visit in their current period recorded since the card was
    worked out: the records numbered after the card's newest (read backwards from the newest record), of the visit
    types, of the community. A visit edited since (moved to another day, another person) shows at the next run."""
    starts = {(p, c): start for p, c, start, _soon in card["due"]}
    if not starts:
        return set()
    earliest = date.fromordinal(min(starts.values()))
    types = selectors.visit_types()
    area_of = selectors.visit_areas(types)
    orgs = sorted(pk for pk, path in access.resolve(user).org_paths.items() if path.startswith(org.path))
    links: Any = Record.persons.through  # django-stubs knows only the first of its annotations
    rows = links.objects.filter(
        record_id__gt=card["since_id"],
        record__org_id__in=orgs,
        record__activity_type_id__in=sorted(area_of),
        record__date__gte=earliest,
        record__date__lte=today,
    ).values_list("person_id", "record__activity_type_id", "record__date")
    out = set()
    for person_id, type_id, day in rows:
        for category, area in CATEGORY_AREAS.items():
            start = starts.get((person_id, category))
            if start is not None and area == area_of[type_id] and day.toordinal() >= start:
                out.add((person_id, category))
    return out
