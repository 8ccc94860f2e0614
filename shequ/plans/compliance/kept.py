"""Target definitions a process keeps between evaluations (the scheduled job's whole year of a district's targets).

Loading a district's 8,000 targets as model instances, each with its plan, costs about half a second of Python
every time the job works out the year's standings, more than counting the records. A process keeps the targets it
has loaded; :func:`targets` asks the database only for the ids and versions of the targets wanted (and of their
plans) and loads only those it does not hold at those versions. Every change to a target or its plan moves its
version (:mod:`shequ.core.versioning`), so a kept definition is never older than the row. At most
``PLANS_KEPT_TARGETS`` are kept (about 2 KB each), the least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet

from shequ.plans.compliance import EVAL_FIELDS
from shequ.plans.models import Target

CHUNK = 2000

_lock = threading.Lock()
_kept: OrderedDict[int, tuple[tuple[int, int], Target]] = OrderedDict()


def targets(queryset: QuerySet[Target]) -> list[Target]:
    """The targets of ``queryset`` in its order, each with ``plan`` and the fields an evaluation reads
    (:data:`EVAL_FIELDS`): one query of ids and versions, and one per 2,000 targets not kept at their versions."""
    return [t for batch in batches(queryset) for t in batch]


def batches(queryset: QuerySet[Target], size: int = CHUNK) -> Iterator[list[Target]]:
    """:func:`targets` ``size`` at a time (a city's year of targets need not be in memory at once)."""
    wanted = list(queryset.values_list("pk", "version", "plan__version"))
    for i in range(0, len(wanted), size):
        part = wanted[i : i + size]
        found: dict[int, Target] = {}
        with _lock:
            for pk, version, plan_version in part:
                hit = _kept.get(pk)
                if hit is not None and hit[0] == (version, plan_version):
                    found[pk] = hit[1]
                    _kept.move_to_end(pk)
        missing = [pk for pk, _v, _p in part if pk not in found]
        if missing:
            rows = Target.objects.filter(pk__in=missing).select_related("plan").only(*EVAL_FIELDS, "plan__version")
            loaded = {t.pk: t for t in rows}
            found.update(loaded)
            _keep(loaded.values())
        yield [found[pk] for pk, _v, _p in part if pk in found]


def _keep(loaded) -> None:
    limit = settings.PLANS_KEPT_TARGETS
    with _lock:
        for t in loaded:
            _kept[t.pk] = ((t.version, t.plan.version), t)
            _kept.move_to_end(t.pk)
        while len(_kept) > limit:
            _kept.popitem(last=False)


def forget() -> None:
    """Drop every kept definition (tests; a process that no longer evaluates a district)."""
    with _lock:
        _kept.clear()
