"""A street's and a district's cases dashboard read kept figures; a community's counts at once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.accounts.roles import Role
from shequ.cases.selectors import visible_cases
from shequ.cases.stats import dashboard, screening
from shequ.cases.tests.helpers import make_case
from shequ.orgs.models import Area
from shequ.plans.compliance.standings import refresh_kept
from shequ.testing.factories import member


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


def test_a_streets_screening_table_reads_kept_counts_and_a_communitys_counts_at_once(personas, client_for):
    p = personas
    today = timezone.localdate()
    make_case(p.worker_a, p.community_a, registered_on=today)
    month = {"year": today.year, "month": today.month}

    def screened(org) -> dict[str, int]:
        data = screening(p.supervisor, org=org, **month)
        return {r["org"].name: r["counts"]["screened"] for r in data["table"]}, data["kept_at"]

    street, kept_at = screened(p.street)
    assert street["社区A"] == 1 and street["和平街道"] == 1 and kept_at is not None
    make_case(p.worker_a, p.community_a, registered_on=today)
    community, kept_at = screened(p.community_a)
    assert community["社区A"] == 2 and kept_at is None
    street, _ = screened(p.street)
    assert street["社区A"] == 1
    html = client_for(p.supervisor).get(reverse("cases:screening"), {"org": p.street.pk, **month}).content.decode()
    assert "统计于" in html
    refresh_kept()
    street, _ = screened(p.street)
    assert street["社区A"] == 2 and street["和平街道"] == 2
    # A street worker bound to a line of work may not see every case of the street: counted at once from what
    # they see, never from the kept counts of everything.
    make_case(p.worker_a, p.community_a, registered_on=today)
    for code in ("health", "safety"):
        bound = member(p.street, Role.WORKER, areas=[Area.objects.get(code=code)])
        data = screening(bound, org=p.street, **month)
        seen = visible_cases(bound).filter(case_type__kind="dispute").count()
        assert data["kept_at"] is None and data["table"][0]["counts"]["screened"] == seen == {"health": 0}.get(code, 3)
