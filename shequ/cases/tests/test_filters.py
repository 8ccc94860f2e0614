"""The inbox's one filter definition (``CaseFilter``): the page, its htmx refresh and the API agree."""

from datetime import date

import pytest
from django.urls import reverse

from shequ.cases.choices import CaseState
from shequ.cases.models import Case
from shequ.cases.tests.helpers import accept, bulk_cases, make_case
from shequ.testing.lists import ListUrls, error_three_ways, partial_response, rows_three_ways

URLS = ListUrls(page="/cases/", target="case-rows", api="/api/cases/", partial_template="cases/partials/case_rows.html")


@pytest.fixture
def cases(personas):
    p = personas
    dispute = make_case(p.worker_a, p.community_a, title="楼道纠纷")
    accept(dispute, p.leader_a, owner=p.worker_a)
    Case.objects.filter(pk=dispute.pk).update(deadline=date(2020, 1, 1))
    make_case(p.worker_a, p.community_a, title="噪音纠纷")
    make_case(p.grid_a_worker, p.grid_a, "hazard", title="网格隐患")
    make_case(p.worker_b, p.community_b, title="社区B纠纷")
    return dispute


def _titles(ids):
    return {c.title for c in Case.objects.filter(pk__in=ids)}


def test_the_page_its_refresh_and_the_api_list_the_same_cases(personas, client_for, cases):
    assert URLS.page == reverse("cases:inbox")
    c = client_for(personas.leader_a)
    expected = [
        ({}, {"楼道纠纷", "噪音纠纷", "网格隐患"}),
        ({"box": "todo"}, {"噪音纠纷", "网格隐患"}),
        ({"box": "overdue"}, {"楼道纠纷"}),
        ({"type": "hazard"}, {"网格隐患"}),
        ({"area": "safety", "type": "dispute"}, {"楼道纠纷", "噪音纠纷"}),
        ({"area": "health", "type": "dispute"}, set()),
        ({"state": CaseState.REGISTERED, "type": "dispute"}, {"噪音纠纷"}),
        ({"grid": personas.grid_a.pk}, {"网格隐患"}),
        ({"q": "纠纷", "box": "all"}, {"楼道纠纷", "噪音纠纷"}),
        ({"q": cases.code}, {"楼道纠纷"}),
    ]
    for params, titles in expected:
        assert _titles(rows_three_ways(c, URLS, params)) == titles, params


def test_a_grid_outside_the_scope_lists_nothing_anywhere(personas, client_for, cases):
    c = client_for(personas.worker_b)
    assert _titles(rows_three_ways(c, URLS, {})) == {"社区B纠纷"}
    assert rows_three_ways(c, URLS, {"grid": personas.grid_a.pk}) == []


@pytest.mark.parametrize(
    ("params", "field", "message", "typed"),
    [
        ({"state": "flying"}, "state", "选择一个有效的选项", ""),
        ({"type": "nope"}, "type", "选择一个有效的选项", ""),
        ({"box": "someone_elses"}, "box", "选择一个有效的选项", "someone_elses"),
        ({"grid": "x"}, "grid", "请从列表中选择", ""),
        ({"q": "纠" * 51}, "q", "50", "纠" * 51),
    ],
)
def test_an_invalid_value_is_a_chinese_error_that_keeps_what_was_typed(
    personas, client_for, cases, params, field, message, typed
):
    error_three_ways(client_for(personas.leader_a), URLS, params, field, message, typed)


def test_the_bar_is_drawn_from_the_filterset_in_chinese(personas, client_for, cases):
    body = client_for(personas.leader_a).get(URLS.page, {"type": "hazard", "q": "隐患"}).content.decode()
    for label in ("类型", "条线", "状态", "网格", "标题/编号"):
        assert f">{label}</label>" in body
    assert '<option value="hazard" selected>' in body and 'value="隐患"' in body
    # a worker of 社区B sees no grid: the bar offers no grid list
    assert ">网格</label>" not in client_for(personas.worker_b).get(URLS.page).content.decode()


@pytest.mark.parametrize("n", [10, 1000])
def test_the_api_runs_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    bulk_cases(n, personas.grid_a, "hazard", state="registered")
    c = client_for(personas.leader_a)
    params = {"type": "hazard", "area": "safety", "state": "registered", "grid": personas.grid_a.pk, "box": "todo"}
    c.get(URLS.page)  # warm the session
    with django_assert_max_num_queries(13):  # as the htmx refresh (test_views)
        body = c.get(URLS.api, params).json()
    assert body["count"] == n
    assert partial_response(c, URLS, params).context["page"].paginator.count == n
