"""The registry list's one filter definition (``PersonFilter``): the page, its htmx refresh and the API agree."""

import pytest
from django.urls import reverse

from shequ.residents.models import Person
from shequ.residents.tests.helpers import bulk_persons, register
from shequ.testing.lists import ListUrls, error_three_ways, partial_response, rows_three_ways

URLS = ListUrls(
    page="/residents/",
    target="person-results",
    api="/api/residents/persons",
    partial_template="residents/partials/person_results.html",
)


@pytest.fixture
def people(personas):
    p = personas
    register(p.leader_a, p.community_a, "张三", phone="13900000001", grid=p.grid_a)
    register(p.leader_a, p.community_a, "张三丰", residence_status="liudong")
    register(p.leader_a, p.community_a, "李四", grid=p.grid_a)
    register(p.supervisor, p.community_b, "王五")
    Person.objects.filter(name="李四").update(possible_duplicate=True)


def _names(ids):
    return {p.name for p in Person.objects.filter(pk__in=ids)}


def test_the_page_its_refresh_and_the_api_list_the_same_persons(personas, client_for, people):
    assert URLS.page == reverse("residents:list")
    c = client_for(personas.supervisor)
    a = personas.community_a.pk
    expected = [
        ({}, {"张三", "张三丰", "李四", "王五"}),
        ({"org": a}, {"张三", "张三丰", "李四"}),
        ({"q": "张三"}, {"张三", "张三丰"}),
        ({"q": "zs", "org": a}, {"张三", "张三丰"}),
        ({"grid": personas.grid_a.pk}, {"张三", "李四"}),
        ({"status": "liudong"}, {"张三丰"}),
        ({"duplicates": "on"}, {"李四"}),
        ({"org": personas.community_b.pk, "q": "王"}, {"王五"}),
    ]
    for params, names in expected:
        assert _names(rows_three_ways(c, URLS, params)) == names, params


def test_an_org_outside_the_scope_lists_nothing_anywhere(personas, client_for, people):
    c = client_for(personas.worker_b)
    assert _names(rows_three_ways(c, URLS, {})) == {"王五"}
    assert rows_three_ways(c, URLS, {"org": personas.community_a.pk}) == []
    assert rows_three_ways(c, URLS, {"grid": personas.grid_a.pk}) == []


@pytest.mark.parametrize(
    ("params", "field", "message", "typed"),
    [
        ({"status": "martian"}, "status", "选择一个有效的选项", ""),
        ({"profile": "astronaut"}, "profile", "选择一个有效的选项", ""),
        ({"org": "abc"}, "org", "请从列表中选择", ""),
        ({"q": "张" * 101}, "q", "100", "张" * 101),
    ],
)
def test_an_invalid_value_is_a_chinese_error_that_keeps_what_was_typed(
    personas, client_for, people, params, field, message, typed
):
    error_three_ways(client_for(personas.leader_a), URLS, params, field, message, typed)


def test_the_roster_export_refuses_an_invalid_filter_in_chinese(personas, client_for, people):
    url = reverse("ledgers:export_undated", args=["residents", personas.community_a.pk, "xlsx"])
    response = client_for(personas.leader_a).get(url, {"status": "martian"})
    assert response.status_code == 400 and "居住状态" in response.content.decode()


@pytest.mark.parametrize("n", [10, 1000])
def test_the_refresh_and_the_api_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_persons(personas.community_a, n, grid=personas.grid_a)
    c = client_for(personas.leader_a)
    params = {"org": personas.community_a.pk, "grid": personas.grid_a.pk, "status": "huji", "q": "zh"}
    c.get(URLS.page)  # warm the session
    with django_assert_max_num_queries(15):  # as the page (test_views) less the bar and the shell
        partial_response(c, URLS, params)
    with django_assert_max_num_queries(12):
        assert c.get(URLS.api, params).status_code == 200
