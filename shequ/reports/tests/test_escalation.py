"""督办: a report overdue by more than the form's days rings the street leader's bell and shows 督办 on the grid and
on the owing org's card; the street may send one by hand with a note, audited, until the report is in."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shequ.accounts.models import User
from shequ.audit.models import AuditLog
from shequ.plans import reminders
from shequ.plans.models import Reminder
from shequ.reports import selectors
from shequ.reports.dashboard import report_cards
from shequ.reports.models import Escalation, ReportForm
from shequ.reports.tests.helpers import at, form, submit

pytestmark = pytest.mark.django_db


def _pressed(user):
    return [
        r.message
        for r in Reminder.objects.filter(user=user, message__startswith="【督办】")
        if "2026年1月" in r.message
    ]


def _cells(p, day):
    with at(2026, 2, day):
        rows = selectors.grid(User.objects.get(pk=p.admin.pk), form=form(), focus=p.street, year=2026)["rows"]
    return {r.org.name: r.cells[0]["press"] for r in rows}


def test_a_report_overdue_past_the_forms_days_is_escalated_to_the_street_leader(personas):
    p = personas
    ReportForm.objects.exclude(code="dispute_monthly").update(is_active=False)
    submit(p.worker_a, p.community_a, no=1, on=(2026, 2, 3))
    reminders.refresh(today=date(2026, 2, 8))  # due 5 Feb: three days late, not yet
    assert _pressed(p.supervisor) == []
    reminders.refresh(today=date(2026, 2, 9))
    assert _pressed(p.supervisor) == ["【督办】社区B“矛盾纠纷排查调处情况月报表”（2026年1月）已逾期4天未报送"]
    assert _pressed(p.worker_b) == []  # the leader of the receiving street is told, not the community
    assert _cells(p, 9) == {"社区A": False, "社区B": True} and _cells(p, 8)["社区B"] is False
    with at(2026, 2, 9):
        (card,) = report_cards(User.objects.get(pk=p.worker_b.pk))
    assert card["items"][0]["note"] == "督办 · 已逾期4天"
    ReportForm.objects.filter(code="dispute_monthly").update(escalate_after=10)  # configurable per form
    reminders.refresh(today=date(2026, 2, 9))
    assert _pressed(p.supervisor) == [] and _cells(p, 9)["社区B"] is False


def test_the_street_sends_a_press_by_hand_with_a_note_until_the_report_is_in(personas, client_for):
    p = personas
    url = reverse("reports:press", args=["dispute_monthly", p.community_b.pk, 2026, 1])
    with at(2026, 2, 6):
        empty = client_for(p.supervisor).post(url, {"note": " "})
        assert empty.status_code == 302 and not Escalation.objects.exists()
        assert client_for(p.worker_b).post(url, {"note": "请补报"}).status_code == 403
        client_for(p.supervisor).post(url, {"note": "请于2月8日前补报"})
    esc = Escalation.objects.get()
    assert (esc.org, esc.by, esc.note) == (p.community_b, p.supervisor, "请于2月8日前补报")
    assert AuditLog.objects.filter(action="report.escalate", actor=p.supervisor).count() == 1
    expected = ["【督办】社区B“矛盾纠纷排查调处情况月报表”（2026年1月）：请于2月8日前补报"]
    assert _pressed(p.worker_b) == expected  # in the bell at once
    assert _cells(p, 6)["社区B"] is True  # one day late only, but pressed by hand
    with at(2026, 2, 6):
        page = client_for(p.worker_b).get(reverse("reports:fill", args=["dispute_monthly", p.community_b.pk, 2026, 1]))
    assert "请于2月8日前补报" in page.content.decode()
    reminders.refresh(today=date(2026, 2, 7))
    assert _pressed(p.worker_b) == expected  # kept by the daily job while the report is missing
    submit(p.worker_b, p.community_b, no=1, on=(2026, 2, 7))
    reminders.refresh(today=date(2026, 2, 7))
    assert _pressed(p.worker_b) == [] and _cells(p, 9)["社区B"] is False
    with at(2026, 2, 7):
        refused = client_for(p.supervisor).post(url, {"note": "再次督办"})
    assert refused.status_code == 302 and Escalation.objects.count() == 1  # reported: nothing to press


def test_the_demo_presses_the_missing_month_once(personas):
    from types import SimpleNamespace

    from shequ.reports import demo

    ctx = SimpleNamespace(orgs={"village2": personas.community_b}, year=2026)
    with at(2026, 6, 1):
        demo._press_missing(ctx, personas.admin)
        demo._press_missing(ctx, personas.admin)  # idempotent
    (esc,) = Escalation.objects.all()
    assert (esc.org, esc.period_no, esc.by) == (personas.community_b, 4, personas.admin)
