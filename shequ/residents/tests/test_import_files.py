"""Files as offices keep them: old Excel and WPS files, csv in every encoding, titles, notes, two-row headers,
blank rows and columns, totals, several sheets, other header words, and columns mapped by the worker."""

import csv
import io
from datetime import date

import pytest
import xlsxwriter
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile

from shequ.residents.idnumbers import make_resident_id
from shequ.residents.imports import ImportFileError, NeedsMapping, open_source, run_import
from shequ.residents.imports.headers import COLUMNS, find_layout
from shequ.residents.models import Household, Person
from shequ.residents.tests.helpers import new_id

pytestmark = pytest.mark.django_db
ZHANG = make_resident_id("420199", date(1961, 4, 9), 13)
LI = make_resident_id("420199", date(1963, 8, 2), 24)


def run(personas, data: bytes, name: str, commit=True, **kw):
    return run_import(
        actor=personas.worker_a, org=personas.community_a, table=open_source(data, name), commit=commit, **kw
    )


def xls(rows, sheet="居民") -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook(sheets: dict, merges=()) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
        for first_row, first_col, last_row, last_col, text in merges if name == next(iter(sheets)) else ():
            ws.merge_range(first_row, first_col, last_row, last_col, text)
    wb.close()
    return buf.getvalue()


def csv_bytes(rows, encoding: str, delimiter=",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode(encoding)


ROWS = [["姓名", "证件号码", "户号", "与户主关系"], ["张三", ZHANG, "A-1", "户主"], ["李秀英", LI, "A-1", "老伴"]]


@pytest.mark.parametrize("name", ["名册.xls", "名册.et"])
def test_old_excel_and_wps_files_import(personas, name):
    result = run(personas, xls(ROWS), name)
    assert result.committed and result.added == 2
    assert Household.objects.get().members.count() == 2
    assert Person.objects.get(name="李秀英").relation == "10"


@pytest.mark.parametrize(
    ("encoding", "name"), [("gbk", "a.csv"), ("gb18030", "a.csv"), ("utf-8", "a.csv"), ("utf-8-sig", "a.csv")]
)
def test_csv_in_every_encoding_imports(personas, encoding, name):
    rows = [*ROWS, ["𠀾䶮", new_id(), "A-1", "子"]] if encoding in ("gb18030", "utf-8", "utf-8-sig") else ROWS
    result = run(personas, csv_bytes(rows, encoding), name)
    assert result.committed and result.added == len(rows) - 1
    assert Person.objects.filter(name="李秀英").exists()


def test_unicode_text_with_tabs_imports(personas):
    result = run(personas, csv_bytes(ROWS, "utf-16", delimiter="\t"), "名册.txt")
    assert result.committed and result.added == 2


def test_a_text_table_saved_with_an_xls_name_is_read_as_text(personas):
    assert run(personas, csv_bytes(ROWS, "gbk", delimiter="\t"), "导出.xls").added == 2


def test_renamed_and_encrypted_files_are_refused_clearly(personas):
    with pytest.raises(ImportFileError, match="不是有效的Excel文件"):
        run(personas, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.xls")
    with pytest.raises(ImportFileError, match="无法读取此Excel文件"):
        run(personas, b"PK\x03\x04 a word document", "a.xlsx")
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(workbook({"s": ROWS}))).encrypt("secret", encrypted)
    with pytest.raises(ImportFileError, match="打开密码"):
        run(personas, encrypted.getvalue(), "a.xlsx")


def test_a_workbook_over_the_size_limit_is_refused_with_split_advice(personas, settings):
    settings.RESIDENTS_IMPORT_MAX_SHEET_MB = 0
    with pytest.raises(ImportFileError, match="请拆分文件后分批导入"):
        run(personas, workbook({"s": ROWS}), "a.xlsx")
    settings.RESIDENTS_IMPORT_MAX_SHEET_MB = 0
    assert run(personas, csv_bytes(ROWS, "utf-8"), "a.csv").committed  # a csv is streamed at any size


def test_title_notes_two_row_header_blank_rows_columns_and_totals(personas):
    rows = [
        ["幸福社区居民花名册(2026年3月)", None, None, None, None, None, None, None],
        ["填报单位:幸福社区居委会", None, None, None, None, None, None, None],
        [None, None, None, None, None, None, None, None],
        [None, "序号", "基本信息", None, None, "居住信息", None, None],
        [None, None, "姓名", "公民身份号码", "联系方式", "现住址", "户编号", "户主关系"],
        [None, 1, "张三", ZHANG, "+86 138 0000 1111", "幸福小区3栋2单元501室", "A-1", "户主"],
        [None, None, None, None, None, None, None, None],
        [None, 2, "李秀英", LI, "138-0000-2222", "幸福小区3栋2单元501室", "A-1", "配偶"],
        [None, "合计", "2人", None, None, None, None, None],
        [None, "注:本表由网格员核对,如有变动请及时更新。", None, None, None, None, None, None],
    ]
    merges = [(3, 2, 3, 4, "基本信息"), (3, 5, 3, 7, "居住信息"), (3, 1, 4, 1, "序号")]
    data = workbook({"花名册": rows}, merges)
    with pytest.raises(NeedsMapping) as need:
        run(personas, data, "a.xlsx")
    assert [need.value.layout.headers[c] for c in need.value.layout.unmatched] == ["序号"]
    result = run(personas, data, "a.xlsx", choices={"1": ""})
    assert result.committed and result.total == 2
    assert {s["reason"] for s in result.skipped} == {"合计行", "说明行"}
    zhang = Person.objects.get(name="张三")
    assert (zhang.phone, zhang.estate, zhang.building, zhang.unit_no, zhang.room) == (
        "13800001111",
        "幸福小区",
        "3",
        "2",
        "501",
    )
    assert zhang.address == "幸福小区3栋2单元501室" and zhang.household.head == zhang


def test_several_sheets_take_the_roster_with_most_rows_or_the_chosen_one(personas):
    other = [ROWS[0], ["王伟", make_resident_id("420199", date(1990, 1, 15), 35)]]
    sheets = {"说明": [["说明"], ["请按模板填写"], ["..."], ["..."], ["..."]], "一组": other, "二组": ROWS}
    result = run(personas, workbook(sheets), "a.xlsx", commit=False)
    assert result.sheet == "二组" and result.added == 2
    assert [s["name"] for s in result.sheets] == ["说明", "一组", "二组"]
    chosen = run_import(
        actor=personas.worker_a,
        org=personas.community_a,
        table=open_source(workbook(sheets), "a.xlsx", sheet="一组"),
        commit=False,
    )
    assert chosen.sheet == "一组" and chosen.added == 1


def test_an_address_that_cannot_be_split_is_kept_whole(personas):
    rows = [["姓名", "身份证号", "家庭住址"], ["张三", ZHANG, "江岸区解放大道1000号附近平房"]]
    run(personas, workbook({"s": rows}), "a.xlsx")
    zhang = Person.objects.get()
    assert zhang.address_line == "江岸区解放大道1000号附近平房" and zhang.address == zhang.address_line


def test_an_unknown_column_is_mapped_into_notes_or_a_field(personas):
    rows = [["姓名", "证件号码", "政治面貌", "手机"], ["张三", ZHANG, "党员", "13800001111"]]
    data = workbook({"s": rows})
    with pytest.raises(NeedsMapping) as need:
        run(personas, data, "a.xlsx")
    layout = need.value.layout
    assert layout.unmatched == [2] and layout.preview[2] == ["党员"]
    result = run(personas, data, "a.xlsx", choices={"2": "+notes"})
    assert result.committed and Person.objects.get().notes == "政治面貌:党员"


@pytest.mark.parametrize(
    ("header", "key"),
    [(name, c.key) for c in COLUMNS for name in (c.header, *c.aliases)],
)
def test_every_header_word_finds_its_field(header, key):
    other = "姓名" if key == "id_number" else "证件号码"
    assert find_layout([[header, other]]).matched[0] == key


@pytest.mark.parametrize("header", ["*姓名", "姓名(必填)", " 姓 名 ", "姓名:", "姓名※"])
def test_marks_of_required_columns_are_ignored_in_headers(header):
    assert find_layout([[header, "证件号码"]]).matched == {0: "name", 1: "id_number"}


def test_the_worker_switches_to_another_sheet_on_the_page(personas, client_for, settings, tmp_path):
    from django.core.files.base import ContentFile

    from shequ.residents.imports import jobs
    from shequ.residents.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    other = [ROWS[0], ["王伟", make_resident_id("420199", date(1990, 1, 15), 35), "B-1", "户主"]]
    data = workbook({"一组": other, "二组": ROWS})
    job = jobs.job_start(actor=personas.worker_a, org=personas.community_a, upload=ContentFile(data, name="a.xlsx"))
    job.refresh_from_db()
    assert job.sheet == "二组" and job.added == 2
    page = client_for(personas.worker_a).get(f"/residents/imports/{job.pk}/").content.decode()
    assert "一组（2行）" in page
    client_for(personas.worker_a).post(f"/residents/imports/{job.pk}/sheet/", {"sheet": "一组"})
    job = ImportJob.objects.get(pk=job.pk)
    assert job.sheet == "一组" and job.added == 1
