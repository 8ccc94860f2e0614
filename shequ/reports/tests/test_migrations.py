"""The screening records' 零报告 field becomes explicit zero reports (migration 0003), carefully."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from shequ.cases.tests.helpers import make_case
from shequ.records.models import ActivityType, Record
from shequ.records.tests.helpers import make_record
from shequ.reports.models import State, Submission
from shequ.reports.tests.helpers import at

pytestmark = pytest.mark.django_db


def _migrate():
    migration = MigrationLoader(None).get_migration("reports", "0003_zero_reports_from_records")
    migration.operations[0].code(apps, None)


def _said(record: Record, answer: str) -> None:
    Record.objects.filter(pk=record.pk).update(extra={**record.extra, "zero_report": answer})


def test_records_that_said_zero_become_accepted_zero_reports_unless_the_registry_says_otherwise(personas):
    p = personas
    kind = ActivityType.objects.get(area__code="safety", code="screening")
    ActivityType.objects.filter(pk=kind.pk).update(
        extra_fields=[
            *kind.extra_fields,
            {"name": "zero_report", "label": "零报告", "kind": "choice", "choices": ["否", "是"]},
        ]
    )
    with at(2026, 3, 1):
        b_jan = make_record(p.worker_b, p.community_b, area="safety", code="screening", on=date(2026, 1, 8))
        a_grid_jan = make_record(p.worker_a, p.grid_a, area="safety", code="screening", on=date(2026, 1, 9))
        a_feb = make_record(p.worker_a, p.community_a, area="safety", code="screening", on=date(2026, 2, 9))
        b_feb = make_record(p.worker_b, p.community_b, area="safety", code="screening", on=date(2026, 2, 9))
        make_case(p.worker_a, p.community_a, registered_on=date(2026, 2, 3))
    _said(b_jan, "是")
    _said(a_grid_jan, "是")  # a grid's record reports for its community
    _said(a_feb, "是")  # but a dispute was registered in 社区A in February: no zero report is made
    _said(b_feb, "否")
    _migrate()
    made = {(s.org.name, s.period_no): s for s in Submission.objects.select_related("org")}
    assert set(made) == {("社区B", 1), ("社区A", 1)}
    sub = made[("社区B", 1)]
    assert sub.zero and sub.state == State.ACCEPTED and sub.submitted_by == p.worker_b and sub.values["screened"] == 0
    assert sub.events.get().kind == "submit"
    assert not Record.objects.filter(extra__has_key="zero_report").exists()  # the field leaves the records
    kind.refresh_from_db()
    assert "zero_report" not in {f["name"] for f in kind.extra_fields}
    _migrate()  # run again: nothing more
    assert Submission.objects.count() == 2
