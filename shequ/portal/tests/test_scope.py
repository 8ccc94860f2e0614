"""The authorization matrix for the residents' side (the project-wide test runs the same checks)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from shequ.portal.tests import scope_fixtures

MINE = sorted(
    (f"portal:{p.name}", bool(p.pattern.converters))
    for p in get_resolver().url_patterns
    for p in getattr(p, "url_patterns", [])
    if getattr(p, "name", None) and p.lookup_str.startswith("shequ.portal")
)


def test_every_portal_url_is_classified():
    assert MINE
    missing = [n for n, k in MINE if k and n not in scope_fixtures.URL_OBJECTS and n not in scope_fixtures.PUBLIC_URLS]
    assert not missing


def _get_or_post(client, url):
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


@pytest.mark.parametrize("name", sorted(scope_fixtures.URL_OBJECTS))
def test_object_url_is_hidden_from_others_and_sends_staff_to_the_worker_page(name, personas, client_for, client):
    url = reverse(name, kwargs=scope_fixtures.URL_OBJECTS[name](personas))
    anon = _get_or_post(client, url)
    assert anon.status_code in (401, 403, 404) or "/login/" in anon.get("Location", "")
    assert _get_or_post(client_for(personas.worker_b), url).status_code == 404
    codes = {_get_or_post(client_for(u), url).status_code for u in (personas.admin, personas.leader_a)}
    assert codes & {200, 302} and not codes & {404, 500}, codes


@pytest.mark.parametrize("name", [n for n, k in MINE if not k and n not in scope_fixtures.PUBLIC_URLS])
def test_plain_url_needs_login(name, client, db):
    response = client.get(reverse(name))
    assert response.status_code in (401, 403, 404, 405) or "/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(scope_fixtures.PUBLIC_URLS))
def test_public_url_opens_without_login(name, personas, client):
    kwargs = {"org_id": personas.community_a.pk} if name == "portal:board" else {}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_another_resident_cannot_see_my_case(personas, client_for):
    from shequ.accounts.roles import Role
    from shequ.testing.factories import member

    url = reverse("portal:case", kwargs=scope_fixtures.URL_OBJECTS["portal:case"](personas))
    neighbour = member(personas.community_a, Role.RESIDENT)
    assert client_for(neighbour).get(url).status_code == 404
    assert client_for(personas.resident).get(url).status_code == 200
