import csv
import io
from datetime import date

import pytest
import xlsxwriter

from shequ.audit.models import AuditLog
from shequ.residents import imports
from shequ.residents.idnumbers import make_resident_id
from shequ.residents.imports import ImportFileError, read_table, run_import
from shequ.residents.models import Household, Person
from shequ.residents.tests.helpers import new_id, register

pytestmark = pytest.mark.django_db
HEADER = [
    "姓名",
    "证件号码",
    "性别",
    "联系电话",
    "户号",
    "与户主关系",
    "小区",
    "楼栋",
    "单元",
    "房号",
    "网格",
    "居住状态",
]


def xlsx(rows, header=HEADER) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for r, row in enumerate([header, *rows]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


def good_rows(n=3):
    rows = []
    for i in range(n):
        name, relation = f"张{'三四五六七'[i % 5]}", "户主" if i == 0 else "子女"
        rows.append(
            [name, new_id(), "", f"1380000000{i}", "H-1", relation, "幸福家园", "3", "2", "301", "A第1网格", "户籍"]
        )
    return rows


def run(personas, data: bytes, commit: bool, name="f.xlsx", actor=None):
    return run_import(
        actor=actor or personas.worker_a, org=personas.community_a, rows=read_table(data, name), commit=commit
    )


def test_dry_run_counts_and_writes_nothing(personas):
    result = run(personas, xlsx(good_rows(3)), commit=False)
    assert result.ok and (result.total, result.added, result.updated) == (3, 3, 0)
    assert result.households_added == 1
    assert not Person.objects.exists() and not Household.objects.exists()


def test_import_writes_persons_households_and_the_head(personas):
    result = run(personas, xlsx(good_rows(3)), commit=True)
    assert result.committed and result.added == 3
    hh = Household.objects.get(org=personas.community_a, number="H-1")
    assert hh.members.count() == 3 and hh.head.name == "张三"
    p = Person.objects.get(name="张三")
    assert p.grid == personas.grid_a and p.name_initials == "zs" and p.address == "幸福家园3栋2单元301室"
    assert AuditLog.objects.filter(action="person.import").count() == 1
    # Only the rows' own timestamps are the import's time: no account was linked to anyone.
    assert p.created_at is not None and not Person.objects.filter(account_linked_at__isnull=False).exists()


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_error(personas):
    rows = good_rows(3)
    rows.append(["", new_id(), "", "", "", "", "", "", "", "", "", ""])  # row 5: no name
    rows.append(["王五", "110105194912310021", "", "", "", "", "", "", "", "", "", ""])  # row 6: check digit
    rows.append(["赵六", "11010519491231002X", "男", "12ab", "", "", "", "", "", "", "不存在网格", "长住"])  # row 7
    rows.append(["钱七", rows[0][1], "", "", "", "", "", "", "", "", "", ""])  # row 8: same as row 2
    result = run(personas, xlsx(rows), commit=True)
    assert not result.committed and not Person.objects.exists() and not Household.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (5, "姓名"),
        (6, "证件号码"),
        (7, "性别"),
        (7, "联系电话"),
        (7, "网格"),
        (7, "居住状态"),
        (8, "证件号码"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "校验位" in messages[(6, "证件号码")]
    assert "号码第17位表示女性" in messages[(7, "性别")]
    assert "与第2行" in messages[(8, "证件号码")]


def test_reimporting_the_same_file_adds_nothing(personas):
    data = xlsx(good_rows(3))
    run(personas, data, commit=True)
    again = run(personas, data, commit=True)
    assert again.ok and (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert Person.objects.count() == 3 and Household.objects.count() == 1


def test_reimport_updates_changed_cells_and_leaves_blank_ones(personas):
    rows = good_rows(2)
    run(personas, xlsx(rows), commit=True)
    rows[1][3] = "13911112222"
    rows[0][3] = ""  # blank: keep the stored phone
    result = run(personas, xlsx(rows), commit=True)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert Person.objects.get(name="张四").phone == "13911112222"
    assert Person.objects.get(name="张三").phone == "13800000000"


def test_a_person_registered_elsewhere_is_an_error_not_a_second_person(personas):
    number = new_id()
    register(personas.worker_b, personas.community_b, name="外人", id_number=number)
    result = run(personas, xlsx([["外人", number, *[""] * 10]]), commit=True)
    assert not result.ok and "已在其他社区登记" in result.errors[0].message
    assert Person.objects.count() == 1


def test_csv_in_gbk_and_numeric_id_cells_are_handled(personas):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["姓名", "身份证号码"])
    w.writerow(["孙八", make_resident_id("420199", date(1990, 1, 1), 11)])
    result = run(personas, buf.getvalue().encode("gb18030"), commit=True, name="a.csv")
    assert result.committed and Person.objects.get().name == "孙八"
    numeric = run(personas, xlsx([["周九", 420199199001010118]], header=["姓名", "证件号码"]), commit=False)
    assert "存成了数字" in numeric.errors[0].message


def test_missing_required_headers_are_explained(personas):
    with pytest.raises(ImportFileError, match="证件号码"):
        run(personas, xlsx([["x"]], header=["姓名"]), commit=False)
    with pytest.raises(ImportFileError, match="只能导入"):
        read_table(b"x", "a.docx")


def test_downloaded_template_is_recognised_and_its_example_rows_are_not_imported(personas, client_for):
    response = client_for(personas.worker_a).get("/residents/imports/template.xlsx")
    assert response.status_code == 200
    rows = read_table(response.content, "t.xlsx")
    assert rows[0][: len(imports.COLUMNS)] == [c.header for c in imports.COLUMNS]
    with pytest.raises(ImportFileError, match="没有数据行"):
        run_import(actor=personas.worker_a, org=personas.community_a, rows=rows, commit=True)
    rows.append(["王五", "", new_id()])
    result = run_import(actor=personas.worker_a, org=personas.community_a, rows=rows, commit=True)
    assert result.committed and result.added == 1 and Person.objects.get().name == "王五"
    assert [s["reason"] for s in result.skipped] == ["导入模板中的示例行"] * 2


def test_street_level_import_needs_the_community_column(personas):
    rows = [["甲", new_id(), "社区A"], ["乙", new_id(), ""], ["丙", new_id(), "社区C"]]
    result = run_import(
        actor=personas.supervisor,
        org=personas.street,
        rows=read_table(xlsx(rows, header=["姓名", "证件号码", "社区"]), "a.xlsx"),
        commit=False,
    )
    assert {(e.row, e.column) for e in result.errors} == {(3, "社区"), (4, "社区")}


@pytest.mark.django_db(transaction=True)
def test_an_import_of_its_own_reads_the_registry_beside_its_writes(personas, monkeypatch):
    """An import job runs in a transaction of its own: on PostgreSQL it then reads the registry (registered
    persons and households, new ids) through a second connection while the first one writes the previous batch.
    Over many batches it still finds the registered person and household, and links every new person."""
    from django.db import connection

    from shequ.residents.imports import run as running
    from shequ.residents.imports import writing

    rows = good_rows(3)
    run(personas, xlsx(rows), commit=True)  # committed: 张三 (head), 张四, 张五 in household H-1
    rows[1][3] = "13911112222"
    names = "一二三四五六七"
    rows += [
        [f"李{c}", new_id(), "", "", "H-2", "户主" if i == 0 else "子女", "幸福家园", "5", "1", "101", "", "户籍"]
        for i, c in enumerate(names)
    ]
    rows.append(["王一", new_id(), "", "", "H-1", "子女", "幸福家园", "3", "2", "301", "", "户籍"])
    aside = []
    real_init = writing.Writer.__init__

    def noted(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        aside.append(self.reads_aside)

    monkeypatch.setattr(writing.Writer, "__init__", noted)
    monkeypatch.setattr(running, "BATCH", 3)  # four batches
    result = run(personas, xlsx(rows), commit=True)
    assert result.committed and (result.added, result.updated, result.unchanged) == (8, 1, 2)
    assert aside == [connection.vendor == "postgresql"]
    registered = Household.objects.get(org=personas.community_a, number="H-1")
    assert registered.members.count() == 4 and registered.head.name == "张三"
    new = Household.objects.get(org=personas.community_a, number="H-2")
    assert new.members.count() == 7 and new.head.name == "李一" and new.address == "幸福家园5栋1单元101室"
    assert Person.objects.get(name="张四").phone == "13911112222"
    assert result.households_added == 1
