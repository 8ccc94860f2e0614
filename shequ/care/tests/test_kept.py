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
