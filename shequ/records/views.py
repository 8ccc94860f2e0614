"""Record pages: thin views over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import add_service_errors
from shequ.ledgers.writers import docx_response, file_name, xlsx_response
from shequ.orgs.models import Area
from shequ.orgs.selectors import area_list
from shequ.records import extra as extra_fields
from shequ.records import ledgers, selectors, services
from shequ.records.forms import ActivityTypeForm, LedgerForm, RecordForm, YearCloseForm
from shequ.records.models import ActivityType
from shequ.records.years import is_year_closed

FILES_LOST = "照片和附件未保存:请改正上面的错误后重新选择照片和附件。"


def _persons_qs(user):
    from shequ.residents.models import Person

    return access.scoped(Person.objects.all(), user, Perm.VIEW).only("id", "name", "org_id")


# --- list and detail -------------------------------------------------------------------------------


@login_required
def record_list(request):
    flt = selectors.RecordFilter.from_params(request.user, request.GET)
    page = selectors.paginate_records(request, selectors.record_list(request.user, flt))
    types = list(ActivityType.objects.filter(is_active=True).select_related("area"))
    return render(
        request,
        "records/record_list.html",
        {
            "page": page,
            "flt": flt,
            "orgs": list(selectors.filter_orgs(request.user)),
            "areas": list(area_list()),
            "types": types,
            "years": selectors.year_choices(),
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
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.record_create(
                    actor=request.user,
                    org=form.cleaned_data["org"],
                    activity_type=activity_type,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记“{record.title}”。")
                return redirect("records:detail", pk=record.pk)
        if form.has_files():
            messages.warning(request, FILES_LOST)
    return render(
        request,
        "records/record_form.html",
        {
            "form": form,
            "activity_type": activity_type,
            "selected_persons": _selected_persons(form, persons) if form.is_bound else [],
            "single_org": orgs.count() == 1,
            "title": f"登记:{activity_type.name}",
        },
    )


@login_required
def record_edit(request, pk: int):
    record = selectors.record_get(request.user, pk)
    access.check(request.user, record.org, Perm.RECORD_WORK, area=record.area_id)
    if is_year_closed(record.org, record.year):
        messages.error(request, f"{record.year}年度已关账,记录只读。")
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
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_update(
                    actor=request.user,
                    record=record,
                    remove_photo_ids=[int(x) for x in request.POST.getlist("remove_photos") if x.isdigit()],
                    remove_attachment_ids=[int(x) for x in request.POST.getlist("remove_attachments") if x.isdigit()],
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("records:detail", pk=record.pk)
        if form.has_files():
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
            "title": f"编辑:{record.title}",
        },
    )


@login_required
def record_delete(request, pk: int):
    record = selectors.record_get(request.user, pk)
    access.check(request.user, record.org, Perm.RECORD_WORK, area=record.area_id)
    if request.method == "POST":
        try:
            services.record_delete(actor=request.user, record=record)
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
            return redirect("records:detail", pk=record.pk)
        messages.success(request, f"已删除“{record.title}”。")
        return redirect("records:list")
    return render(
        request, "records/record_delete.html", {"record": record, "closed": is_year_closed(record.org, record.year)}
    )


@login_required
def person_search(request):
    """htmx: residents matching a name, pinyin or initials prefix, as checkboxes for the sign-in list."""
    q = (request.GET.get("q") or "").strip()
    people = []
    if q:
        lower = q.lower()
        people = list(
            _persons_qs(request.user)
            .filter(Q(name__startswith=q) | Q(name_pinyin__startswith=lower) | Q(name_initials__startswith=lower))
            .order_by("name")[:20]
        )
    return render(request, "records/partials/person_options.html", {"people": people, "q": q})


# --- files -------------------------------------------------------------------------------------------


@login_required
def photo(request, pk: int):
    p = selectors.photo_get(request.user, pk)
    f = p.thumb if request.GET.get("size") == "thumb" and p.thumb else p.image
    response = FileResponse(f.open("rb"), content_type="image/png" if f.name.endswith(".png") else "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def attachment(request, pk: int):
    a = selectors.attachment_get(request.user, pk)
    return FileResponse(a.file.open("rb"), as_attachment=True, filename=a.name)


# --- ledgers -----------------------------------------------------------------------------------------


def _ledger_args(request, org_pk: int, area: str, year: int):
    org = get_object_or_404(access.org_scope(request.user, Perm.VIEW), pk=org_pk)
    area_obj = get_object_or_404(Area, code=area)
    access.check(request.user, org, Perm.EXPORT, area=area_obj)
    if not 1990 <= year <= 2100:
        raise Http404
    return org, area_obj


@login_required
def ledger_page(request):
    if not access.can_anywhere(request.user, Perm.EXPORT):
        raise PermissionDenied("您没有导出台账的权限。")
    orgs = selectors.filter_orgs(request.user)
    current = getattr(request.membership, "org", None)
    form = LedgerForm(
        request.GET or None,
        orgs=orgs,
        years=selectors.year_choices(),
        initial={"org": current.pk if current else None, "year": timezone.localdate().year},
    )
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else None
    count = None
    if chosen:
        count = selectors.ledger_records(
            request.user, org=chosen["org"], area=chosen["area"], year=chosen["year"]
        ).count()
    return render(request, "records/ledgers.html", {"form": form, "chosen": chosen, "count": count})


@login_required
def ledger_xlsx(request, org_pk: int, area: str, year: int):
    org, area_obj = _ledger_args(request, org_pk, area, year)
    rows = selectors.ledger_records(request.user, org=org, area=area_obj, year=year)
    ledger = ledgers.activity_ledger(rows, org=org, area=area_obj, year=year, maker=request.user.display_name)
    return xlsx_response(ledger, file_name(org.name, area_obj.name, year, "工作活动台账", "xlsx"))


@login_required
def ledger_docx(request, org_pk: int, area: str, year: int):
    org, area_obj = _ledger_args(request, org_pk, area, year)
    rows = selectors.ledger_records(request.user, org=org, area=area_obj, year=year)
    doc = ledgers.activity_ledger_docx(rows, org=org, area=area_obj, year=year, maker=request.user.display_name)
    return docx_response(doc, file_name(org.name, area_obj.name, year, "工作活动台账", "docx"))


@login_required
def health_form(request, pk: int):
    record = selectors.record_get(request.user, pk)
    access.check(request.user, record.org, Perm.EXPORT, area=record.area_id)
    if record.area.code != "health":
        raise Http404
    maker = record.created_by.display_name if record.created_by else request.user.display_name
    doc = ledgers.health_form_docx(record, maker=maker)
    name = file_name(
        record.org.name,
        record.area.name,
        record.year,
        f"健康教育活动记录表-{record.date:%m%d}-{record.title[:20]}",
        "docx",
    )
    return docx_response(doc, name)


# --- year closing --------------------------------------------------------------------------------------


@login_required
def years(request):
    closures = selectors.closures_visible(request.user).order_by("-year", "org__path")
    can_close = access.can_anywhere(request.user, Perm.CLOSE_YEAR)
    form = None
    if can_close:
        form = YearCloseForm(
            orgs=access.org_scope(request.user, Perm.CLOSE_YEAR)
            .filter(is_active=True)
            .exclude(kind="grid")
            .order_by("path"),
            years=selectors.year_choices(),
            initial={"year": timezone.localdate().year - 1},
        )
    rows = [{"closure": c, "can_reopen": access.can(request.user, c.org, Perm.REOPEN_YEAR)} for c in closures[:200]]
    return render(request, "records/years.html", {"rows": rows, "form": form, "can_close": can_close})


@login_required
@require_POST
def year_close(request):
    if not access.can_anywhere(request.user, Perm.CLOSE_YEAR):
        raise PermissionDenied("只有领导或管理员可以年度关账。")
    form = YearCloseForm(
        request.POST,
        orgs=access.org_scope(request.user, Perm.CLOSE_YEAR).filter(is_active=True),
        years=selectors.year_choices(),
    )
    if form.is_valid():
        try:
            services.year_close(actor=request.user, org=form.cleaned_data["org"], year=form.cleaned_data["year"])
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.success(
                request, f"已关闭{form.cleaned_data['org'].name}的{form.cleaned_data['year']}年度,相关记录只读。"
            )
    else:
        messages.error(request, "请选择要关账的单位和年度。")
    return redirect("records:years")


@login_required
@require_POST
def year_reopen(request, pk: int):
    closure = selectors.closure_get(request.user, pk)
    services.year_reopen(actor=request.user, closure=closure, reason=request.POST.get("reason", ""))
    messages.success(request, f"已重新开放{closure.org.name}的{closure.year}年度。")
    return redirect("records:years")


# --- activity types ------------------------------------------------------------------------------------


@login_required
def type_list(request):
    types = ActivityType.objects.select_related("area").order_by("area__sort", "sort", "id")
    groups: dict = {}
    for t in types:
        groups.setdefault(t.area, []).append(t)
    return render(
        request,
        "records/type_list.html",
        {"groups": groups, "can_manage": access.can_anywhere(request.user, Perm.MANAGE_AREAS)},
    )


@login_required
def type_edit(request, pk: int | None = None):
    if not access.can_anywhere(request.user, Perm.MANAGE_AREAS):
        raise PermissionDenied("只有系统管理员可以维护活动类型。")
    import json

    t = get_object_or_404(ActivityType.objects.select_related("area"), pk=pk) if pk else None
    initial = {}
    if t is not None:
        initial = {
            "area": t.area_id,
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "sort": t.sort,
            "is_active": t.is_active,
            "extra_fields": json.dumps(t.extra_fields, ensure_ascii=False, indent=2),
        }
    form = ActivityTypeForm(request.POST or None, initial=initial or {"is_active": True, "extra_fields": "[]"})
    if t is not None:
        form.fields["area"].disabled = True
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if t is None:
                services.activity_type_create(
                    actor=request.user,
                    area=d["area"],
                    code=d["code"],
                    name=d["name"],
                    description=d["description"],
                    extra_fields_schema=d["extra_fields"],
                    sort=d["sort"],
                )
            else:
                services.activity_type_update(
                    actor=request.user,
                    activity_type=t,
                    name=d["name"],
                    description=d["description"],
                    extra_fields_schema=d["extra_fields"],
                    sort=d["sort"],
                    is_active=d["is_active"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("records:types")
    return render(request, "records/type_form.html", {"form": form, "activity_type": t})
