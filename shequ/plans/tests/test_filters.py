"""The task list's one filter definition (``TaskFilter``): the page, its htmx refresh and the API agree."""

from datetime import date

import pytest
from django.urls import reverse

from shequ.plans import services
from shequ.plans.models import Task, TaskStatus
from shequ.testing.lists import ListUrls, error_three_ways, partial_response, rows_three_ways

URLS = ListUrls(
    page="/plans/tasks/", target="task-rows", api="/api/plans/tasks", partial_template="plans/partials/task_rows.html"
)


@pytest.fixture
def tasks(personas):
    p = personas
    a = p.community_a
    services.task_create(actor=p.leader_a, org=a, title="制订计划", due=date(2025, 3, 31), owner=p.leader_a)
    done = services.task_create(actor=p.leader_a, org=a, title="开展讲座", due=date(2025, 6, 30))
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE)
    services.task_create(actor=p.leader_a, org=a, title="去年总结", due=date(2024, 12, 31))
    Task.objects.create(org=p.community_b, year=2025, title="社区B任务", due=date(2025, 5, 1))


def _titles(ids):
    return {t.title for t in Task.objects.filter(pk__in=ids)}


def test_the_page_its_refresh_and_the_api_list_the_same_tasks(personas, client_for, tasks):
    assert URLS.page == reverse("plans:tasks")
    c = client_for(personas.leader_a)
    expected = [
        ({"status": ""}, {"制订计划", "开展讲座", "去年总结"}),
        ({"status": "open"}, {"制订计划", "去年总结"}),
        ({"status": "done"}, {"开展讲座"}),
        ({"status": "", "year": 2025}, {"制订计划", "开展讲座"}),
        ({"status": "open", "mine": "on"}, {"制订计划"}),
    ]
    for params, titles in expected:
        assert _titles(rows_three_ways(c, URLS, params)) == titles, params


def test_the_page_shows_open_tasks_unless_asked_and_the_api_every_task(personas, client_for, tasks):
    c = client_for(personas.leader_a)
    page = c.get(URLS.page)
    assert {t.title for t in page.context["page"]} == {"制订计划", "去年总结"}
    assert '<option value="open" selected>未完成</option>' in page.content.decode()
    assert {t["title"] for t in c.get(URLS.api).json()["items"]} == {"制订计划", "开展讲座", "去年总结"}


@pytest.mark.parametrize(
    ("params", "field", "message", "typed"),
    [
        ({"status": "someday"}, "status", "选择一个有效的选项", ""),
        ({"year": "二〇二五"}, "year", "输入整数", "二〇二五"),
        ({"year": "1800"}, "year", "年度应在1990年至2100年之间", "1800"),
    ],
)
def test_an_invalid_value_is_a_chinese_error_that_keeps_what_was_typed(
    personas, client_for, tasks, params, field, message, typed
):
    error_three_ways(client_for(personas.leader_a), URLS, params, field, message, typed)


@pytest.mark.parametrize("n", [10, 1000])
def test_the_refresh_and_the_api_run_a_fixed_number_of_queries(personas, client_for, django_assert_max_num_queries, n):
    Task.objects.bulk_create(
        Task(
            org=personas.community_a,
            year=2025,
            title=f"任务{i}",
            due=date(2025, 1 + i % 12, 1),
            owner=personas.leader_a,
        )
        for i in range(n)
    )
    c = client_for(personas.leader_a)
    params = {"status": "open", "year": 2025, "mine": "on"}
    c.get(URLS.page)  # warm the session
    with django_assert_max_num_queries(11):
        assert partial_response(c, URLS, params).context["page"].paginator.count == n
    with django_assert_max_num_queries(11):
        assert c.get(URLS.api, params).json()["count"] == n
