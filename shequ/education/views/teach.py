"""The teacher's pages (role 授课教师), made for a phone: their courses and today's sessions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.paging import paginate
from shequ.education import selectors


@login_required
def teach(request):
    if not access.can_anywhere(request.user, Perm.TEACH):
        raise PermissionDenied("只有授课教师使用“我的课程”。")
    page = paginate(request, selectors.teaching(request.user))
    today = timezone.localdate()
    return render(
        request, "education/teach.html", {"page": page, "today_sessions": selectors.today(request.user, today)}
    )
