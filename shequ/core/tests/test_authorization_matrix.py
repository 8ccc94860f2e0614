"""Every URL pattern is either public or needs login; every object URL hides other orgs' objects.

Each app classifies its own URLs in ``<app>/tests/scope_fixtures.py``: ``PUBLIC_URLS`` (open to
anyone), ``URL_OBJECTS`` (url name -> fn(personas) -> URL kwargs of an object in 社区A) and, rarely,
``GLOBAL_URLS`` (kwargs-bearing URLs about data of no org). A URL nobody classified fails here.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shequ.cases.tests import scope_fixtures as cases_fixtures
from shequ.core.tests import scope_fixtures as core_fixtures
from shequ.ledgers.tests import scope_fixtures as ledgers_fixtures
from shequ.plans.tests import scope_fixtures as plans_fixtures
from shequ.portal.tests import scope_fixtures as portal_fixtures
from shequ.records.tests import scope_fixtures as records_fixtures
from shequ.residents.tests import scope_fixtures as residents_fixtures
from shequ.surveys.tests import scope_fixtures as surveys_fixtures

FIXTURE_MODULES = [
    core_fixtures,
    residents_fixtures,
    records_fixtures,
    plans_fixtures,
    cases_fixtures,
    portal_fixtures,
    ledgers_fixtures,
    surveys_fixtures,
]

PUBLIC: set[str] = set().union(*(getattr(m, "PUBLIC_URLS", set()) for m in FIXTURE_MODULES))
OBJECTS: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "URL_OBJECTS", {}).items()}
GLOBAL: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "GLOBAL_URLS", {}).items()}
# Who of 社区A must be able to open an object URL: (admin, leader_a) unless a module says otherwise.
INSIDERS: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "URL_INSIDERS", {}).items()}


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield ns + (p.name or ""), bool(p.pattern.converters) or "(?P<" in str(p.pattern)


ALL_URLS = sorted({(name, has_kwargs) for name, has_kwargs in _walk(get_resolver().url_patterns)})
# Django's admin has its own staff login and permissions.
CHECKED = [(n, k) for n, k in ALL_URLS if not n.startswith("admin:")]
PLAIN = [n for n, k in CHECKED if not k and n not in PUBLIC]
ANON_OK = {302, 401, 403, 404, 405}


def test_every_url_is_classified():
    unnamed = [n for n, _ in CHECKED if not n or n.endswith(":")]
    assert not unnamed, "every URL pattern needs a name"
    missing = [n for n, k in CHECKED if k and n not in OBJECTS and n not in GLOBAL and n not in PUBLIC]
    assert not missing, f"object URLs without an entry in a scope_fixtures.URL_OBJECTS: {missing}"


def _anon_refused(response) -> bool:
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code in ANON_OK - {302}


@pytest.mark.parametrize("name", PLAIN)
def test_plain_url_needs_login(name, client, db):
    response = client.get(reverse(name))
    assert _anon_refused(response), f"{name} answered {response.status_code} to an anonymous visitor"


def _get_or_post(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_object_url_is_hidden_from_other_orgs(name, personas, client_for, client):
    url = reverse(name, kwargs=OBJECTS[name](personas))
    assert _anon_refused(_get_or_post(client, url)), f"{name} is open to anonymous visitors"
    outsider = _get_or_post(client_for(personas.worker_b), url)
    assert outsider.status_code == 404, f"{name}: worker of 社区B got {outsider.status_code}, expected 404"
    insiders = [getattr(personas, who) for who in INSIDERS.get(name, ("admin", "leader_a"))]
    insider_codes = {_get_or_post(client_for(u), url).status_code for u in insiders}
    assert insider_codes & {200, 201, 204, 302}, f"{name}: nobody of 社区A could open it ({insider_codes})"
    assert not insider_codes & {404, 500}, f"{name}: people of 社区A got {insider_codes}"


@pytest.mark.parametrize("name", sorted(GLOBAL))
def test_global_url_needs_login(name, personas, client, client_for):
    url = reverse(name, kwargs=GLOBAL[name](personas))
    assert _anon_refused(client.get(url))
    assert client_for(personas.worker_b).get(url).status_code == 403
