"""Worker pages of meetings: a new meeting with its sign-in, the meeting page with quorum and votes, a resolution
put to the vote and a passed one turned into a plan task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.groups import meetings, selectors, services, signin
from shequ.groups.forms import MeetingForm, ResolutionForm, ResolutionTaskForm, SigninForm
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
def org_meetings(request):
    """The meetings of orgs without a group, in the actor's scope."""
    page = paginate(request, selectors.meeting_list(request.user, org_only=True))
    return render(
        request,
        "groups/org_meetings.html",
        {"page": page, "can_create": selectors.work_orgs(request.user).exists()},
    )


@login_required
def org_meeting_create(request):
    """A meeting of an org without a group: the org and line of work picked first (``?org=&area=``), then the
    sign-in of the org's staff, guests, minutes."""
    orgs = selectors.work_orgs(request.user)
    areas = selectors.creatable_areas(request.user)
    org = orgs.filter(pk=_int(request.GET.get("org"))).first() or orgs.first()
    area = areas.filter(code=request.GET.get("area", "")).first() or areas.first()
    if org is None or area is None:
        raise PermissionDenied("您没有登记工作记录的单位。")
    access.check(request.user, org, Perm.RECORD_WORK, area.pk)
    staff = meetings.org_staff(org)
    types = ActivityType.objects.filter(area=area, is_active=True, code__in=meetings.MEETING_TYPES)
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        types=types,
        members=staff,
        initial={"date": timezone.localdate(), "title": f"{org.name}工作会议", "activity_type": types.first()},
    )
    posted = form_post(
        request,
        form,
        lambda d: meetings.org_meeting_create(actor=request.user, org=org, **form.service_kwargs()),
        success="已登记单位会议。",
    )
    if posted:
        return redirect("groups:meeting", pk=posted.result.pk)
    if request.method == "POST" and request.FILES:
        messages.warning(request, FILES_LOST)
    return render(
        request,
        "groups/org_meeting_form.html",
        {"form": form, "org": org, "area": area, "orgs": orgs, "areas": areas, "no_types": not types.exists()},
    )


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@login_required
def meeting_signin(request, pk: int):
    """Edit a saved meeting's sign-in and guests."""
    meeting = selectors.meeting_get(request.user, pk)
    meetings.check_meeting(request.user, meeting)
    rows = list(meeting.attendance.all())  # prefetched with the member or the staff account
    guests = "\n".join(f"{g.name}，{g.unit}" if g.unit else g.name for g in meeting.guests.all())
    form = SigninForm(request.POST or None, rows=rows, initial={"guests": guests})
    posted = form_post(
        request,
        form,
        lambda d: signin.signin_update(actor=request.user, meeting=meeting, **form.service_kwargs()),
        success=lambda m: (
            f"已修改签到：实到{m.present}人"
            + ("" if m.quorate is None else f"，{'达到' if m.quorate else '未达到'}法定人数")
            + "。"
        ),
    )
    if posted:
        return redirect("groups:meeting", pk=meeting.pk)
    return render(request, "groups/signin_form.html", {"form": form, "meeting": meeting, "record": meeting.record})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    resolutions = [(r, selectors.progress(r)) for r in meeting.resolutions.all()]
    can_manage = selectors.can_keep_meeting(request.user, meeting)
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
    meetings.check_meeting(request.user, meeting)
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
