"""Helpers every case service uses: time limits, files, and the history row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from shequ.accounts.models import User
from shequ.cases.models import Case, CaseAttachment, CaseHistory, CaseTimeLimit, CaseType
from shequ.core.images import clean_image
from shequ.orgs.models import Org

MAX_FILES = 9
MAX_FILE_BYTES = 20 * 1024 * 1024
IMAGE_EXTS = {"jpg", "jpeg", "png", "gif", "webp", "heic", "bmp"}
DOC_EXTS = {"pdf", "doc", "docx", "xls", "xlsx", "txt"}
# Leading bytes of the document formats we take as they are (content is checked, not the name).
DOC_MAGIC = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
}


@dataclass(frozen=True)
class Limits:
    accept_hours: int
    handle_days: int
    yellow_days: int
    red_days: int
    org_id: int | None = None  # the org whose override applies (None: the type's defaults)


def defaults_of(case_type: CaseType) -> Limits:
    return Limits(case_type.accept_hours, case_type.handle_days, case_type.yellow_days, case_type.red_days)


def limits_for(case_type: CaseType, org: Org) -> Limits:
    """The time limits that hold for ``case_type`` at ``org``: the nearest org's override, else the type's."""
    chain = [*org.ancestor_ids, org.pk]
    rows = {row.org_id: row for row in CaseTimeLimit.objects.filter(case_type=case_type, org_id__in=chain)}
    for org_id in reversed(chain):
        row = rows.get(org_id)
        if row is not None:
            return Limits(row.accept_hours, row.handle_days, row.yellow_days, row.red_days, org_id)
    return defaults_of(case_type)


def history(
    case: Case, actor: User, action: str, from_state: str, note: str = "", detail: dict | None = None
) -> CaseHistory:
    return CaseHistory.objects.create(
        case=case,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor.display_name if getattr(actor, "is_authenticated", False) else "系统",
        action=action,
        from_state=from_state,
        to_state=case.state,
        org_id=case.org_id,
        note=note,
        detail=detail or {},
    )


def _ext(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def check_files(files, *, images_only: bool = False) -> list:
    """Validate uploads before anything is written; returns (upload, cleaned image or None) pairs."""
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        raise ValidationError(f"一次最多上传{MAX_FILES}个文件。")
    out: list[tuple[Any, Any]] = []  # (upload, cleaned image or None)
    for upload in files:
        ext = _ext(upload.name)
        if images_only or ext in IMAGE_EXTS or (getattr(upload, "content_type", "") or "").startswith("image/"):
            out.append((upload, clean_image(upload)))
            continue
        if ext not in DOC_EXTS:
            raise ValidationError(f"“{upload.name}”的文件类型不受支持，请上传图片、PDF、Word或Excel文件。")
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(f"“{upload.name}”超过{MAX_FILE_BYTES // 1024 // 1024}MB。")
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        magic = DOC_MAGIC.get(ext)
        if magic and not any(head.startswith(m) for m in magic):
            raise ValidationError(f"“{upload.name}”的内容与扩展名不符。")
        out.append((upload, None))
    return out


def save_files(case: Case, checked: list, actor: User, entry=None) -> list[CaseAttachment]:
    saved = []
    for upload, image in checked:
        if image is not None:
            content = image.content
            att = CaseAttachment(
                case=case,
                entry=entry,
                name=content.name[:120],
                is_image=True,
                width=image.width,
                height=image.height,
                size=content.size,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            att.file.save(content.name, content, save=False)
        else:
            att = CaseAttachment(
                case=case,
                entry=entry,
                name=upload.name[:120],
                size=upload.size,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            att.file.save(upload.name, upload, save=False)
        att.save()
        saved.append(att)
    return saved
