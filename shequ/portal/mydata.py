"""The resident's own data (我的信息, 个人信息查阅权): linking their account to their registry person, and reading what
Shequ holds about them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shequ.audit.services import audit
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.portal import owndata
from shequ.portal.forms import LinkCodeForm, LinkIdForm
from shequ.residents import identity, linking

LINK_SUBJECT_KEY = "portal_link_subject"
FIRST = 10  # rows of each list on the page itself; the rest on its own paged page

SECTIONS = {
    "records": ("我参加的活动", lambda account, person: owndata.records(person)),
    "cases": ("与我有关的事项", owndata.cases),
    "views": ("谁查看了我的敏感信息", lambda account, person: owndata.sensitive_views(person)),
}


def _head(qs) -> tuple[list, bool]:
    rows = list(qs[: FIRST + 1])
    return rows[:FIRST], len(rows) > FIRST


@never_cache
@login_required
def me(request):
    person = owndata.own_person(request.user)
    if person is None:
        return render(request, "portal/me_link.html", {"form": LinkIdForm()})
    return render(request, "portal/me.html", _context(request, person, whole_id=""))


def _context(request, person, *, whole_id: str) -> dict:
    lists = {}
    for key, (title, rows) in SECTIONS.items():
        head, more = _head(rows(request.user, person))
        lists[key] = {"title": title, "rows": head, "more": more, "url": reverse(f"portal:me_{key}")}
    return {
        "person": person,
        "members": owndata.household_members(person),
        "profiles": owndata.profile_lines(person),
        "lists": lists,
        "phone_masked": owndata.masked_phone(person.phone),
        "whole_id": whole_id,
    }


@never_cache
@login_required
def me_list(request, section: str):
    if section not in SECTIONS:
        raise Http404
    person = owndata.own_person(request.user)
    if person is None:
        return redirect("portal:me")
    title, rows = SECTIONS[section]
    page = paginate(request, rows(request.user, person), per_page=20)
    return render(
        request,
        "portal/me_list.html",
        {"section": section, "title": title, "page": page},
    )


@never_cache
@login_required
@require_POST
def me_reveal(request):
    """The whole ID number and phone, on the resident's explicit asking; audited."""
    person = owndata.own_person(request.user)
    if person is None:
        return redirect("portal:me")
    audit(request.user, "person.view_own_id", person, {"org": person.org_id})
    return render(request, "portal/me.html", _context(request, person, whole_id=identity.decrypt_id(person.id_cipher)))


@never_cache
@login_required
def me_link(request):
    """Step one of linking oneself: the ID number; the same answer whether the registry holds it or not."""
    if owndata.own_person(request.user) is not None:
        return redirect("portal:me")
    form = LinkIdForm(request.POST or None)
    posted = form_post(
        request,
        form,
        lambda d: linking.link_code_request(request=request, account=request.user, id_number=d["id_number"]),
        success=linking.CODE_SENT,
    )
    if posted:
        request.session[LINK_SUBJECT_KEY] = posted.result
        return redirect("portal:me_link_code")
    return render(request, "portal/me_link.html", {"form": form})


@never_cache
@login_required
def me_link_code(request):
    """Step two: the code sent to the registered phone."""
    subject = request.session.get(LINK_SUBJECT_KEY)
    if subject is None or owndata.own_person(request.user) is not None:
        return redirect("portal:me")
    form = LinkCodeForm(request.POST or None)
    posted = form_post(
        request,
        form,
        lambda d: linking.link_confirm(request=request, account=request.user, subject=subject, code=d["code"]),
        success="已关联本人的居民档案。",
    )
    if posted:
        request.session.pop(LINK_SUBJECT_KEY, None)
        return redirect("portal:me")
    return render(request, "portal/me_link_code.html", {"form": form})


@login_required
@require_POST
def me_unlink(request):
    person = owndata.own_person(request.user)
    if person is not None:
        linking.unlink(actor=request.user, person=person)
        messages.success(request, "已解除与居民档案的关联。")
    return redirect("portal:me")
