from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
COUNT_CAP = 5000


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of ``queryset`` from ``?page=``; a bad page number gives the last or first page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows: a list over a street's or a district's scope stays fast at millions
    of rows. ``capped`` tells the page to say "more than …" and to suggest a filter."""

    capped = False

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kw):
        super().__init__(object_list, per_page, **kw)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        n = self.object_list.order_by().values_list("pk", flat=True)[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)


def paginate_capped(request, queryset, per_page: int = PAGE_SIZE, *, cap: int = COUNT_CAP):
    """:func:`paginate` with a count capped at ``cap`` (see :class:`CappedPaginator`)."""
    return CappedPaginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))
