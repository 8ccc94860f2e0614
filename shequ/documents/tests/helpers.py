from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.documents import services
from shequ.orgs.models import Area

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def pdf(name: str = "制度.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def document(
    actor, org, *, area="health", kind="plan", title="年度健康教育工作计划", adopted=date(2026, 1, 15), review=None
):
    return services.register(actor=actor, org=org, area=Area.objects.get(code=area), kind=kind, title=title,
                             adopted_on=adopted, review_on=review, file=pdf())  # fmt: skip
