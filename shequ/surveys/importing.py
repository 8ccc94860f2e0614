"""Importing answers from a spreadsheet: all or nothing, with a report of every row's errors.

The sheet has a header row: 问卷编号 (a sampled respondent's number; empty for an open survey), optionally
性别 and 年龄, then one column per question headed by its number (``1``, ``题1`` or ``第1题``), holding the
letters or digits a paper form is typed with.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from python_calamine import CalamineWorkbook

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.surveys.entry import parse_paper, record_response
from shequ.surveys.models import Channel, Survey

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
QUESTION_HEADER = re.compile(r"^(?:第|题)?\s*(\d+)\s*题?$")


@dataclass
class Report:
    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number in the sheet, message)


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v if v is not None else "").strip()


def read_rows(upload) -> list[list[str]]:
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("文件超过5MB。")
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError("无法识别csv文件的编码，请另存为UTF-8。")
        return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if name.endswith((".xlsx", ".xls")):
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        except Exception as exc:  # the reader raises its own errors for a damaged file
            raise ValidationError("无法读取表格文件，请确认是xlsx格式。") from exc
        return [[_cell(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
    raise ValidationError("请上传xlsx或csv文件。")


def import_answers(*, actor, survey: Survey, upload) -> Report:
    """Check every row; save them all in one transaction only when no row has an error."""
    access.check(actor, survey.org, Perm.RECORD_WORK, survey.area_id)
    rows = [r for r in read_rows(upload) if any(r)]
    if len(rows) < 2:
        raise ValidationError("表格中没有答卷（第一行为表头，从第二行起每行一份答卷）。")
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(f"一次最多导入{MAX_ROWS}份答卷。")
    header = rows[0]
    questions = list(survey.questions.all())
    numbers = {q.number for q in questions}
    cols: dict[int, int] = {}
    number_col = gender_col = age_col = None
    for i, h in enumerate(header):
        m = QUESTION_HEADER.match(h.replace(" ", ""))
        if h in ("问卷编号", "编号"):
            number_col = i
        elif h == "性别":
            gender_col = i
        elif h == "年龄":
            age_col = i
        elif m and int(m.group(1)) in numbers:
            cols[int(m.group(1))] = i
    missing = sorted(numbers - set(cols))
    if missing:
        raise ValidationError(f"表头缺少题目列：{'、'.join(str(n) for n in missing)}（列名写题号，如“1”或“第1题”）。")
    respondents = {r.number: r for r in survey.respondents.select_related("response")}
    if respondents and number_col is None:
        raise ValidationError("表头缺少“问卷编号”列。")
    report, parsed, seen = Report(), [], set()
    for line, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        respondent = None
        if respondents:
            raw = row[number_col]
            respondent = respondents.get(int(raw)) if raw.isdigit() else None
            if respondent is None:
                report.errors.append((line, f"问卷编号“{raw}”不在本次样本中。"))
                continue
            if raw in seen or hasattr(respondent, "response"):
                report.errors.append((line, f"{raw}号调查对象已有答卷。"))
                continue
            seen.add(raw)
        try:
            given = parse_paper(questions, {n: row[c] for n, c in cols.items()})
        except ValidationError as exc:
            report.errors.extend((line, m) for m in exc.messages)
            continue
        gender = {"男": "M", "女": "F"}.get(row[gender_col], "") if gender_col is not None else ""
        age_raw = row[age_col] if age_col is not None else ""
        age = int(age_raw) if age_raw.isdigit() and 0 < int(age_raw) < 121 else None
        parsed.append((line, respondent, given, gender, age))
    if report.errors:
        return report
    with transaction.atomic():
        for line, respondent, given, gender, age in parsed:
            try:
                record_response(
                    actor=actor,
                    survey=survey,
                    given=given,
                    channel=Channel.IMPORT,
                    respondent=respondent,
                    gender=gender,
                    age=age,
                    audit_it=False,
                )
            except ValidationError as exc:
                report.errors.extend((line, m) for m in exc.messages)
        if report.errors:
            transaction.set_rollback(True)
            return report
        report.saved = len(parsed)
        audit(actor, "survey.import", survey, {"responses": report.saved})
    return report
