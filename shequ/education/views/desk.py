"""Worker pages of community education: courses, their learners and sessions, enrolment at the desk, lecturers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.education import resources, selectors, services
from shequ.education.filters import CourseFilter
from shequ.education.forms import CourseForm, EnrolForm, LecturerForm
from shequ.education.learning_forms import ResourceForm
from shequ.education.models import Enrolment
from shequ.residents.models import Person


@login_required
def course_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        if access.can_anywhere(request.user, Perm.TEACH):
            return redirect("education:teach")
        raise PermissionDenied("您没有查看社区教育课程的权限。")
    flt = CourseFilter(request.GET, queryset=selectors.course_list(request.user), actor=request.user)
    page = paginate(request, flt.rows)
    template = "education/partials/course_rows.html" if request.htmx else "education/course_list.html"
    return render(request, template, {"page": page, "flt": flt, "can_manage": selectors.can_manage(request.user)})


@login_required
def course_create(request):
    orgs = selectors.manageable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有开设社区教育课程的权限。")
    lecturers = selectors.lecturers(request.user)
    form = CourseForm(request.POST or None, orgs=orgs, lecturers=lecturers, initial={"hours": 2, "open_online": True})
    posted = form_post(
        request,
        form,
        lambda d: services.course_create(actor=request.user, **d),
        success=lambda c: f"已开设课程“{c.title}”，可以报名学员了。",
    )
    if posted:
        return redirect("education:course", pk=posted.result.pk)
    return render(request, "education/course_form.html", {"form": form, "no_lecturers": not lecturers.exists()})


@login_required
def course_detail(request, pk: int):
    course = selectors.course_get(request.user, pk)
    manage = selectors.can_manage(request.user, course.org)
    can_attend = manage or course.teacher.user_id == request.user.pk
    return render(
        request,
        "education/course_detail.html",
        {
            "course": course,
            "sessions": selectors.sessions(course),
            "learners": selectors.learners(course),
            "can_manage": manage,
            "can_attend": can_attend,
            "is_staff": access.can_anywhere(request.user, Perm.VIEW),
            "can_export": access.can(request.user, course.org, Perm.EXPORT, course.area_id),
            "resources": resources.course_resources(course),
            "can_upload": can_attend,
            "resource_form": ResourceForm(),
        },
    )


@login_required
def course_enrol(request, pk: int):
    course = selectors.course_get(request.user, pk)
    if not selectors.can_manage(request.user, course.org):
        raise PermissionDenied("您没有为这门课程报名学员的权限。")
    persons = Person.objects.visible_to(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None, persons=persons)
    posted = form_post(
        request,
        form,
        lambda d: services.enrol(actor=request.user, course=course, persons=d["persons"]),
        success=lambda rows: "；".join(
            f"{e.person.name}{'已报名' if e.status == 'enrolled' else '名额已满，已列入候补'}" for e in rows
        ),
    )
    if posted:
        return redirect("education:course", pk=course.pk)
    chosen = list(persons.filter(pk__in=request.POST.getlist("persons"))[:100]) if request.method == "POST" else []
    return render(request, "education/enrol_form.html", {"course": course, "form": form, "chosen": chosen})


@login_required
@require_POST
def enrolment_withdraw(request, pk: int):
    enrolment = Enrolment.objects.visible_to(request.user).select_related("course", "course__org", "person")
    enrolment = enrolment.filter(pk=pk).first()
    if enrolment is None:
        from django.http import Http404

        raise Http404("没有这条报名。")
    action_post(
        request,
        lambda: services.withdraw(actor=request.user, enrolment=enrolment),
        success=lambda moved: (
            f"{enrolment.person.name}已退出课程" + (f"，候补的{moved.person.name}递补入学。" if moved else "。")
        ),
    )
    return redirect("education:course", pk=enrolment.course_id)


@login_required
def session_attendance(request, pk: int):
    """The attendance of one session, on a phone: tick the learners present and save."""
    session = selectors.session_get(request.user, pk)
    services.attendance_right(request.user, session.course)
    if request.method == "POST":
        present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        done = action_post(
            request,
            lambda: services.attendance_take(actor=request.user, session=session, present=present),
            success=f"已保存考勤：到课{len(present)}人。",
        )
        if done:
            return redirect("education:session", pk=session.pk)
    rows = selectors.attendance_sheet(session)
    return render(request, "education/attendance.html", {"session": session, "course": session.course, "rows": rows})


@login_required
def lecturer_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看讲师库的权限。")
    page = paginate(request, selectors.lecturers(request.user))
    return render(
        request, "education/lecturer_list.html", {"page": page, "can_manage": selectors.can_manage(request.user)}
    )


@login_required
def lecturer_create(request):
    orgs = selectors.manageable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有维护讲师库的权限。")
    persons = Person.objects.visible_to(request.user)
    form = LecturerForm(
        request.POST or None, orgs=orgs, persons=persons, accounts=selectors.teacher_accounts(request.user)
    )
    posted = form_post(
        request,
        form,
        lambda d: services.lecturer_create(actor=request.user, **d),
        success=lambda lec: f"已将{lec.name}加入讲师库。",
    )
    if posted:
        return redirect("education:lecturers")
    return render(request, "education/lecturer_form.html", {"form": form})
