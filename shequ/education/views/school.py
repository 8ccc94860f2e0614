"""The school year pages: a school's (or a district's default) calendar with its periods edited by the school's own
staff, the eight key prevention items per term derived from the lessons and drills, and a drill's problems opened
as a hazard case in one step."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.education import school_services as services
from shequ.education import schoolyear
from shequ.education.models import CalendarKind, CalendarPeriod
from shequ.orgs.models import Org, OrgKind, UnitType
from shequ.records.models import Record

CALENDAR_KINDS = (OrgKind.DISTRICT, OrgKind.STREET)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CalendarKind.choices)
    name = forms.CharField(label="名称", max_length=50, help_text="如：2027年春季学期、暑假、期末考试周、安全教育周")
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


def _org(request, pk: int) -> Org:
    """A school, or a district or street that keeps a default calendar, the actor sees in the school line."""
    org = Org.objects.visible_to(request.user, Perm.VIEW, services.school_area()).filter(pk=pk).first()
    if org is None or not (org.unit_type == UnitType.SCHOOL or org.kind in CALENDAR_KINDS):
        raise Http404
    return org


@login_required
def school_home(request):
    """The schools and default calendars the actor sees; a school's own staff go straight to their school."""
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看校历的权限。")
    seen = Org.objects.visible_to(request.user, Perm.VIEW, services.school_area()).filter(is_active=True)
    schools = seen.filter(unit_type=UnitType.SCHOOL).order_by("path")
    defaults = list(seen.filter(kind__in=CALENDAR_KINDS).order_by("path")[:50])
    if not defaults:
        only = list(schools[:2])
        if len(only) == 1:
            return redirect("education:school", pk=only[0].pk)
    return render(request, "education/school/home.html", {"page": paginate(request, schools), "defaults": defaults})


@login_required
def school_page(request, pk: int):
    """A school's calendar (its own or the one above it) for this and next school year, and its checklists."""
    org = _org(request, pk)
    today = timezone.localdate()
    calendar = schoolyear.calendar_of(org)
    own = calendar is not None and calendar.org_id == org.pk
    is_school = org.unit_type == UnitType.SCHOOL
    terms = schoolyear.current_terms(calendar, today) if is_school else []
    checklists = schoolyear.coverage(org, terms)[::-1]  # the latest term first
    return render(
        request,
        "education/school/page.html",
        {
            "org": org,
            "calendar": calendar,
            "own": own,
            "years": schoolyear.school_years(calendar, today),
            "can_edit": services.can_edit(request.user, org),
            "is_school": is_school,
            "checklists": checklists,
            "drillable": schoolyear.DRILLABLE,
            "items": schoolyear.EIGHT_ITEMS,
            "can_export": is_school and access.can(request.user, org, Perm.EXPORT, area=services.school_area()),
            "ledger_year": checklists[0].term.start.year if checklists else today.year,
        },
    )


@login_required
@require_POST
def calendar_own(request, pk: int):
    org = _org(request, pk)
    if not services.can_edit(request.user, org):
        raise PermissionDenied("只有本校（本级）负责学校安全工作的人员可以建立校历。")
    source = schoolyear.calendar_of(org)
    action_post(
        request,
        lambda: services.calendar_own(actor=request.user, org=org, source=source),
        success="已建立本单位校历（以原沿用的校历为底），可以修改了。",
    )
    return redirect("education:school", pk=org.pk)


def _editable(request, org: Org):
    calendar = schoolyear.calendar_of(org)
    if not services.can_edit(request.user, org):
        raise PermissionDenied("只有本校（本级）负责学校安全工作的人员可以修改校历。")
    if calendar is None or calendar.org_id != org.pk:
        raise PermissionDenied("本单位沿用上级校历，请先建立本单位校历再修改。")
    return calendar


@login_required
def period_create(request, pk: int):
    org = _org(request, pk)
    calendar = _editable(request, org)
    form = PeriodForm(request.POST or None, initial={"kind": request.GET.get("kind") or CalendarKind.TERM})
    posted = form_post(
        request,
        form,
        lambda d: services.period_save(actor=request.user, calendar=calendar, **d),
        success=lambda p: f"已添加“{p.name}”。",
    )
    if posted:
        return redirect("education:school", pk=org.pk)
    return render(request, "education/school/period_form.html", {"form": form, "org": org, "period": None})


def _period(request, pk: int) -> tuple[CalendarPeriod, Org]:
    period = get_object_or_404(CalendarPeriod.objects.select_related("calendar__org"), pk=pk)
    org = _org(request, period.calendar.org_id)
    _editable(request, org)
    return period, org


@login_required
def period_edit(request, pk: int):
    period, org = _period(request, pk)
    initial = {"kind": period.kind, "name": period.name, "start": period.start, "end": period.end}
    form = PeriodForm(request.POST or None, initial=initial)
    posted = form_post(
        request,
        form,
        lambda d: services.period_save(actor=request.user, calendar=period.calendar, period=period, **d),
        success=lambda p: f"已修改“{p.name}”。",
    )
    if posted:
        return redirect("education:school", pk=org.pk)
    return render(request, "education/school/period_form.html", {"form": form, "org": org, "period": period})


@login_required
@require_POST
def period_delete(request, pk: int):
    period, org = _period(request, pk)
    name = period.name
    action_post(request, lambda: services.period_delete(actor=request.user, period=period), success=f"已删除“{name}”。")
    return redirect("education:school", pk=org.pk)


@login_required
@require_POST
def drill_hazard(request, pk: int):
    """The problems a drill found, registered as a hazard case in one step."""
    record = get_object_or_404(
        Record.objects.visible_to(request.user).select_related("org", "area", "activity_type"),
        pk=pk,
        activity_type__code="drill",
    )
    if not access.can(request.user, record.org, Perm.REPORT_CASE, area=record.area_id):
        raise PermissionDenied("您没有登记安全隐患的权限。")
    posted = action_post(
        request,
        lambda: services.drill_hazard(actor=request.user, record=record),
        success=lambda c: f"已登记安全隐患 {c.code}，请受理并安排整改。",
    )
    if posted:
        return redirect("cases:detail", pk=posted.result.pk)
    return redirect("records:detail", pk=record.pk)
