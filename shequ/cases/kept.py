"""The cases dashboard's figures per (org, type), worked out in three grouped queries, and kept for large scopes.

A community's dashboard reads its few hundred cases live. A street's or a district's reads tens or hundreds of
thousands: working them out on every view grows with the district. So each street's and district's figures of a
year (counts by child org and type, the open ones among them, and the year's sums behind the speed and satisfaction
averages) are kept in the cache for ``PLANS_STANDING_MAX_AGE`` seconds (shared by the web processes when
``REDIS_URL`` is set), worked out when missing, and all worked out again by the scheduled
``manage.py plans_standings`` (declared as a kept figure; every case read once), so that no leader's view pays for
the district. The page says when they were worked out.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from shequ.cases.choices import OPEN_STATES
from shequ.cases.models import Case
from shequ.orgs.models import Org, OrgKind

# Per (org, type): the dashboard's counts, then the year's figures (sums, so that orgs add up to any scope).
COUNTS = ("total", "open", "overdue", "escalated", "todo", "supervised")
YEAR = ("n", "accepted", "accept_s", "closed", "close_s", "rated", "rating_sum", "satisfied")
Figures = dict[tuple[int, int], dict[str, float]]
BATCH = 500
LARGE_SCOPES = {OrgKind.DISTRICT, OrgKind.STREET}  # their dashboards read the kept figures


def work_out(cases: QuerySet[Case], year: int, today: date) -> Figures:
    """The figures of ``cases`` by (org, type): every case, the open ones, the year's."""
    out: Figures = {}

    def add(rows) -> None:
        for r in rows:
            row = out.setdefault((r.pop("org_id"), r.pop("case_type_id")), dict.fromkeys(COUNTS + YEAR, 0))
            for k, v in r.items():
                row[k] = v.total_seconds() if hasattr(v, "total_seconds") else (v or 0)

    # The totals from the (org, type, state) index alone; the open counts only from open cases.
    add(cases.values("org_id", "case_type_id").annotate(total=Count("pk")).order_by())
    add(
        cases.filter(state__in=OPEN_STATES)
        .values("org_id", "case_type_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today)),
            escalated=Count("pk", filter=Q(escalated_from__isnull=False)),
            todo=Count("pk", filter=Q(state="registered")),
            supervised=Count("pk", filter=~Q(supervision="")),
        )
        .order_by()
    )
    accept_d = ExpressionWrapper(F("accepted_at") - F("registered_at"), output_field=DurationField())
    close_d = ExpressionWrapper(F("resolved_at") - F("registered_at"), output_field=DurationField())
    add(
        cases.filter(year=year)
        .values("org_id", "case_type_id")
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            accept_s=Sum(accept_d, filter=Q(accepted_at__isnull=False)),
            closed=Count("pk", filter=Q(resolved_at__isnull=False)),
            close_s=Sum(close_d, filter=Q(resolved_at__isnull=False)),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            rating_sum=Sum("rating"),
            satisfied=Count("pk", filter=Q(rating__gte=4)),
        )
        .order_by()
    )
    return out


def _key(org_id: int, year: int, today: date) -> str:
    return f"case-figures:2:{org_id}:{year}:{today.isoformat()}"


def buckets(org: Org, paths: dict[int, str]) -> dict[int, int]:
    """Each org of ``org``'s subtree (ids → paths) → the org its figures are shown under: ``org`` itself or the
    child of ``org`` that holds it."""
    children = {path: pk for pk, path in paths.items() if path.count("/") == org.path.count("/") + 1}
    out = {}
    for pk, path in paths.items():
        head = path[: path.find("/", len(org.path)) + 1] if len(path) > len(org.path) else org.path
        out[pk] = children.get(head, org.pk)
    return out


def fold(figures: Figures, under: dict[int, int]) -> Figures:
    """Figures by (org, type) summed into the (org or child, type) they are shown under."""
    out: Figures = {}
    for (org_id, type_id), row in figures.items():
        bucket = under.get(org_id)
        if bucket is None:
            continue
        into = out.setdefault((bucket, type_id), dict.fromkeys(COUNTS + YEAR, 0))
        for k, v in row.items():
            into[k] += v
    return out


def _raw(org_ids: list[int], year: int, today: date) -> Figures:
    figures: Figures = {}
    for i in range(0, len(org_ids), BATCH):
        figures.update(work_out(Case.objects.filter(org_id__in=org_ids[i : i + BATCH]), year, today))
    return figures


def kept(org: Org, paths: dict[int, str], year: int, today: date) -> tuple[Figures, datetime]:
    """The figures of every case owned in ``org``'s subtree (its org ids → paths), summed by the org or child of
    ``org`` they are shown under and by type: kept, else worked out now and kept; and when they were worked out."""
    key = _key(org.pk, year, today)
    entry = cache.get(key)
    if entry is None:
        entry = {"at": timezone.now(), "figures": fold(_raw(sorted(paths), year, today), buckets(org, paths))}
        cache.set(key, entry, timeout=settings.PLANS_STANDING_MAX_AGE)
    return entry["figures"], entry["at"]


def refresh(today: date) -> int:
    """Work out and keep this year's figures of every street and district (the scheduled job): every case is read
    once, then summed for each of them. Returns how many were kept."""
    paths = dict(Org.objects.values_list("pk", "path"))
    figures = _raw(sorted(paths), today.year, today)
    at = timezone.now()
    kept_now = {}
    for org in Org.objects.filter(kind__in=LARGE_SCOPES, is_active=True):
        subtree = {pk: p for pk, p in paths.items() if p.startswith(org.path)}
        kept_now[_key(org.pk, today.year, today)] = {"at": at, "figures": fold(figures, buckets(org, subtree))}
    cache.set_many(kept_now, timeout=settings.PLANS_STANDING_MAX_AGE)
    return len(kept_now)
