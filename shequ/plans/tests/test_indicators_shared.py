"""The measures of one noun read together (one grouped query, a filtered aggregate each) give every org the figures
each measure gives read alone, on the demo's year of every line of work."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.accounts import demo as base_demo
from shequ.core.indicators import Period
from shequ.core.registry import demo_steps
from shequ.plans.indicators import compute, registry

pytestmark = pytest.mark.django_db


def test_measures_read_together_equal_each_read_alone():
    options = {"year": 2025, "quiet": True, "verbosity": 0}
    ctx = base_demo.DemoContext(year=2025, options=options)
    for step in demo_steps():
        step.run(ctx, options)
    nouns = registry.nouns()
    measures = {}
    for ind in registry.indicators().values():
        for population in ["", *ind.populations]:
            for m in (*ind.sides(population), ind.sample):
                if m is not None:
                    measures.setdefault(m.key, m)
    period = Period(2025, date(2025, 12, 31))
    fold = compute.Fold.load([o.pk for o in ctx.orgs.values()])
    alone = {key: dict(compute.measure_by_org(m, period, fold, nouns)) for key, m in measures.items()}
    with CaptureQueriesContext(connection) as shared_queries:
        together = {key: dict(v) for key, v in compute.measures_by_org(measures, period, fold, nouns).items()}
    assert together == alone
    persons = sum(1 for m in measures.values() if m.noun == "persons")
    assert persons > 5 and any(v for key, v in alone.items() if measures[key].noun == "persons")
    # Each noun whose measures follow single-valued relations is read once.
    assert len(shared_queries.captured_queries) < len(measures) - persons
