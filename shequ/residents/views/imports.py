from __future__ import annotations

import io
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.ledgers.formats import CJK_FONT, XLSX_TYPE
from shequ.orgs.models import Org, OrgKind
from shequ.residents import imports, selectors
from shequ.residents.forms import ImportForm
from shequ.residents.imports import jobs
from shequ.residents.imports.headers import FIELD_CHOICES, NOTES, column_label
from shequ.residents.imports.report import write_error_file
from shequ.residents.models import ImportStatus


def _import_orgs(user):
    return (
        Org.objects.visible_to(user, Perm.IMPORT_DATA)
        .filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY], is_active=True)
        .order_by("path")
    )


@login_required
def import_start(request):
    if not access.can_anywhere(request.user, Perm.IMPORT_DATA):
        raise PermissionDenied("您没有导入数据的权限。")
    form = ImportForm(request.POST or None, request.FILES or None, orgs=_import_orgs(request.user))
    posted = form_post(request, form, lambda d: jobs.job_start(actor=request.user, org=d["org"], upload=d["file"]))
    if posted:
        return redirect("residents:import_detail", pk=posted.result.pk)
    page = paginate(request, selectors.import_jobs(request.user).filter(created_by=request.user), per_page=20)
    return render(request, "residents/import_start.html", {"form": form, "page": page, "columns": imports.COLUMNS})


@login_required
def import_template(request):
    if not access.can_anywhere(request.user, Perm.IMPORT_DATA):
        raise PermissionDenied("您没有导入数据的权限。")
    import xlsxwriter  # loaded by the processes that write a workbook (see ledgers.services)

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "font_name": CJK_FONT})
    required = wb.add_format({"bold": True, "bg_color": "#FDECEC", "border": 1, "font_name": CJK_FONT})
    text = wb.add_format({"num_format": "@", "font_name": CJK_FONT})
    plain = wb.add_format({"font_name": CJK_FONT})
    ws = wb.add_worksheet("居民信息")
    for c, col in enumerate(imports.COLUMNS):
        ws.set_column(c, c, 22 if col.key == "id_number" else 12, text if col.text else plain)
        ws.write_string(0, c, col.header, required if col.required else head)
    for r, row in enumerate(imports.template_rows(), start=1):
        for c, value in enumerate(row):
            ws.write_string(r, c, value, text if imports.COLUMNS[c].text else plain)
    ws.freeze_panes(1, 0)
    notes = wb.add_worksheet("填写说明")
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 70)
    notes.write_string(0, 0, "列名", head)
    notes.write_string(0, 1, "说明", head)
    for r, col in enumerate(imports.COLUMNS, start=1):
        notes.write_string(r, 0, col.header + ("（必填）" if col.required else ""), plain)
        notes.write_string(r, 1, col.help or "", plain)
    n = len(imports.COLUMNS) + 2
    notes.write_string(
        n, 1, "同一证件号码再次导入时更新此人，空白单元格表示不修改。示例两行不会被导入，可以保留。", plain
    )
    notes.write_string(n + 1, 1, "同一户号的居民归入同一户；与户主关系填“户主”的人为户主。", plain)
    wb.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E5%B1%85%E6%B0%91%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@login_required
def import_detail(request, pk: int):
    job = jobs.live(selectors.import_job_get(request.user, pk))
    template = "residents/partials/import_status.html" if request.htmx else "residents/import_detail.html"
    return render(request, template, {"job": job, **_status_context(job)})


def _status_context(job) -> dict:
    context: dict = {"stale": jobs.is_stale(job), "retention_days": settings.RESIDENTS_IMPORT_RETENTION_DAYS}
    if job.status == ImportStatus.MAPPING:
        layout = job.layout
        used = set(layout.get("matched", {}).values())
        suggested = layout.get("suggested", {})
        context["mapping_rows"] = [
            {
                "col": str(col),
                "label": column_label(layout["headers"], col),
                "preview": layout.get("preview", {}).get(str(col), []),
                "selected": job.mapping.get(str(col), suggested.get(str(col))),
            }
            for col in layout.get("unmatched", [])
        ]
        context["matched_rows"] = [
            (column_label(layout["headers"], int(col)), dict(FIELD_CHOICES)[key])
            for col, key in sorted(layout.get("matched", {}).items(), key=lambda kv: int(kv[0]))
        ]
        context["field_choices"] = [(k, label) for k, label in FIELD_CHOICES if k not in used]
        context["notes_choice"] = NOTES
    return context


@login_required
@require_POST
def import_map(request, pk: int):
    job = selectors.import_job_get(request.user, pk)
    choices = {str(col): request.POST.get(f"col_{col}", None) for col in (job.layout or {}).get("unmatched", [])}
    choices = {k: v for k, v in choices.items() if v is not None}
    action_post(request, lambda: jobs.job_map_columns(actor=request.user, job=job, choices=choices))
    return redirect("residents:import_detail", pk=job.pk)


@login_required
@require_POST
def import_sheet(request, pk: int):
    job = selectors.import_job_get(request.user, pk)
    sheet = request.POST.get("sheet", "")
    action_post(request, lambda: jobs.job_choose_sheet(actor=request.user, job=job, sheet=sheet))
    return redirect("residents:import_detail", pk=job.pk)


@login_required
@require_POST
def import_restart(request, pk: int):
    job = selectors.import_job_get(request.user, pk)
    action_post(request, lambda: jobs.job_restart(actor=request.user, job=job))
    return redirect("residents:import_detail", pk=job.pk)


@login_required
def import_errors(request, pk: int):
    """The uploaded sheet given back with a 错误说明 column and the wrong cells marked."""
    job = selectors.import_job_get(request.user, pk)
    if job.status != ImportStatus.FAILED or not job.error_count:
        raise PermissionDenied("此文件没有可下载的错误说明。")
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed (and deleted) by the response
    try:
        write_error_file(job, handle.name)
    except imports.ImportFileError as exc:
        handle.close()
        messages.error(request, str(exc))
        return redirect("residents:import_detail", pk=job.pk)
    handle.seek(0)
    name = f"{Path(job.filename).stem}-错误说明.xlsx"
    response = FileResponse(handle, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def import_discard(request, pk: int):
    job = selectors.import_job_get(request.user, pk)
    action_post(request, lambda: jobs.job_discard(actor=request.user, job=job), success="已放弃，上传的文件已删除。")
    return redirect("residents:import_detail", pk=job.pk)


@login_required
@require_POST
def import_confirm(request, pk: int):
    job = selectors.import_job_get(request.user, pk)
    action_post(request, lambda: jobs.job_confirm(actor=request.user, job=job))
    return redirect("residents:import_detail", pk=job.pk)
