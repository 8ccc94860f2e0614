"""Ledger pages of records: choose an org, area and year; download the activity ledger."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.ledgers.writers import docx_response, file_name, xlsx_response
from shequ.orgs.models import Area
from shequ.records import ledgers, selectors
from shequ.records.forms import LedgerForm


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
