"""社区教育经费 per resident: the education line's spending of a year (its funds records: date, item, amount, source)
÷ the 常住 residents of the registry, as the plan's indicator ``education_funds_per_resident`` computes it, held
against the plan's 不低于1元/人. The entries are the funds ledger's (经费收支台账), kept as records."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from shequ.accounts.models import User
from shequ.core.indicators import Period
from shequ.orgs.models import Org, subtree_q
from shequ.plans.indicators import compute
from shequ.records.catalogue import FUNDS_TYPE
from shequ.records.models import ActivityType, Record

INDICATOR = "education_funds_per_resident"
STANDARD = Decimal(1)  # 元/人 (community education plan: 按照社区常住人口人均不少于1元)


def per_resident(orgs: Sequence[Org], year: int) -> list[dict]:
    """For each org: this year's and last year's spending, 常住 residents and the figure per resident."""
    today = timezone.localdate()
    asks = [(INDICATOR, "", o.pk) for o in orgs]
    now, last = compute.this_and_last(asks, Period(year, today))
    out = []
    for o in orgs:
        f, g = now[(INDICATOR, "", o.pk)], last[(INDICATOR, "", o.pk)]
        out.append({"org": o, "now": f, "last": g, "reached": f.value is not None and f.value >= STANDARD})
    return out


def entries(actor: User, org: Org, year: int) -> QuerySet[Record]:
    """The education line's funds records of ``org``'s subtree in ``year``, as the actor sees them."""
    return (
        Record.objects.visible_to(actor)
        .filter(
            subtree_q(org.path, "org__path"),
            year=year,
            activity_type__area__code="education",
            activity_type__code=FUNDS_TYPE,
        )
        .select_related("org")
        .order_by("-date", "-id")
    )


def funds_type() -> ActivityType | None:
    return ActivityType.objects.filter(area__code="education", code=FUNDS_TYPE).first()
