"""Teaching resources of a course: uploaded by its staff or teacher (checked by content), listed on the course
page, downloaded by its staff and teacher and, on the residents' side, by its enrolled learners only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shequ.education import resources, services
from shequ.education.tests.helpers import course, residents, school
from shequ.testing.files import PDF, ooxml

pytestmark = pytest.mark.django_db


def _pdf(name="第一讲讲义.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _course(personas):
    soon = timezone.localdate() + timedelta(days=10)
    return course(personas.worker_a, school(personas.community_a), days=[date(2026, 3, 5), soon])


def test_the_teacher_uploads_and_the_course_page_lists_it(personas, client_for):
    c = _course(personas)
    client = client_for(c.teacher.user)
    response = client.post(reverse("education:resource_add", args=[c.pk]),
                           {"kind": "material", "title": "第一讲讲义", "file": _pdf()})  # fmt: skip
    assert response.status_code == 302
    r = c.resources.get()
    assert (r.file_name, r.size, r.uploaded_by) == ("第一讲讲义.pdf", len(PDF), c.teacher.user)
    page = client_for(personas.worker_a).get(reverse("education:course", args=[c.pk])).content.decode()
    assert "第一讲讲义" in page
    download = client_for(personas.worker_a).get(reverse("education:resource", args=[r.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert client.get(reverse("education:resource", args=[r.pk])).status_code == 200


def test_a_file_whose_content_is_not_its_kind_is_refused(personas, client_for):
    c = _course(personas)
    with pytest.raises(ValidationError, match="内容不是PDF"):
        resources.resource_add(actor=personas.worker_a, course=c, kind="material", title="讲义",
                               file=SimpleUploadedFile("讲义.pdf", b"not a pdf"))  # fmt: skip
    with pytest.raises(ValidationError, match="文件类型不允许"):
        resources.resource_add(actor=personas.worker_a, course=c, kind="video", title="视频",
                               file=SimpleUploadedFile("课件.docx", ooxml("docx")))  # fmt: skip
    page = client_for(personas.worker_a).post(
        reverse("education:resource_add", args=[c.pk]), {"kind": "material", "title": "", "file": _pdf()}, follow=True
    )
    assert "名称：这个字段是必填项。" in page.content.decode()
    assert not c.resources.exists()


def test_only_staff_and_the_teacher_upload(personas):
    c = _course(personas)
    with pytest.raises(PermissionDenied):
        resources.resource_add(actor=personas.worker_b, course=c, kind="material", title="讲义", file=_pdf())
    with pytest.raises(PermissionDenied):
        resources.resource_add(actor=personas.resident, course=c, kind="material", title="讲义", file=_pdf())


def test_an_enrolled_learner_downloads_on_the_residents_side_and_others_do_not(personas, client_for):
    c = _course(personas)
    r = resources.resource_add(actor=personas.worker_a, course=c, kind="material", title="讲义", file=_pdf())
    user = personas.resident
    user.phone = "13900000009"
    user.save()
    (me,) = residents(personas.community_a, 1, phone="13900000009")
    me.name = user.name
    me.save()
    url = reverse("education:resource", args=[r.pk])
    assert client_for(user).get(url).status_code == 403  # the course is open to them, but they are not enrolled
    assert client_for(personas.worker_b).get(url).status_code == 404
    services.enrol(actor=personas.worker_a, course=c, persons=[me])
    assert client_for(user).get(url).status_code == 200
    page = client_for(user).get(reverse("education:open")).content.decode()
    assert f'data-testid="resource-{r.pk}"' in page


def test_the_teacher_deletes_a_resource(personas, client_for):
    c = _course(personas)
    r = resources.resource_add(actor=personas.worker_a, course=c, kind="material", title="讲义", file=_pdf())
    assert client_for(personas.worker_b).post(reverse("education:resource_delete", args=[r.pk])).status_code == 404
    assert client_for(c.teacher.user).post(reverse("education:resource_delete", args=[r.pk])).status_code == 302
    assert not c.resources.exists()
