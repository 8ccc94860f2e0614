"""Record pages: the list, a record, recording and editing it, its photos and files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core import uploads
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate, paginate_branches
from shequ.records import extra as extra_fields
from shequ.records import selectors, services
from shequ.records.filters import RecordFilter
from shequ.records.forms import RecordForm
from shequ.records.models import ActivityType
from shequ.records.years import is_year_closed

FILES_LOST = "照片和附件未保存：请改正上面的错误后重新选择照片和附件。"


def _persons_qs(user):
    from shequ.residents.models import Person

    return Person.objects.visible_to(user).only("id", "name", "org_id")


# --- list and detail -------------------------------------------------------------------------------


@login_required
def record_list(request):
    flt = RecordFilter(request.GET, queryset=selectors.record_list(request.user), actor=request.user)
    if flt.invalid:
        page = paginate(request, flt.rows, count_cap=selectors.LIST_COUNT_CAP)
    else:  # a community's rows read through the (org, date) index, org by org
        branches = access.resolve(request.user).branches(within=flt.form.cleaned_data.get("org") or None)
        cap = selectors.SEARCH_COUNT_CAP if flt.form.cleaned_data.get("q") else selectors.LIST_COUNT_CAP
        page = paginate_branches(request, flt.rows, branches, cap=cap)
    context = {"page": page, "flt": flt}
    if request.htmx and request.htmx.target == "record-rows":
        return render(request, "records/partials/record_rows.html", context)
    return render(
        request,
        "records/record_list.html",
        {
            **context,
            "can_record": access.can_anywhere(request.user, Perm.RECORD_WORK),
            "can_export": access.can_anywhere(request.user, Perm.EXPORT),
            "can_close": access.can_anywhere(request.user, Perm.CLOSE_YEAR),
        },
    )


@login_required
def record_detail(request, pk: int):
    record = selectors.record_get(request.user, pk)
    closed = is_year_closed(record.org, record.year)
    can_edit = not closed and access.can(request.user, record.org, Perm.RECORD_WORK, area=record.area_id)
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "extra_rows": extra_fields.display(record.extra, record.activity_type.extra_fields),
            "closed": closed,
            "can_edit": can_edit,
            "can_export": access.can(request.user, record.org, Perm.EXPORT, area=record.area_id),
        },
    )


# --- recording ---------------------------------------------------------------------------------------


def _type_or_404(user, type_id) -> ActivityType:
    try:
        type_id = int(type_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    for t in selectors.recording_types(user):
        if t.pk == type_id:
            return t
    raise Http404


def _selected_persons(form, persons_qs):
    ids = [v for v in (form["persons"].value() or []) if str(v).isdigit()]
    return list(persons_qs.filter(pk__in=ids)) if ids else []


@login_required
def record_create(request):
    if not access.can_anywhere(request.user, Perm.RECORD_WORK):
        raise PermissionDenied("您没有登记工作记录的权限。")
    type_id = request.POST.get("type") or request.GET.get("type")
    if not type_id:
        types = selectors.recording_types(request.user)
        groups: dict = {}
        for t in types:
            groups.setdefault(t.area, []).append(t)
        return render(request, "records/type_picker.html", {"groups": groups})
    activity_type = _type_or_404(request.user, type_id)
    orgs = selectors.recording_orgs(request.user, activity_type.area)
    persons = _persons_qs(request.user)
    current = getattr(request.membership, "org", None)
    initial = {"date": timezone.localdate()}
    if current is not None and orgs.filter(pk=current.pk).exists():
        initial["org"] = current.pk
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        activity_type=activity_type,
        orgs=orgs,
        persons=persons,
        initial=initial,
    )
    posted = form_post(
        request,
        form,
        lambda d: services.record_create(
            actor=request.user, org=d["org"], activity_type=activity_type, **form.service_kwargs()
        ),
        success=lambda record: f"已登记“{record.title}”。",
    )
    if posted:
        return redirect("records:detail", pk=posted.result.pk)
    if request.method == "POST" and form.has_files():
        messages.warning(request, FILES_LOST)
    return render(
        request,
        "records/record_form.html",
        {
            "form": form,
            "activity_type": activity_type,
            "selected_persons": _selected_persons(form, persons) if form.is_bound else [],
            "single_org": orgs.count() == 1,
            "title": f"登记：{activity_type.name}",
        },
    )


@login_required
def record_edit(request, pk: int):
    record = selectors.record_get(request.user, pk)
    access.check(request.user, record.org, Perm.RECORD_WORK, area=record.area_id)
    if is_year_closed(record.org, record.year):
        messages.error(request, f"{record.year}年度已关账，记录只读。")
        return redirect("records:detail", pk=record.pk)
    activity_type = record.activity_type
    persons = _persons_qs(request.user)
    initial = {
        "date": record.date,
        "title": record.title,
        "place": record.place,
        "organiser": record.organiser,
        "participant_count": record.participant_count,
        "content": record.content,
        "summary": record.summary,
        "persons": [p.pk for p in record.persons.all()],
        **extra_fields.initial_from(record.extra, activity_type.extra_fields),
    }
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        activity_type=activity_type,
        orgs=selectors.recording_orgs(request.user, activity_type.area),
        persons=persons,
        record=record,
        initial=initial,
    )
    if form_post(
        request,
        form,
        lambda _: services.record_update(
            actor=request.user,
            record=record,
            remove_photo_ids=[int(x) for x in request.POST.getlist("remove_photos") if x.isdigit()],
            remove_attachment_ids=[int(x) for x in request.POST.getlist("remove_attachments") if x.isdigit()],
            version=form.version,
            **form.service_kwargs(),
        ),
        success="已保存。",
    ):
        return redirect("records:detail", pk=record.pk)
    if request.method == "POST" and form.has_files():
        messages.warning(request, FILES_LOST)
    selected = _selected_persons(form, persons) if form.is_bound else list(record.persons.all())
    return render(
        request,
        "records/record_form.html",
        {
            "form": form,
            "record": record,
            "activity_type": activity_type,
            "selected_persons": selected,
            "title": f"编辑：{record.title}",
        },
    )


@login_required
def record_delete(request, pk: int):
    record = selectors.record_get(request.user, pk)
    access.check(request.user, record.org, Perm.RECORD_WORK, area=record.area_id)
    if request.method == "POST":
        if action_post(
            request,
            lambda: services.record_delete(actor=request.user, record=record),
            success=f"已删除“{record.title}”。",
        ):
            return redirect("records:list")
        return redirect("records:detail", pk=record.pk)
    return render(
        request, "records/record_delete.html", {"record": record, "closed": is_year_closed(record.org, record.year)}
    )


# --- files -------------------------------------------------------------------------------------------


@login_required
def photo(request, pk: int):
    p = selectors.photo_get(request.user, pk)
    f = p.thumb if request.GET.get("size") == "thumb" and p.thumb else p.image
    return uploads.serve(f, name=f"照片{p.pk}")


@login_required
def attachment(request, pk: int):
    a = selectors.attachment_get(request.user, pk)
    return uploads.serve(a.file, name=a.name, inline_images=False)
