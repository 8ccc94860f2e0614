"""Ledger page of records: choose an org, area and year; the downloads come from the ledger layer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.ledgers.declare import FORMATS
from shequ.records import selectors
from shequ.records.forms import LedgerForm


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
    can_export = False
    if chosen:
        count = selectors.ledger_records(
            request.user, org=chosen["org"], area=chosen["area"], year=chosen["year"]
        ).count()
        can_export = access.can(request.user, chosen["org"], Perm.EXPORT, area=chosen["area"])
    return render(
        request,
        "records/ledgers.html",
        {"form": form, "chosen": chosen, "count": count, "can_export": can_export, "formats": FORMATS},
    )
