"""Pages of computed targets: the figure with links to the rows behind each side, the rows themselves (scoped,
sensitive profiles only to those who may see them, a fixed number of queries), the catalogue, the form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shequ.accounts.roles import Role
from shequ.orgs.models import Area
from shequ.plans.models import Target
from shequ.plans.tests.helpers import plan, target
from shequ.residents.models import DisabilityProfile, Person
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def disabled(org, name: str, *, complete=True) -> Person:
    p = Person.objects.create(org=org, name=name)
    DisabilityProfile.objects.create(
        person=p,
        category="4",
        grade="3",
        family_situation="同住",
        disability_situation="肢体",
        rehabilitation_situation="训练" if complete else "",
        needs=["rehab"],
    )
    return p


@pytest.fixture
def five_clear(personas) -> Target:
    disabled(personas.community_a, "郑完整")
    disabled(personas.community_a, "钱缺项", complete=False)
    p = plan(personas.community_a, year=2025, area_code="disability")
    return target(p, kind="indicator", indicator="disability_five_clear", threshold=Decimal(100), unit="%")


def test_a_computed_target_shows_its_figure_and_links_to_both_sides(five_clear, personas, client_for):
    body = client_for(personas.leader_a).get(reverse("plans:target_detail", args=[five_clear.pk])).content.decode()
    assert "50%" in body and "“五清”齐全的残疾人：1" in body and "在册残疾人：2" in body
    assert reverse("plans:target_indicator_rows", args=[five_clear.pk, "numerator"]) in body
    assert reverse("plans:target_indicator_rows", args=[five_clear.pk, "denominator"]) in body
    assert 'name="value"' not in body  # nothing to type in


def test_the_rows_behind_each_side_are_the_residents_counted(five_clear, personas, client_for):
    c = client_for(personas.leader_a)
    numerator = c.get(reverse("plans:target_indicator_rows", args=[five_clear.pk, "numerator"])).content.decode()
    assert "郑完整" in numerator and "钱缺项" not in numerator
    denominator = c.get(reverse("plans:target_indicator_rows", args=[five_clear.pk, "denominator"])).content.decode()
    assert "郑完整" in denominator and "钱缺项" in denominator


def test_another_community_gets_404_and_a_worker_without_the_disability_line_sees_no_disabled_resident(
    five_clear, personas, client_for
):
    url = reverse("plans:target_indicator_rows", args=[five_clear.pk, "denominator"])
    assert client_for(personas.worker_b).get(url).status_code == 404
    assert client_for(personas.worker_a).get(url + "x").status_code == 404
    health_only = member(personas.community_a, Role.WORKER, areas=[Area.objects.get(code="health")])
    # The plan is a disability plan: a worker of another line does not see the target at all.
    assert client_for(health_only).get(url).status_code == 404
    five_clear.plan.area = Area.objects.get(code="health")
    five_clear.plan.save()
    body = client_for(health_only).get(url).content.decode()
    assert "郑完整" not in body and "钱缺项" not in body


def test_an_unknown_side_is_404(five_clear, personas, client_for):
    url = reverse("plans:target_indicator_rows", args=[five_clear.pk, "sideways"])
    assert client_for(personas.leader_a).get(url).status_code == 404


def test_the_rows_page_runs_the_same_queries_at_10_rows_and_at_1000(five_clear, personas, client_for):
    c = client_for(personas.leader_a)
    url = reverse("plans:target_indicator_rows", args=[five_clear.pk, "denominator"])

    def grow_to(n: int) -> int:
        have = Person.objects.filter(org=personas.community_a).count()
        people = Person.objects.bulk_create([Person(org=personas.community_a, name=f"批量{i}") for i in range(have, n)])
        DisabilityProfile.objects.bulk_create([DisabilityProfile(person=p, category="1", grade="1") for p in people])
        c.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert grow_to(10) == grow_to(1000)


def test_the_catalogue_lists_every_indicator_with_its_sides(personas, client_for):
    body = client_for(personas.worker_a).get(reverse("plans:indicators")).content.decode()
    for code in ("opinion_reply_rate", "disability_five_clear", "disability_rehab_coverage", "education_training_rate"):
        assert f'data-indicator="{code}"' in body
    assert "按时答复的民情民意事项" in body and "常住人口（18–60岁）" in body


def test_a_computed_target_is_added_through_the_form(personas, client_for):
    p = plan(personas.community_a, year=2025, area_code="education")
    data = {"title": "培训率", "kind": "indicator", "indicator": "education_training_rate", "population": "adults",
            "comparison": "rise", "threshold": "5", "unit": "%"}  # fmt: skip
    response = client_for(personas.leader_a).post(reverse("plans:target_create", args=[p.pk]), data)
    assert response.status_code == 302
    t = p.targets.get(title="培训率")
    assert (t.kind, t.indicator, t.population) == ("indicator", "education_training_rate", "adults")
    assert t.comparison == "rise"
    bad = dict(data, title="另一个", indicator="", population="")
    body = client_for(personas.leader_a).post(reverse("plans:target_create", args=[p.pk]), bad).content.decode()
    assert "计算指标需要选择计算口径" in body
    assert not p.targets.filter(title="另一个").exists()
