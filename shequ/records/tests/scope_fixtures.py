"""Classification of the records URLs for the authorization matrix (see core/tests/test_authorization_matrix)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

PUBLIC_URLS: set[str] = set()


def _record(p, **kw):
    from shequ.records.tests.helpers import make_record

    return make_record(p.worker_a, p.community_a, on=date(2025, 3, 5), **kw)


def _record_kwargs(p):
    return {"pk": _record(p).pk}


def _photo_kwargs(p):
    from shequ.records.tests.helpers import image_upload

    return {"pk": _record(p, photos=[image_upload()]).photos.get().pk}


def _attachment_kwargs(p):
    pdf = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4", content_type="application/pdf")
    return {"pk": _record(p, attachments=[pdf]).attachments.get().pk}


def _closure_kwargs(p):
    from shequ.records.services import year_close

    return {"pk": year_close(actor=p.leader_a, org=p.community_a, year=2024).pk}


def _api_record_kwargs(p):
    return {"record_id": _record(p).pk}


URL_OBJECTS = {
    "records:detail": _record_kwargs,
    "records:edit": _record_kwargs,
    "records:delete": _record_kwargs,
    "records:photo": _photo_kwargs,
    "records:attachment": _attachment_kwargs,
    "records:year_reopen": _closure_kwargs,
    "api:get_record": _api_record_kwargs,
}

# Activity types belong to no org: they need login, and only administrators may edit them.
GLOBAL_URLS = {"records:type_edit": lambda p: {"pk": 1}}

# Reopening deletes the closure, so only the administrator tries it (a leader would get 403 anyway).
URL_INSIDERS = {"records:year_reopen": ("admin",)}

# The extended matrix: the records are of 健康教育; the year's closure is of no line of work.
AREA = "health"
URL_AREAS = {"records:year_reopen": None}
