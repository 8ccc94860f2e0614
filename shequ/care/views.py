"""Pages of care: the lists that drive the day (本月未走访, 即将到期), the helper's own page on a phone, a visit,
a person's care file, helper pairs and the schedules."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.care import lists, selectors, selectors_person, services
from shequ.care.filters import DueFilter
from shequ.care.forms import PairEndForm, PairForm, ScheduleForm, VisitForm
from shequ.care.models import HelperPair, NeedStatus, VisitSchedule
from shequ.care.pairs import helper_choices
from shequ.core.forms import form_post
from shequ.residents.models import Person

STAFF_FRAME, HELPER_FRAME = "care/_staff_frame.html", "care/_helper_frame.html"


def _frame(user) -> str:
    return STAFF_FRAME if access.is_staff_user(user) else HELPER_FRAME


@login_required
def due(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("帮扶走访名单供工作人员使用；志愿者请在“我的帮扶对象”中登记走访。")
    today = timezone.localdate()
    flt = DueFilter(request.GET or None, queryset=selectors.care_persons(request.user, today), actor=request.user)
    show = flt.value("show", "due")
    if flt.invalid:
        listing = lists.Listing(page=Paginator([], lists.PER_PAGE).get_page(1), total=0, shown=0, by_place=[])
    else:
        listing = lists.listing(
            request.user, flt.rows, today, show=show, category=flt.value("category", ""), page=request.GET.get("page")
        )
    return render(
        request,
        "care/due.html",
        {"flt": flt, "page": listing.page, "show": show, "today": today, "total": listing.total,
         "shown": listing.shown, "by_place": listing.by_place},
    )  # fmt: skip


@login_required
def mine(request):
    today = timezone.localdate()
    rows = selectors.my_pairs(request.user, today)
    if not rows and not access.can_anywhere(request.user, Perm.LOG_CARE):
        raise PermissionDenied("您没有帮扶对象。")
    due_ids = {(s.person_id, s.category) for s in selectors.due(rows, today)}
    return render(request, "care/mine.html", {"rows": rows, "due_ids": due_ids, "frame": _frame(request.user)})


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def visit(request, pk: int, category: str):
    today = timezone.localdate()
    subject = selectors.subject_get(request.user, pk, category, today)
    if not selectors.may_log_visit(request.user, subject):
        raise PermissionDenied("您不是该对象的帮扶人，也没有登记此条线帮扶服务的权限。")
    types = selectors.visit_types()[category]
    form = VisitForm(request.POST or None, request.FILES or None, types=types)
    posted = form_post(
        request,
        form,
        lambda d: services.visit_create(actor=request.user, subject=subject, **form.service_args()),
        success=f"已登记对{subject.name}的走访。",
    )
    default = (
        "care:mine" if subject.helper_id == request.user.pk or not access.is_staff_user(request.user) else "care:due"
    )
    if posted:
        return redirect(_back(request, default))
    return render(
        request,
        "care/visit.html",
        {"form": form, "s": subject, "frame": _frame(request.user), "next": _back(request, "")},
    )


@login_required
def person(request, pk: int):
    today = timezone.localdate()
    lines = selectors_person.care_lines(request.user, [pk], today).get(pk)
    if not lines:
        raise Http404("没有这个帮扶对象。")
    codes = sorted({line.subject.area_code for line in lines})
    since = today.replace(year=today.year - 1, month=1, day=1)
    visits = selectors_person.person_visits(request.user, pk, codes, since)[:100]
    pairs = selectors_person.person_pairs(request.user, pk)
    staff = access.is_staff_user(request.user)
    org = _org(lines)
    can_pair = staff and any(
        access.can(request.user, org, Perm.RECORD_WORK, _area(line.subject.area_code)) for line in lines
    )
    assessed = selectors_person.latest_assessments(request.user, [pk]) if staff else {}
    year_plans = selectors_person.plans(request.user, [pk], today.year) if staff else {}
    for line in lines:
        line.assessment = assessed.get((pk, line.subject.category))
        line.plan = year_plans.get((pk, line.subject.category))
    return render(
        request,
        "care/person.html",
        {
            "lines": lines,
            "s": lines[0].subject,
            "visits": visits,
            "pairs": pairs,
            "can_pair": can_pair,
            "can_export": staff and access.can(request.user, org, Perm.EXPORT, _area("disability")),
            "year": today.year,
            "statuses": NeedStatus.choices,
            "frame": _frame(request.user),
            "person_url": staff and Person.objects.visible_to(request.user).filter(pk=pk).exists(),
        },
    )


def _org(lines):
    from shequ.orgs.models import Org

    return Org.objects.get(pk=lines[0].subject.org_id)


def _area(code: str):
    from shequ.orgs.models import Area

    return Area.objects.get(code=code)


@login_required
def pair_new(request, pk: int):
    today = timezone.localdate()
    lines = selectors.person_categories(request.user, pk, today)
    if not lines:
        raise Http404("没有这个帮扶对象。")
    p = get_object_or_404(Person.objects.select_related("org"), pk=pk)
    categories = [s.category for s in lines if access.can(request.user, p.org, Perm.RECORD_WORK, _area(s.area_code))]
    if not categories:
        raise PermissionDenied("您没有为该对象结对的权限。")
    form = PairForm(
        request.POST or None,
        categories=categories,
        helpers=helper_choices(p.org),
        initial={"category": request.GET.get("category") or categories[0]},
    )
    posted = form_post(
        request,
        form,
        lambda d: services.pair_create(actor=request.user, person=p, **form.service_args()),
        success="已结成帮扶对子。",
    )
    if posted:
        return redirect("care:person", pk=pk)
    return render(
        request, "care/form.html", {"form": form, "title": f"为{p.name}结帮扶对子", "back": "care:person", "pk": pk}
    )


@login_required
def pair_end(request, pk: int):
    pair = get_object_or_404(HelperPair.objects.visible_to(request.user).select_related("person"), pk=pk)
    if not access.can(request.user, pair.org, Perm.RECORD_WORK, pair.area_id):
        raise PermissionDenied("您没有解除帮扶对子的权限。")
    form = PairEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    posted = form_post(
        request, form, lambda d: services.pair_end(actor=request.user, pair=pair, **d), success="已解除帮扶对子。"
    )
    if posted:
        return redirect("care:person", pk=pair.person_id)
    title = f"解除{pair.person.name}的帮扶对子"
    return render(
        request, "care/form.html", {"form": form, "title": title, "back": "care:person", "pk": pair.person_id}
    )


@login_required
def schedules(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看走访周期的权限。")
    can_edit = access.can_anywhere(request.user, Perm.MANAGE_AREAS)
    return render(request, "care/schedules.html", {"rows": selectors.schedule_list(), "can_edit": can_edit})


@login_required
def schedule_edit(request, pk: int | None = None):
    if not access.can_anywhere(request.user, Perm.MANAGE_AREAS):
        raise PermissionDenied("只有系统管理员可以修改走访周期。")
    row = get_object_or_404(VisitSchedule, pk=pk) if pk is not None else None
    initial = {"every": 1, "unit": "month", "remind_days": 7}
    if row is not None:
        initial = {f: getattr(row, f) for f in ("category", "level", "every", "unit", "remind_days", "note")}
    form = ScheduleForm(request.POST or None, initial=initial)
    posted = form_post(
        request,
        form,
        lambda d: services.schedule_save(actor=request.user, schedule=row, **d),
        success="已保存走访周期。",
    )
    if posted:
        return redirect("care:schedules")
    title = "修改走访周期" if row else "新增走访周期"
    return render(request, "care/form.html", {"form": form, "title": title, "back": "care:schedules"})


@login_required
def completion(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看走访完成率的权限。")
    today = timezone.localdate()
    by = "helper" if request.GET.get("by") == "helper" else "grid"
    year = today.year
    months, rows = selectors.completion(request.user, year, by)
    return render(request, "care/completion.html", {"months": months, "rows": rows, "by": by, "year": year})
