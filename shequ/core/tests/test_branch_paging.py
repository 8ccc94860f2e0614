"""Lists read branch by branch (``core.paging.BranchPaginator``): every page holds exactly the rows and the order
of the list read as one query — none missing, none twice, ties broken by id — on both databases."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.records.models import Record
from shequ.records.tests.helpers import bulk_records
from shequ.residents.models import Person
from shequ.residents.tests.helpers import bulk_persons

BRANCHED = connection.features.supports_slicing_ordering_in_compound  # PostgreSQL; SQLite reads the list whole


def _pages(client, url: str, n: int, **params):
    """The object lists of pages 1..n, and whether a page was read through a UNION of branches."""
    pages, unions = [], False
    for k in range(1, n + 1):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {**params, "page": k})
        assert response.status_code == 200
        pages.append(list(response.context["page"].object_list))
        unions = unions or any(" UNION " in q["sql"] for q in ctx.captured_queries)
    return pages, unions


def test_a_workers_records_page_by_page_are_the_whole_list_in_date_order(personas, client_for):
    a, grid = personas.community_a, personas.grid_a
    bulk_records(a, 70)  # dates repeat: ties are ordered by id
    bulk_records(grid, 40)
    bulk_records(personas.community_b, 30)  # another community: never listed
    expected = list(Record.objects.filter(org__in=[a, grid]).order_by("-date", "-id").values_list("pk", flat=True))

    pages, unions = _pages(client_for(personas.worker_a), "/records/", 3)

    got = [r.pk for page in pages for r in page]
    assert got == expected
    assert [len(p) for p in pages] == [50, 50, 10]
    assert all(r.photo_count == 0 and r.org_id in (a.pk, grid.pk) for page in pages for r in page)
    assert unions == BRANCHED


def test_a_search_and_an_org_filter_read_branch_by_branch_keep_their_rows(personas, client_for):
    a, grid = personas.community_a, personas.grid_a
    made = bulk_records(a, 60) + bulk_records(grid, 60)
    Record.objects.filter(pk__in=[r.pk for i, r in enumerate(made) if i % 3]).update(title="宣传栏")
    c = client_for(personas.worker_a)

    found = [r.pk for page in _pages(c, "/records/", 1, q="讲座")[0] for r in page]
    assert found == list(
        Record.objects.filter(org__in=[a, grid], title__contains="讲座")
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
    )
    grid_only = [r.pk for page in _pages(c, "/records/", 2, org=grid.pk)[0] for r in page]
    assert grid_only == list(Record.objects.filter(org=grid).order_by("-date", "-id").values_list("pk", flat=True))


def test_a_grid_workers_persons_are_those_under_the_grid_and_those_filed_to_it_once_each(personas, client_for):
    a, grid = personas.community_a, personas.grid_a
    filed = bulk_persons(a, 45, grid=grid)  # the community's persons filed under the grid
    under = bulk_persons(grid, 30, start=100)  # persons registered at the grid itself
    both = bulk_persons(grid, 5, start=200, grid=grid)  # under the grid and filed to it: listed once
    bulk_persons(a, 20, start=300)  # the community's persons outside the grid: not the grid worker's
    ids = {p.pk for p in Person.objects.filter(org__in=[a, grid])} & {p.pk for p in filed + under + both}
    expected = list(
        Person.objects.filter(pk__in=ids).order_by("org_id", "name_pinyin", "id").values_list("pk", flat=True)
    )

    pages, unions = _pages(client_for(personas.grid_a_worker), "/residents/", 2)

    got = [p.pk for page in pages for p in page]
    assert got == expected and len(got) == 80
    assert unions == BRANCHED


@pytest.mark.parametrize("page", ["0", "x", "99"])
def test_a_page_out_of_range_shows_the_first_or_the_last(personas, client_for, page):
    bulk_records(personas.community_a, 60, year=2024)
    bulk_records(personas.grid_a, 5, year=2024)
    response = client_for(personas.worker_a).get("/records/", {"page": page})
    shown = [r.date for r in response.context["page"].object_list]
    assert len(shown) == (50 if page == "x" else 15)  # not a number: the first page; out of range: the last
    assert shown == sorted(shown, reverse=True) and date(2024, 1, 1) <= shown[-1]


def test_an_empty_list_read_branch_by_branch_is_an_empty_page(personas, client_for):
    bulk_records(personas.community_b, 3)  # another community's: none of the worker's
    for params in ({}, {"q": "没有这样的标题"}):
        response = client_for(personas.worker_a).get("/records/", params)
        assert response.status_code == 200 and list(response.context["page"].object_list) == []
    assert client_for(personas.grid_a_worker).get("/residents/").status_code == 200
