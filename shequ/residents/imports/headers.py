"""Header mapping: the columns of the import template, their Chinese headers and aliases, and finding the
header row of an uploaded table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shequ.residents import idnumbers
from shequ.residents.imports.reading import ImportFileError, cell_text


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    text: bool = False  # the template formats this column as text


COLUMNS: list[Col] = [
    Col("姓名", "name", True),
    Col("证件类型", "id_type", help="居民身份证(默认)、港澳台居民居住证、护照、其他"),
    Col("证件号码", "id_number", True, ("身份证号码", "身份证号", "公民身份号码"), "18位身份证号码;请用文本格式", True),
    Col("性别", "gender", help="男/女;身份证号码可推出,可不填"),
    Col("出生日期", "birth_date", help="如 1980-01-31;身份证号码可推出,可不填"),
    Col("联系电话", "phone", aliases=("电话", "手机", "手机号"), text=True),
    Col("社区", "org", aliases=("社区/村", "村/社区", "所属社区"), help="导入到街道以上时必填"),
    Col("网格", "grid", aliases=("所属网格", "村民小组/网格")),
    Col("户号", "household", text=True),
    Col("与户主关系", "relation", help="户主、配偶、子女、父母……"),
    Col("小区", "estate"),
    Col("楼栋", "building", text=True),
    Col("单元", "unit_no", text=True),
    Col("房号", "room", text=True),
    Col("村民小组", "village_group"),
    Col("门牌", "house_no", aliases=("门牌号",), text=True),
    Col("居住状态", "residence_status", help="户籍、常住、流动、寄住"),
    Col("民族", "ethnicity"),
    Col("文化程度", "education", help="未上学、小学、初中、高中/中专、大专、本科、研究生"),
    Col("职业", "occupation"),
    Col("迁入日期", "moved_in_on"),
    Col("备注", "notes"),
]
HEADERS = {c.key: c.header for c in COLUMNS}
_HEADER_KEYS = {name: c.key for c in COLUMNS for name in (c.header, *c.aliases)}


def locate_header(rows: Sequence[Sequence]) -> tuple[int, dict[int, str], list[str]]:
    """Find the header row among the first ten (a template may carry a title above it)."""
    for index, row in enumerate(rows[:10]):
        cells = [cell_text(v) for v in row]
        if "姓名" in cells:
            mapping: dict[int, str] = {}
            ignored = []
            for col, header in enumerate(cells):
                key = _HEADER_KEYS.get(header.replace("*", "").strip())
                if key and key not in mapping.values():
                    mapping[col] = key
                elif header:
                    ignored.append(header)
            missing = [c.header for c in COLUMNS if c.required and c.key not in mapping.values()]
            if missing:
                raise ImportFileError(f"表头缺少必填列:{'、'.join(missing)}。请使用下载的导入模板。")
            return index, mapping, ignored
    raise ImportFileError("没有找到表头行(应有“姓名”“证件号码”等列)。请使用下载的导入模板。")


TEMPLATE_EXAMPLES = [
    {
        "name": "张三",
        "id_type": "居民身份证",
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "household": "A-001",
        "relation": "户主",
        "estate": "幸福家园",
        "building": "3",
        "unit_no": "2",
        "room": "301",
        "residence_status": "户籍",
        "ethnicity": "汉族",
        "education": "高中/中专",
        "occupation": "退(离)休人员",
    },
    {
        "name": "李四",
        "id_type": "居民身份证",
        "id_number": idnumbers.make_resident_id("110105", date(1952, 3, 8), 37),
        "household": "A-001",
        "relation": "配偶",
        "estate": "幸福家园",
        "building": "3",
        "unit_no": "2",
        "room": "301",
        "residence_status": "户籍",
        "ethnicity": "汉族",
        "education": "初中",
    },
]


def template_rows() -> list[list[str]]:
    """Two example rows for the downloadable template, in column order."""
    return [[example.get(c.key, "") for c in COLUMNS] for example in TEMPLATE_EXAMPLES]
