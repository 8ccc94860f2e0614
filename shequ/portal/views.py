"""The residents' side (居民端): register, post with photos, follow and rate, and the public boards."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shequ.accounts import phonecodes
from shequ.accounts import services as account_services
from shequ.accounts.middleware import LOGIN_AT_KEY
from shequ.cases import services as case_services
from shequ.cases import workflow
from shequ.cases.choices import CaseState
from shequ.cases.models import CaseType
from shequ.cases.selectors import visible_cases
from shequ.cases.services.register import is_monitor_at
from shequ.core import registry, uploads
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.portal import selectors
from shequ.portal.forms import PhoneForm, PostForm, RateForm, RegisterForm

# What a resident reads for each step of the worker side's history.
PUBLIC_STEPS = {
    "register": "已提交",
    "accept": "已受理",
    "reassign": "已转交承办人",
    "escalate": "已上报上级处理",
    "send_back": "已交回社区办理",
    "reject": "不予受理",
    "resolve": "已办结",
    "evaluate": "已评价",
    "reopen": "重新办理",
    "archive": "已归档",
}


def home(request):
    """Public: the communities, each with its board; and, for residents, their own links."""
    return render(
        request,
        "portal/home.html",
        {"communities": selectors.communities(), "mine": request.user.is_authenticated},
    )


def board(request, org_id: int):
    """Public: a community's 民情民意交流栏 (opinions with public replies, and the reply time)."""
    community = selectors.community_get(org_id)
    page = paginate(request, selectors.board(community), per_page=20)
    sections = [(s.title, s.items(community)) for s in registry.board_sections()] if page.number == 1 else []
    return render(
        request,
        "portal/board.html",
        {"community": community, "page": page, "sections": [(t, items) for t, items in sections if items]},
    )


REGISTER_PHONE_KEY = "portal_register_phone"


def _registration_open(request) -> bool:
    if not settings.PORTAL_SELF_REGISTRATION:
        return False
    return not request.user.is_authenticated


def register_code(request):
    """Step one: a code to the phone. The answer is the same for every phone (registered or not)."""
    if not _registration_open(request):
        return redirect("portal:register")
    form = PhoneForm(request.POST or None)
    if form_post(
        request,
        form,
        lambda d: account_services.resident_register_code(request=request, phone=d["phone"]),
        success="如该手机号可以注册，验证码已发送，请在10分钟内填写。",
    ):
        request.session[REGISTER_PHONE_KEY] = form.cleaned_data["phone"]
        return redirect("portal:register")
    return render(request, "portal/register_code.html", {"form": form})


def register(request):
    if request.user.is_authenticated:
        return redirect("portal:mine")
    if not settings.PORTAL_SELF_REGISTRATION:
        return render(request, "portal/register_closed.html")
    phone = request.session.get(REGISTER_PHONE_KEY)
    if phone is None:  # step one first
        return render(request, "portal/register_code.html", {"form": PhoneForm()})
    form = RegisterForm(request.POST or None, initial={"phone": phone}, communities=selectors.communities())

    def register_resident(d):
        if phonecodes.throttled(request, phone=d["phone"], group="register"):
            raise ValidationError(phonecodes.TOO_OFTEN)
        return account_services.resident_register(
            phone=d["phone"], code=d["code"], password=d["password1"], name=d["name"], community=d["community"]
        )

    posted = form_post(request, form, register_resident, success="注册成功。以后可用手机号和密码登录。")
    if posted:
        request.session.pop(REGISTER_PHONE_KEY, None)
        login(request, posted.result, backend="shequ.accounts.backends.UsernameOrPhoneBackend")
        request.session[LOGIN_AT_KEY] = time.time()
        return redirect("portal:mine")
    return render(request, "portal/register.html", {"form": form})


@login_required
def post(request):
    mine = selectors.reporting_memberships(request.user)
    if not mine:
        raise PermissionDenied("只有本社区居民和监督员可以在居民端提交意见或上报问题。")
    is_monitor = any(is_monitor_at(request.user, m.org) for m in mine)
    form = PostForm(request.POST or None, request.FILES or None, memberships=mine, is_monitor=is_monitor)
    posted = form_post(
        request,
        form,
        lambda d: case_services.case_report(
            actor=request.user,
            case_type=CaseType.objects.get(code=d["case_type"]),
            org=d["org"],
            title=d["title"],
            description=d["description"],
            category=d["category"],
            place=d["place"],
            photos=d["photos"],
            allow_public=d["allow_public"],
        ),
        success="已提交，社区会尽快受理。您可以在这里查看办理进度。",
    )
    if posted:
        return redirect("portal:case", pk=posted.result.pk)
    return render(request, "portal/post.html", {"form": form})


@login_required
def mine(request):
    page = paginate(request, selectors.my_cases(request.user), per_page=20)
    return render(
        request, "portal/mine.html", {"page": page, "can_post": bool(selectors.reporting_memberships(request.user))}
    )


def _staff_view(request, pk: int):
    """Staff who open a resident's link are sent to the worker page of the case (when it is theirs to see)."""
    if visible_cases(request.user).filter(pk=pk).exists():
        return redirect("cases:detail", pk=pk)
    return None


@login_required
def case(request, pk: int):
    if not selectors.my_cases(request.user).filter(pk=pk).exists():
        staff = _staff_view(request, pk)
        if staff is not None:
            return staff
    c = selectors.my_case(request.user, pk)
    return render(request, "portal/case.html", _case_context(c, RateForm()))


def _case_context(c, form) -> dict:
    steps = [{"at": h.at, "label": PUBLIC_STEPS[h.action]} for h in c.history.all() if h.action in PUBLIC_STEPS]
    return {
        "case": c,
        "steps": steps,
        "form": form,
        "can_rate": c.state == CaseState.RESOLVED,
        "on_board": c.on_board,
    }


@login_required
@require_POST
def rate(request, pk: int):
    if not selectors.my_cases(request.user).filter(pk=pk).exists():
        staff = _staff_view(request, pk)
        if staff is not None:
            return staff
    c = selectors.my_case(request.user, pk)
    form = RateForm(request.POST)

    def decide(d):
        if d["decision"] == "rate":
            return case_services.case_move(
                actor=request.user, case=c, action="evaluate", rating=d["rating"], comment=d["comment"]
            )
        return case_services.case_move(actor=request.user, case=c, action="reopen", note=d["reason"])

    posted = form_post(
        request,
        form,
        decide,
        success=lambda _: "感谢您的评价。" if form.cleaned_data["decision"] == "rate" else "已退回社区重新办理。",
        refusals=workflow.TransitionError,
    )
    if posted.done_or_refused:
        return redirect("portal:case", pk=pk)
    c = selectors.my_case(request.user, pk)
    return render(request, "portal/case.html", _case_context(c, form))


def photo(request, pk: int):
    """A photo: public when its post is on a board; otherwise only for the reporter and staff in scope."""
    att = selectors.photo_get(request.user, pk)
    cache = "public, max-age=3600" if att.case.on_board else "private, no-store"
    return uploads.serve(att.file, name=att.name, cache=cache)
