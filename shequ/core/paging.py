from __future__ import annotations

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of ``queryset`` from ``?page=``; a bad page number gives the last or first page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
