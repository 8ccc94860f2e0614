"""Helpers every case service uses: time limits, files, and the history row."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from shequ.accounts.models import User
from shequ.cases.models import Case, CaseAttachment, CaseHistory, CaseTimeLimit, CaseType
from shequ.core import uploads
from shequ.orgs.models import Org

MAX_FILES = 9
MAX_FILE_BYTES = 20 * 1024 * 1024
# What a case keeps, told by content (shequ.core.uploads): photos (re-encoded without EXIF) and office documents.
FILE_KINDS = uploads.IMAGES | {"pdf", "doc", "docx", "xls", "xlsx", "txt"}


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


def check_files(files, *, images_only: bool = False) -> list[uploads.Checked]:
    """Validate uploads by content before anything is written (every problem at once, by file)."""
    return uploads.check_uploads(
        files, allowed=uploads.IMAGES if images_only else FILE_KINDS, max_bytes=MAX_FILE_BYTES, max_count=MAX_FILES
    )


def save_files(case: Case, checked: list[uploads.Checked], actor: User, entry=None) -> list[CaseAttachment]:
    saved = []
    for c in checked:
        att = CaseAttachment(
            case=case,
            entry=entry,
            name=uploads.display_name(c.name, 120),
            is_image=c.image is not None,
            width=c.image.width if c.image else None,
            height=c.image.height if c.image else None,
            size=c.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        att.file.save(c.stored_name, c.content, save=False)
        att.save()
        saved.append(att)
    return saved
