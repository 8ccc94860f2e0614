import time

import pytest

from shequ.accounts import demo as base_demo
from shequ.records import demo
from shequ.records.models import Record, RecordPhoto

pytestmark = pytest.mark.django_db


def test_demo_builds_a_believable_year_and_is_idempotent():
    ctx = base_demo.build(year=2025)
    started = time.perf_counter()
    demo.step(ctx, {"quiet": True})
    elapsed = time.perf_counter() - started
    count = Record.objects.count()
    assert count > 1000 and elapsed < 20
    a = ctx.orgs["communityA"]
    boards = Record.objects.filter(org=a, year=2025, activity_type__code="board")
    assert boards.count() == 16  # monthly, and twice a month May–August
    assert boards.filter(date__month=6).count() == 2
    assert Record.objects.filter(org=ctx.orgs["school"], area__code="school", activity_type__code="drill").exists()
    assert Record.objects.filter(org=a, year=2024).exists()  # the year before too
    assert not Record.objects.exclude(year=2024).exclude(year=2025).exists()
    assert RecordPhoto.objects.filter(record__org=a).exists()
    assert Record.objects.filter(org=a, area__code="safety").first().created_by == ctx.users["a_safety"]
    demo.step(ctx, {"quiet": True})
    assert Record.objects.count() == count
