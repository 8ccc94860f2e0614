"""Pages of the annual dossier: the communities' dossiers of a year with the one-click build, a community's
completeness checklist, a build job's progress (polled by htmx), and the download."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.cases.stats import focus_org
from shequ.core.forms import action_post
from shequ.core.media import open_stream
from shequ.core.paging import paginate
from shequ.core.uploads import content_disposition
from shequ.dossier import checklist, selectors, services
from shequ.dossier.models import JobState
from shequ.orgs.models import OrgKind
from shequ.records.years import is_year_closed


def _year(request) -> int:
    text = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(text) if text.isdigit() and services.FIRST_YEAR <= int(text) <= this else this


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


@login_required
def index(request):
    """The communities of the chosen org with their dossier of the year: state, size, checklist, download, build."""
    text = request.GET.get("org", "")
    focus = focus_org(request.user, int(text) if text.isdigit() else None)
    if focus is None or focus.kind not in selectors.KINDS:  # a grid's, a school's or a resident's account
        raise PermissionDenied(selectors.REFUSED)
    org = selectors.org_get(request.user, focus.pk)
    year = _year(request)
    page = paginate(request, selectors.communities(request.user, org))
    orgs = list(page)
    dossiers = selectors.dossiers_of(request.user, orgs, year)
    rows = [{"org": o, "d": dossiers.get(o.pk)} for o in orgs]
    return render(
        request,
        "dossier/index.html",
        {
            "focus": org, "year": year, "years": _years(), "rows": rows, "page": page,
            "can_build": selectors.can_build(request.user, org), "closed": is_year_closed(org, year),
            "jobs": selectors.recent_jobs(request.user, org), "batch": org.kind != OrgKind.COMMUNITY,
            "pager_query": f"org={org.pk}&year={year}",
        },
    )  # fmt: skip


@login_required
def check(request, org: int, year: int):
    """A community's completeness checklist of the year: each gap with the page that fixes it."""
    org_obj = selectors.org_get(request.user, org)
    if org_obj.kind != OrgKind.COMMUNITY or not services.FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    gaps = checklist.gaps(request.user, org_obj, year)
    grouped: dict[str, list] = defaultdict(list)
    for g in gaps:
        grouped[g.kind].append(g)
    sections = [(label, grouped[kind]) for kind, label in checklist.KINDS.items() if grouped.get(kind)]
    dossier = selectors.dossiers_of(request.user, [org_obj], year).get(org_obj.pk)
    return render(
        request,
        "dossier/check.html",
        {
            "org": org_obj, "year": year, "sections": sections, "count": len(gaps), "d": dossier,
            "can_build": selectors.can_build(request.user, org_obj), "closed": is_year_closed(org_obj, year),
        },
    )  # fmt: skip


@login_required
@require_POST
def start(request, org: int, year: int):
    """One click: build the dossier of a community, or of every community below a street or district."""
    org_obj = selectors.org_get(request.user, org)
    posted = action_post(
        request,
        lambda: services.request_build(actor=request.user, org=org_obj, year=year),
        success="已开始生成年度档案，可以离开此页，稍后回来下载。",
    )
    if posted.ok:
        return redirect("dossier:job", pk=posted.result.pk)
    return redirect(f"{reverse('dossier:index')}?org={org_obj.pk}&year={year}")


@login_required
def job(request, pk: int):
    """A build job's progress, community by community; htmx polls it while it runs."""
    found = selectors.job_get(request.user, pk)
    dossiers = selectors.job_dossiers(found)
    stale = services.is_stale(found)
    context = {
        "job": found, "dossiers": dossiers, "stale": stale, "retries": selectors.job_retries(found),
        "running": found.state in (JobState.QUEUED, JobState.RUNNING),
        "can_retry": selectors.can_build(request.user, found.org),
        "to_retry": [d for d in dossiers if d.state == JobState.FAILED
                     or (stale and d.state in (JobState.QUEUED, JobState.RUNNING))],
    }  # fmt: skip
    template = "dossier/partials/job_status.html" if request.htmx else "dossier/job.html"
    return render(request, template, context)


@login_required
@require_POST
def retry(request, pk: int):
    """Build again what a job failed or left undone: one community (``org`` posted) or all of them."""
    found = selectors.job_get(request.user, pk)
    org = selectors.org_get(request.user, int(request.POST["org"])) if request.POST.get("org", "").isdigit() else None
    posted = action_post(
        request,
        lambda: services.retry(actor=request.user, job=found, org=org),
        success="已开始重新生成，可以离开此页，稍后回来下载。",
    )
    return redirect("dossier:job", pk=posted.result.pk if posted.ok else found.pk)


@login_required
def download(request, pk: int):
    """The zip, as an attachment under its Chinese name, never sniffed; every download audited."""
    dossier = selectors.dossier_get(request.user, pk)
    if not dossier.file:
        raise Http404("档案尚未生成。")
    try:
        stream, size = open_stream(default_storage, dossier.file)
    except FileNotFoundError:
        raise Http404("档案尚未生成。") from None
    services.record_download(actor=request.user, dossier=dossier)
    response = FileResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(size)
    name = f"{dossier.org.name}-{dossier.year}年度档案.zip"
    response["Content-Disposition"] = content_disposition("attachment", name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
