"""Reports a worker can act on: every duplicate, a file with no data rows, the file of errors to fix in Excel,
changes of registered residents shown before they are made and kept afterwards, progress while writing, and the
column mapping remembered for the org and the file's shape."""

import io
from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile
from python_calamine import CalamineWorkbook

from shequ.audit.models import AuditLog
from shequ.audit.services import hashed
from shequ.residents.imports import ImportFileError, jobs, read_table, run_import
from shequ.residents.models import Household, ImportJob, ImportMapping, ImportStatus, Person
from shequ.residents.tests.helpers import new_id
from shequ.residents.tests.test_imports import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "证件号码", "联系电话", "户号", "与户主关系", "现住址"]


def run(personas, rows, commit=True, header=HEADER, **kw):
    return run_import(
        actor=personas.worker_a,
        org=personas.community_a,
        rows=read_table(xlsx(rows, header=header), "a.xlsx"),
        commit=commit,
        **kw,
    )


def upload(personas, data: bytes, name="名册.xlsx") -> ImportJob:
    return jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name=name))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_every_duplicate_id_is_reported_also_in_rows_with_other_errors(personas):
    a, b = new_id(), new_id()
    rows = [
        ["甲", a, "13800000001", "", "", ""],
        ["乙", a, "12ab", "", "", ""],  # a duplicate with a bad phone
        ["丙", b, "", "", "", ""],
        ["", b, "", "", "", ""],  # a duplicate without a name
        ["丁", a, "", "", "", ""],  # a third time
    ]
    result = run(personas, rows)
    duplicates = {(e.row, e.message) for e in result.errors if e.column == "证件号码"}
    assert duplicates == {
        (3, "与第2行的证件号码相同。"),
        (5, "与第4行的证件号码相同。"),
        (6, "与第2行的证件号码相同。"),
    }
    assert not Person.objects.exists()


def test_a_header_only_file_says_there_are_no_data_rows(personas):
    with pytest.raises(ImportFileError, match="没有数据行"):
        run(personas, [])
    job = upload(personas, xlsx([], header=HEADER))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "没有数据行" in job.message


def test_the_file_of_errors_marks_the_wrong_cells_and_explains_them(personas, client_for):
    good = new_id()
    rows = [["张三", good, "13800000001", "", "", ""], ["李四", good[:-1], "12ab", "", "", ""]]
    job = upload(personas, xlsx(rows, header=HEADER))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error_count == 2
    response = client_for(personas.worker_a).get(f"/residents/imports/{job.pk}/errors.xlsx")
    assert response.status_code == 200 and "%E9%94%99%E8%AF%AF%E8%AF%B4%E6%98%8E" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sheet[0][len(HEADER)] == "错误说明"
    assert sheet[1][len(HEADER)] == "" and sheet[2][:3] == ["李四", good[:-1], "12ab"]
    assert "证件号码:身份证号码应为18位，现在是17位" in sheet[2][len(HEADER)] and "联系电话:" in sheet[2][len(HEADER)]
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert ws["B3"].fill.fgColor.rgb.endswith("FFC7CE") and ws["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["A3"].fill.fgColor.rgb in (None, "00000000")
    assert client_for(personas.worker_b).get(f"/residents/imports/{job.pk}/errors.xlsx").status_code == 404


def test_registered_residents_are_updated_with_old_and_new_values_shown_and_kept(personas):
    zhang, li = new_id(), new_id(birth=date(1982, 1, 1), male=False)
    run(
        personas,
        [
            ["张三", zhang, "13800000001", "H-1", "户主", "幸福小区3栋2单元501室"],
            ["李四", li, "13800000002", "H-1", "妻", ""],
        ],
    )
    rows = [["张三", zhang, "13911112222", "H-1", "户主", ""], ["李四", li, "", "H-1", "老伴", "幸福小区3栋2单元502室"]]
    dry = run(personas, rows, commit=False)
    assert (dry.added, dry.updated, dry.unchanged) == (0, 2, 0)
    shown = {c["name"]: c["fields"] for c in dry.changes}
    assert shown["张三"] == [["联系电话", "13800000001", "13911112222"]]
    assert ["与户主关系", "12", "10"] in shown["李四"] and ["房号", "501", "502"] not in shown["李四"]
    assert Person.objects.get(name="张三").phone == "13800000001"  # the dry run wrote nothing
    result = run(personas, rows)
    assert result.committed and result.updated == 2
    zhang_now, li_now = Person.objects.get(name="张三"), Person.objects.get(name="李四")
    assert zhang_now.phone == "13911112222" and zhang_now.address == "幸福小区3栋2单元501室"  # empty cell kept
    assert li_now.phone == "13800000002" and li_now.relation == "10" and li_now.room == "502"
    history = AuditLog.objects.get(action="person.import_update", object_id=str(zhang_now.pk))
    # The log keeps keyed hashes of the old and new values, not the numbers themselves.
    assert history.detail["changes"] == {"phone": [hashed("13800000001"), hashed("13911112222")]}
    assert "13800000001" not in str(history.detail)


def test_progress_moves_through_the_writing_phase(personas, monkeypatch):
    monkeypatch.setattr("shequ.residents.imports.run.BATCH", 2)
    seen = []
    rows = [[f"居民{i}", new_id(), "", f"H-{i}", "户主", ""] for i in range(5)]
    run(personas, rows, progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert Person.objects.count() == 5
    writing = [s for s in seen if s[0] == "writing"]
    assert (
        writing
        and writing[-1][1] == writing[-1][2]
        and [d for _p, d, _t in writing] == sorted(d for _p, d, _t in writing)
    )
    assert writing[0][1] < writing[-1][1]


def test_each_household_gets_its_head_wherever_its_rows_fall_in_the_batches(personas, monkeypatch):
    """A household's rows may straddle two batches, and its head need not be its first row: the head is the
    household's 户主 row, found in the batch it falls in."""
    monkeypatch.setattr("shequ.residents.imports.run.BATCH", 2)
    rows = [
        ["甲", new_id(), "", "H-1", "户主", ""],
        ["乙", new_id(), "", "H-2", "子", ""],  # H-2 starts in the first batch, without its head
        ["丙", new_id(), "", "H-2", "户主", ""],  # its head opens the second
        ["丁", new_id(), "", "H-3", "女", ""],
        ["戊", new_id(), "", "H-3", "户主", ""],  # a head after a member, in the same batch
        ["己", new_id(), "", "H-4", "女", ""],  # a household without a head
    ]
    assert run(personas, rows).committed
    heads = dict(Household.objects.values_list("number", "head__name"))
    assert heads == {"H-1": "甲", "H-2": "丙", "H-3": "戊", "H-4": None}
    assert set(Person.objects.filter(name__in="乙丙").values_list("household__number", flat=True)) == {"H-2"}


def test_a_batch_the_database_refuses_undoes_the_whole_import(personas, monkeypatch):
    """A resident registered by someone else after the check: the database refuses that batch of persons (on
    PostgreSQL while the next batch is being checked) and nothing of the file stays, with a clear message."""
    taken = new_id()
    assert run(personas, [["先登记", taken, "", "", "", ""]]).committed
    monkeypatch.setattr("shequ.residents.imports.run.BATCH", 2)
    monkeypatch.setattr("shequ.residents.imports.run.find_existing", lambda rows, hashes, *reading: {})  # not seen
    rows = [[f"居民{i}", new_id(), "", f"H-{i}", "户主", ""] for i in range(4)]
    rows += [["后登记", taken, "", "H-9", "户主", ""]] + [[f"居民{i}", new_id(), "", "", "", ""] for i in range(5, 8)]
    result = run(personas, rows)
    assert not result.committed
    assert [e.message for e in result.errors] == [
        "导入期间有人登记了相同证件号码的居民，本次导入未写入任何数据，请重新检查后再导入。"
    ]
    assert list(Person.objects.values_list("name", flat=True)) == ["先登记"]
    assert not Household.objects.exists()


def test_the_mapping_step_is_remembered_for_the_org_and_file_shape(personas, client_for):
    header = ["姓名", "证件号码", "政治面貌", "序号"]
    job = upload(personas, xlsx([["张三", new_id(), "党员", 1]], header=header))
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING and job.layout["unmatched"] == [2, 3]
    page = client_for(personas.worker_a).get(f"/residents/imports/{job.pk}/").content.decode()
    assert "C列“政治面貌”" in page and "党员" in page and "并入备注" in page
    client_for(personas.worker_a).post(f"/residents/imports/{job.pk}/columns/", {"col_2": "+notes", "col_3": ""})
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.added == 1
    assert ImportMapping.objects.get(org=personas.community_a).mapping == {"政治面貌": "+notes", "序号": ""}
    again = upload(personas, xlsx([["李四", new_id(), "群众", 2]], header=header))
    again.refresh_from_db()
    assert again.status == ImportStatus.CHECKED
    jobs.job_confirm(actor=personas.worker_a, job=again)
    assert Person.objects.get().notes == "政治面貌:群众"


def test_a_mapping_that_leaves_a_column_unchosen_is_refused(personas, client_for):
    job = upload(personas, xlsx([["张三", new_id(), "党员"]], header=["姓名", "证件号码", "政治面貌"]))
    client_for(personas.worker_a).post(f"/residents/imports/{job.pk}/columns/", {})
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING and not ImportMapping.objects.exists()


def test_a_killed_import_can_be_restarted_once_stale(personas):
    job = upload(personas, xlsx([["张三", new_id(), "", "", "", ""]], header=HEADER))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, commit=True, heartbeat=datetime(2020, 1, 1, tzinfo=UTC)
    )
    job.refresh_from_db()
    assert jobs.is_stale(job)
    jobs.job_restart(actor=personas.worker_a, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == 1


def test_old_relation_values_become_national_codes(personas):
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    migration = MigrationLoader(None, ignore_no_migrations=True).get_migration("residents", "0004_rosters")
    convert = next(op.code for op in migration.operations if isinstance(op, RunPython))
    son, daughter = new_id(), new_id(male=False)
    rows = [["户主甲", new_id(), "", "H-1", "户主", ""], ["儿", son, "", "H-1", "子", ""]]
    rows.append(["女", daughter, "", "H-1", "女", ""])
    run(personas, rows)
    Person.objects.filter(name="户主甲").update(relation="head")
    Person.objects.filter(name__in=["儿", "女"]).update(relation="child")
    convert(apps, None)
    assert dict(Person.objects.values_list("name", "relation")) == {"户主甲": "02", "儿": "20", "女": "30"}


def test_the_household_page_shows_relation_labels(personas, client_for):
    run(personas, [["张三", new_id(), "", "H-1", "户主", ""], ["张小红", new_id(male=False), "", "H-1", "长女", ""]])
    household = Person.objects.get(name="张三").household
    page = client_for(personas.worker_a).get(f"/residents/households/{household.pk}/").content.decode()
    assert "户主" in page and "长女" in page
