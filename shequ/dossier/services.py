"""Every write of the annual dossier: asking for a build (one community, or every community below a street or
district in one job), running the job in the task worker, and auditing a download.

A dossier built after its year was closed is frozen: it is served as it is and never built again (the year's data
can no longer change, and what was filed stays what was filed)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.dossier import build as builder
from shequ.dossier.models import Dossier, DossierJob, JobState
from shequ.ledgers.fonts import PdfUnavailable
from shequ.orgs.models import Org, OrgKind

if TYPE_CHECKING:
    from shequ.accounts.models import User

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)  # a running job without progress for this long was stopped (the worker died)
FIRST_YEAR = 2000


def communities(org: Org) -> list[Org]:
    """The communities a build for ``org`` makes: itself, or the active communities below it."""
    if org.kind == OrgKind.COMMUNITY:
        return [org]
    return list(Org.objects.subtree(org).filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path"))


def is_stale(job: DossierJob) -> bool:
    last = job.heartbeat or job.created_at
    return job.state in (JobState.QUEUED, JobState.RUNNING) and last < timezone.now() - STALE_AFTER


def request_build(*, actor: User, org: Org, year: int, enqueue: bool = True) -> DossierJob:
    """One click: queue the dossiers of ``org``'s year (a community's, or those of every community below it).
    Frozen dossiers (built after the year was closed) are kept; one being built by a live job is not queued twice."""
    access.check(actor, org, Perm.CLOSE_YEAR)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError("不能为尚未到来的年度生成档案。")
    orgs = communities(org)
    if not orgs:
        raise ValidationError(f"{org.name}下没有社区。")
    existing = {d.org_id: d for d in Dossier.objects.filter(org__in=orgs, year=year).select_related("job")}
    frozen = [o for o in orgs if (d := existing.get(o.pk)) is not None and d.frozen and d.file]
    busy = [o for o in orgs if (d := existing.get(o.pk)) is not None and d.job is not None
            and d.state in (JobState.QUEUED, JobState.RUNNING) and not is_stale(d.job)]  # fmt: skip
    todo = [o for o in orgs if o not in frozen and o not in busy]
    if not todo:
        if frozen and len(frozen) == len(orgs):
            raise ValidationError(f"{year}年度已关账，年度档案已冻结，不能重新生成；请直接下载已生成的档案。")
        raise ValidationError("年度档案正在生成中，请稍候。")
    with transaction.atomic():
        job = DossierJob.objects.create(org=org, year=year, created_by=actor, heartbeat=timezone.now())
        for o in todo:
            Dossier.objects.update_or_create(
                org=o, year=year,
                defaults={"job": job, "state": JobState.QUEUED, "step": "", "parts_done": 0, "message": ""},
            )  # fmt: skip
        audit(
            actor, "dossier.build", job,
            {"org": org.pk, "year": year, "communities": len(todo), "frozen_kept": len(frozen), "busy": len(busy)},
            org=org,
        )  # fmt: skip
        if enqueue:  # the demo runs the job itself
            transaction.on_commit(lambda: enqueue_builds(job.pk))
    return job


def retryable(job: DossierJob) -> list[Dossier]:
    """The dossiers ``job`` has left to build again: those that failed, and, once the job went quiet (its worker
    died), those it never finished."""
    waiting = [JobState.FAILED] + ([JobState.QUEUED, JobState.RUNNING] if is_stale(job) else [])
    return list(job.dossiers.filter(state__in=waiting).select_related("org").order_by("org__path"))


def retry(*, actor: User, job: DossierJob, org: Org | None = None, enqueue: bool = True) -> DossierJob:
    """Build again what ``job`` failed or left undone (only ``org``'s dossier when given): a new job of just those,
    so that one community's failure is fixed without building the whole street again."""
    access.check(actor, org or job.org, Perm.CLOSE_YEAR)
    if job.state in (JobState.QUEUED, JobState.RUNNING) and not is_stale(job):
        raise ValidationError("这次生成仍在进行，请等它结束后再重试失败的社区。")
    todo = [d for d in retryable(job) if org is None or d.org_id == org.pk]
    if not todo:
        raise ValidationError("没有需要重试的社区：生成失败或中断的社区才能重试。")
    with transaction.atomic():
        if job.state != JobState.FAILED:  # a job that went quiet is over: it will not come back
            DossierJob.objects.filter(pk=job.pk).update(
                state=JobState.FAILED, finished_at=timezone.now(), message="处理中断，未完成的社区已重试"
            )
        new = DossierJob.objects.create(
            org=org or job.org, year=job.year, created_by=actor, heartbeat=timezone.now(), retry_of=job
        )
        Dossier.objects.filter(pk__in=[d.pk for d in todo]).update(
            job=new, state=JobState.QUEUED, step="", parts_done=0, message=""
        )
        audit(
            actor, "dossier.retry", new,
            {"retry_of": job.pk, "year": job.year, "communities": [d.org.name for d in todo]},
            org=org or job.org,
        )  # fmt: skip
        if enqueue:
            transaction.on_commit(lambda: enqueue_builds(new.pk))
    return new


def _build_one(dossier_pk: int) -> bool:
    """Build one dossier; False when it failed (marked so, with a message the job page shows)."""
    try:
        builder.build(dossier_pk)
    except PdfUnavailable as exc:
        Dossier.objects.filter(pk=dossier_pk).update(state=JobState.FAILED, message=str(exc)[:300])
        return False
    except Exception:  # one community's failure does not stop the others; the log keeps the trace
        logger.exception("dossier %s failed", dossier_pk)
        Dossier.objects.filter(pk=dossier_pk).update(state=JobState.FAILED, message="生成失败，请重试或联系管理员。")
        return False
    return True


def finish_if_done(job_pk: int) -> None:
    """Close the job once none of its dossiers is waiting or being built (whichever worker built the last one)."""
    with transaction.atomic():
        job = DossierJob.objects.select_for_update().get(pk=job_pk)
        if job.state in (JobState.DONE, JobState.FAILED):
            return
        states = list(job.dossiers.values_list("state", flat=True))
        if JobState.QUEUED in states or JobState.RUNNING in states:
            return
        failed = states.count(JobState.FAILED)
        DossierJob.objects.filter(pk=job_pk).update(
            state=JobState.FAILED if failed else JobState.DONE, finished_at=timezone.now(),
            message=f"{failed}份生成失败" if failed else "",
        )  # fmt: skip


def run_job(job_pk: int) -> DossierJob:
    """Build the job's dossiers one after another in this process; run again after a kill, it goes on with what is
    not done. (A queued job is built by :func:`build_dossier` tasks instead, one per community, in parallel.)"""
    DossierJob.objects.filter(pk=job_pk).update(state=JobState.RUNNING, heartbeat=timezone.now())
    for pk in (
        Dossier.objects.filter(job_id=job_pk)
        .exclude(state=JobState.DONE)
        .order_by("org__path")
        .values_list("pk", flat=True)
    ):
        _build_one(pk)
    finish_if_done(job_pk)
    return DossierJob.objects.get(pk=job_pk)


def enqueue_builds(job_pk: int) -> None:
    """One task per community of the job: every task worker on every machine takes its share, so a district's 200
    dossiers are built as fast as there are workers."""
    for pk in Dossier.objects.filter(job_id=job_pk).order_by("org__path").values_list("pk", flat=True):
        build_dossier.enqueue(job_pk, pk)


@task()
def build_dossier(job_pk: int, dossier_pk: int) -> None:
    """Build one community's dossier of a job in the task worker, then close the job if it was the last."""
    if not Dossier.objects.filter(pk=dossier_pk, job_id=job_pk).exclude(state=JobState.DONE).exists():
        return  # built already, or moved to a retry job that builds it
    DossierJob.objects.filter(pk=job_pk, state=JobState.QUEUED).update(state=JobState.RUNNING)
    DossierJob.objects.filter(pk=job_pk).update(heartbeat=timezone.now())
    _build_one(dossier_pk)
    finish_if_done(job_pk)


@task()
def run_dossier_job(job_pk: int) -> None:
    """Build a whole job in one task worker (jobs queued before the per-community tasks)."""
    run_job(job_pk)


def record_download(*, actor: User, dossier: Dossier) -> None:
    """The audit row of a download (the view has checked the right)."""
    audit(actor, "dossier.download", dossier, {"org": dossier.org_id, "year": dossier.year, "size": dossier.size},
          org=dossier.org)  # fmt: skip
