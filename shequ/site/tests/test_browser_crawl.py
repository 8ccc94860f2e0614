"""Every page each persona can reach, opened in Chromium at 375 and 1280 px: no English, no sideways scrolling on
a phone, no critical or serious axe violation.

The link crawl (test client) finds each persona's pages; the browser then opens one page of each URL pattern, as
the first persona that reached it, so the run stays within CI's time (the link and status part runs on both
databases in ``core/tests/test_link_crawl.py``; this part runs on SQLite only).
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Error as PlaywrightError

from shequ.accounts.models import User
from shequ.core.tests.test_link_crawl import _client_fetch, _seed
from shequ.testing import a11y, pagecheck
from shequ.testing.crawl import crawl
from shequ.testing.matrix import build_matrix_personas
from shequ.testing.urls import url_name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

START = ["/", "/p/", "/p/mine/"]
# Pages opened once per URL pattern, by the persona of the widest reach first.
PERSONAS = ["admin", "worker_a", "health_a", "safety_a", "grid_a", "resident", "school_officer", "inspector"]


def _pages(personas, client_for) -> list[tuple[User, str, str]]:
    """(user, url pattern, url) for one page of each pattern any of the personas can open."""
    by_key = {mp.key: mp for mp in build_matrix_personas(personas)}
    chosen: dict[str, tuple[User, str, str]] = {}
    for key in PERSONAS:
        user = by_key[key].user
        result = crawl(_client_fetch(client_for(user)), START, per_pattern=1)
        for entry, status in result.opened.items():
            method, url = entry.split(" ", 1)
            name = url_name(url)
            if method == "GET" and status == 200 and name and name not in chosen and not _is_file(url):
                chosen[name] = (user, name, url)
    return list(chosen.values())


def _is_file(url: str) -> bool:
    return url.split("?")[0].rsplit(".", 1)[-1] in {"xlsx", "docx", "pdf", "csv", "png", "jpg", "svg", "json"}


def _is_document(page) -> bool:
    return bool(page.evaluate("document.documentElement.outerHTML").count("<title>"))


def _session_cookie(client_for, user, base: str) -> dict:
    client = client_for(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the browser crawl runs on SQLite only")
def test_every_reachable_page_reads_in_chinese_fits_a_phone_and_passes_axe(
    personas, client_for, live_server, browser, artifacts
):
    _seed(personas)
    pages = _pages(personas, client_for)
    assert len(pages) > 40, f"the crawl reached only {len(pages)} kinds of page"
    allowed = set(User.objects.values_list("username", flat=True))  # user names are shown as they were chosen
    problems: dict[str, list[str]] = {}
    contexts: dict[int, object] = {}
    try:
        for user, name, url in pages:
            if user.pk not in contexts:
                ctx = browser.new_context(locale="zh-CN")
                ctx.add_cookies([_session_cookie(client_for, user, live_server.url)])
                contexts[user.pk] = ctx
            page = contexts[user.pk].new_page()
            try:
                for width in (375, 1280):
                    page.set_viewport_size({"width": width, "height": 800})
                    try:
                        response = page.goto(live_server.url + url)
                    except PlaywrightError as exc:
                        if "Download is starting" in str(exc):
                            break  # a file served as an attachment: no page to look at
                        raise
                    if "html" not in response.headers.get("content-type", "") or not _is_document(page):
                        break  # a photo, or an htmx partial: checked inside the page that shows it
                    found = [f"axe {v['id']} ({v['impact']}): {v['where']}" for v in a11y.violations(page)]
                    if width == 375:
                        found += [f"wider than 375px: {e}" for e in pagecheck.overflow(page, width)]
                        words = pagecheck.english(page, allowed)
                        found += [f"English words: {words}"] if words else []
                    if found:
                        problems.setdefault(f"{name} {url} ({user.username}, {width}px)", []).extend(found)
            finally:
                page.close()
    finally:
        for ctx in contexts.values():
            ctx.close()
    (artifacts / "browser-crawl.json").write_text(
        json.dumps(
            {"pages": [f"{u.username} {url}" for u, _, url in pages], "problems": problems},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    assert not problems, f"{len(problems)} of {len(pages)} pages:\n" + json.dumps(
        problems, ensure_ascii=False, indent=1
    )
