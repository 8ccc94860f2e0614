"""Demo step: 幸福社区's dossier of the demo year, built once (its size and build time show on the dossier page).
Idempotent: a dossier already built is left alone."""

from __future__ import annotations

from shequ.dossier import services
from shequ.dossier.models import Dossier


def step(ctx, options) -> None:
    org = ctx.orgs.get("communityA")
    leader = ctx.users.get("a_leader")
    if org is None or leader is None or Dossier.objects.filter(org=org, year=ctx.year).exclude(file="").exists():
        return
    job = services.request_build(actor=leader, org=org, year=ctx.year, enqueue=False)
    services.run_job(job.pk)  # at once: the demo has no task worker running yet
