"""Every page the crawl reaches reads the database a fixed number of times, however many rows its lists hold.

The objects of every URL the apps classify (``scope_fixtures.URL_OBJECTS``) are made in 社区A with ten records,
cases and persons; each persona of the browser crawl then crawls from its home, and one page of each URL pattern
is counted as the first persona (of the widest reach) that opened it. The data then grows: a thousand records,
cases and persons in bulk, and every object kind made again several times over; each page is counted again and
must read no more than it did, give or take ``ALLOWANCE`` (a pager that appears, a second page of a list).
One test over all pages, so the grown data is built once; its failure names every page that grew.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from shequ.cases.tests.helpers import bulk_cases
from shequ.core.tests.test_link_crawl import _client_fetch, _seed
from shequ.records.tests.helpers import bulk_records
from shequ.residents.tests.helpers import bulk_persons
from shequ.site.tests.test_browser_crawl import PERSONAS, START
from shequ.testing.crawl import crawl
from shequ.testing.matrix import build_matrix_personas
from shequ.testing.urls import OBJECTS, url_name

pytestmark = pytest.mark.slow

SMALL, LARGE = 10, 1000
# How many times every object kind of the URL classification is made again when the data grows.
REPEATS = 4
# Queries a page may add as its lists fill: a pager's count, the row of a second page.
ALLOWANCE = 2
# Pages whose count still grows with their rows, each with why (the fix is larger than a selector's prefetch).
KNOWN_GROWING: dict[str, str] = {}


def _grow(personas, n: int) -> None:
    org = personas.community_a
    bulk_records(org, n, year=2026)
    bulk_cases(n, org)
    bulk_persons(org, n, start=100_000 + n)


def _grow_objects(personas) -> None:
    for _ in range(REPEATS):
        for name in sorted(OBJECTS):
            try:
                with transaction.atomic():
                    OBJECTS[name](personas)
            except (DatabaseError, ValidationError, ValueError, LookupError):
                continue  # a kind made once per org (a year's ledger, a membership): it cannot repeat


def _count(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def _pages(personas, client_for):
    """(persona key, client, url pattern, url) for one page of each pattern any crawl persona opens."""
    by_key = {mp.key: mp for mp in build_matrix_personas(personas)}
    chosen: dict[str, tuple[str, object, str]] = {}
    for key in PERSONAS:
        client = client_for(by_key[key].user)
        result = crawl(_client_fetch(client), START, per_pattern=1)
        for entry, status in result.opened.items():
            method, url = entry.split(" ", 1)
            name = url_name(url)
            if method == "GET" and status == 200 and name and name not in chosen:
                chosen[name] = (key, client, url)
    return chosen


def test_every_crawled_page_keeps_its_query_count_as_its_lists_grow(personas, client_for):
    _seed(personas)
    _grow(personas, SMALL)
    pages = _pages(personas, client_for)
    assert len(pages) > 100, f"the crawl reached only {len(pages)} kinds of page"
    small = {name: _count(client, url) for name, (_, client, url) in pages.items()}

    _grow(personas, LARGE - SMALL)
    _grow_objects(personas)
    grown = {name: _count(client, url) for name, (_, client, url) in pages.items()}

    problems = []
    for name, (key, _, url) in sorted(pages.items()):
        (status_s, n_s), (status_l, n_l) = small[name], grown[name]
        if status_l != status_s:
            problems.append(f"{name} {url} ({key}): answered {status_s}, then {status_l}")
        elif n_l > n_s + ALLOWANCE and name not in KNOWN_GROWING:
            problems.append(f"{name} {url} ({key}): {n_s} queries with {SMALL} rows, {n_l} with {LARGE}")
    assert not problems, f"{len(problems)} of {len(pages)} pages:\n" + "\n".join(problems)
