"""Demo step: 幸福社区's dossier of the demo year. Its build takes a minute or two (every ledger in PDF), so the demo
hands it to the task worker that ``make run`` starts, and the dossier page shows it queued, then built; with
``--dossier-now`` the demo builds it itself. Idempotent: a dossier already asked for is left alone."""

from __future__ import annotations

from shequ.dossier import services
from shequ.dossier.models import Dossier


def step(ctx, options) -> None:
    org = ctx.orgs.get("communityA")
    leader = ctx.users.get("a_leader")
    if org is None or leader is None or Dossier.objects.filter(org=org, year=ctx.year).exists():
        return
    now = bool(options.get("dossier_now"))
    job = services.request_build(actor=leader, org=org, year=ctx.year, enqueue=not now)
    if now:
        services.run_job(job.pk)
    if not options.get("quiet"):
        print(f"年度档案：{org.name}{ctx.year}年度档案" + ("已生成。" if now else "已交给后台任务生成。"))


def add_arguments(parser) -> None:
    parser.add_argument(
        "--dossier-now",
        action="store_true",
        help="build 幸福社区's dossier in the demo command instead of handing it to the task worker",
    )
