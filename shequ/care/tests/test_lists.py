"""The lists paged in the database say what the schedule rules say: the same people due, due soon or under care,
in the same order (period end, grid, name), 50 to a page, with counts per community and grid."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.care import lists, selectors
from shequ.care.tests.helpers import disabled, pair, special, visit, volunteer
from shequ.residents.models import DisabilityProfile

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _march_27():
    with time_machine.travel(datetime(2026, 3, 27, 10, 0, tzinfo=TZ), tick=False):  # a Friday
        yield


def _population(p, n: int = 12):
    v = volunteer(p.community_a)
    for i in range(n):
        grid = p.grid_a if i % 3 else None
        d = disabled(p.community_a, grid=grid, grade=str(1 + i % 4), name=f"残{i:02d}")
        s = special(p.community_a, ["correction", "mental", "drug", "youth", "released"][i % 5], risk=i % 6 or None,
                    grid=grid, name=f"特{i:02d}")  # fmt: skip
        if i % 3 == 0:
            visit(p.worker_a, d, date(2026, 3, 2))
        if i % 4 == 0:
            visit(p.worker_a, s, date(2026, 3, 25), category=s.special_groups.get().kind)
        if i % 5 == 0:
            pair(p.worker_a, d, v)
    disabled(p.community_b, name="社区B对象")  # outside the reader's scope
    future = disabled(p.community_a, name="下月起帮扶")
    DisabilityProfile.objects.filter(person=future).update(created_at=datetime(2026, 4, 2, tzinfo=TZ))


def _keys(rows) -> list[tuple]:
    return [(s.person_id, s.category, s.helper, s.last_visit, s.standing.end if s.standing else None) for s in rows]


@pytest.mark.parametrize("show", ["due", "soon", "all"])
def test_the_database_lists_match_the_rules_worked_out_in_python(personas, show):
    _population(personas)
    today = date(2026, 3, 27)
    actor = personas.worker_a
    persons = selectors.care_persons(actor, today)
    found = selectors.subjects(actor, persons, today)
    if show == "all":
        expected = sorted(found, key=lambda s: (s.grid_name, s.name, s.category))
    else:
        expected = selectors.due(found, today, soon=show == "soon")
    got = lists.listing(actor, persons, today, show=show, category="", page="1")
    assert got.total == len(found) and got.shown == len(expected) > 0
    assert _keys(got.page.object_list) == _keys(expected)
    assert "社区B对象" not in {s.name for s in got.page.object_list}
    assert sum(n for *_, n in got.by_place) == len(expected)


def test_a_page_holds_50_rows_read_by_one_limited_query(personas):
    for i in range(60):
        disabled(personas.community_a, grid=personas.grid_a if i % 2 else None, name=f"对象{i:02d}")
    today = date(2026, 3, 27)
    persons = selectors.care_persons(personas.worker_a, today)
    with CaptureQueriesContext(connection) as ctx:
        first = lists.listing(personas.worker_a, persons, today, show="due", category="", page="1")
        rows = list(first.page.object_list)
    assert len(rows) == 50 and first.shown == 60 and first.page.paginator.num_pages == 2
    limited = [q["sql"] for q in ctx.captured_queries if "LIMIT 50" in q["sql"]]
    assert len(limited) == 1 and "UNION ALL" in limited[0]
    assert [s.name for s in rows][:2] == ["对象00", "对象02"]  # no grid first, then by name
    second = lists.listing(personas.worker_a, persons, today, show="due", category="", page="2")
    assert len(second.page.object_list) == 10
    assert {s.name for s in rows} | {s.name for s in second.page.object_list} == {f"对象{i:02d}" for i in range(60)}
    assert sorted(n for *_, n in first.by_place) == [30, 30]  # per grid, and the community without a grid
