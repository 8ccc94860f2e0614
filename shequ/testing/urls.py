"""Every URL of the site, classified by the apps for the authorization matrix and the crawls.

Each app classifies its own URLs in ``<app>/tests/scope_fixtures.py``: ``PUBLIC_URLS`` (open to
anyone), ``URL_OBJECTS`` (url name -> fn(personas) -> URL kwargs of an object in 社区A),
``GLOBAL_URLS`` (kwargs-bearing URLs about data of no org), ``URL_INSIDERS`` (who of 社区A must be
able to open an object URL), and for the extended matrix ``AREA`` / ``URL_AREAS`` (the line of work
of its objects: the code of an Area, or None for objects of no line of work), ``GRID_URLS`` (URLs
whose object lies in 社区A's first grid rather than in 社区A itself), ``URL_REACH``, ``URL_OWNERS`` and
``NEEDS_QUERY`` (below).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from shequ.assessment.tests import scope_fixtures as assessment_fixtures
from shequ.care.tests import scope_fixtures as care_fixtures
from shequ.cases.tests import scope_fixtures as cases_fixtures
from shequ.core.tests import scope_fixtures as core_fixtures
from shequ.documents.tests import scope_fixtures as documents_fixtures
from shequ.dossier.tests import scope_fixtures as dossier_fixtures
from shequ.education.tests import scope_fixtures as education_fixtures
from shequ.groups.tests import scope_fixtures as groups_fixtures
from shequ.ledgers.tests import scope_fixtures as ledgers_fixtures
from shequ.letters.tests import scope_fixtures as letters_fixtures
from shequ.plans.tests import scope_fixtures as plans_fixtures
from shequ.portal.tests import scope_fixtures as portal_fixtures
from shequ.records.tests import scope_fixtures as records_fixtures
from shequ.reports.tests import scope_fixtures as reports_fixtures
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
    groups_fixtures,
    education_fixtures,
    letters_fixtures,
    documents_fixtures,
    care_fixtures,
    reports_fixtures,
    assessment_fixtures,
    dossier_fixtures,
]

PUBLIC: set[str] = set().union(*(getattr(m, "PUBLIC_URLS", set()) for m in FIXTURE_MODULES))
OBJECTS: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "URL_OBJECTS", {}).items()}
GLOBAL: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "GLOBAL_URLS", {}).items()}
# Who of 社区A must be able to open an object URL: (admin, leader_a) unless a module says otherwise.
INSIDERS: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "URL_INSIDERS", {}).items()}
GRID_URLS: set[str] = set().union(*(getattr(m, "GRID_URLS", set()) for m in FIXTURE_MODULES))
# Objects of 社区A shown to every org below it, as published templates are ("subtree").
REACH: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "URL_REACH", {}).items()}
# Personas of the extended matrix who own the object (a resident's own report) and may open it whatever their role.
OWNERS: dict = {k: v for m in FIXTURE_MODULES for k, v in getattr(m, "URL_OWNERS", {}).items()}
# Plain URLs that are htmx partials answering 404/422 without their query parameters.
NEEDS_QUERY: set[str] = set().union(*(getattr(m, "NEEDS_QUERY", set()) for m in FIXTURE_MODULES))


def _areas() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for m in FIXTURE_MODULES:
        default = getattr(m, "AREA", None)
        specific = getattr(m, "URL_AREAS", {})
        for name in getattr(m, "URL_OBJECTS", {}):
            out[name] = specific.get(name, default)
    return out


OBJECT_AREAS = _areas()


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
# URLs that change the visitor's own session: a crawl that followed them would stop being that visitor.
SESSION_URLS = {"logout", "accounts:switch"}


def url_name(path: str) -> str | None:
    """The namespaced name of the URL pattern a path resolves to (None: not one of ours)."""
    from django.urls import Resolver404

    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    return match.view_name


def get_or_post(client, url: str):
    """GET the URL; POST it (empty) where it only takes POST."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def try_url(client, url: str):
    """``get_or_post`` whose writes are rolled back, so every visitor finds the same rows."""
    from django.db import transaction

    with transaction.atomic():
        response = get_or_post(client, url)
        transaction.set_rollback(True)
    return response
