"""The authorization matrix for the cases URLs (the project-wide test runs the same checks)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shequ.cases.tests import scope_fixtures


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield ns + (p.name or ""), bool(p.pattern.converters) or "(?P<" in str(p.pattern)


MINE = sorted(
    {(n, k) for n, k in _walk(get_resolver().url_patterns) if n.startswith("cases:") or n.startswith("api:case_")}
)


def test_every_cases_url_with_kwargs_is_classified():
    assert MINE
    missing = [n for n, k in MINE if k and n not in scope_fixtures.URL_OBJECTS]
    assert not missing


def _get_or_post(client, url):
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def _anon_refused(response) -> bool:
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code in {401, 403, 404, 405}


@pytest.mark.parametrize("name", sorted(scope_fixtures.URL_OBJECTS))
def test_object_url_is_hidden_from_community_b_and_open_to_a(name, personas, client_for, client):
    url = reverse(name, kwargs=scope_fixtures.URL_OBJECTS[name](personas))
    assert _anon_refused(_get_or_post(client, url))
    assert _get_or_post(client_for(personas.worker_b), url).status_code == 404
    # The other street's people see nothing of 社区A either.
    other = _get_or_post(client_for(_member_of(personas.community_c)), url)
    assert other.status_code == 404
    insiders = scope_fixtures.URL_INSIDERS.get(name, ("admin", "leader_a"))
    codes = {_get_or_post(client_for(getattr(personas, u)), url).status_code for u in insiders}
    assert codes & {200, 201, 204, 302} and not codes & {404, 500}, codes


def _member_of(org):
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    return member(org, Role.LEADER)


@pytest.mark.parametrize("name", [n for n, k in MINE if not k])
def test_plain_url_needs_login(name, client, db):
    assert _anon_refused(client.get(reverse(name)))


@pytest.mark.parametrize(
    "name", ["cases:inbox", "cases:create", "cases:dashboard", "cases:screening", "cases:ledgers", "cases:limits"]
)
def test_resident_gets_403_on_worker_pages(name, personas, client_for):
    assert client_for(personas.resident).get(reverse(name)).status_code == 403


def test_inspector_reads_a_case_but_may_not_move_it(personas, client_for):
    url_kwargs = scope_fixtures.URL_OBJECTS["cases:detail"](personas)
    c = client_for(personas.inspector)
    assert c.get(reverse("cases:detail", kwargs=url_kwargs)).status_code == 200
    response = c.post(reverse("cases:move", kwargs={**url_kwargs, "action": "accept"}), {"owner": personas.worker_a.pk})
    assert response.status_code == 403


def test_grid_worker_cannot_accept_a_community_case(personas, client_for):
    from shequ.cases.tests.helpers import make_case

    case = make_case(personas.worker_a, personas.grid_a)
    c = client_for(personas.grid_a_worker)
    assert c.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    response = c.post(reverse("cases:move", args=[case.pk, "accept"]), {"owner": personas.grid_a_worker.pk})
    assert response.status_code == 403
