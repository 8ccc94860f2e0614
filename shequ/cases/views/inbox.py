from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from shequ.cases import selectors, services
from shequ.cases.choices import CaseKind
from shequ.cases.filters import CaseFilter
from shequ.cases.forms import DETAIL_FORMS, CaseForm, PartyFormSet
from shequ.cases.models import CaseType
from shequ.cases.views.common import require_staff
from shequ.core.forms import form_post
from shequ.core.paging import paginate_branches
from shequ.records.models import Record
from shequ.residents.selectors import person_base


@login_required
def inbox(request):
    require_staff(request)
    flt = CaseFilter(request.GET, queryset=selectors.case_list(request.user), actor=request.user)
    page = paginate_branches(request, flt.rows, selectors.list_branches(request.user), cap=selectors.INBOX_COUNT_CAP)
    page.object_list = selectors.name_staff(request.user, list(page.object_list))
    ctx = {"page": page, "flt": flt, "today": timezone.localdate()}
    if request.htmx and request.htmx.target == "case-rows":
        return render(request, "cases/partials/case_rows.html", ctx)
    counts = selectors.box_counts(request.user)
    box = flt.value("box", "all")
    ctx["box_list"] = [
        {
            "key": k,
            "label": label,
            "count": counts.get(k),
            "alert": k in {"overdue", "supervised"} and counts.get(k),
            "active": k == box,
        }
        for k, label in selectors.BOXES.items()
    ]
    return render(request, "cases/inbox.html", ctx)


@login_required
def create(request):
    require_staff(request)
    code = request.GET.get("type") or request.POST.get("type")
    if not code:
        types = [t for t in selectors.case_types() if selectors.registration_orgs(request.user, t).exists()]
        return render(request, "cases/choose_type.html", {"types": types})
    case_type = CaseType.objects.filter(code=code, is_active=True).prefetch_related("areas").first()
    if case_type is None:
        raise Http404
    orgs = selectors.registration_orgs(request.user, case_type).select_related("parent")
    if not orgs.exists():
        raise PermissionDenied(f"您没有登记“{case_type.name}”的权限。")
    data = request.POST or None
    files = request.FILES or None
    persons = person_base(request.user)
    form = CaseForm(data, files, case_type=case_type, orgs=orgs, persons=persons)
    detail_cls = DETAIL_FORMS.get(case_type.kind)
    detail_kw = {"persons": persons} if case_type.kind == CaseKind.REFERRAL else {}
    detail_form = detail_cls(data, prefix="d", **detail_kw) if detail_cls else None
    parties = (
        PartyFormSet(data, prefix="p", form_kwargs={"persons": persons}) if case_type.kind == CaseKind.DISPUTE else None
    )
    record = _record(request, orgs)

    def register(cd):
        detail = dict(detail_form.cleaned_data) if detail_form else None
        if record is not None and case_type.kind == CaseKind.HAZARD:
            detail["found_in_record"] = record
        return services.case_register(
            actor=request.user,
            case_type=case_type,
            org=cd["org"],
            area=cd.get("area"),
            title=cd["title"],
            description=cd["description"],
            registered_on=cd["registered_on"],
            place=cd["place"],
            category=cd.get("category", ""),
            reporter_name=cd["reporter_name"],
            reporter_phone=cd["reporter_phone"],
            reporter_person=cd["reporter_person"],
            detail=detail,
            parties=[p for p in parties.cleaned_data if p] if parties is not None else (),
            files=cd["files"],
        )

    posted = form_post(
        request, form, register, success=lambda case: f"已登记事项 {case.code}。", also=(detail_form, parties)
    )
    if posted:
        return redirect("cases:detail", pk=posted.result.pk)
    return render(
        request,
        "cases/create.html",
        {"form": form, "detail_form": detail_form, "parties": parties, "case_type": case_type, "record": record},
    )


def _record(request, orgs):
    """An inspection record the hazard was found in (?record=id), when it is in the registering scope."""
    rid = request.GET.get("record") or request.POST.get("record")
    if not rid or not str(rid).isdigit():
        return None
    return Record.objects.visible_to(request.user).filter(pk=int(rid), org__in=orgs.values("pk")).first()
