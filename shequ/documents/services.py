"""Every write to the document register: register a document, add its next version, withdraw it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core.uploads import OFFICE, check_upload
from shequ.documents.models import DocKind, Document
from shequ.orgs.models import Area, Org, OrgKind

MAX_BYTES = 30 * 1024 * 1024
ALLOWED = OFFICE | frozenset({"jpg", "png"})


def check_manage(actor: User, org: Org, area) -> None:
    access.check(actor, org, Perm.RECORD_WORK, area)


def _dates(adopted_on: date, review_on: date | None) -> None:
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": "制定/通过日期不能晚于今天。"})
    if review_on is not None and review_on <= adopted_on:
        raise ValidationError({"review_on": "下次修订日期应晚于制定/通过日期。"})


def _checked(upload):
    if upload is None:
        raise ValidationError({"file": "请上传文件。"})
    try:
        return check_upload(upload, allowed=ALLOWED, max_bytes=MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def register(
    *,
    actor: User,
    org: Org,
    area: Area,
    kind: str,
    title: str,
    adopted_on: date,
    file,
    review_on: date | None = None,
    number: str = "",
    summary: str = "",
) -> Document:
    check_manage(actor, org, area)
    if org.kind == OrgKind.GRID or not org.is_active:
        raise ValidationError({"org": "制度文件登记在社区、街道、区或单位，且单位在用。"})
    if kind not in DocKind.values:
        raise ValidationError({"kind": "请选择类别。"})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写名称。"})
    _dates(adopted_on, review_on)
    checked = _checked(file)
    with transaction.atomic():
        doc = Document(org=org, area=area, kind=kind, title=title, number=number.strip(), adopted_on=adopted_on,
                       review_on=review_on, summary=summary.strip(), file_name=checked.name,
                       uploaded_by=actor)  # fmt: skip
        doc.file.save(checked.stored_name, checked.content, save=False)
        doc.save()
        doc.series = doc.pk
        doc.save(update_fields=["series"])
        audit(actor, "document.register", doc, {"title": title, "kind": kind}, org=org)
    return doc


def new_version(
    *,
    actor: User,
    document: Document,
    adopted_on: date,
    file,
    review_on: date | None = None,
    number: str = "",
    summary: str = "",
) -> Document:
    """The next version of ``document``: the register then shows it, and keeps the last one as history."""
    check_manage(actor, document.org, document.area_id)
    if document.withdrawn_on is not None:
        raise ValidationError("已废止的文件不能修订。")
    _dates(adopted_on, review_on)
    if adopted_on < document.adopted_on:
        raise ValidationError({"adopted_on": "新版本的通过日期不能早于上一版本。"})
    checked = _checked(file)
    try:
        with transaction.atomic():
            doc = Document(org=document.org, area=document.area, kind=document.kind, title=document.title,
                           number=number.strip() or document.number, version=document.version + 1,
                           previous=document, series=document.series, adopted_on=adopted_on, review_on=review_on,
                           summary=summary.strip() or document.summary, file_name=checked.name,
                           uploaded_by=actor)  # fmt: skip
            doc.file.save(checked.stored_name, checked.content, save=False)
            doc.save()
            audit(actor, "document.version", doc, {"title": doc.title, "version": doc.version}, org=doc.org)
    except IntegrityError as exc:  # one previous version can be superseded once
        raise ValidationError("这个版本已经有人修订了，请刷新后查看最新版本。") from exc
    return doc


def withdraw(*, actor: User, document: Document, on: date) -> Document:
    check_manage(actor, document.org, document.area_id)
    if on < document.adopted_on or on > timezone.localdate():
        raise ValidationError("废止日期应在通过日期之后、今天之前。")
    won = Document.objects.filter(pk=document.pk, withdrawn_on__isnull=True).update(withdrawn_on=on)
    if not won:
        raise ValidationError("这份文件已经废止。")
    document.withdrawn_on = on
    audit(actor, "document.withdraw", document, {"title": document.title}, org=document.org)
    return document
