"""Pages of responsibility letters: the year's coverage and list, issuing a level, a letter with its signing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.core.uploads import serve
from shequ.letters import selectors, services
from shequ.letters.forms import IssueForm, SignForm, StartForm
from shequ.letters.models import Holders, LetterKind
from shequ.orgs.models import Org
from shequ.plans.views.common import year_param


@login_required
def letter_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看责任书的权限。")
    today = timezone.localdate()
    year = year_param(request)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    page = paginate(request, selectors.letters(request.user, year=year, kind=kind, status=status))
    return render(
        request,
        "letters/list.html",
        {
            "page": page,
            "year": year,
            "years": list(range(today.year, today.year - 4, -1)),
            "kind": kind,
            "status": status,
            "kinds": selectors.kinds(),
            "levels": selectors.coverage(request.user, year=year, today=today, kind=kind),
            "can_issue": bool(selectors.issuable_kinds(request.user)),
            "today": today,
            "export_org": _export_org(request),
        },
    )


def _export_org(request):
    """The org the register is exported for: the user's current org, where they may export."""
    org = getattr(getattr(request, "membership", None), "org", None)
    return org if org is not None and access.can(request.user, org, Perm.EXPORT) else None


@login_required
def letter_start(request):
    """Step one of issuing a first level: which letter from which org."""
    # Each kind's issuing orgs, read once: the kinds with none are not offered.
    issuing = {k: list(selectors.issuing_orgs(request.user, k)) for k in selectors.kinds()}
    kinds = [k for k, orgs in issuing.items() if orgs]
    if not kinds:
        raise PermissionDenied("您没有发出责任书的权限。")
    issuers = {o.pk for k in kinds for o in issuing[k]}
    form = StartForm(
        request.GET or None,
        kinds=LetterKind.objects.filter(pk__in=[k.pk for k in kinds]),
        issuers=Org.objects.filter(pk__in=issuers).order_by("path"),
    )
    if request.GET and form.is_valid():
        kind, issuer = form.cleaned_data["kind"], form.cleaned_data["issuer"]
        if issuer not in issuing[kind]:
            form.add_error("issuer", f"“{issuer.name}”不能发出{kind.name}。")
        else:
            return redirect(f"{request.path}new/?kind={kind.pk}&issuer={issuer.pk}")
    return render(request, "letters/start.html", {"form": form})


def _issue_context(request):
    """The kind, issuing org and parent letter of an issue page, from ``?parent=`` or ``?kind=&issuer=``."""
    parent_pk = request.GET.get("parent", "")
    if parent_pk.isdigit():
        parent = selectors.letter_get(request.user, int(parent_pk))
        issuer = services.issuer_of_next(parent)
        if issuer is None:
            raise Http404("这份责任书没有下一级。")
        return parent.kind, issuer, parent
    kind_pk, issuer_pk = request.GET.get("kind", ""), request.GET.get("issuer", "")
    if not (kind_pk.isdigit() and issuer_pk.isdigit()):
        raise Http404("请先选择责任书和发出单位。")
    kind = LetterKind.objects.select_related("area").filter(pk=int(kind_pk)).first()
    if kind is None:
        raise Http404("没有这种责任书。")
    issuer = selectors.issuing_orgs(request.user, kind).filter(pk=int(issuer_pk)).first()
    if issuer is None:
        raise Http404("没有这个发出单位。")
    return kind, issuer, None


@login_required
def letter_issue(request):
    kind, issuer, parent = _issue_context(request)
    access.check(request.user, issuer, Perm.RECORD_WORK, kind.area_id)
    today = timezone.localdate()
    year = parent.year if parent is not None else today.year
    level = parent.level + 1 if parent is not None else 1
    role = kind.roles[level - 1] if kind.holders == Holders.PEOPLE and level <= len(kind.roles) else ""
    holder_orgs = services.holder_orgs(issuer)
    form = IssueForm(
        request.POST or None,
        kind=kind,
        holder_orgs=holder_orgs,
        role=role,
        initial={"issued_on": today, "due_on": _due(parent, today), "orgs": list(holder_orgs)},
    )
    posted = form_post(
        request,
        form,
        lambda d: services.issue(
            actor=request.user,
            kind=kind,
            year=year,
            issuer=issuer,
            parent=parent,
            issued_on=d["issued_on"],
            due_on=d["due_on"],
            orgs=d.get("orgs") or (),
            people=d.get("people") or (),
        ),
        success=lambda made: f"已发出{len(made)}份{kind.name}。",
    )
    if posted:
        return (
            redirect("letters:detail", pk=parent.pk)
            if parent
            else redirect(f"{reverse('letters:list')}?kind={kind.code}")
        )
    return render(
        request,
        "letters/issue.html",
        {"form": form, "kind": kind, "issuer": issuer, "parent": parent, "year": year, "role": role},
    )


def _due(parent, today):
    """The deadline the form offers: the level above's, unless it has passed (then two weeks from today)."""
    if parent is not None and parent.due_on >= today:
        return parent.due_on
    return today + timedelta(days=14)


@login_required
def letter_detail(request, pk: int):
    letter = selectors.letter_get(request.user, pk)
    today = timezone.localdate()
    can_sign = not letter.is_signed and services.may_sign(request.user, letter)
    form = None
    if can_sign:
        name = "" if letter.holder_org_id else letter.holder_name
        if letter.holder_org_id and access.can(request.user, letter.holder_org, Perm.RECORD_WORK, letter.area_id):
            name = request.user.display_name
        form = SignForm(initial={"signer_name": name, "signed_on": today})
    nxt = services.issuer_of_next(letter)
    return _detail(request, letter, form, nxt, today)


def _detail(request, letter, form, nxt, today, status=200):
    can_issue_next = nxt is not None and services.may_issue(request.user, letter.kind, nxt)
    return render(
        request,
        "letters/detail.html",
        {
            "letter": letter,
            "form": form,
            "children": selectors.children(letter),
            "can_issue_next": can_issue_next
            and (letter.kind.holders == Holders.PEOPLE or services.holder_orgs(nxt).exists()),
            "next_role": letter.kind.roles[letter.level]
            if letter.kind.holders == Holders.PEOPLE and letter.level < len(letter.kind.roles)
            else "",
            "can_export": access.can(request.user, letter.org, Perm.EXPORT, letter.area_id),
            "today": today,
        },
        status=status,
    )


@login_required
@require_POST
def letter_sign(request, pk: int):
    letter = selectors.letter_get(request.user, pk)
    if not services.may_sign(request.user, letter):
        raise PermissionDenied("您没有签订这份责任书的权限。")
    form = SignForm(request.POST, request.FILES)
    posted = form_post(
        request,
        form,
        lambda d: services.sign(
            actor=request.user,
            letter=letter,
            signer_name=d["signer_name"],
            signed_on=d["signed_on"],
            drawn=d.get("drawn") or "",
            scan=d.get("scan"),
        ),
        success="已签订。",
    )
    if posted:
        return redirect("letters:detail", pk=letter.pk)
    return _detail(request, letter, form, services.issuer_of_next(letter), timezone.localdate())


@login_required
def letter_file(request, pk: int, part: str):
    """The signature or the scan of a letter the reader may see."""
    letter = selectors.letter_get(request.user, pk)
    if part == "signature" and letter.signature:
        return serve(letter.signature, name=f"{letter.holder_name}签名.png")
    if part == "scan" and letter.scan:
        return serve(letter.scan, name=letter.scan_name or "责任书扫描件")
    raise Http404("没有这个文件。")
