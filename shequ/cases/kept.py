"""The cases dashboard's figures per (org, type), worked out in three grouped queries, and the dispute screening's
per (org of registration, month), in one; both kept for large scopes.

A community's dashboard reads its few hundred cases live. A street's or a district's reads tens or hundreds of
thousands: working them out on every view grows with the district. So each street's and district's figures of a
year (counts by child org and type, the open ones among them, and the year's sums behind the speed and satisfaction
averages) are kept in the cache for ``PLANS_STANDING_MAX_AGE`` seconds (shared by the web processes when
``REDIS_URL`` is set), worked out when missing, and all worked out again by the scheduled
``manage.py plans_standings`` (declared as a kept figure; every case read once), so that no leader's view pays for
the district. The page says when they were worked out. The monthly screening table (矛盾纠纷排查调处月报) of a street
or a district is kept the same way: a street's year of disputes is thousands of cases.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from shequ.cases.choices import OPEN_STATES, CaseKind, MediationOutcome, RiskLevel
from shequ.cases.models import Case
from shequ.orgs.models import Org, OrgKind

# Per (org, type): the dashboard's counts, then the year's figures (sums, so that orgs add up to any scope).
COUNTS = ("total", "open", "overdue", "escalated", "todo", "supervised")
YEAR = ("n", "accepted", "accept_s", "closed", "close_s", "rated", "rating_sum", "satisfied")
Figures = dict[tuple[int, int], dict[str, float]]
# Per (org of registration, month): the screening table's counts of the year's disputes.
SCREEN = ("screened", "mediated", "succeeded", "major")
Screening = dict[tuple[int, int], dict[str, int]]
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


def screening_out(cases: QuerySet[Case], year: int) -> Screening:
    """The screening counts of the disputes among ``cases`` registered in ``year``, by (org of registration,
    month of registration)."""
    rows = (
        cases.filter(case_type__kind=CaseKind.DISPUTE, year=year)
        .annotate(month=ExtractMonth("registered_on"))
        .values("origin_org_id", "month")
        .annotate(
            screened=Count("pk"),
            mediated=Count("pk", filter=~Q(dispute__outcome="")),
            succeeded=Count("pk", filter=Q(dispute__outcome=MediationOutcome.SUCCESS)),
            major=Count("pk", filter=Q(dispute__is_major=True) | Q(dispute__risk_level=RiskLevel.HIGH)),
        )
        .order_by()
    )
    return {(r.pop("origin_org_id"), r.pop("month")): r for r in rows}


def _key(org_id: int, year: int, today: date) -> str:
    return f"case-figures:2:{org_id}:{year}:{today.isoformat()}"


def _screen_key(org_id: int, year: int, today: date) -> str:
    return f"case-screening:1:{org_id}:{year}:{today.isoformat()}"


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


def _raw(org_ids: list[int], work: Callable[[QuerySet[Case]], dict], field: str = "org_id") -> dict:
    """``work`` over the cases whose ``field`` is one of ``org_ids``, a batch of orgs at a time (their keys, led by
    that org, do not overlap between batches)."""
    out: dict = {}
    for i in range(0, len(org_ids), BATCH):
        out.update(work(Case.objects.filter(**{f"{field}__in": org_ids[i : i + BATCH]})))
    return out


def _figures(org_ids: list[int], year: int, today: date) -> Figures:
    return _raw(org_ids, lambda cases: work_out(cases, year, today))


def _screening(org_ids: list[int], year: int) -> Screening:
    return _raw(org_ids, lambda cases: screening_out(cases, year), "origin_org_id")


def kept(org: Org, paths: dict[int, str], year: int, today: date) -> tuple[Figures, datetime]:
    """The figures of every case owned in ``org``'s subtree (its org ids → paths), summed by the org or child of
    ``org`` they are shown under and by type: kept, else worked out now and kept; and when they were worked out."""
    key = _key(org.pk, year, today)
    entry = cache.get(key)
    if entry is None:
        entry = {"at": timezone.now(), "figures": fold(_figures(sorted(paths), year, today), buckets(org, paths))}
        cache.set(key, entry, timeout=settings.PLANS_STANDING_MAX_AGE)
    return entry["figures"], entry["at"]


def kept_screening(org: Org, org_ids: list[int], year: int, today: date) -> tuple[Screening, datetime]:
    """The screening counts of the disputes registered in ``org``'s subtree (its org ids) in ``year``: kept, else
    worked out now and kept; and when they were worked out."""
    key = _screen_key(org.pk, year, today)
    entry = cache.get(key)
    if entry is None:
        entry = {"at": timezone.now(), "figures": _screening(sorted(org_ids), year)}
        cache.set(key, entry, timeout=settings.PLANS_STANDING_MAX_AGE)
    return entry["figures"], entry["at"]


def refresh(today: date) -> int:
    """Work out and keep this year's figures and screening counts of every street and district (the scheduled
    job): every case is read once, then summed for each of them. Returns how many scopes were kept."""
    paths = dict(Org.objects.values_list("pk", "path"))
    figures = _figures(sorted(paths), today.year, today)
    screening = _screening(sorted(paths), today.year)
    at = timezone.now()
    kept_now = {}
    scopes = list(Org.objects.filter(kind__in=LARGE_SCOPES, is_active=True))
    for org in scopes:
        subtree = {pk: p for pk, p in paths.items() if p.startswith(org.path)}
        kept_now[_key(org.pk, today.year, today)] = {"at": at, "figures": fold(figures, buckets(org, subtree))}
        mine = {k: v for k, v in screening.items() if k[0] in subtree}
        kept_now[_screen_key(org.pk, today.year, today)] = {"at": at, "figures": mine}
    cache.set_many(kept_now, timeout=settings.PLANS_STANDING_MAX_AGE)
    return len(scopes)
