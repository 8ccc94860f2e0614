"""Teaching resources of a course (讲义、课件、教学视频): uploaded by its staff or its teacher, checked by content and
stored as every upload is, listed on the course page and on the residents' side for its enrolled learners."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from shequ.accounts.models import User
from shequ.audit.services import audit
from shequ.core.uploads import OFFICE, check_upload
from shequ.education import selectors, services
from shequ.education.learning_models import CourseResource, ResourceKind
from shequ.education.models import Course, Enrolment, EnrolStatus

ALLOWED = {
    ResourceKind.MATERIAL: OFFICE | frozenset({"jpg", "png"}),
    ResourceKind.VIDEO: frozenset({"mp4", "mp3"}),
}
MAX_BYTES = {ResourceKind.MATERIAL: 30 * 1024 * 1024, ResourceKind.VIDEO: 200 * 1024 * 1024}
MAX_PER_COURSE = 50


def resource_add(*, actor: User, course: Course, kind: str, title: str, file) -> CourseResource:
    """Add a resource to ``course``: its staff (``RECORD_WORK``) or its own teacher may."""
    services.attendance_right(actor, course)
    if kind not in ResourceKind.values:
        raise ValidationError({"kind": "请选择类别。"})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写名称。"})
    if file is None:
        raise ValidationError({"file": "请选择文件。"})
    try:
        checked = check_upload(file, allowed=ALLOWED[kind], max_bytes=MAX_BYTES[kind], image_side=None)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        if CourseResource.objects.filter(course=course).count() >= MAX_PER_COURSE:
            raise ValidationError({"file": f"一门课程最多{MAX_PER_COURSE}个教学资源。"})
        row = CourseResource(course=course, kind=kind, title=title[:100], file_name=checked.name, size=checked.size,
                             uploaded_by=actor)  # fmt: skip
        row.file.save(checked.stored_name, checked.content, save=False)
        row.save()
        audit(actor, "education.resource", row, {"course": course.pk, "kind": kind}, org=course.org)
    return row


def resource_delete(*, actor: User, resource: CourseResource) -> None:
    services.attendance_right(actor, resource.course)
    with transaction.atomic():
        name = resource.file.name
        storage = resource.file.storage
        audit(actor, "education.resource_delete", resource, {"course": resource.course_id}, org=resource.course.org)
        resource.delete()
        transaction.on_commit(lambda: storage.delete(name))


def course_resources(course: Course) -> list[CourseResource]:
    return list(course.resources.order_by("kind", "id"))


def learner_resources(user: User) -> dict[int, list[CourseResource]]:
    """The resources of the courses the resident is enrolled in, by course (one query, none without a registry
    row)."""
    person = selectors.resident_person(user)
    if person is None:
        return {}
    seated = Enrolment.objects.filter(person=person, status=EnrolStatus.ENROLLED).values("course_id")
    out: dict[int, list[CourseResource]] = {}
    for r in CourseResource.objects.filter(course_id__in=seated).order_by("course_id", "kind", "id"):
        out.setdefault(r.course_id, []).append(r)
    return out


def resource_get(user: User, pk: int) -> CourseResource:
    """A resource the user may download: staff who see its course, its teacher, or an enrolled learner."""
    found = CourseResource.objects.taught_or_visible(user).select_related("course", "course__org").filter(pk=pk)
    row = found.first()
    if row is not None:
        return row
    row = CourseResource.objects.select_related("course", "course__org").filter(pk=pk).first()
    if row is None:
        raise Http404("没有这个文件。")
    person = selectors.resident_person(user)
    enrolled = (
        person is not None
        and Enrolment.objects.filter(course_id=row.course_id, person=person, status=EnrolStatus.ENROLLED).exists()
    )
    if not enrolled:
        if person is not None and selectors.open_courses(user).filter(pk=row.course_id).exists():
            raise PermissionDenied("报名参加这门课程的学员才能下载课程资料。")
        raise Http404("没有这个文件。")
    return row
