"""QR sign-in at the door (the teacher's code, the resident's scan) and a course's teaching resources."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import action_post, form_post
from shequ.core.qr import qr_svg
from shequ.core.uploads import serve
from shequ.education import checkin, resources, selectors, services
from shequ.education.learning_forms import ResourceForm
from shequ.education.learning_models import CourseResource

STAFF_SIDE = "扫码签到由报名的学员在手机上使用；工作人员和老师请在考勤页面登记到课。"


@login_required
def session_qr(request, pk: int):
    """The code the teacher shows at the door, renewed by the page before it expires; who has signed in so far."""
    session = selectors.session_get(request.user, pk)
    services.attendance_right(request.user, session.course)
    today = session.date == timezone.localdate()
    url = checkin.url_for(request, checkin.token_for(actor=request.user, session=session)) if today else ""
    context = {
        "session": session,
        "course": session.course,
        "today": today,
        "svg": qr_svg(url) if today else "",
        "url": url,
        "minutes": checkin.TOKEN_MINUTES,
        "refresh": checkin.REFRESH_SECONDS,
        "rows": selectors.attendance_sheet(session),
    }
    return render(request, "education/learning/session_qr.html", context)


@login_required
def check_in(request, token: str):
    """The page a resident's phone opens from the code: who and which session, and the button that signs in."""
    try:
        session_id, _issuer = checkin.read(token)
    except checkin.CheckinError as exc:
        return render(request, "education/learning/checkin.html", {"error": exc.messages[0]})
    session = checkin.scanned_session(request.user, session_id)
    if session is None:
        if checkin.is_staff_of(request.user, session_id):
            raise PermissionDenied(STAFF_SIDE)
        raise Http404("没有这次课，或这次课不是您所在社区的课程。")
    person = selectors.resident_person(request.user)
    if request.method == "POST":
        done = action_post(
            request,
            lambda: checkin.check_in(actor=request.user, token=token),
            success=lambda s: f"签到成功：{s.course.title} 第{s.number}次课。",
        )
        if done:
            return redirect("education:checkin", token=token)
    signed = person is not None and checkin.signed_in(session, person.pk)
    return render(
        request,
        "education/learning/checkin.html",
        {"session": session, "course": session.course, "person": person, "signed": signed},
    )


@login_required
@require_POST
def resource_add(request, pk: int):
    course = selectors.course_get(request.user, pk)
    form = ResourceForm(request.POST, request.FILES)
    posted = form_post(
        request,
        form,
        lambda d: resources.resource_add(actor=request.user, course=course, **d),
        success=lambda r: f"已上传“{r.title}”。",
    )
    if not posted:  # the form sits on the course page: its errors come back as messages, by field
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}：{e}" if label else e)
    return redirect("education:course", pk=course.pk)


@login_required
def resource(request, pk: int):
    row = resources.resource_get(request.user, pk)
    return serve(row.file, name=row.file_name)


@login_required
@require_POST
def resource_delete(request, pk: int):
    row = CourseResource.objects.taught_or_visible(request.user).select_related("course", "course__org").filter(pk=pk)
    found = row.first()
    if found is None:
        raise Http404("没有这个文件。")
    action_post(
        request,
        lambda: resources.resource_delete(actor=request.user, resource=found),
        success=f"已删除“{found.title}”。",
    )
    return redirect("education:course", pk=found.course_id)


def can_upload(user, course) -> bool:
    return access.can(user, course.org, Perm.RECORD_WORK, course.area_id) or (
        course.teacher.user_id == user.pk and access.can(user, course.org, Perm.TEACH, course.area_id)
    )
