"""Worker pages of meetings: a new meeting with its sign-in, the meeting page with quorum and votes, a resolution
put to the vote and a passed one turned into a plan task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.groups import meetings, selectors, services
from shequ.groups.forms import MeetingForm, ResolutionForm, ResolutionTaskForm
from shequ.orgs.models import Org
from shequ.records.models import ActivityType

FILES_LOST = "表单有误，已选择的照片和附件需要重新选择。"


@login_required
def meeting_list(request, pk: int):
    group = selectors.group_get(request.user, pk)
    page = paginate(request, selectors.meeting_list(request.user, group))
    return render(
        request,
        "groups/meeting_list.html",
        {"group": group, "page": page, "can_manage": selectors.can_manage(request.user, group)},
    )


@login_required
def meeting_create(request, pk: int):
    group = selectors.group_get(request.user, pk)
    services.check_manage(request.user, group)
    today = timezone.localdate()
    day = parse_date(request.POST.get("date") or request.GET.get("date") or "") or today
    members = meetings.in_office(group, day)
    types = ActivityType.objects.filter(area=group.area, is_active=True, code__in=meetings.MEETING_TYPES)
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        types=types,
        members=members,
        initial={"date": day, "title": f"{group.name}会议", "activity_type": types.first()},
    )
    posted = form_post(
        request,
        form,
        lambda d: meetings.meeting_create(actor=request.user, group=group, **form.service_kwargs()),
        success=lambda m: f"已登记会议，{'达到' if m.quorate else '未达到'}法定人数。",
    )
    if posted:
        return redirect("groups:meeting", pk=posted.result.pk)
    if request.method == "POST" and request.FILES:
        messages.warning(request, FILES_LOST)
    return render(request, "groups/meeting_form.html", {"form": form, "group": group, "day": day})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    resolutions = [(r, selectors.progress(r)) for r in meeting.resolutions.all()]
    can_manage = selectors.can_manage(request.user, meeting.group)
    return render(
        request,
        "groups/meeting_detail.html",
        {
            "meeting": meeting,
            "record": meeting.record,
            "resolutions": resolutions,
            "can_manage": can_manage,
            "can_task": access.can(request.user, meeting.org, Perm.MANAGE_TASKS),
            "can_export": access.can(request.user, meeting.org, Perm.EXPORT, meeting.area_id),
            "form": ResolutionForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def resolution_add(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    services.check_manage(request.user, meeting.group)
    form = ResolutionForm(request.POST)
    posted = form_post(
        request,
        form,
        lambda d: meetings.resolution_add(actor=request.user, meeting=meeting, **d),
        success=lambda r: f"第{r.number}项决议{'通过' if r.passed else '未通过'}（{r.votes_text}）。",
    )
    if not posted:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("groups:meeting", pk=meeting.pk)


@login_required
def resolution_task(request, pk: int):
    resolution = selectors.resolution_get(request.user, pk)
    meeting = resolution.meeting
    access.check(request.user, meeting.org, Perm.MANAGE_TASKS)
    orgs = Org.objects.visible_to(request.user).filter(is_active=True).order_by("path")
    form = ResolutionTaskForm(
        request.POST or None,
        orgs=orgs,
        initial={"title": resolution.text[:200], "lead_org": meeting.org_id, "due": timezone.localdate()},
    )
    posted = form_post(
        request,
        form,
        lambda d: meetings.resolution_task(actor=request.user, resolution=resolution, **d),
        success=lambda t: f"已分解为任务“{t.title}”。",
    )
    if posted:
        return redirect("groups:meeting", pk=meeting.pk)
    return render(request, "groups/resolution_task.html", {"form": form, "resolution": resolution, "meeting": meeting})
