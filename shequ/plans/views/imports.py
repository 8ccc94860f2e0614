"""Importing a plan from its document: upload or paste, review the draft beside the text, adopt.

The draft is kept as a PlanImport of the org until adopted; no plan, target or task exists before that.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.orgs.models import Area, Org, OrgKind
from shequ.plans import importing
from shequ.plans.extract.draft import Draft, DraftTarget
from shequ.plans.extract.pipeline import extract
from shequ.plans.extract.reading import ExtractError, read_document
from shequ.plans.forms import DraftTargetForm, ImportPlanForm, ImportStartForm, ObligationForm
from shequ.plans.models import PlanImport
from shequ.plans.views.common import year_param
from shequ.records.models import ActivityType

TargetFormSet = forms.formset_factory(DraftTargetForm, extra=0)
ObligationFormSet = forms.formset_factory(ObligationForm, extra=0)


def _orgs(user):
    return Org.objects.visible_to(user, Perm.EDIT_PLANS).filter(is_active=True).order_by("path")


def _import_get(user, pk: int) -> PlanImport:
    """A draft of an org the user may edit plans of; 404 otherwise (not yours = not there)."""
    imp = PlanImport.objects.visible_to(user).select_related("org").filter(pk=pk).first()
    if imp is None:
        raise Http404("导入草稿不存在或已采用。")
    return imp


@login_required
def plan_import(request):
    """Upload a plan document or paste its text; the draft is extracted and shown for review."""
    orgs = _orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有编制计划的权限，不能导入计划文件。")
    initial = {"year": year_param(request)}
    if getattr(request, "membership", None):
        initial["org"] = request.membership.org_id
    form = ImportStartForm(request.POST or None, request.FILES or None, orgs=orgs, initial=initial)

    def start(data):
        upload = data.get("file")
        try:
            text = read_document(upload.name, upload.read()) if upload else data["text"]
        except ExtractError as exc:
            raise ValidationError({"file": str(exc)}) from exc
        return importing.plan_import_start(actor=request.user, org=data["org"], year=data["year"], text=text)

    posted = form_post(request, form, start)
    if posted:
        return redirect("plans:import_review", pk=posted.result.pk)
    return render(request, "plans/import_start.html", {"form": form})


def _activity_choices(draft: Draft) -> list[tuple[str, str]]:
    """The plan's own line of work's types, and any other type a target of the draft was matched to
    (a short list keeps a long plan's page light)."""
    wanted = {t.match.code for t in draft.targets if t.match.code}
    types = ActivityType.objects.filter(is_active=True).select_related("area").order_by("area__sort", "sort")
    own = [(f"{t.area.code}/{t.code}", t.name) for t in types if t.area.code == draft.area]
    other = [
        (f"{t.area.code}/{t.code}", f"{t.area.name}·{t.name}")
        for t in types
        if t.area.code != draft.area and (f"{t.area.code}/{t.code}" in wanted or not draft.area)
    ]
    return own + other


def _target_initial(t: DraftTarget) -> dict:
    r = importing.reviewed_from_draft(t)
    return {
        "decision": "accept",
        "src": t.id,
        "basis": r.basis,
        "title": r.title,
        "kind": r.kind,
        "activity_code": r.activity_codes[0] if r.activity_codes else "",
        "period": r.period,
        "months": ",".join(str(m) for m in r.months),
        "min_per_period": r.min_per_period,
        "min_per_year": r.min_per_year,
        "threshold": r.threshold,
        "max_value": r.max_value,
        "unit": r.unit,
        "due": f"{r.due_month}-{r.due_day}" if r.due_month else "",
        "owner_name": r.owner_name,
    }


def _segments(text: str, targets: list[DraftTarget]) -> list[dict]:
    """The document cut into plain pieces and highlighted pieces (each naming the targets it states)."""
    spans = sorted((t.quote_start, t.quote_end, t.id) for t in targets if t.quote_end > t.quote_start)
    merged: list[list] = []
    for s, e, tid in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2].append(tid)
        else:
            merged.append([s, e, [tid]])
    out, pos = [], 0
    for s, e, ids in merged:
        if s > pos:
            out.append({"text": text[pos:s], "start": pos, "ids": ""})
        out.append({"text": text[s:e], "start": s, "ids": " ".join(ids), "first": ids[0]})
        pos = e
    if pos < len(text):
        out.append({"text": text[pos:], "start": pos, "ids": ""})
    return out


def _context(request, imp, draft, plan_form, target_forms, obligation_forms):
    org = imp.org
    by_id = {t.id: t for t in draft.targets}
    return {
        "imp": imp,
        "org": org,
        "year": imp.year,
        "draft": draft,
        "segments": _segments(imp.text, draft.targets),
        "plan_form": plan_form,
        "target_forms": target_forms,
        "rows": [(f, by_id.get(f["src"].value())) for f in target_forms],
        "obligation_rows": list(zip(obligation_forms, draft.obligations, strict=False)),
        "obligation_forms": obligation_forms,
        "can_publish": org.kind in (OrgKind.STREET, OrgKind.DISTRICT)
        and access.can(request.user, org, Perm.PUBLISH_TEMPLATES),
        "can_tasks": access.can(request.user, org, Perm.MANAGE_TASKS),
    }


def _obligation_initial(draft: Draft, year: int) -> list[dict]:
    return [
        {
            "decision": "drop",
            "text": o.text,
            "title": o.text[:60],
            "due": date(year, 12, 31),
            "leader_name": o.responsibility.leader,
            "owner_name": o.responsibility.owner,
            "partners_text": o.responsibility.partners,
        }
        for o in draft.obligations
    ]


@login_required
def plan_import_review(request, pk: int):
    """The draft beside the document: accept, edit or reject each target, keep duties as tasks, adopt."""
    imp = _import_get(request.user, pk)
    draft = Draft.from_dict(imp.draft)
    choices = _activity_choices(draft)
    kwargs = {"activity_choices": choices}
    if request.method == "POST":
        plan_form = ImportPlanForm(request.POST)
        target_forms = TargetFormSet(request.POST, prefix="t", form_kwargs=kwargs)
        obligation_forms = ObligationFormSet(request.POST, prefix="o")
    else:
        area = Area.objects.filter(code=draft.area, is_active=True).first()
        plan_form = ImportPlanForm(initial={"title": draft.title, "area": area})
        initial = [_target_initial(t) for t in draft.targets]
        target_forms = TargetFormSet(prefix="t", initial=initial, form_kwargs=kwargs)
        obligation_forms = ObligationFormSet(prefix="o", initial=_obligation_initial(draft, imp.year))
    ctx = _context(request, imp, draft, plan_form, target_forms, obligation_forms)
    if not ctx["can_publish"]:
        plan_form.fields.pop("publish")
    targets: list = []
    tasks: list = []

    def adopt(data):
        targets.extend(f.cleaned_data["reviewed"] for f in target_forms if f.cleaned_data.get("decision") == "accept")
        tasks.extend(
            importing.ReviewedTask(
                title=f.cleaned_data["title"].strip(),
                description=f.cleaned_data["text"],
                due=f.cleaned_data["due"],
                leader_name=f.cleaned_data.get("leader_name") or "",
                owner_name=f.cleaned_data.get("owner_name") or "",
                partners_text=f.cleaned_data.get("partners_text") or "",
            )
            for f in obligation_forms
            if f.cleaned_data.get("decision") == "task"
        )
        return importing.plan_import_adopt(
            actor=request.user,
            imp=imp,
            area=data["area"],
            title=data["title"],
            targets=targets,
            tasks=tasks,
            publish=data.get("publish", False),
        )

    def adopted(plan) -> str:
        note = "，并已发布为模板" if plan_form.cleaned_data.get("publish", False) else ""
        return f"已采用为{plan.year}年度计划：{len(targets)}项指标，{len(tasks)}项任务{note}。"

    posted = form_post(request, plan_form, adopt, success=adopted, also=(target_forms, obligation_forms))
    if posted:
        return redirect("plans:detail", pk=posted.result.pk)
    return render(request, "plans/import_review.html", ctx)


@login_required
@require_POST
def plan_import_add(request, pk: int):
    """A target from text the worker selected (or a duty given a number): one new row for the review form."""
    imp = _import_get(request.user, pk)
    text = (request.POST.get("text") or "").strip()[:1000]
    try:
        index = int(request.POST.get("index", ""))
        start = int(request.POST.get("start") or -1)
    except ValueError:
        index = -1
    if not text or not 0 <= index < 1000:
        return HttpResponse(status=204)  # nothing selected: nothing to add
    found = extract(text).targets
    new_id = f"u{index}"
    if found:
        target = found[0]
        target.id, target.basis = new_id, text
    else:
        target = DraftTarget(
            id=new_id, kind="count", title=text[:60], start=0, end=0, quote_start=0, quote_end=0, basis=text
        )
    if 0 <= start <= len(imp.text) - len(text) and imp.text[start : start + len(text)] == text:
        target.start = target.quote_start = start
        target.end = target.quote_end = start + len(text)
        importing.plan_import_add_target(actor=request.user, imp=imp, target=target)
    draft = Draft.from_dict(imp.draft)
    draft.targets.append(target)
    form = DraftTargetForm(
        prefix=f"t-{index}", initial=_target_initial(target), activity_choices=_activity_choices(draft)
    )
    return HttpResponse(
        render_to_string("plans/partials/import_target.html", {"form": form, "t": target, "added": True}, request)
    )
