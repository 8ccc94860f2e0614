"""A list read three ways with the same filter values: the page, its htmx refresh and the API list.

Each app's ``tests/test_filters.py`` asserts that the three give the same rows, that an invalid value is a Chinese
error on all three (the page keeps what was typed) and that none of them runs more queries with more data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client


@dataclass(frozen=True)
class ListUrls:
    page: str  # the list page
    target: str  # the id of the element its htmx refresh replaces
    api: str | None = None  # its API list, when it has one
    partial_template: str = ""  # the template of the htmx refresh


def page_response(client: Client, urls: ListUrls, params: dict):
    response = client.get(urls.page, params)
    assert response.status_code == 200, response.status_code
    return response


def partial_response(client: Client, urls: ListUrls, params: dict):
    response = client.get(urls.page, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=urls.target)
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert "<html" not in body, "the htmx refresh returned a whole page"
    if urls.partial_template:
        assert urls.partial_template in [t.name for t in response.templates]
    return response


def _page_ids(response) -> list[int]:
    return [row.pk for row in response.context["page"].object_list]


def api_response(client: Client, urls: ListUrls, params: dict):
    assert urls.api is not None
    return client.get(urls.api, {**params, "limit": 500})


def api_ids(client: Client, urls: ListUrls, params: dict) -> list[int]:
    response = api_response(client, urls, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def rows_three_ways(client: Client, urls: ListUrls, params: dict) -> list[int]:
    """The ids the page lists for ``params``, after asserting that the htmx refresh and the API list the same,
    in the same order."""
    page = _page_ids(page_response(client, urls, params))
    partial = _page_ids(partial_response(client, urls, params))
    assert partial == page, (params, page, partial)
    if urls.api is not None:
        api = api_ids(client, urls, params)
        assert api == page, (params, page, api)
    return page


def error_three_ways(client: Client, urls: ListUrls, params: dict, field: str, message: str, typed: str) -> None:
    """An invalid value of ``field``: the page and the htmx refresh list nothing and say ``message`` (Chinese);
    the page keeps ``typed`` in the filter bar; the API answers 400 in the one error shape, by field."""
    page = page_response(client, urls, params)
    body = page.content.decode()
    assert message in body, body
    assert 'data-testid="filter-errors"' in body
    assert f'value="{typed}"' in body or f'<option value="{typed}" selected>' in body or typed == ""
    assert list(page.context["page"].object_list) == []
    partial = partial_response(client, urls, params)
    assert message in partial.content.decode()
    assert list(partial.context["page"].object_list) == []
    if urls.api is not None:
        api = api_response(client, urls, params)
        assert api.status_code == 400, api.content
        body = api.json()
        assert body["code"] == "invalid" and body["message"] == "筛选条件有误。"
        assert any(message in m for m in body["detail"][field]), body
