"""Worker pages of groups: the list, a new group, its page with terms and members, members joining and leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.groups import selectors, services
from shequ.groups.forms import GroupEditForm, GroupForm, LeaveForm, MemberForm, TermForm
from shequ.residents.models import Person


@login_required
def group_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看组织机构的权限。")
    area, kind = request.GET.get("area", ""), request.GET.get("kind", "")
    today = timezone.localdate()
    page = paginate(request, selectors.group_list(request.user, area=area, kind=kind, today=today))
    return render(
        request,
        "groups/group_list.html",
        {
            "page": page,
            "area": area,
            "kind": kind,
            "kinds": selectors.kinds(),
            "can_create": selectors.can_create(request.user),
            "today": today,
        },
    )


@login_required
def group_create(request):
    orgs = selectors.creatable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有新建组织机构的权限。")
    today = timezone.localdate()
    current = getattr(request.membership, "org", None)
    initial = {
        "founded_on": today,
        "term_start": today,
        "term_end": today.replace(year=today.year + 5) if not (today.month == 2 and today.day == 29) else today,
        "org": current.pk if current is not None and orgs.filter(pk=current.pk).exists() else orgs.first(),
    }
    form = GroupForm(
        request.POST or None,
        orgs=orgs,
        areas=selectors.creatable_areas(request.user),
        kinds=selectors.kinds(),
        initial=initial,
    )
    posted = form_post(
        request,
        form,
        lambda d: services.group_create(actor=request.user, **d),
        success=lambda g: f"已成立“{g.name}”，请添加成员。",
    )
    if posted:
        return redirect("groups:detail", pk=posted.result.pk)
    return render(request, "groups/form.html", {"form": form, "title": "新建组织机构"})


@login_required
def group_detail(request, pk: int):
    group = selectors.group_get(request.user, pk)
    today = timezone.localdate()
    members = selectors.group_members(request.user, group)
    terms = selectors.group_terms(group)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "terms": terms,
            "term": terms[0] if terms else None,
            "current": [m for m in members if not (m.left_on and m.left_on <= today)],
            "former": [m for m in members if m.left_on and m.left_on <= today],
            "can_manage": selectors.can_manage(request.user, group),
            "can_export": access.can(request.user, group.org, Perm.EXPORT, group.area_id),
            "today": today,
            "meetings": selectors.meeting_list(request.user, group)[:10],
        },
    )


@login_required
def group_edit(request, pk: int):
    group = selectors.group_get(request.user, pk)
    services.check_manage(request.user, group)
    initial = {"name": group.name, "duties": group.duties, "rules": group.rules, "dissolved_on": group.dissolved_on}
    form = GroupEditForm(request.POST or None, initial=initial)
    posted = form_post(
        request, form, lambda d: services.group_update(actor=request.user, group=group, **d), success="已保存。"
    )
    if posted:
        return redirect("groups:detail", pk=group.pk)
    return render(request, "groups/form.html", {"form": form, "title": f"修改：{group.name}", "group": group})


@login_required
def term_create(request, pk: int):
    group = selectors.group_get(request.user, pk)
    services.check_manage(request.user, group)
    form = TermForm(request.POST or None)
    posted = form_post(
        request,
        form,
        lambda d: services.term_renew(actor=request.user, group=group, **d),
        success=lambda t: f"已换届：{t.label}。",
    )
    if posted:
        return redirect("groups:detail", pk=group.pk)
    return render(request, "groups/form.html", {"form": form, "title": f"换届：{group.name}", "group": group})


@login_required
def member_add(request, pk: int):
    group = selectors.group_get(request.user, pk)
    services.check_manage(request.user, group)
    form = MemberForm(
        request.POST or None,
        group=group,
        persons=Person.objects.visible_to(request.user),
        staff=selectors.staff_choices(group),
        initial={"joined_on": timezone.localdate(), "role": group.kind.roles[-1] if group.kind.roles else ""},
    )
    posted = form_post(
        request,
        form,
        lambda d: services.member_add(actor=request.user, group=group, **d),
        success=lambda m: f"已添加成员“{m.name}”（{m.role}）。",
    )
    if posted:
        if "again" in request.POST:
            return redirect("groups:member_add", pk=group.pk)
        return redirect("groups:detail", pk=group.pk)
    return render(request, "groups/member_form.html", {"form": form, "group": group})


@login_required
@require_POST
def member_leave(request, pk: int):
    member = selectors.member_get(request.user, pk)
    services.check_manage(request.user, member.group)
    form = LeaveForm(request.POST)
    posted = form_post(
        request,
        form,
        lambda d: services.member_leave(actor=request.user, member=member, left_on=d["left_on"], note=d["note"]),
        success=lambda m: f"已记录“{m.name}”退出。",
    )
    if not posted and form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("groups:detail", pk=member.group_id)
