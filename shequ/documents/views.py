"""Pages of the document register: the register, a document with its versions, registering one, a new version,
withdrawing, and the scoped file download."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.core.uploads import serve
from shequ.documents import selectors, services
from shequ.documents.forms import DocumentForm, VersionForm
from shequ.documents.models import DocKind
from shequ.orgs.models import Area


@login_required
def document_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看制度文件的权限。")
    today = timezone.localdate()
    area, kind, state = request.GET.get("area", ""), request.GET.get("kind", ""), request.GET.get("state", "")
    page = paginate(request, selectors.register(request.user, area=area, kind=kind, state=state, today=today))
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "area": area,
            "kind": kind,
            "state": state,
            "areas": Area.objects.filter(is_active=True).order_by("sort"),
            "kinds": DocKind.choices,
            "can_create": selectors.creatable_orgs(request.user).exists(),
            "today": today,
            "soon": today + timedelta(days=selectors.SOON),
        },
    )


@login_required
def document_create(request):
    orgs = selectors.creatable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied("您没有登记制度文件的权限。")
    current = getattr(request.membership, "org", None)
    initial = {
        "adopted_on": timezone.localdate(),
        "org": current.pk if current is not None and orgs.filter(pk=current.pk).exists() else orgs.first(),
        "area": request.GET.get("area") and Area.objects.filter(code=request.GET["area"]).first(),
    }
    form = DocumentForm(
        request.POST or None, request.FILES or None, orgs=orgs, areas=selectors.creatable_areas(request.user),
        initial=initial,
    )  # fmt: skip
    posted = form_post(
        request,
        form,
        lambda d: services.register(actor=request.user, **d),
        success=lambda doc: f"已登记“{doc.title}”。",
    )
    if posted:
        return redirect("documents:detail", pk=posted.result.pk)
    return render(request, "documents/form.html", {"form": form, "title": "登记制度文件"})


@login_required
def document_detail(request, pk: int):
    doc = selectors.document_get(request.user, pk)
    today = timezone.localdate()
    history = selectors.versions(doc)
    return render(
        request,
        "documents/detail.html",
        {
            "doc": doc,
            "versions": history,
            "latest": history[0] if history else doc,
            "can_manage": selectors.can_manage(request.user, doc),
            "today": today,
        },
    )


@login_required
def document_version(request, pk: int):
    doc = selectors.document_get(request.user, pk)
    services.check_manage(request.user, doc.org, doc.area_id)
    form = VersionForm(
        request.POST or None, request.FILES or None,
        initial={"adopted_on": timezone.localdate(), "number": doc.number, "summary": doc.summary},
    )  # fmt: skip
    posted = form_post(
        request,
        form,
        lambda d: services.new_version(actor=request.user, document=doc, **d),
        success=lambda new: f"已修订为第{new.version}版。",
    )
    if posted:
        return redirect("documents:detail", pk=posted.result.pk)
    return render(request, "documents/form.html", {"form": form, "title": f"修订：{doc.title}", "doc": doc})


@login_required
@require_POST
def document_withdraw(request, pk: int):
    doc = selectors.document_get(request.user, pk)
    services.check_manage(request.user, doc.org, doc.area_id)
    action_post(
        request,
        lambda: services.withdraw(actor=request.user, document=doc, on=timezone.localdate()),
        success="已废止。",
    )
    return redirect("documents:detail", pk=doc.pk)


@login_required
def document_file(request, pk: int):
    doc = selectors.document_get(request.user, pk)
    return serve(doc.file, name=doc.file_name)
