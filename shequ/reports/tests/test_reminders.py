"""Reports owed ring the bell: from a week before the due day until they are reported, then as late."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.plans import reminders
from shequ.plans.models import Reminder, ReminderKind
from shequ.reports.tests.helpers import submit

pytestmark = pytest.mark.django_db


def _dispute(user):
    """The user's reminders of January's reports."""
    return list(Reminder.objects.filter(user=user, key__startswith="report:", message__contains="2026年1月"))


def test_a_report_owed_rings_the_bell_until_it_is_submitted_then_late(personas):
    reminders.refresh(today=date(2026, 2, 1))
    mine = _dispute(personas.worker_a)
    assert mine and all(r.kind == ReminderKind.REPORT_DUE for r in mine)
    assert any("社区A" in r.message and "将于2月5日截止" in r.message for r in mine)
    assert not any("社区B" in r.message for r in mine)  # another community's report is not theirs
    submit(personas.worker_a, personas.community_a, on=(2026, 2, 1))
    reminders.refresh(today=date(2026, 2, 1))
    assert not [r for r in _dispute(personas.worker_a) if "矛盾纠纷" in r.message]
    assert [r for r in _dispute(personas.worker_b) if "矛盾纠纷" in r.message]
    reminders.refresh(today=date(2026, 2, 7))
    late = [r for r in _dispute(personas.worker_b) if "矛盾纠纷" in r.message]
    assert late and all(r.kind == ReminderKind.REPORT_LATE and "已逾期2天" in r.message for r in late)
