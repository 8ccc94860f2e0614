"""Every write to work records, activity types and year closures: check, change, audit, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date as Date  # "date" is a keyword argument of the services

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import registry, uploads
from shequ.core.images import MAX_UPLOAD_BYTES, CleanImage
from shequ.core.versioning import expect
from shequ.orgs.models import Area, Org
from shequ.records import extra as extra_fields
from shequ.records.models import ActivityType, Record, RecordAttachment, RecordPhoto, YearClosure
from shequ.records.years import ensure_year_open, is_year_closed

MAX_PHOTOS_PER_SAVE = 12
THUMB_SIDE = 480
# What a record keeps as attachments, told by content (shequ.core.uploads); images among them are re-encoded
# without EXIF, at most ATTACHMENT_IMAGE_SIDE pixels on their longer side (scans stay legible).
ATTACHMENT_KINDS = uploads.OFFICE | {"csv", "jpg", "png", "mp3", "mp4"}
ATTACHMENT_IMAGE_SIDE = 4096
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS_PER_SAVE = 10
TEXT_FIELDS = ("title", "place", "organiser", "content", "summary")


# --- helpers ------------------------------------------------------------------------------------


def _prepare_photos(photos: Sequence) -> list[CleanImage]:
    """Validate every photo by content before anything is written (the photo and its thumbnail from one
    decoding); errors name the file."""
    checked = uploads.check_uploads(
        photos,
        allowed=uploads.IMAGES,
        max_bytes=MAX_UPLOAD_BYTES,
        max_count=MAX_PHOTOS_PER_SAVE,
        field="photos",
        thumb_side=THUMB_SIDE,
    )
    return [c.image for c in checked if c.image is not None]


def _check_attachments(files: Sequence) -> list[uploads.Checked]:
    return uploads.check_uploads(
        files,
        allowed=ATTACHMENT_KINDS,
        max_bytes=ATTACHMENT_MAX_BYTES,
        max_count=MAX_ATTACHMENTS_PER_SAVE,
        field="attachments",
        image_side=ATTACHMENT_IMAGE_SIDE,
    )


def _save_photos(record: Record, prepared: list[CleanImage]) -> list[RecordPhoto]:
    photos = []
    for image in prepared:
        photo = RecordPhoto(record=record)
        photo.image.save(f"photo.{image.ext}", image.content, save=False)
        if image.thumb is not None:
            photo.thumb.save(f"thumb.{image.ext}", image.thumb, save=False)
        photo.save()
        photos.append(photo)
    return photos


def _save_attachments(record: Record, checked: Sequence[uploads.Checked]) -> list[RecordAttachment]:
    out = []
    for c in checked:
        att = RecordAttachment(record=record, name=c.name, size=c.size)
        att.file.save(c.stored_name, c.content, save=False)
        att.save()
        out.append(att)
    return out


def _delete_files_on_commit(files: Iterable) -> None:
    names = [(f.storage, f.name) for f in files if f]

    def remove():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def _check_persons(actor: User, persons: Sequence, candidates=None) -> list:
    """Persons of a sign-in list must be visible to the actor, or be among ``candidates`` (a QuerySet of persons
    the caller vouches for: a course's enrolled learners, whom its teacher signs in without seeing the registry)."""
    if not persons:
        return []
    from shequ.residents.models import Person

    ids = {getattr(p, "pk", p) for p in persons}
    pool = Person.objects.visible_to(actor) if candidates is None else candidates
    found = list(pool.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"persons": "签到名单中有不在您管辖范围内的居民。"})
    return found


def _check_type(actor: User, org: Org, activity_type: ActivityType, perm: str = Perm.RECORD_WORK) -> None:
    if not org.is_active:
        raise ValidationError({"org": f"“{org.name}”已撤销，不能再登记记录。"})
    if not activity_type.is_active:
        raise ValidationError({"activity_type": f"活动类型“{activity_type.name}”已停用。"})
    access.check(actor, org, perm, area=activity_type.area_id)


def _check_date(d: Date) -> None:
    if d > timezone.localdate():
        raise ValidationError({"date": "活动日期不能晚于今天。"})


# --- records --------------------------------------------------------------------------------------


def record_create(
    *,
    actor: User,
    org: Org,
    activity_type: ActivityType,
    date: Date,
    title: str,
    place: str = "",
    organiser: str = "",
    participant_count: int = 0,
    content: str = "",
    summary: str = "",
    extra: dict | None = None,
    persons: Sequence = (),
    photos: Sequence = (),
    attachments: Sequence = (),
    perm: str = Perm.RECORD_WORK,
    candidates=None,
) -> Record:
    """Record an activity in ``org``; it is filed under the year of ``date``, which must be open.

    ``perm`` and ``candidates`` are for a line of work that writes its own kind of record: the right it checks
    (a course's teacher records its session with ``Perm.TEACH``) and the persons its sign-in may name."""
    _check_type(actor, org, activity_type, perm)
    _check_date(date)
    ensure_year_open(org, date.year)
    record = Record(
        org=org,
        area_id=activity_type.area_id,
        activity_type=activity_type,
        date=date,
        title=title.strip(),
        place=place.strip(),
        organiser=organiser.strip(),
        participant_count=participant_count or 0,
        content=content.strip(),
        summary=summary.strip(),
        extra=extra_fields.clean_values(extra or {}, activity_type.extra_fields),
        created_by=actor,
    )
    record.year = date.year
    record.full_clean(exclude=["persons", "created_by"])
    person_rows = _check_persons(actor, persons, candidates)
    prepared = _prepare_photos(photos)
    checked_files = _check_attachments(attachments)
    with transaction.atomic():
        record.save()
        if person_rows:
            record.persons.set(person_rows)
        saved = _save_photos(record, prepared)
        files = _save_attachments(record, checked_files)
        audit(
            actor,
            "record.create",
            record,
            {"type": activity_type.code, "area": activity_type.area_id, "photos": len(saved), "files": len(files)},
            org=org,
        )
    return record


def record_update(
    *,
    actor: User,
    record: Record,
    activity_type: ActivityType | None = None,
    date: Date | None = None,
    title: str | None = None,
    place: str | None = None,
    organiser: str | None = None,
    participant_count: int | None = None,
    content: str | None = None,
    summary: str | None = None,
    extra: dict | None = None,
    persons: Sequence | None = None,
    photos: Sequence = (),
    attachments: Sequence = (),
    remove_photo_ids: Iterable[int] = (),
    remove_attachment_ids: Iterable[int] = (),
    version: int | None = None,
    perm: str = Perm.RECORD_WORK,
    candidates=None,
) -> Record:
    """Change a record. Both its old and its new year must be open; it never changes org. Refused
    (``StaleEdit``) if the record changed after ``version``, the one the form was opened on. ``perm`` and
    ``candidates`` as for :func:`record_create`."""
    access.check(actor, record.org, perm, area=record.area_id)
    expect(record, version)
    ensure_year_open(record.org, record.year)
    new_type = activity_type or record.activity_type
    if new_type.pk != record.activity_type_id:
        _check_type(actor, record.org, new_type)
    new_date = date or record.date
    if new_date != record.date:
        _check_date(new_date)
        ensure_year_open(record.org, new_date.year)
    before = {f: getattr(record, f) for f in (*TEXT_FIELDS, "participant_count", "extra")}
    before.update(date=record.date.isoformat(), type=record.activity_type_id)
    record.activity_type, record.area_id, record.date = new_type, new_type.area_id, new_date
    for name, value in {"title": title, "place": place, "organiser": organiser, "content": content}.items():
        if value is not None:
            setattr(record, name, value.strip())
    if summary is not None:
        record.summary = summary.strip()
    if participant_count is not None:
        record.participant_count = participant_count
    if extra is not None or new_type.pk != before["type"]:
        record.extra = extra_fields.clean_values(extra if extra is not None else {}, new_type.extra_fields)
    record.full_clean(exclude=["persons", "created_by"])
    person_rows = _check_persons(actor, persons, candidates) if persons is not None else None
    prepared = _prepare_photos(photos)
    checked_files = _check_attachments(attachments)
    with transaction.atomic():
        record.save()
        if person_rows is not None:
            record.persons.set(person_rows)
            for follow in registry.signin_followers():
                follow(actor, record, [p.pk for p in person_rows])
        gone_photos = list(RecordPhoto.objects.filter(record=record, pk__in=list(remove_photo_ids)))
        gone_files = list(RecordAttachment.objects.filter(record=record, pk__in=list(remove_attachment_ids)))
        for p in gone_photos:
            p.delete()
        for a in gone_files:
            a.delete()
        _delete_files_on_commit([f for p in gone_photos for f in (p.image, p.thumb)] + [a.file for a in gone_files])
        saved = _save_photos(record, prepared)
        files = _save_attachments(record, checked_files)
        after = {f: getattr(record, f) for f in (*TEXT_FIELDS, "participant_count", "extra")}
        after.update(date=record.date.isoformat(), type=record.activity_type_id)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit(
            actor,
            "record.update",
            record,
            {
                "changes": changes,
                "photos_added": len(saved),
                "photos_removed": len(gone_photos),
                "files_added": len(files),
                "files_removed": len(gone_files),
            },
            org=record.org,
        )
    return record


def record_delete(*, actor: User, record: Record) -> None:
    access.check(actor, record.org, Perm.RECORD_WORK, area=record.area_id)
    ensure_year_open(record.org, record.year)
    with transaction.atomic():
        photos = list(record.photos.all())
        files = list(record.attachments.all())
        audit(
            actor,
            "record.delete",
            record,
            {"date": record.date.isoformat(), "title": record.title, "type": record.activity_type_id},
            org=record.org,
        )
        record.delete()
        _delete_files_on_commit([f for p in photos for f in (p.image, p.thumb)] + [a.file for a in files])


# --- year closing -----------------------------------------------------------------------------------


def year_close(*, actor: User, org: Org, year: int) -> YearClosure:
    """Close ``year`` for ``org`` and its subtree (年度关账): its records become read-only."""
    access.check(actor, org, Perm.CLOSE_YEAR)
    if year > timezone.localdate().year:
        raise ValidationError({"year": "不能关闭尚未到来的年度。"})
    if is_year_closed(org, year):
        raise ValidationError({"year": f"{org.name}的{year}年度已经关账（本级或上级）。"})
    with transaction.atomic():
        closure = YearClosure.objects.create(org=org, year=year, closed_by=actor)
        audit(actor, "year.close", closure, {"org": org.pk, "year": year}, org=org)
    return closure


def year_reopen(*, actor: User, closure: YearClosure, reason: str = "") -> None:
    """Reopen a closed year (administrators only); the reason is kept in the audit log."""
    access.check(actor, closure.org, Perm.REOPEN_YEAR)
    with transaction.atomic():
        audit(
            actor,
            "year.reopen",
            closure.org,
            {
                "year": closure.year,
                "closed_by": closure.closed_by_id,
                "closed_at": closure.closed_at.isoformat(),
                "reason": reason.strip()[:500],
            },
            org=closure.org,
        )
        closure.delete()


# --- activity types (data, kept by administrators) -------------------------------------------------


def _check_manage_types(actor: User) -> None:
    if not access.can_anywhere(actor, Perm.MANAGE_AREAS):
        raise PermissionDenied("只有系统管理员可以维护活动类型。")


def activity_type_create(
    *,
    actor: User,
    area: Area,
    code: str,
    name: str,
    description: str = "",
    extra_fields_schema: list | None = None,
    sort: int = 0,
) -> ActivityType:
    _check_manage_types(actor)
    t = ActivityType(
        area=area,
        code=code.strip(),
        name=name.strip(),
        description=description.strip(),
        extra_fields=extra_fields.validate_schema(extra_fields_schema or []),
        sort=sort,
    )
    if ActivityType.objects.filter(area=area, code=t.code).exists():
        raise ValidationError({"code": f"“{area.name}”已有代码为“{t.code}”的活动类型。"})
    t.full_clean()
    with transaction.atomic():
        t.save()
        audit(actor, "activity_type.create", t, {"area": area.code, "code": t.code})
    return t


def activity_type_update(
    *,
    actor: User,
    activity_type: ActivityType,
    name: str,
    description: str = "",
    extra_fields_schema: list | None = None,
    sort: int = 0,
    is_active: bool = True,
) -> ActivityType:
    """Rename, re-describe or change the extra fields of a type. Values already stored stay on the records."""
    _check_manage_types(actor)
    t = activity_type
    before = {"name": t.name, "extra_fields": t.extra_fields, "is_active": t.is_active}
    t.name, t.description, t.sort, t.is_active = name.strip(), description.strip(), sort, is_active
    t.extra_fields = extra_fields.validate_schema(extra_fields_schema or [])
    t.full_clean()
    with transaction.atomic():
        t.save()
        after = {"name": t.name, "extra_fields": t.extra_fields, "is_active": t.is_active}
        audit(
            actor,
            "activity_type.update",
            t,
            {"changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]}},
        )
    return t
