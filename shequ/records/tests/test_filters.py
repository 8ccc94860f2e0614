"""The record list's one filter definition (``RecordFilter``): the page, its htmx refresh and the API agree."""

from datetime import date

import pytest
from django.urls import reverse

from shequ.records import selectors
from shequ.records.tests.helpers import activity_type, bulk_records, make_record
from shequ.testing.lists import ListUrls, error_three_ways, partial_response, rows_three_ways

URLS = ListUrls(
    page="/records/", target="record-rows", api="/api/records/", partial_template="records/partials/record_rows.html"
)


@pytest.fixture
def records(personas):
    make_record(personas.worker_a, personas.community_a, title="A一月讲座", code="lecture", on=date(2025, 1, 10))
    make_record(personas.grid_a_worker, personas.grid_a, title="网格二月讲座", code="lecture", on=date(2025, 2, 10))
    make_record(personas.worker_a, personas.community_a, title="A宣传栏", on=date(2025, 2, 12))
    make_record(personas.worker_a, personas.community_a, title="A去年讲座", code="lecture", on=date(2024, 2, 12))
    make_record(personas.worker_b, personas.community_b, title="B二月讲座", code="lecture", on=date(2025, 2, 10))
    make_record(
        personas.worker_a, personas.community_a, title="A巡逻", area="safety", code="patrol", on=date(2025, 2, 1)
    )


def _titles(ids):
    from shequ.records.models import Record

    return {r.title for r in Record.objects.filter(pk__in=ids)}


def test_the_page_its_refresh_and_the_api_list_the_same_records(personas, client_for, records):
    assert URLS.page == reverse("records:list")
    c = client_for(personas.supervisor)
    a, lecture = personas.community_a.pk, activity_type("health", "lecture").pk
    cases = [
        ({}, {"A一月讲座", "网格二月讲座", "A宣传栏", "A去年讲座", "B二月讲座", "A巡逻"}),
        ({"org": a, "year": 2025}, {"A一月讲座", "网格二月讲座", "A宣传栏", "A巡逻"}),
        ({"org": personas.grid_a.pk}, {"网格二月讲座"}),
        ({"org": a, "area": "safety"}, {"A巡逻"}),
        ({"type": lecture, "date_from": "2025-02-01", "date_to": "2025-02-28"}, {"网格二月讲座", "B二月讲座"}),
        ({"q": "讲座", "year": 2024}, {"A去年讲座"}),
        ({"org": personas.other_street.pk}, set()),  # in the street's view? no: another street is outside it
    ]
    for params, titles in cases:
        assert _titles(rows_three_ways(c, URLS, params)) == titles, params


def test_an_org_outside_the_scope_lists_nothing_anywhere(personas, client_for, records):
    c = client_for(personas.worker_b)
    assert _titles(rows_three_ways(c, URLS, {})) == {"B二月讲座"}
    assert rows_three_ways(c, URLS, {"org": personas.community_a.pk}) == []
    assert rows_three_ways(c, URLS, {"org": 2**31 - 1}) == []  # as if it did not exist


@pytest.mark.parametrize(
    ("params", "field", "message", "typed"),
    [
        ({"date_from": "2025-13-40"}, "date_from", "输入一个有效的日期", "2025-13-40"),
        ({"area": "astrology"}, "area", "选择一个有效的选项", ""),
        ({"type": "999999"}, "type", "选择一个有效的选项", ""),
        ({"year": "1800"}, "year", "年度应在1990年至2100年之间", ""),
        ({"org": "abc"}, "org", "请从列表中选择", ""),
        ({"q": "讲" * 51}, "q", "50", "讲" * 51),
    ],
)
def test_an_invalid_value_is_a_chinese_error_that_keeps_what_was_typed(
    personas, client_for, records, params, field, message, typed
):
    error_three_ways(
        client_for(personas.supervisor), URLS, {"org": personas.community_a.pk, **params}, field, message, typed
    )


def test_the_bar_is_drawn_from_the_filterset_in_chinese(personas, client_for, records):
    body = client_for(personas.supervisor).get(URLS.page, {"area": "safety", "q": "巡逻"}).content.decode()
    for label in ("单位", "条线", "类型", "年度", "起", "止", "主题含"):
        assert f">{label}</label>" in body
    assert '<option value="safety" selected>' in body and 'value="巡逻"' in body and "（已筛选）" in body


@pytest.mark.parametrize("n", [10, 1000])
def test_the_refresh_and_the_api_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_records(personas.community_a, n, by=personas.worker_a)
    c = client_for(personas.supervisor)
    params = {"org": personas.community_a.pk, "area": "health", "type": activity_type("health", "lecture").pk}
    params |= {"year": 2025, "date_from": "2025-01-01", "date_to": "2025-12-31", "q": "讲座"}
    c.get(URLS.page)  # warm the session
    # 4 of the session and the scope, 2 of the bar, 2 of the rows (3 read branch by branch: ids, then the rows)
    with django_assert_max_num_queries(14):
        response = partial_response(c, URLS, params)
    assert response.context["page"].paginator.count == min(n, selectors.SEARCH_COUNT_CAP)  # a title search's cap
    with django_assert_max_num_queries(13):
        body = c.get(URLS.api, params).json()
    assert body["count"] == n
