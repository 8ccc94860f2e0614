"""The one paginator: pages of a list page (``paginate``) and of an API list (``ApiPagination``)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
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


class ApiPagination(LimitOffsetPagination):
    """Limit/offset for every API list, with bounds a database can hold (an offset past 2^63 is a 422, not a 500)."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=settings.NINJA_PAGINATION_MAX_OFFSET)


def paginate_capped(request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, cap: int = COUNT_CAP) -> Page:
    """:func:`paginate` with the count capped at ``cap`` (the scope-wide lists)."""
    return paginate(request, queryset, per_page, count_cap=cap)
