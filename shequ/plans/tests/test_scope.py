"""The authorization matrix for the plans URLs (the project-wide test runs the same checks), and scope."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shequ.plans.tests import scope_fixtures
from shequ.plans.tests.helpers import plan, record, target

pytestmark = pytest.mark.django_db


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield ns + (p.name or ""), bool(p.pattern.converters)


MINE = sorted(
    {(n, k) for n, k in _walk(get_resolver().url_patterns) if n.startswith("plans:") or n.startswith("api:plans_")}
)


def test_every_plans_url_with_kwargs_is_classified():
    missing = [n for n, k in MINE if k and n not in scope_fixtures.URL_OBJECTS]
    assert not missing


def _get_or_post(client, url):
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


@pytest.mark.parametrize("name", sorted(scope_fixtures.URL_OBJECTS))
def test_object_url_is_hidden_from_community_b_and_open_to_a(name, personas, client_for, client):
    url = reverse(name, kwargs=scope_fixtures.URL_OBJECTS[name](personas))
    anon = _get_or_post(client, url)
    assert anon.status_code in (401, 403, 404) or "/login/" in anon.get("Location", "")
    assert _get_or_post(client_for(personas.worker_b), url).status_code == 404
    codes = {_get_or_post(client_for(u), url).status_code for u in (personas.admin, personas.leader_a)}
    assert codes & {200, 201, 204, 302} and not codes & {404, 500}, codes


@pytest.mark.parametrize("name", [n for n, k in MINE if not k])
def test_plain_url_needs_login(name, client):
    response = client.get(reverse(name))
    assert response.status_code in (401, 403, 404, 405) or "/login/" in response["Location"]


def test_street_sees_its_communities_and_b_never_sees_a(personas, client_for):
    pa, pb = plan(personas.community_a, title="A计划"), plan(personas.community_b, title="B计划")
    pc = plan(personas.community_c, title="C计划")
    for p in (pa, pb, pc):
        target(
            p,
            code="board",
            title="宣传栏",
            kind="count",
            activity_codes=["health/board"],
            period="month",
            min_per_period=1,
        )
    record(personas.community_a, "health/board", date(2025, 1, 5))
    street = client_for(personas.supervisor).get(reverse("plans:overview"), {"org": personas.street.pk, "year": 2025})
    assert street.status_code == 200
    body = street.content.decode()
    assert "社区A" in body and "社区B" in body and "社区C" not in body
    listing = client_for(personas.worker_b).get(reverse("plans:list")).content.decode()
    assert "B计划" in listing and "A计划" not in listing
    # B cannot open A's overview or calendar by passing A's id.
    assert (
        client_for(personas.worker_b).get(reverse("plans:calendar"), {"org": personas.community_a.pk}).status_code
        == 404
    )
    assert client_for(personas.worker_b).get(reverse("plans:overview"), {"org": personas.street.pk}).status_code == 404
    api = client_for(personas.worker_b).get("/api/plans/").json()
    assert [p["title"] for p in api["items"]] == ["B计划"]
