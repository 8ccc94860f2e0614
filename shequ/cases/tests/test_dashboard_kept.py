"""A street's and a district's cases dashboard read kept figures; a community's counts at once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.cases.stats import dashboard
from shequ.cases.tests.helpers import make_case
from shequ.plans.compliance.standings import refresh_kept


def test_a_street_reads_kept_figures_until_the_scheduled_job_works_them_out_again(personas, client_for):
    p = personas
    year = timezone.localdate().year
    make_case(p.worker_a, p.community_a)
    street = dashboard(p.supervisor, org=p.street, year=year)
    assert street["totals"].counts["total"] == 1 and street["kept_at"] is not None
    make_case(p.worker_a, p.community_a)
    # The community's own dashboard counts the new case at once ...
    community = dashboard(p.supervisor, org=p.community_a, year=year)
    assert community["totals"].counts["total"] == 2 and community["kept_at"] is None
    # ... the street's reads what was kept, and says when it was worked out
    assert dashboard(p.supervisor, org=p.street, year=year)["totals"].counts["total"] == 1
    html = client_for(p.supervisor).get(reverse("cases:dashboard"), {"org": p.street.pk}).content.decode()
    assert "统计于" in html
    # The scheduled plans_standings works every org's figures out again.
    assert refresh_kept()["cases"] > 0
    street = dashboard(p.supervisor, org=p.street, year=year)
    assert street["totals"].counts["total"] == 2 and street["totals"].counts["todo"] == 2
    by_org = {r.label: r.counts for r in street["org_rows"]}
    assert by_org["社区A"]["total"] == 2
