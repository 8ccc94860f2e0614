"""The one paginator: pages of a list page (``paginate``) and of an API list (``ApiPagination``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

PAGE_SIZE = 50
COUNT_CAP = 5000  # a list over a whole street's or district's scope counts no further


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows, so a district's list stays fast at millions of rows.

    ``capped`` tells the page to say "more than …" and to suggest a filter.
    """

    capped = False

    def __init__(self, object_list: QuerySet, per_page: int, *, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        n = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, count_cap: int | None = None) -> Page:
    """One page of ``queryset`` from ``?page=``; a bad page number gives the last or first page.

    With ``count_cap`` the count stops there (the page's ``paginator.capped`` says the list is longer)."""
    paginator = (
        Paginator(queryset, per_page) if count_cap is None else CappedPaginator(queryset, per_page, cap=count_cap)
    )
    return paginator.get_page(request.GET.get("page"))


MAX_BRANCHES = 32  # more branches than this: one query over the whole scope reads no more


class BranchPaginator(CappedPaginator):
    """Pages a list whose rows are the union of a few narrow ``branches`` (an actor's orgs, the grid rule's two
    columns), each branch read through its own index in list order and stopping after the page.

    PostgreSQL plans a list over ``org_id IN (…)`` ordered by date or name as one walk of the ordering index
    across every org of the district, filtering as it goes: when the scope's rows are rare among them (a
    community's 讲座 in ten million records, a grid's persons), that walk reads millions of rows for fifty. Here
    each branch (``WHERE <list's filter> AND <branch> ORDER BY <list's order> LIMIT <page's end>``) is answered
    from its own index, the database merges the branches (``UNION``) and cuts the page, and the page's rows are
    then read by id. The branches together must cover the list's rows (they may overlap). Where the database
    cannot order and limit inside a ``UNION`` (SQLite), or with one branch or too many, the page is read as usual.
    """

    def __init__(self, object_list: QuerySet, per_page: int, *, cap: int, branches: Sequence[Q]):
        super().__init__(object_list, per_page, cap=cap)
        self.branches = list(branches)

    def _merged(self) -> bool:
        qs = self.object_list
        features = connections[qs.db].features
        order = qs.query.order_by
        return (
            features.supports_slicing_ordering_in_compound
            and 1 < len(self.branches) <= MAX_BRANCHES
            and bool(order)
            and all(isinstance(o, str) and "__" not in o for o in order)
        )

    def page(self, number) -> Page:
        if not self._merged():
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if top <= bottom:  # an empty list (a slice [:0] is no query at all)
            return self._get_page([], number, self)
        return self._get_page(self._rows(self._ids(bottom, top)), number, self)

    def _ids(self, bottom: int, top: int) -> list:
        qs = self.object_list
        order = [str(o) for o in qs.query.order_by]
        fields = list(dict.fromkeys([qs.model._meta.pk.attname, *(o.lstrip("-") for o in order)]))
        base = qs.order_by(*order).values_list(*fields)
        parts = [base.filter(b)[:top] for b in self.branches]
        merged = parts[0].union(*parts[1:]).order_by(*order)[bottom:top]
        return [row[0] for row in merged]

    def _rows(self, ids: list) -> list:
        qs = self.object_list
        if getattr(qs, "_fields", None) == ("pk",):  # a list of ids: the ids are the page
            return ids
        found = {row.pk: row for row in qs.order_by().filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


def paginate_branches(
    request: HttpRequest, queryset, branches: Sequence[Q], per_page: int = PAGE_SIZE, *, cap: int = COUNT_CAP
) -> Page:
    """:func:`paginate_capped` reading each page branch by branch (see :class:`BranchPaginator`)."""
    paginator = BranchPaginator(queryset, per_page, cap=cap, branches=branches)
    return paginator.get_page(request.GET.get("page"))


class ApiPagination(LimitOffsetPagination):
    """Limit/offset for every API list, with bounds a database can hold (an offset past 2^63 is a 422, not a 500)."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=settings.NINJA_PAGINATION_MAX_OFFSET)


def paginate_capped(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, cap: int = COUNT_CAP) -> Page:
    """:func:`paginate` with the count capped at ``cap`` (the scope-wide lists)."""
    return paginate(request, queryset, per_page, count_cap=cap)
