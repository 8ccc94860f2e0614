"""The administration of accounts: the list (with last login, to find redundant accounts), creating an
account, its memberships (added, changed, ended) and disabling it. Every write is a service, audited."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access, selectors, services
from shequ.accounts.forms import MembershipForm, UserCreateForm, UserFilter
from shequ.accounts.models import Membership, phone_q
from shequ.accounts.roles import ROLE_DESCRIPTIONS, Perm, Role
from shequ.core.forms import add_service_errors
from shequ.core.paging import paginate
from shequ.orgs.models import Org

IDLE_DAYS = 90


def _require_manager(user) -> None:
    if not access.can_anywhere(user, Perm.MANAGE_USERS):
        raise access.PermissionDenied("您没有管理用户的权限。")


def _managed_orgs(user):
    return Org.objects.visible_to(user, Perm.MANAGE_USERS).filter(is_active=True).order_by("path")


def _roles():
    return [(label, ROLE_DESCRIPTIONS[value]) for value, label in Role.choices]


@login_required
def user_list(request):
    _require_manager(request.user)
    form = UserFilter(request.GET or None)
    users = selectors.user_list(request.user, perm=Perm.MANAGE_USERS)
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            users = users.filter(Q(username__contains=q) | Q(name__contains=q) | phone_q(q))
        status = form.cleaned_data["status"]
        if status == "active":
            users = users.filter(is_active=True)
        elif status == "inactive":
            users = users.filter(is_active=False)
        elif status == "idle":
            since = timezone.now() - timedelta(days=IDLE_DAYS)
            users = users.filter(is_active=True).filter(Q(last_login__lt=since) | Q(last_login__isnull=True))
    return render(request, "accounts/user_list.html", {"page": paginate(request, users), "form": form})


@login_required
def user_create(request):
    orgs = _managed_orgs(request.user)
    if not orgs.exists():
        raise access.PermissionDenied("您没有管理用户的权限。")
    form = UserCreateForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已创建用户 {data['username']}。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "roles": _roles()})


def _user(request, pk: int):
    """An account with a membership the reader may see (404 otherwise); managing it needs the right (403)."""
    user = selectors.user_get(request.user, pk)
    _require_manager(request.user)
    return user


@login_required
def user_detail(request, pk: int):
    user = _user(request, pk)
    orgs = _managed_orgs(request.user)
    memberships = (
        Membership.objects.visible_to(request.user, Perm.VIEW)
        .filter(user=user)
        .select_related("org")
        .prefetch_related("areas")
        .order_by("-is_active", "org__path")
    )
    rows = [
        {
            "m": m,
            "can_manage": m.is_active and access.can(request.user, m.org, Perm.MANAGE_USERS),
            "form": MembershipForm(
                orgs=orgs,
                fixed_role=True,
                prefix=f"m{m.pk}",
                initial={"org": m.org_id, "areas": [a.pk for a in m.areas.all()], "title": m.title},
            ),
        }
        for m in memberships
    ]
    context = {
        "account": user,
        "rows": rows,
        "add_form": MembershipForm(orgs=orgs, prefix="new"),
        "roles": _roles(),
        "is_self": user.pk == request.user.pk,
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def membership_add(request, pk: int):
    user = _user(request, pk)
    form = MembershipForm(request.POST, orgs=_managed_orgs(request.user), prefix="new")
    if form.is_valid():
        try:
            services.membership_add(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已添加任职。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("accounts:user_detail", pk=user.pk)


def _membership(request, pk: int) -> Membership:
    visible = Membership.objects.visible_to(request.user, Perm.VIEW)
    membership = get_object_or_404(visible.select_related("org", "user"), pk=pk)
    _require_manager(request.user)
    return membership


@login_required
@require_POST
def membership_change(request, pk: int):
    membership = _membership(request, pk)
    form = MembershipForm(request.POST, orgs=_managed_orgs(request.user), fixed_role=True, prefix=f"m{pk}")
    if form.is_valid():
        try:
            services.membership_change(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "任职已修改。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("accounts:user_detail", pk=membership.user_id)


@login_required
@require_POST
def membership_end(request, pk: int):
    membership = _membership(request, pk)
    services.membership_end(actor=request.user, membership=membership)
    messages.success(request, f"已结束“{membership}”的任职。")
    return redirect("accounts:user_detail", pk=membership.user_id)


@login_required
@require_POST
def user_active(request, pk: int):
    user = _user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=user, active=active)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"账号 {user.username} 已{'启用' if active else '停用'}。")
    return redirect("accounts:user_detail", pk=user.pk)
