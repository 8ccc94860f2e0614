"""The columns of the import and finding them in a file as people lay it out: a title or notes above the header,
header cells merged across two rows, header words other than the template's (联系方式, 公民身份号码, 现住址 …),
blank columns, example rows from the template, notes and totals rows below the data.

``find_layout`` reads the first rows of a sheet and returns where the header is, which column holds which field,
and which columns it could not match: those go to the mapping step, where the worker chooses a field or "ignore"
for each; nothing is dropped unseen.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from shequ.residents import idnumbers
from shequ.residents.imports.reading import ImportFileError, cell_text
from shequ.residents.imports.values import clean

HEADER_SCAN = 30  # rows searched for the header
PREVIEW_ROWS = 5
NOTES = "+notes"  # mapping target: keep the column's values in 备注 as "header:value"


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    text: bool = False  # the template formats this column as text


COLUMNS: list[Col] = [
    Col("姓名", "name", True, ("名字", "居民姓名", "人员姓名", "成员姓名", "户籍姓名", "家庭成员姓名")),
    Col(
        "证件类型",
        "id_type",
        aliases=("证件种类", "身份证件类型", "证件名称"),
        help="居民身份证(默认)、港澳台居民居住证、护照、其他",
    ),
    Col(
        "证件号码",
        "id_number",
        True,
        ("身份证号码", "身份证号", "公民身份号码", "身份证", "证件号", "身份证件号码", "身份号码", "公民身份证号码"),
        "18位身份证号码;请用文本格式",
        True,
    ),
    Col("性别", "gender", help="男/女;身份证号码可推出,可不填"),
    Col(
        "出生日期",
        "birth_date",
        aliases=("出生年月", "出生年月日", "生日", "出生时间"),
        help="如 1980-01-31、1980/1/31、1980年1月31日;身份证号码可推出,可不填",
    ),
    Col(
        "联系电话",
        "phone",
        aliases=("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "联系号码", "本人电话", "移动电话"),
        help="手机或带区号的座机;几个号码用“/”隔开,第一个以外的记入备注",
        text=True,
    ),
    Col(
        "社区",
        "org",
        aliases=("社区/村", "村/社区", "所属社区", "社区名称", "村(社区)", "所属村(社区)"),
        help="导入到街道以上时必填",
    ),
    Col("网格", "grid", aliases=("所属网格", "网格名称", "村民小组/网格")),
    Col("户号", "household", aliases=("户编号", "家庭编号", "户口编号", "户籍编号"), text=True),
    Col(
        "与户主关系",
        "relation",
        aliases=("户主关系", "与户主的关系", "家庭关系", "关系"),
        help="户主、配偶、子、女、父亲、母亲……(GB/T 4761),也可写儿子、女儿、老伴等",
    ),
    Col("小区", "estate", aliases=("小区名称", "所在小区")),
    Col("楼栋", "building", aliases=("楼号", "栋", "幢", "栋号"), text=True),
    Col("单元", "unit_no", aliases=("单元号",), text=True),
    Col("房号", "room", aliases=("房间号", "户室号", "室"), text=True),
    Col("村民小组", "village_group", aliases=("小组", "所在组", "组")),
    Col("门牌", "house_no", aliases=("门牌号", "门牌号码"), text=True),
    Col(
        "现住址",
        "address_line",
        aliases=(
            "家庭住址",
            "居住地址",
            "地址",
            "住址",
            "详细地址",
            "现居住地址",
            "居住地",
            "现居住地",
            "实际居住地址",
        ),
        help="一格写全的地址,如 幸福小区3栋2单元501室、3-2-501、第三村民小组18号;拆不开的按原样保存",
    ),
    Col("居住状态", "residence_status", aliases=("人口类型", "人员类型", "人口类别"), help="户籍、常住、流动、寄住"),
    Col("民族", "ethnicity"),
    Col("文化程度", "education", aliases=("学历",), help="未上学、小学、初中、高中/中专、大专、本科、研究生"),
    Col("职业", "occupation"),
    Col("迁入日期", "moved_in_on", aliases=("入住日期", "迁入时间", "入住时间")),
    Col("备注", "notes", aliases=("说明",)),
]
HEADERS = {c.key: c.header for c in COLUMNS}
FIELD_CHOICES = [(c.key, c.header) for c in COLUMNS]
# Columns that carry nothing to keep (a running number, an age computed from the birth date): offered as
# "ignore" in the mapping step, still confirmed by the worker.
IGNORABLE = {"序号", "编号", "no", "no.", "年龄", "周岁"}


def normalise(header) -> str:
    """A header cell as compared: without spaces, marks of required columns (*, ※, (必填)) and a trailing colon."""
    text = clean(cell_text(header)).replace("*", "").replace("※", "")
    text = re.sub(r"\((必填|选填|必填项|可不填)\)$", "", text).rstrip(":：")
    return text.lower()


_HEADER_KEYS = {normalise(name): c.key for c in COLUMNS for name in (c.header, *c.aliases)}


@dataclass
class Layout:
    """Where the header is and what each column holds."""

    header_row: int  # index (from 0) of the last header row; data starts below it
    headers: list[str]  # per column, as written (a two-row header joined)
    matched: dict[int, str]  # column → field key found by its header
    unmatched: list[int] = field(default_factory=list)  # columns with a header or values but no field
    preview: dict[int, list[str]] = field(default_factory=dict)  # column → its first values
    shape: str = ""

    def as_dict(self) -> dict:
        return {
            "header_row": self.header_row,
            "headers": self.headers,
            "matched": {str(k): v for k, v in self.matched.items()},
            "unmatched": self.unmatched,
            "preview": {str(k): v for k, v in self.preview.items()},
            "shape": self.shape,
        }


def _fill_merged(rows: list[list], merged: Sequence) -> None:
    """Copy a merged cell's value into every cell it covers (in the rows read so far)."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if cell_text(row[c]) == "":
                    row[c] = value


def _matches(row: Sequence) -> int:
    return sum(1 for v in row if normalise(v) in _HEADER_KEYS)


def find_layout(first_rows: list[list], merged: Sequence = ()) -> Layout:
    """Find the header among the first rows (a title or notes may stand above it)."""
    rows = [list(r) for r in first_rows[:HEADER_SCAN]]
    _fill_merged(rows, merged)
    scores = [_matches(r) for r in rows]
    best = max(range(len(rows)), key=lambda i: (scores[i], -i), default=None)
    if best is None or scores[best] < 2:
        raise ImportFileError("没有找到表头行(应有“姓名”“证件号码”等列)。请使用下载的导入模板,或检查表头是否在前30行。")
    header = [cell_text(v) for v in rows[best]]
    end = best
    # A two-row header: the row below names more fields (基本信息 over 姓名/性别 …), or the row above does for
    # the cells of this row left empty by a merge.
    if best + 1 < len(rows) and scores[best + 1] >= 2 and not _looks_like_data(rows[best + 1]):
        below = [cell_text(v) for v in rows[best + 1]]
        header = _combine(header, below)
        end = best + 1
    if best > 0 and scores[best - 1] >= 1:
        above = [cell_text(v) for v in rows[best - 1]]
        header = _combine(above, header)
    width = max((len(r) for r in rows[end + 1 :]), default=0)
    header += [""] * (max(width, len(header)) - len(header))
    matched: dict[int, str] = {}
    for col, text in enumerate(header):
        key = _HEADER_KEYS.get(normalise(text))
        if key and key not in matched.values():
            matched[col] = key
    preview: dict[int, list[str]] = {}
    for col in range(len(header)):
        values = [cell_text(r[col]) for r in rows[end + 1 :] if col < len(r) and cell_text(r[col])]
        preview[col] = values[:PREVIEW_ROWS]
    unmatched = [c for c in range(len(header)) if c not in matched and (header[c] or preview[c])]
    while header and not header[-1] and not preview.get(len(header) - 1):
        header.pop()
    shape = hashlib.sha256("\x1f".join(normalise(h) for h in header).encode()).hexdigest()
    return Layout(end, header, matched, unmatched, preview, shape)


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    """Per column, the lower header cell where it names a field, else the upper one."""
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    out = []
    for u, low in zip(upper, lower, strict=True):
        if normalise(low) in _HEADER_KEYS or (low and normalise(u) not in _HEADER_KEYS):
            out.append(low)
        else:
            out.append(u or low)
    return out


def looks_like_roster(first_rows: list[list]) -> bool:
    """Whether a sheet's first rows hold a header of persons (two or more known column names in a row)."""
    return any(_matches(r) >= 2 for r in first_rows[:HEADER_SCAN])


def _looks_like_data(row: Sequence) -> bool:
    return any(len(idnumbers.normalize(cell_text(v))) >= 15 and cell_text(v)[:6].isdigit() for v in row)


def resolve_mapping(layout: Layout, chosen: dict[str, str]) -> dict[int, str]:
    """Column → field key (or NOTES) from the matched headers and the worker's choices ("" = ignore)."""
    mapping = dict(layout.matched)
    for col in layout.unmatched:
        key = chosen.get(str(col), chosen.get(layout.headers[col] if col < len(layout.headers) else "", ""))
        if key:
            mapping[col] = key
    missing = [c.header for c in COLUMNS if c.required and c.key not in mapping.values()]
    if missing:
        raise ImportFileError(f"表头缺少必填列:{'、'.join(missing)}。请在文件中加上这些列,或在列的对应中选择。")
    return mapping


def column_letter(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def column_label(headers: list[str], col: int) -> str:
    header = headers[col] if col < len(headers) else ""
    return f"{column_letter(col)}列“{header}”" if header else f"{column_letter(col)}列(无表头)"


# --- rows that are not persons -------------------------------------------------------------------------------

_TOTALS = re.compile(r"^(合计|总计|小计|共计|总人数|共\s*\d+\s*(人|户))")
_NOTE_PREFIXES = (
    "注",
    "说明",
    "填表",
    "制表",
    "审核",
    "备注:",
    "备注:",
    "统计时间",
    "单位:",
    "单位:",
    "联系人:",
    "联系人:",
)


def skip_reason(cells: Sequence, name_col: int | None, id_col: int | None) -> str:
    """Why a row is not a person ("" when it is one): blank, a totals row, or a notes row under the table."""
    if name_col is not None and id_col is not None and _a_person(cells, name_col, id_col):
        return ""
    filled = [c for c, v in enumerate(cells) if v is not None and v != ""]
    if not filled:
        return "blank"
    if name_col in filled and id_col in filled and len(filled) > 2:
        # the common case: a person's row; only a totals or notes word in its first cell can say otherwise
        first_value = cells[filled[0]]
        if not isinstance(first_value, str) or first_value[:1] not in _FLAG_CHARS:
            return ""
    first = clean(cell_text(cells[filled[0]]))
    if not first:
        return "blank" if all(not cell_text(cells[c]) for c in filled) else ""
    if _TOTALS.match(first) and (id_col is None or id_col not in filled):
        return "合计行"
    if first.startswith(_NOTE_PREFIXES) and (len(filled) <= 2 or len(first) > 20):
        return "说明行"
    if len(filled) == 1 and filled[0] not in (name_col, id_col) and len(first) > 10:
        return "说明行"
    return ""


_FLAG_CHARS = {p[0] for p in (*_NOTE_PREFIXES, "合", "总", "小", "共")} | {" ", "\u3000", "\t"}


def _a_person(cells: Sequence, name_col: int, id_col: int) -> bool:
    """The common case, told without listing the filled cells: name and ID number filled, a third cell filled,
    and a first filled cell that cannot open a totals or notes row."""
    width = len(cells)
    if name_col >= width or id_col >= width:
        return False
    name, number = cells[name_col], cells[id_col]
    if name is None or name == "" or number is None or number == "":
        return False
    first, count = None, 0
    for value in cells:
        if value is not None and value != "":
            if first is None:
                first = value
                if isinstance(value, str) and value[:1] in _FLAG_CHARS:
                    return False
            count += 1
            if count > 2:
                return True
    return False


# --- the template ----------------------------------------------------------------------------------------------

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
EXAMPLE_IDS = {(e["name"], e["id_number"]) for e in TEMPLATE_EXAMPLES}
EXAMPLE_NUMBERS = {number for _name, number in EXAMPLE_IDS}


def template_rows() -> list[list[str]]:
    """Two example rows for the downloadable template, in column order."""
    return [[example.get(c.key, "") for c in COLUMNS] for example in TEMPLATE_EXAMPLES]
