"""Pages of the year-end assessment: the ranking of the communities with their totals and vetoes, and one
assessment with its lines and items where the community self-scores, the street reviews and the district confirms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.assessment import selectors, services
from shequ.assessment.models import Stage
from shequ.cases.stats import focus_org
from shequ.core.forms import action_post
from shequ.records.years import is_year_closed


def _year(request) -> int:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    this = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


@login_required
def index(request):
    year = _year(request)
    raw = request.GET.get("org", "")
    focus = focus_org(request.user, int(raw) if raw.isdigit() and len(raw) < 10 else None)
    if focus is None:
        raise PermissionDenied("您没有可查看的单位。")
    can_start = access.can(request.user, focus, Perm.REVIEW_REPORT) and focus.kind in ("district", "street")
    missing = selectors.missing_count(request.user, focus=focus, year=year) if can_start else 0
    this = timezone.localdate().year
    return render(
        request,
        "assessment/index.html",
        {"focus": focus, "year": year, "rows": selectors.ranking(request.user, focus=focus, year=year),
         "can_start": can_start and missing > 0, "missing": missing, "years": range(this, this - 4, -1)},
    )  # fmt: skip


@login_required
@require_POST
def start(request):
    year = _year(request)
    raw = request.POST.get("org", "")
    focus = focus_org(request.user, int(raw) if raw.isdigit() and len(raw) < 10 else None)
    if focus is None:
        raise PermissionDenied("您没有可查看的单位。")
    action_post(
        request,
        lambda: services.start(actor=request.user, top=focus, year=year),
        success=lambda n: f"已为{n}个社区发起{year}年度考核。",
    )
    return redirect(f"{reverse('assessment:index')}?org={focus.pk}&year={year}")


def _entries(post, prefix_keys: tuple[str, ...]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for key in post:
        head, _, pk = key.partition("-")
        if head in prefix_keys and pk.isdigit() and len(pk) < 12:
            out.setdefault(int(pk), {})[{"s": "score", "n": "note", "e": "evidence", "r": "reason"}[head]] = post[key]
    return out


DONE = {
    "self_submit": "自评已提交街道审核。",
    "review_submit": "审核完成，已报区级确认。",
    "confirm": "考核结果已确认。",
}


def _keep_typed(lines: list[dict], typed: dict[int, dict], *, review: bool) -> None:
    """After a refusal the form shows what was typed (on the page only; nothing of it was saved)."""
    for line in lines:
        for it in line["items"]:
            entry = typed.get(it["s"].pk)
            if not entry:
                continue
            s = it["s"]
            if review:
                s.review_score, s.review_reason = entry.get("score", ""), entry.get("reason", "")
            else:
                s.self_score, s.self_note = entry.get("score", ""), entry.get("note", "")
                s.evidence = entry.get("evidence", "")


@login_required
def detail(request, pk: int):
    a = selectors.assessment_get(request.user, pk)
    errors: dict = {}
    typed: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = request.POST.get("version")
        version_n = int(version) if version and version.isdigit() else None
        try:
            if action == "self":
                typed = _entries(request.POST, ("s", "n", "e"))
                services.self_save(actor=request.user, a=a, entries=typed, version=version_n)
                messages.success(request, "自评已保存。")
            elif action == "review":
                typed = _entries(request.POST, ("s", "r"))
                services.review_save(actor=request.user, a=a, entries=typed, version=version_n)
                messages.success(request, "审核意见已保存。")
            elif action in ("self_submit", "review_submit", "confirm"):
                getattr(services, action)(actor=request.user, a=a)
                messages.success(request, DONE[action])
            else:
                raise services.AssessmentError("请选择要进行的操作。")
            return redirect("assessment:detail", pk=a.pk)
        except ValidationError as exc:  # an AssessmentError, or the year closed
            if hasattr(exc, "error_dict"):
                errors = {k: v[0].messages[0] for k, v in exc.error_dict.items()}
                messages.error(request, "有项目未保存，请按提示修改。")
            else:
                messages.error(request, exc.messages[0])
            a = selectors.assessment_get(request.user, pk)
    org = a.org
    closed = is_year_closed(org, a.year)  # a closed year's assessment does not change
    can_self = not closed and a.stage == Stage.SELF and access.can(request.user, org, Perm.EDIT_PLANS)
    above = org.parent
    can_review = (
        not closed
        and a.stage == Stage.REVIEW
        and above is not None
        and access.can(request.user, above, Perm.REVIEW_REPORT)
    )
    top = above.parent if above is not None else None
    can_confirm = (
        not closed
        and a.stage == Stage.CONFIRM
        and top is not None
        and access.can(request.user, top, Perm.REVIEW_REPORT)
    )
    lines = selectors.lines(request.user, a)
    _keep_typed(lines, typed, review=can_review)
    return render(
        request,
        "assessment/detail.html",
        {"a": a, "lines": lines, "events": list(a.events.select_related("actor")),
         "can_self": can_self, "can_review": can_review, "can_confirm": can_confirm, "errors": errors, "closed": closed,
         "typed": typed},
    )  # fmt: skip
