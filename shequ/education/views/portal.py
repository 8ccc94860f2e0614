"""The residents' side of community education: the courses open to them, enrolment, their waiting place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shequ.core.forms import action_post
from shequ.core.paging import paginate
from shequ.education import resources, selectors, services
from shequ.education.models import Course

STAFF_SIDE = "居民端报名只对本社区居民开放；工作人员请在课程页面为居民报名。"


@login_required
def open_courses(request):
    if not selectors.resident_communities(request.user):
        raise PermissionDenied(STAFF_SIDE)
    page = paginate(request, selectors.open_courses(request.user))
    person = selectors.resident_person(request.user)
    mine = selectors.my_enrolments(person)
    places = selectors.waiting_places(mine)
    files = resources.learner_resources(request.user)
    for c in page:
        c.mine = mine.get(c.pk)
        c.waiting_place = places.get(c.pk)
        c.files = files.get(c.pk, [])
    return render(request, "education/open_courses.html", {"page": page, "known": person is not None})


@login_required
@require_POST
def open_enrol(request, pk: int):
    course = selectors.open_courses(request.user).filter(pk=pk).first()
    if course is None:
        if Course.objects.visible_to(request.user).filter(pk=pk).exists():
            raise PermissionDenied(STAFF_SIDE)
        raise Http404("没有这门课程。")
    action_post(
        request,
        lambda: services.enrol_self(actor=request.user, course=course, person=selectors.resident_person(request.user)),
        success=lambda e: (
            f"已报名“{course.title}”。"
            if e.status == "enrolled"
            else f"“{course.title}”名额已满，您已列入候补名单，有空位时自动递补。"
        ),
    )
    return redirect("education:open")
