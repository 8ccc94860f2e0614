"""The report pages: the completeness grid and its rates, the pre-filled form, the submission and its review,
the roll-up — each in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from shequ.orgs.models import OrgKind
from shequ.reports import selectors
from shequ.reports.models import State, Submission
from shequ.reports.tests.helpers import TZ, at, form, submit
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db


def _grid_rows(p):
    with at(2026, 4, 20):
        return {r.org.name: r for r in selectors.grid(p.admin, form=form(), focus=p.district, year=2026)["rows"]}


def test_grid_tells_on_time_late_returned_missing_and_not_yet_due(personas):
    p = personas
    submit(p.worker_a, p.community_a, no=1, on=(2026, 2, 3))  # due 5 Feb: on time
    submit(p.worker_a, p.community_a, no=2, on=(2026, 3, 9), zero=True)  # due 5 Mar: late
    returned = submit(p.worker_b, p.community_b, no=1, on=(2026, 2, 1))
    Submission.objects.filter(pk=returned.pk).update(state=State.RETURNED)
    rows = _grid_rows(p)
    a, b = rows["社区A"], rows["社区B"]
    assert [c["status"] for c in a.cells[:5]] == ["ontime", "late", "missing", "pending", "pending"]
    assert a.cells[1]["zero"]
    assert [c["status"] for c in b.cells[:2]] == ["returned", "missing"]
    assert (a.rate.expected, a.rate.reported, a.rate.on_time) == (3, 2, 1)
    with at(2026, 4, 20):
        data = selectors.grid(p.admin, form=form(), focus=p.district, year=2026)
    rates = {s.name: r for s, r in data["streets"]}
    assert rates["和平街道"].expected == 6 and rates["和平街道"].reported == 2 and rates["和平街道"].rate == 33.3
    assert rates["清河镇"].reported == 0 and data["total"].expected == 9


def test_worker_of_a_community_sees_only_its_own_row(personas):
    with at(2026, 4, 20):
        rows = selectors.grid(personas.worker_b, form=form(), focus=personas.community_b, year=2026)["rows"]
    assert [r.org.name for r in rows] == ["社区B"]


@pytest.mark.parametrize("n", [3, 60])
def test_grid_page_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    p = personas
    f, when = form(), datetime(2026, 2, 2, tzinfo=TZ)
    for i in range(n):
        org = OrgFactory(name=f"社区{i:03d}", kind=OrgKind.COMMUNITY, parent=p.other_street)
        Submission.objects.create(
            form=f, org=org, area=f.area, year=2026, period_no=1, values={}, computed={}, first_submitted_at=when,
            submitted_at=when, submitted_by=p.admin,
        )  # fmt: skip
    c = client_for(p.admin)
    with django_assert_max_num_queries(15):  # one resolves the actor's scope, one reads the 督办 sent by hand
        html = c.get(reverse("reports:index"), {"form": "dispute_monthly", "year": 2026}).content.decode()
    assert "社区000" in html and "报送率" in html


def test_fill_page_shows_the_computed_figures_and_submits(personas, client_for):
    p = personas
    c = client_for(p.worker_a)
    url = reverse("reports:fill", args=["dispute_monthly", p.community_a.pk, 2026, 1])
    with at(2026, 2, 3):
        page = c.get(url).content.decode()
        assert "系统计算：0" in page and "本月无矛盾纠纷" in page
        bad = c.post(url, {"screenings": "二", "screened": "0", "mediated": "0", "succeeded": "0", "major": "0",
                           "prevented_criminal": "0", "prevented_petition": "0", "note": "保留的备注"})  # fmt: skip
        assert bad.status_code == 200
        html = bad.content.decode()
        assert "应填写数字" in html and "保留的备注" in html and not Submission.objects.exists()
        ok = c.post(url, {"zero": "on", "screenings": "2", "note": "本月各网格排查无纠纷"})
    sub = Submission.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("reports:detail", args=[sub.pk]) and sub.zero
    assert sub.values["screenings"] == 2 and sub.values["screened"] == 0  # the screenings held are kept
    assert c.get(url).status_code == 302  # a submitted report opens as itself


def test_detail_marks_changed_figures_and_the_street_returns_it(personas, client_for):
    p = personas
    sub = submit(p.worker_a, p.community_a, values={"screenings": 4})
    html = client_for(p.worker_a).get(reverse("reports:detail", args=[sub.pk])).content.decode()
    assert "已修改" in html and 'data-testid="review-form"' not in html
    street = client_for(p.supervisor)
    assert 'data-testid="review-form"' in street.get(reverse("reports:detail", args=[sub.pk])).content.decode()
    street.post(reverse("reports:review", args=[sub.pk]), {"decision": "return", "reason": "", "version": sub.version})
    sub.refresh_from_db()
    assert sub.state == State.SUBMITTED  # no reason: refused, nothing changed
    street.post(
        reverse("reports:review", args=[sub.pk]), {"decision": "return", "reason": "请核实", "version": sub.version}
    )
    sub.refresh_from_db()
    assert sub.state == State.RETURNED
    page = client_for(p.worker_a).get(reverse("reports:fill", args=["dispute_monthly", p.community_a.pk, 2026, 1]))
    assert "请核实" in page.content.decode() and "重新报送" in page.content.decode()


def test_rollup_sums_communities_for_the_street_and_streets_for_the_district(personas, client_for):
    p = personas
    submit(p.worker_a, p.community_a, values={"screened": 3, "mediated": 2, "summary": "x"})
    submit(p.worker_b, p.community_b, values={"screened": 1, "mediated": 1})
    c_worker = p.admin
    with at(2026, 2, 4):
        street = selectors.rollup(c_worker, form=form(), focus=p.street, year=2026, no=1)
        district = selectors.rollup(c_worker, form=form(), focus=p.district, year=2026, no=1)
    labels = [f["code"] for f in street["fields"]]
    assert dict(zip(labels, [v for _l, v in street["total"]], strict=True))["screened"] == "4"
    assert {r["name"]: r["reported"] for r in street["rows"]} == {"社区A": 1, "社区B": 1}
    by_street = {r["name"]: (r["reported"], r["owing"], r["cells"][1][1]) for r in district["rows"]}
    assert by_street == {"和平街道": (2, 2, "4"), "清河镇": (0, 1, "0")}
    assert [o.name for o in district["missing"]] == ["社区C"]
    page = client_for(p.supervisor).get(reverse("reports:summary", args=["dispute_monthly", p.street.pk, 2026, 1]))
    assert page.status_code == 200 and "社区A" in page.content.decode()


def test_submission_list_filters_and_refuses_bad_values(personas, client_for):
    submit(personas.worker_a, personas.community_a)
    c = client_for(personas.supervisor)
    assert "社区A" in c.get(reverse("reports:list"), {"state": "submitted"}).content.decode()
    html = c.get(reverse("reports:list"), {"year": "abc"}).content.decode()
    assert "没有符合条件" in html
