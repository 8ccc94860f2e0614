"""Every page a persona can open links only to pages and forms it may use, and uses each element id once.

The objects of every URL the apps classify (``scope_fixtures.URL_OBJECTS``) are made in 社区A first, so the
crawl meets a record, a case, a plan, a resident … of each kind; each persona then crawls from its home.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from shequ.testing.crawl import crawl
from shequ.testing.matrix import MATRIX_KEYS, build_matrix_personas
from shequ.testing.urls import OBJECTS

START = ["/", "/p/", "/p/mine/"]

# Dead ends known today, each with why; strict: once fixed, the mark must go.
KNOWN_DEAD_ENDS: dict[tuple[str, str], str] = {}


def _client_fetch(client):
    def fetch(method: str, url: str):
        if method == "POST":
            with transaction.atomic():
                response = client.post(url)
                transaction.set_rollback(True)
        else:
            response = client.get(url)
        text = response.content.decode("utf-8", "replace") if not getattr(response, "streaming", False) else ""
        return response.status_code, response.get("Content-Type", ""), text

    return fetch


def _seed(personas) -> None:
    for name in sorted(OBJECTS):
        OBJECTS[name](personas)


def _crawl(key, personas, client_for):
    _seed(personas)
    persona = next(mp for mp in build_matrix_personas(personas) if mp.key == key)
    result = crawl(_client_fetch(client_for(persona.user)), START)
    assert result.opened, "the crawl opened nothing"
    return persona, result


@pytest.mark.parametrize("key", MATRIX_KEYS)
def test_no_page_links_a_persona_to_a_refusal(key, personas, client_for):
    persona, result = _crawl(key, personas, client_for)
    problems = [text for name, text in result.problems if (key, name) not in KNOWN_DEAD_ENDS]
    assert not problems, f"{persona.label}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("key", "name"),
    [pytest.param(k, n, marks=pytest.mark.xfail(strict=True, reason=r)) for (k, n), r in KNOWN_DEAD_ENDS.items()],
)
def test_known_dead_ends(key, name, personas, client_for):
    _, result = _crawl(key, personas, client_for)
    assert not [text for n, text in result.problems if n == name]
