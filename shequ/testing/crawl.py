"""Crawling the site as one persona: every page it can open, every link and form on it, sampled per URL pattern.

``crawl(fetch, start)`` follows links (``href``, ``hx-get``) and forms (``action`` with their method) from the
start pages, opens at most ``per_pattern`` distinct URLs of each URL pattern, and reports what a persona must
never meet: a link or form that answers 403 or 404, a page that fails, an element id used twice on a page.
``fetch(method, url) -> (status, content_type, text)`` is the test client's or a browser's.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from shequ.testing.urls import SESSION_URLS, url_name

REFUSED = {403, 404}


@dataclass
class Page:
    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (method, url)


class _Parser(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.append(a["id"])
        if tag == "a" and a.get("href"):
            self._link("GET", a["href"])
        if a.get("hx-get"):
            self._link("GET", a["hx-get"])
        if a.get("hx-post"):
            self._link("POST", a["hx-post"])
        if tag == "form":
            method = (a.get("method") or "get").upper()
            self._link("POST" if method == "POST" else "GET", a.get("action") or self.base)

    def _link(self, method: str, href: str) -> None:
        if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return
        url = urljoin(self.base, href)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in {"testserver", urlsplit(self.base).netloc}:
            return
        self.page.links.append((method, parts.path + (f"?{parts.query}" if parts.query else "")))


def parse(html: str, base: str) -> Page:
    parser = _Parser(base)
    parser.feed(html)
    return parser.page


def duplicate_ids(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


@dataclass
class CrawlResult:
    opened: dict[str, int] = field(default_factory=dict)  # url -> status
    problems: list[tuple[str, str]] = field(default_factory=list)  # (url name, what is wrong)
    patterns: Counter = field(default_factory=Counter)


def _followable(url: str) -> str | None:
    """The URL pattern's name when the crawl should follow the URL (ours, and not one that ends the session)."""
    if url.startswith(("/static/", "/media/", "/admin/")):
        return None
    name = url_name(url)
    if name is None or name in SESSION_URLS or name.startswith("admin:"):
        return None
    return name


def crawl(
    fetch: Callable[[str, str], tuple[int, str, str]],
    start: list[str],
    *,
    per_pattern: int = 2,
    max_pages: int = 400,
) -> CrawlResult:
    result = CrawlResult()
    seen: set[tuple[str, str]] = set()
    queue: deque[tuple[str, str, str]] = deque(("GET", u, "(start)") for u in start)
    while queue and len(result.opened) < max_pages:
        method, url, found_on = queue.popleft()
        name = _followable(url)
        if (method, url) in seen or name is None:
            continue
        seen.add((method, url))
        if result.patterns[(method, name)] >= per_pattern:
            continue
        result.patterns[(method, name)] += 1
        status, content_type, text = fetch(method, url)
        result.opened[f"{method} {url}"] = status
        if status in REFUSED:
            result.problems.append((name, f"{found_on} links to {method} {url} ({name}), which answers {status}"))
            continue
        if status >= 500:
            result.problems.append((name, f"{method} {url} ({name}) failed with {status}"))
            continue
        if method != "GET" or status != 200 or "html" not in content_type:
            continue
        page = parse(text, url)
        dups = duplicate_ids(page.ids)
        if dups:
            result.problems.append((name, f"{url} uses the element ids {dups} more than once"))
        queue.extend((m, link, url) for m, link in page.links)
    return result
