"""Pages of the learning-organisation register (学习型组织) and of the education funds per resident (人均经费)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.core.uploads import serve
from shequ.education import funds, learning, selectors
from shequ.education.learning_forms import CandidateForm, EvaluationForm
from shequ.education.learning_models import LearningKind
from shequ.records.models import Record

MIN_YEAR = 2000


def _year(request) -> int:
    today = timezone.localdate().year
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and MIN_YEAR <= int(raw) <= today + 1 else today


def _staff(request, what: str) -> None:
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied(f"您没有查看{what}的权限。")


def _chosen(request, orgs):
    """The community of ``?org=`` among ``orgs`` (404 when not among them), or None for all."""
    raw = request.GET.get("org", "")
    if not raw:
        return None
    found = orgs.filter(pk=raw).first() if raw.isdigit() else None
    if found is None:
        raise Http404("没有这个社区。")
    return found


@login_required
def register(request):
    """The register of a year: the share recognised per community and kind against last year, and the candidates
    with that year's result."""
    _staff(request, "学习型组织名册")
    year = _year(request)
    communities = learning.communities(request.user)
    org = _chosen(request, communities)
    kind = request.GET.get("kind", "")
    kind = kind if kind in LearningKind.values else ""
    shown = [org] if org is not None else list(communities[:12])
    page = paginate(request, learning.candidates(request.user, year, org, kind))
    return render(
        request,
        "education/learning/register.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "org": org,
            "kind": kind,
            "kinds": LearningKind.choices,
            "communities": communities,
            "shares": learning.shares(shown, year),
            "page": page,
            "can_manage": learning.manageable_communities(request.user).exists(),
            "can_export": org is not None and learning.can_export(request.user, org),
        },
    )


@login_required
def candidate_create(request):
    orgs = learning.manageable_communities(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有维护学习型组织名册的权限。")
    form = CandidateForm(request.POST or None, orgs=orgs, initial={"listed_on": timezone.localdate()})
    posted = form_post(
        request,
        form,
        lambda d: learning.candidate_add(actor=request.user, **d),
        success=lambda c: f"已将“{c.name}”列入学习型组织名册。",
    )
    if posted:
        return redirect("education:learning_org", pk=posted.result.pk)
    return render(request, "education/learning/candidate_form.html", {"form": form})


@login_required
def candidate_detail(request, pk: int):
    candidate = learning.candidate_get(request.user, pk)
    rows = learning.evaluations(candidate)
    for ev in rows:
        ev.items = learning.checklist(candidate.kind, ev.scores)
    this_year = timezone.localdate().year
    return render(
        request,
        "education/learning/candidate_detail.html",
        {
            "candidate": candidate,
            "evaluations": rows,
            "can_evaluate": selectors.can_manage(request.user, candidate.org)
            and not any(ev.year == this_year for ev in rows),
        },
    )


@login_required
def evaluate(request, pk: int):
    candidate = learning.candidate_get(request.user, pk)
    if not selectors.can_manage(request.user, candidate.org):
        raise PermissionDenied("您没有评估学习型组织的权限。")
    recent = (
        Record.objects.visible_to(request.user)
        .filter(org=candidate.org, activity_type__area__code="education", year__gte=timezone.localdate().year - 1)
        .order_by("-date", "-id")
        .values_list("pk", flat=True)[:200]
    )
    records = Record.objects.filter(pk__in=list(recent)).order_by("-date", "-id")  # unsliced: the form's choices
    form = EvaluationForm(
        request.POST or None,
        request.FILES or None,
        kind=candidate.kind,
        records=records,
        initial={"evaluated_on": timezone.localdate()},
    )
    posted = form_post(
        request,
        form,
        lambda d: learning.evaluate(actor=request.user, candidate=candidate, **d),
        success=lambda ev: f"已评估：{ev.total}分，{ev.get_result_display()}。",
    )
    if posted:
        return redirect("education:learning_org", pk=candidate.pk)
    return render(request, "education/learning/evaluate.html", {"candidate": candidate, "form": form})


@login_required
def evidence(request, pk: int):
    row = learning.evidence_get(request.user, pk)
    return serve(row.file, name=row.file_name)


@login_required
def funds_page(request):
    """Education funds per 常住 resident, per community, this year against last year and the 1元 standard; the
    entries of the chosen community."""
    _staff(request, "社区教育经费")
    year = _year(request)
    communities = learning.communities(request.user)
    org = _chosen(request, communities)
    page = paginate(request, communities if org is None else communities.filter(pk=org.pk))
    entries = funds.entries(request.user, org, year)[:200] if org is not None else None
    kind = funds.funds_type()
    return render(
        request,
        "education/learning/funds.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "org": org,
            "communities": communities,
            "page": page,
            "rows": funds.per_resident(list(page), year),
            "entries": entries,
            "standard": funds.STANDARD,
            "funds_type": kind,
            "can_record": kind is not None and selectors.can_manage(request.user, org),
            "can_export": org is not None and learning.can_export(request.user, org),
        },
    )
