"""The daily tally is incremental: it adds the periods closed since its last run and writes again only the persons
whose care changed, and what it leaves equals a rebuild of the whole year."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from shequ.care import services, tally
from shequ.care.models import DueVisit, HelperPair, TallyMark, VisitSchedule
from shequ.care.tests.helpers import disabled, pair, special, visit, volunteer
from shequ.residents.models import SpecialGroupProfile

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


def rows() -> set[tuple]:
    return set(
        DueVisit.objects.values_list(
            "person_id", "category", "period_start", "period_end", "visited_on", "helper_id", "org_id", "grid_id"
        )
    )


def test_an_incremental_run_equals_a_full_rebuild_after_months_pass_and_care_changes(personas):
    w = personas.worker_a
    with on(date(2026, 3, 18)):
        a, b, c, still = (disabled(personas.community_a) for _ in range(4))
        d = special(personas.community_a, "mental", risk=2)
        helper = volunteer(personas.community_a)
        pa = pair(w, a, helper)
        gone = visit(w, a, date(2026, 2, 10))
        visit(w, still, date(2026, 1, 5))
    with on(date(2026, 3, 20)):
        first = tally.refresh(2026)
        assert first["full"] and DueVisit.objects.filter(category="disability").count() == 4 * 2  # January, February
    with on(date(2026, 5, 20)):
        gone.delete()  # a's February visit deleted: the period is missed again
        visit(w, b, date(2026, 4, 2))  # a visit written past the care pages
        visit(w, b, date(2026, 2, 27))  # a late visit of a closed month
        c.moved_out_on = date(2026, 4, 14)
        c.save()
        disabled(personas.community_a)  # under care since June last year: due from January
        services.pair_end(actor=w, pair=HelperPair.objects.get(pk=pa.pk), ended_on=date(2026, 4, 10))
        SpecialGroupProfile.objects.filter(person=d).delete()  # no longer under care
        out = tally.refresh(2026)
        incremental = rows()
        assert not out["full"]
        assert out["persons"] == 4  # a, b, c and the new one; the person nobody touched is not written again
        assert out["written"] < tally.rebuild(2026)
    assert incremental == rows()
    assert (a.pk, "disability", date(2026, 2, 1)) in {r[:3] for r in incremental if r[4] is None}


def test_a_day_with_nothing_closed_or_changed_writes_nothing(personas):
    with on(date(2026, 3, 19)):
        disabled(personas.community_a)
    with on(date(2026, 3, 20)):
        tally.refresh(2026)
    with on(date(2026, 3, 28)):
        assert tally.refresh(2026) == {"full": False, "written": 0, "persons": 0}
        assert TallyMark.objects.get(year=2026).through == date(2026, 3, 28)
    with on(date(2026, 4, 1)):
        assert tally.refresh(2026)["written"] == 1  # March closed


def test_a_change_of_the_schedules_rebuilds_the_whole_year(personas):
    with on(date(2026, 4, 20)):
        disabled(personas.community_a, grade="2")
        tally.refresh(2026)
        assert DueVisit.objects.count() == 3
        VisitSchedule.objects.update_or_create(category="disability", level="2", defaults={"every": 3})
        assert tally.refresh(2026)["full"]
        assert DueVisit.objects.count() == 1  # the first quarter


def test_the_command_runs_incrementally_and_in_full(personas, capsys):
    with on(date(2026, 4, 19)):
        disabled(personas.community_a)
    with on(date(2026, 4, 20)):
        call_command("care_tally")
        call_command("care_tally")
        call_command("care_tally", "--full")
    out = capsys.readouterr().out
    assert "全年重新统计" in out and "增量统计（变动对象0人），写入0行" in out
