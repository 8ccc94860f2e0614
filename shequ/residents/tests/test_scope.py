"""The authorization matrix for the registry's URLs alone (the project-wide matrix runs them too
once its FIXTURE_MODULES lists this app's scope_fixtures)."""

import pytest
from django.urls import reverse

from shequ.core.tests.test_authorization_matrix import CHECKED, _anon_refused, _get_or_post
from shequ.residents.tests import scope_fixtures as fx

PLAIN = [n for n, k in CHECKED if n.startswith("residents:") and not k]


def test_every_residents_url_is_classified():
    missing = [n for n, k in CHECKED if n.startswith("residents:") and k and n not in fx.URL_OBJECTS]
    assert not missing


@pytest.mark.parametrize("name", PLAIN)
def test_plain_url_needs_login(name, client, db):
    assert _anon_refused(client.get(reverse(name)))


@pytest.mark.parametrize("name", sorted(fx.URL_OBJECTS))
def test_object_url_is_hidden_from_other_orgs(name, personas, client_for, client):
    url = reverse(name, kwargs=fx.URL_OBJECTS[name](personas))
    assert _anon_refused(_get_or_post(client, url))
    assert _get_or_post(client_for(personas.worker_b), url).status_code == 404
    insiders = [getattr(personas, who) for who in fx.URL_INSIDERS.get(name, ("admin", "leader_a"))]
    codes = {_get_or_post(client_for(u), url).status_code for u in insiders}
    assert codes & {200, 201, 204, 302} and not codes & {404, 500}, codes
