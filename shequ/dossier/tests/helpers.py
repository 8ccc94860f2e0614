"""A year of 社区A to file: a health plan asking for the bulletin board every month (March left without one), board
records with photos, a meeting without minutes, the street's letter unsigned by 社区A."""

from __future__ import annotations

from datetime import date

from shequ.dossier import services
from shequ.dossier.models import DossierJob
from shequ.groups.tests.helpers import group, meeting
from shequ.plans.tests.helpers import plan, target
from shequ.records.models import Record
from shequ.records.tests.helpers import image_upload, make_record

YEAR = 2025


def board_plan(org, year: int = YEAR):
    p = plan(org, year=year, title=f"{year}年健康教育工作计划", status="published")
    return target(p, title="每月更换健康教育宣传栏", kind="count", activity_codes=["health/board"], period="month",
                  min_per_period=1, min_per_year=12)  # fmt: skip


def boards(actor, org, months, *, photos: int = 0, year: int = YEAR) -> list[Record]:
    return [
        make_record(actor, org, on=date(year, m, 5), title=f"{m}月控烟宣传",
                    photos=[image_upload(f"p{i}.jpg") for i in range(photos)])
        for m in months
    ]  # fmt: skip


def meeting_without_minutes(actor, org, day: date = date(YEAR, 6, 1), g=None):
    g = g or group(actor, org, members=3, founded=date(YEAR, 1, 10), name=f"健康教育领导小组{day:%m%d}")
    m = meeting(actor, g, day=day)
    Record.objects.filter(pk=m.record_id).update(content="")
    return m


def a_year(p) -> None:
    board_plan(p.community_a)
    boards(p.leader_a, p.community_a, [1, 2, *range(4, 13)], photos=1)
    meeting_without_minutes(p.leader_a, p.community_a)


def built(actor, org, year: int = YEAR) -> DossierJob:
    job = services.request_build(actor=actor, org=org, year=year, enqueue=False)
    return services.run_job(job.pk)


def failing_for(monkeypatch, org) -> None:
    """Every build of ``org``'s dossier fails (the disk is full), the others build as usual."""
    from shequ.dossier import build as builder
    from shequ.dossier.models import Dossier

    real = builder.build

    def build(pk):
        if Dossier.objects.get(pk=pk).org_id == org.pk:
            raise OSError("disk full")
        return real(pk)

    monkeypatch.setattr(builder, "build", build)
