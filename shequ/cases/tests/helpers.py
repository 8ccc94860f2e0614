"""Test helpers: make cases of each type through the services, and image uploads."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shequ.cases import services
from shequ.cases.models import CaseType

DEFAULTS = {
    "dispute": {
        "category": "邻里",
        "detail": {"source": "screening", "people_count": 2, "risk_level": "low"},
        "parties": [{"name": "张三", "role": "applicant"}, {"name": "李四", "role": "respondent"}],
    },
    "hazard": {"category": "消防", "detail": {"place_type": "住宅小区", "level": "ordinary", "found_by": "周网格"}},
    "opinion": {"category": "建议"},
    "monitor": {"category": "环境卫生"},
    "referral": {"category": "辅助器具", "detail": {"person_name": "刘某"}},
    "accident": {
        "category": "体育活动",
        "detail": {"occurred_at": timezone.make_aware(datetime(2026, 3, 2, 10, 0)), "injured_count": 1},
    },
}


def ctype(code: str) -> CaseType:
    return CaseType.objects.get(code=code)


def make_case(actor, org, code: str = "dispute", **kw):
    data = {
        "title": kw.pop("title", f"测试{ctype(code).name}事项"),
        "description": kw.pop("description", "情况说明"),
        **DEFAULTS[code],
        **kw,
    }
    return services.case_register(actor=actor, case_type=ctype(code), org=org, **data)


def image_upload(name: str = "photo.jpg", size=(800, 600), fmt: str = "JPEG", exif: bool = False) -> SimpleUploadedFile:
    img = Image.new("RGB", size, (200, 80, 60))
    buf = io.BytesIO()
    kwargs = {}
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "PhoneMaker"  # Make
        ex[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0)}  # GPS IFD
        kwargs["exif"] = ex
    img.save(buf, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def accept(case, actor, owner=None, **kw):
    return services.case_move(actor=actor, case=case, action="accept", owner=owner or actor, **kw)


def in_state(p, state: str, *, code: str = "dispute", **extra):
    """A case of ``code`` at 社区A put straight into ``state`` (with an owner and dates as that state implies)."""
    from datetime import timedelta

    from shequ.cases.choices import CaseState
    from shequ.cases.models import Case

    case = make_case(p.worker_a, p.community_a, code)
    updates = {"state": state, **extra}
    if state != CaseState.REGISTERED:
        updates.setdefault("owner", p.worker_a)
        updates.setdefault("accepted_at", timezone.now())
        updates.setdefault("deadline", timezone.localdate() + timedelta(days=10))
    if state in {CaseState.RESOLVED, CaseState.EVALUATED, CaseState.ARCHIVED}:
        updates.setdefault("resolved_at", timezone.now())
    Case.objects.filter(pk=case.pk).update(**updates)
    return Case.objects.select_related("case_type", "org").get(pk=case.pk)


def bulk_cases(n: int, org, code: str = "opinion", *, reporter=None, **fields):
    """``n`` cases inserted in bulk (for query-count guards): no services, no history."""
    from datetime import date

    from shequ.cases.models import Case

    ct = ctype(code)
    area = ct.areas.order_by("sort").first()
    now = timezone.now()
    fields.setdefault("origin_org", org)
    registered_on = fields.pop("registered_on", None) or date(now.year, 1, 1)
    rows = [
        Case(
            case_type=ct,
            area=area,
            org=org,
            title=f"批量事项{i}",
            description="说明",
            category=ct.categories[0] if ct.categories else "",
            registered_on=registered_on,
            year=now.year,
            registered_at=now,
            reporter=reporter,
            reporter_name="王小明",
            **fields,
        )
        for i in range(n)
    ]
    return Case.objects.bulk_create(rows, batch_size=500)
