"""Targets' kept states: a street's workbench reads them instead of counting its communities' records on every
view; they are worked out again when stale (another day, an edited target, older than the allowed age)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.plans import compliance
from shequ.plans.compliance import kept, standings
from shequ.plans.models import Target, TargetStanding
from shequ.plans.tests.helpers import plan, record, target

NOON = datetime(2025, 3, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
COUNTING_SQL = 'FROM "records_record"'  # the compliance count of records (the workbench's other cards read tallies)


@pytest.fixture
def boards(personas):
    """A monthly 宣传栏 target in both communities of the street; community A changed its board in March."""
    out = []
    for org in (personas.community_a, personas.community_b):
        p = plan(org, year=2025)
        out.append(
            target(p, code="board", title="宣传栏每月更换", kind="count", activity_codes=["health/board"],
                   period="month", min_per_period=1)
        )  # fmt: skip
    record(personas.community_a, "health/board", date(2025, 3, 3))
    return out


def _workbench(client):
    with CaptureQueriesContext(connection) as q:
        body = client.get(reverse("dashboard")).content.decode()
    return body, [x["sql"] for x in q.captured_queries]


def test_street_workbench_keeps_states_and_reads_them_back(boards, personas, client_for, time_machine, settings):
    settings.PLANS_STANDING_MAX_AGE = 600
    time_machine.move_to(NOON, tick=False)
    c = client_for(personas.supervisor)
    body, sql = _workbench(c)
    assert "社区B：宣传栏每月更换" in body and "社区A：宣传栏每月更换" not in body
    assert "指标状态截至 12:00" in body
    assert any(COUNTING_SQL in s for s in sql)  # nothing kept yet: worked out now
    assert TargetStanding.objects.count() == 2
    # The next view reads the kept states: no count of the records, the same answer.
    body2, sql2 = _workbench(c)
    assert not any(COUNTING_SQL in s for s in sql2)
    assert "社区B：宣传栏每月更换" in body2
    # Community B files its board: the street sees it once the kept state is older than the allowed age …
    record(personas.community_b, "health/board", date(2025, 3, 25))
    assert "社区B：宣传栏每月更换" in _workbench(c)[0]
    time_machine.move_to(NOON + timedelta(seconds=601), tick=False)
    assert "社区B：宣传栏每月更换" not in _workbench(c)[0]


def test_a_community_sees_its_own_targets_live(boards, personas, client_for, time_machine):
    time_machine.move_to(NOON, tick=False)
    c = client_for(personas.worker_b)
    assert "宣传栏每月更换" in _workbench(c)[0]
    record(personas.community_b, "health/board", date(2025, 3, 25))
    body, sql = _workbench(c)
    assert "宣传栏每月更换" not in body and any(COUNTING_SQL in s for s in sql)
    assert not TargetStanding.objects.exists()  # one org's targets are not kept


def test_stale_states_are_worked_out_again(boards, personas, time_machine):
    time_machine.move_to(NOON, tick=False)
    a, b = boards
    for t in boards:
        t.refresh_from_db()
    first = standings.standings([a, b], today=NOON.date())
    assert first[b.pk].state == "fail" and first[b.pk].lacks == "3月还差1次" and first[a.pk].lacks == ""
    # An edited target (its version moved on): its kept state no longer holds.
    b.min_per_period = 0
    b.save()
    b.refresh_from_db()
    assert standings.standings([a, b], today=NOON.date())[b.pk].lacks == ""
    # Another day: worked out again.
    record(personas.community_a, "health/board", date(2025, 4, 1))
    TargetStanding.objects.filter(target=a).update(state="bad", lacks="旧的")
    assert standings.standings([a, b], today=NOON.date())[a.pk].lacks == "旧的"
    assert standings.standings([a, b], today=date(2025, 3, 26))[a.pk].lacks == ""


def test_aged_states_are_worked_out_by_one_request_while_others_read_them(boards, personas, time_machine, settings):
    """Two leaders open the street's overview as its kept states age: one works them out, the other is shown the
    kept ones at once instead of counting the street's records a second time."""
    settings.PLANS_STANDING_MAX_AGE = 600
    time_machine.move_to(NOON, tick=False)
    a, b = boards
    for t in boards:
        t.refresh_from_db()
    standings.standings([a, b], today=NOON.date())
    record(personas.community_b, "health/board", date(2025, 3, 25))  # B's board is done now
    time_machine.move_to(NOON + timedelta(seconds=601), tick=False)
    key = standings.working_out_key([a.pk, b.pk])
    cache.add(key, 1, timeout=60)  # another request is working them out
    with CaptureQueriesContext(connection) as q:
        meanwhile = standings.standings([a, b], today=NOON.date())
    assert meanwhile[b.pk].lacks == "3月还差1次"  # the kept state, as of noon
    assert not any(COUNTING_SQL in x["sql"] for x in q.captured_queries)
    cache.delete(key)  # that request is done (or gave up): the next one works them out
    with CaptureQueriesContext(connection) as q:
        now = standings.standings([a, b], today=NOON.date())
    assert now[b.pk].lacks == "" and any(COUNTING_SQL in x["sql"] for x in q.captured_queries)
    assert not cache.get(key)  # and lets go
    # A target with nothing kept for it is worked out at once, whoever else is working.
    cache.add(key, 1, timeout=60)
    TargetStanding.objects.filter(target=a).delete()
    assert standings.standings([a, b], today=NOON.date())[a.pk].state is not None
    assert TargetStanding.objects.filter(target=a).exists()


def test_the_refresh_command_works_out_every_target_of_the_year(boards, capsys, time_machine):
    time_machine.move_to(NOON, tick=False)
    call_command("plans_standings", "--year", "2025")
    assert "已更新 2 项" in capsys.readouterr().out
    kept = dict(TargetStanding.objects.values_list("target__plan__org__name", "lacks"))
    assert kept == {"社区A": "", "社区B": "3月还差1次"}


def test_street_overview_and_its_api_show_the_kept_states(boards, personas, client_for, time_machine):
    time_machine.move_to(NOON, tick=False)
    c = client_for(personas.supervisor)
    url = reverse("plans:overview") + f"?org={personas.street.pk}&year=2025"
    assert c.get(url).status_code == 200
    with CaptureQueriesContext(connection) as q:
        body = c.get(url).content.decode()
    assert not any(COUNTING_SQL in x["sql"] for x in q.captured_queries)
    live = {t.plan.org.name: r.total for t in boards for r in [compliance.evaluate([t], today=NOON.date())[t.pk]]}
    assert live["社区A"].done == 1 and live["社区B"].done == 0
    for total in live.values():
        shown = f"{total.done}/{total.expected}" if total.expected else f"{total.done}"
        assert f'data-state="{total.state}"' in body and f"{total.state_label}<br><small>{shown}</small>" in body
    rows = c.get("/api/plans/overview", {"org_id": personas.street.pk, "year": 2025}).json()
    cells = {cell["org_name"]: (cell["state"], cell["done"], cell["expected"]) for cell in rows[0]["cells"]}
    assert cells == {k: (v.state, str(v.done), v.expected and str(v.expected)) for k, v in live.items()}


def test_the_job_keeps_target_definitions_and_loads_only_edited_ones(boards, personas, time_machine, settings):
    """The scheduled job works out a district's year every few minutes: a second run reads the targets' ids and
    versions, not their definitions, and loads again only a target (or a plan) edited in between."""
    time_machine.move_to(NOON, tick=False)
    a, b = boards
    wanted = Target.objects.filter(plan__year=2025).order_by("pk")
    first = kept.targets(wanted)
    assert [t.pk for t in first] == [a.pk, b.pk]
    with CaptureQueriesContext(connection) as q:
        again = kept.targets(wanted)
    assert len(q.captured_queries) == 1 and again[0] is first[0] and again[1] is first[1]
    b.refresh_from_db()
    b.min_per_period = 2
    b.save()
    plan_a = a.plan
    plan_a.refresh_from_db()
    plan_a.title = "改过的计划"
    plan_a.save()
    with CaptureQueriesContext(connection) as q:
        edited = kept.targets(wanted)
    assert len(q.captured_queries) == 2  # the ids and versions, then the two edited
    assert edited[1].min_per_period == 2 and edited[1] is not first[1] and edited[0] is not first[0]
    # The job's states follow the edit.
    call_command("plans_standings", "--year", "2025")
    assert TargetStanding.objects.get(target=b).lacks.startswith("3月还差2次")
    # At most PLANS_KEPT_TARGETS are kept: the least recently used is loaded again.
    settings.PLANS_KEPT_TARGETS = 1
    kept.forget()
    kept.targets(wanted)  # loads both, keeps the last
    with CaptureQueriesContext(connection) as q:
        kept.targets(wanted.filter(pk=a.pk))
    assert len(q.captured_queries) == 2
