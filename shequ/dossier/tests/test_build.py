"""Building a dossier: the zip holds the index, every ledger in xlsx and PDF, the photos by line and month; a rebuild
replaces the zip whole; a closed year's dossier is frozen."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from docx import Document

from shequ.dossier import contents
from shequ.dossier.build import folder_of
from shequ.dossier.models import Dossier, JobState
from shequ.dossier.tests.helpers import YEAR, a_year, built
from shequ.ledgers.registry import ledgers
from shequ.records import services as record_services

pytestmark = pytest.mark.django_db
TOP = f"社区A-{YEAR}年度档案/"


def _zip(org) -> tuple[Dossier, zipfile.ZipFile]:
    d = Dossier.objects.get(org=org, year=YEAR)
    return d, zipfile.ZipFile(default_storage.open(d.file))


def _bytes(d: Dossier) -> bytes:
    with default_storage.open(d.file) as f:
        return f.read()


def test_every_yearly_ledger_is_in_the_dossier_or_left_out_with_a_reason():
    placed = set(contents.PER_AREA) | {c for c, _f in contents.INCLUDED} | set(contents.SUBJECTS)
    assert {x.code for x in ledgers} == placed | set(contents.LEFT_OUT)
    assert not placed & set(contents.LEFT_OUT)


def test_the_zip_holds_the_index_every_ledger_and_the_photos(personas):
    a_year(personas)
    job = built(personas.leader_a, personas.community_a)
    assert job.state == JobState.DONE
    d, zf = _zip(personas.community_a)
    names = zf.namelist()
    assert all(n.startswith(TOP) for n in names)
    assert {f"{TOP}00-年度档案目录.docx", f"{TOP}00-年度档案目录.pdf"} <= set(names)
    assert f"{TOP}01-年度工作计划/社区A-健康教育-{YEAR}年-年度工作计划.pdf" in names
    assert f"{TOP}02-工作台账/健康教育/社区A-健康教育-{YEAR}年-工作活动台账.xlsx" in names
    assert any(n.startswith(f"{TOP}03-会议记录/") and n.endswith("会议记录.pdf") for n in names)
    photos = sorted(n for n in names if n.startswith(f"{TOP}照片/"))
    assert len(photos) == 11  # one a month, March had no board record
    assert photos[0] == f"{TOP}照片/健康教育/{YEAR}-01/{YEAR}-01-05-1月控烟宣传-1.jpg"
    assert all(re.fullmatch(rf"{TOP}照片/健康教育/{YEAR}-\d\d/{YEAR}-\d\d-05-\d+月控烟宣传-1\.jpg", n) for n in photos)
    for n in names:
        body = zf.read(n)
        if n.endswith(".pdf"):
            assert body.startswith(b"%PDF"), n
        elif n.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(body), read_only=True).close()
        elif n.endswith(".jpg"):
            assert body.startswith(b"\xff\xd8"), n
    index = Document(io.BytesIO(zf.read(f"{TOP}00-年度档案目录.docx")))
    listed = "\n".join(c.text for t in index.tables for r in t.rows for c in r.cells)
    ledgers_in_zip = {n.rsplit("/", 1)[-1].removesuffix(".xlsx") for n in names if n.endswith(".xlsx")}
    for ledger_name in ledgers_in_zip:
        title = ledger_name.split("-")[-1]
        assert title in listed, title
    assert "每月更换健康教育宣传栏" in listed and "未达标" in listed
    assert d.size == default_storage.size(d.file) and d.files == len(names)
    # a ledger of the year without rows is filed as its table only, and the index says so; one with rows is printed
    assert f"{TOP}02-工作台账/健康教育/社区A-健康教育-{YEAR}年-工作活动台账.pdf" in names
    empty = [n for n in names if n.startswith(f"{TOP}02-工作台账/") and "矛盾纠纷" in n]
    assert empty and all(n.endswith(".xlsx") for n in empty)
    notes = "\n".join(par.text for par in index.paragraphs)
    assert re.search(r"其中\d+份本年无记录，只附Excel表格", notes), notes


def test_a_rebuild_replaces_the_zip_and_leaves_one_file(personas):
    a_year(personas)
    built(personas.leader_a, personas.community_a)
    first = Dossier.objects.get(org=personas.community_a).file
    built(personas.leader_a, personas.community_a)
    d = Dossier.objects.get(org=personas.community_a)
    assert d.file != first
    assert default_storage.listdir(folder_of(d.pk)) == ([], [d.file.rsplit("/", 1)[-1]])


def test_a_dossier_built_after_the_close_is_frozen_and_not_built_again(personas):
    a_year(personas)
    built(personas.leader_a, personas.community_a)  # before the close: may be built again once closed
    record_services.year_close(actor=personas.leader_a, org=personas.community_a, year=YEAR)
    built(personas.leader_a, personas.community_a)
    d = Dossier.objects.get(org=personas.community_a)
    assert d.frozen
    kept = _bytes(d)
    with pytest.raises(ValidationError, match="已关账"):
        built(personas.leader_a, personas.community_a)
    job = built(personas.supervisor, personas.street)  # the street's job builds 社区B's and keeps 社区A's
    assert [x.org.name for x in job.dossiers.select_related("org")] == ["社区B"]
    d.refresh_from_db()
    assert _bytes(d) == kept


def test_a_street_builds_its_communities_in_one_job(personas):
    a_year(personas)
    job = built(personas.supervisor, personas.street)
    rows = {d.org.name: d for d in job.dossiers.select_related("org")}
    assert set(rows) == {"社区A", "社区B"}
    assert all(d.state == JobState.DONE and d.file for d in rows.values())
