"""Importing answers from a spreadsheet: all or nothing, with every row's errors."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shequ.surveys.models import Response
from shequ.surveys.tests.test_views import _running


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("答卷.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_a_sheet_with_one_bad_row_imports_nothing_and_names_the_row(personas, client_for):
    survey = _running(personas)
    c = client_for(personas.worker_a)
    sheet = "问卷编号,第1题,第2题,第3题\n1,A,B,A\n2,Z,A,A\n9,A,A,A\n"
    r = c.post(reverse("surveys:import", args=[survey.pk]), {"file": _csv(sheet)})
    body = r.content.decode()
    assert "第3行" in body and "第1题：只有" in body
    assert "第4行" in body and "问卷编号“9”不在本次样本中" in body
    assert not Response.objects.exists()


def test_a_good_sheet_imports_every_row(personas, client_for):
    survey = _running(personas)
    c = client_for(personas.worker_a)
    sheet = "问卷编号,1,2,3\n1,A,B,A\n2,B,A,A\n3,,,B\n"
    r = c.post(reverse("surveys:import", args=[survey.pk]), {"file": _csv(sheet)})
    assert r.status_code == 302
    assert Response.objects.filter(survey=survey, channel="import").count() == 3


def test_a_sheet_without_every_question_is_refused(personas, client_for):
    survey = _running(personas)
    c = client_for(personas.worker_a)
    r = c.post(reverse("surveys:import", args=[survey.pk]), {"file": _csv("问卷编号,1\n1,A\n")})
    assert "表头缺少题目列：2、3" in r.content.decode()
