"""A person's page (一人一档) shows the cases they raised, are a party to, or were referred in, each only as far
as the reader sees cases (a child's early report only to the disability staff), in a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.accounts.roles import Role
from shequ.cases import services
from shequ.cases.person_panel import person_cases
from shequ.cases.tests.helpers import ctype, make_case
from shequ.orgs.models import Area
from shequ.residents.models import Person
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def _child(p) -> Person:
    return Person.objects.create(org=p.community_a, name="小红", gender="F", birth_date=date(2024, 1, 5))


def _early(p, kid):
    return services.case_register(actor=p.worker_a, case_type=ctype("early_child"), org=p.community_a,
                                  title="疑似发育迟缓", description="家长反映", category="家长报告",
                                  detail={"person": kid})  # fmt: skip


def test_the_person_page_lists_cases_as_party_and_as_the_referred_child(personas, client_for):
    p = personas
    kid = _child(p)
    make_case(p.worker_a, p.community_a, "dispute", title="邻里噪音纠纷",
              parties=[{"person": kid, "name": kid.name, "role": "applicant"}, {"name": "李四"}])  # fmt: skip
    _early(p, kid)
    make_case(p.worker_a, p.community_a, "dispute", title="与她无关的纠纷")
    body = client_for(p.worker_a).get(reverse("residents:detail", args=[kid.pk])).content.decode()
    assert "事项与转介" in body and "邻里噪音纠纷" in body and "申请人" in body
    assert "疑似发育迟缓" in body and "转介对象" in body and "与她无关的纠纷" not in body


def test_each_reader_sees_only_the_cases_they_may_see(personas):
    p = personas
    kid = _child(p)
    _early(p, kid)
    make_case(p.worker_a, p.community_a, "dispute", parties=[{"person": kid, "name": kid.name}])
    safety = member(p.community_a, Role.WORKER, areas=[Area.objects.get(code="safety")])
    assert [r["note"].split("，")[0] for r in person_cases(safety, [kid.pk])[kid.pk]] == ["当事人"]
    assert len(person_cases(p.worker_a, [kid.pk])[kid.pk]) == 2
    assert person_cases(p.worker_b, [kid.pk]) == {}


@pytest.mark.parametrize("n", [1, 12])
def test_the_panel_reads_a_fixed_number_of_queries(personas, n):
    p = personas
    kid = _child(p)
    for i in range(n):
        make_case(p.worker_a, p.community_a, "dispute", title=f"纠纷{i}", reporter_person=kid,
                  parties=[{"person": kid, "name": kid.name}])  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        rows = person_cases(p.worker_a, [kid.pk])
    assert len(rows[kid.pk]) == n
    assert len(ctx) <= 6, [q["sql"][:100] for q in ctx.captured_queries]
    counts = getattr(test_the_panel_reads_a_fixed_number_of_queries, "counts", set())
    counts.add(len(ctx))
    test_the_panel_reads_a_fixed_number_of_queries.counts = counts
    assert len(counts) == 1, counts
