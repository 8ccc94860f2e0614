"""本月未走访 per community is kept for the street's and the district's card, and the scheduled job
(``manage.py plans_standings``) works it out again: a leader's view after it reads the kept figures, never the
district's people under care, and shows the visits recorded since."""

from __future__ import annotations

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shequ.care.counts import by_community
from shequ.care.tests.helpers import disabled, visit


def _card(client) -> str:
    body = client.get(reverse("dashboard")).content.decode()
    return body.split("本月未走访")[1].split("</section>")[0] if "本月未走访" in body else ""


def test_the_scheduled_job_keeps_every_communitys_figures_and_the_card_reads_them(personas, client_for, capsys):
    today = timezone.localdate()
    disabled(personas.community_a, name="社区A对象")
    late = disabled(personas.community_b, name="社区B对象")
    cache.clear()

    call_command("plans_standings")

    assert "care：已更新" in capsys.readouterr().out
    kept = cache.get_many(
        [f"care-due:1:{o.pk}:{today.isoformat()}" for o in (personas.community_a, personas.community_b)]
    )
    assert len(kept) == 2  # both communities kept by the job, before anyone looked
    c = client_for(personas.supervisor)
    with CaptureQueriesContext(connection) as ctx:
        card = _card(c)
    assert "社区A" in card and "社区B" in card
    assert not any("residents_disabilityprofile" in q["sql"] for q in ctx.captured_queries)

    visit(personas.worker_b, late, today)
    assert "社区B" in _card(c)  # kept: the visit shows after the next run
    call_command("plans_standings")
    assert by_community([personas.community_b], today)[personas.community_b.pk] == {"disability": (0, 0)}
    assert "社区B" not in _card(c) and "社区A" in _card(c)


def _workbench(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        card = _card(client)
    return card, [q["sql"] for q in ctx.captured_queries]


def test_a_communitys_card_is_kept_for_its_workers_and_a_visit_takes_the_person_off_at_once(personas, client_for):
    from datetime import timedelta

    from shequ.accounts.models import Membership
    from shequ.accounts.roles import Role
    from shequ.care.tests.helpers import pair, special
    from shequ.orgs.models import Area
    from shequ.testing.factories import member

    today = timezone.localdate()
    first = disabled(personas.community_a, name="甲对象")
    second = disabled(personas.community_a, name="乙对象")
    special(personas.community_a, "mental", name="丙对象")
    call_command("plans_standings")
    c = client_for(personas.worker_a)

    card, sqls = _workbench(c)
    assert "甲对象" in card and "乙对象" in card and "丙对象" in card and "名单统计于" in card
    assert not any("residents_disabilityprofile" in q for q in sqls)  # kept: no one's standing worked out

    visit(personas.worker_a, first, today)  # recorded after the run: off the card at once
    card, sqls = _workbench(c)
    assert "甲对象" not in card and "乙对象" in card
    assert not any("residents_disabilityprofile" in q for q in sqls)
    visit(personas.worker_a, second, today - timedelta(days=400))  # a visit of an earlier period changes nothing
    assert "乙对象" in _workbench(c)[0]

    # A profile added since shows at the next run (the hint says when the list was worked out).
    disabled(personas.community_a, name="丁对象")
    assert "丁对象" not in _workbench(c)[0]
    call_command("plans_standings")
    card = _workbench(c)[0]
    assert "丁对象" in card and "甲对象" not in card

    # A worker bound to the 综治 line sees its special groups only, from the same kept card, as they would live.
    safety = member(personas.community_a, Role.WORKER, areas=[Area.objects.get(code="safety")], name="综治专干")
    bound, sqls = _workbench(client_for(safety))
    assert "丙对象" in bound and "乙对象" not in bound and "丁对象" not in bound
    assert not any("residents_disabilityprofile" in q for q in sqls)
    assert _due_names(safety) == ["丙对象"]

    # A helper of one of the community's people reads the same card; of another community's, it is worked out live.
    pair(personas.worker_a, second, personas.worker_a)
    card, sqls = _workbench(c)
    assert "乙对象" in card and not any("residents_disabilityprofile" in q for q in sqls)
    Membership.objects.create(user=personas.worker_a, org=personas.community_b, role=Role.VOLUNTEER)
    elsewhere = disabled(personas.community_b, name="B社区对象")
    pair(personas.worker_b, elsewhere, type(personas.worker_a).objects.get(pk=personas.worker_a.pk))
    card, sqls = _workbench(c)
    assert "B社区对象" in card and any("residents_disabilityprofile" in q for q in sqls)


def _due_names(user) -> list[str]:
    from shequ.care import selectors

    today = timezone.localdate()
    return [s.name for s in selectors.due(selectors.subjects(user, selectors.care_persons(user, today), today), today)]
