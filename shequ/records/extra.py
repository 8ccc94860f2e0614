"""The extra fields an activity type declares: schema check, form fields, clean values, display.

A schema is a list of ``{"name", "label", "kind", "required"?, "choices"?, "help"?}`` with kind one of
text, textarea, int, money, date, choice, multichoice. Values live in ``Record.extra`` under ``name``:
text/choice as str, int as int, money as a str of yuan with two decimals ("1200.50", summed in SQL),
date as ``YYYY-MM-DD``, multichoice as a list of str, duration as whole seconds (typed "3分20秒", "200秒", "4分钟",
"3:20" or a number of seconds; shown as 3分20秒).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

KINDS = {
    "text": "单行文本",
    "textarea": "多行文本",
    "int": "整数",
    "money": "金额（元）",
    "date": "日期",
    "duration": "时长（分秒）",
    "choice": "单选",
    "multichoice": "多选",
}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FORM_PREFIX = "x_"


def validate_schema(schema) -> list[dict]:
    """Check an ``extra_fields`` schema typed by an administrator; raise a Chinese ValidationError."""
    if not isinstance(schema, list):
        raise ValidationError("附加字段应为列表（JSON数组）。")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(schema, start=1):
        if not isinstance(item, dict):
            raise ValidationError(f"第{i}个附加字段应为对象。")
        name, label, kind = item.get("name"), item.get("label"), item.get("kind", "text")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ValidationError(f"第{i}个附加字段的 name 应为小写字母开头的英文、数字或下划线。")
        if name in seen:
            raise ValidationError(f"附加字段 name “{name}” 重复。")
        seen.add(name)
        if not isinstance(label, str) or not label.strip():
            raise ValidationError(f"附加字段“{name}”缺少 label（中文名称）。")
        if kind not in KINDS:
            raise ValidationError(f"附加字段“{label}”的类型 kind 应为：{'、'.join(KINDS)}。")
        choices = item.get("choices")
        well_formed = isinstance(choices, list) and choices and all(isinstance(c, str) and c for c in choices)
        if kind in {"choice", "multichoice"} and not well_formed:
            raise ValidationError(f"附加字段“{label}”是选择题，需要 choices（选项列表）。")
        clean = {"name": name, "label": label.strip(), "kind": kind, "required": bool(item.get("required", False))}
        if kind in {"choice", "multichoice"}:
            clean["choices"] = choices
        if item.get("help"):
            clean["help"] = str(item["help"])
        out.append(clean)
    return out


DURATION_RE = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m))?\s*(?:(\d+)\s*(?:秒钟|秒|s)?)?$", re.I)
MAX_SECONDS = 24 * 3600


def seconds_text(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return f"{rest}秒"
    return f"{minutes}分{rest}秒" if rest else f"{minutes}分钟"


class DurationField(forms.Field):
    """A time span typed as people say it, cleaned to whole seconds."""

    widget = forms.TextInput

    def prepare_value(self, value):
        return seconds_text(value) if isinstance(value, int) else value

    def to_python(self, value):
        if isinstance(value, int):
            return value
        text = str(value or "").strip().replace("：", ":")
        if not text:
            return None
        if ":" in text:
            mins, _, secs = text.partition(":")
            text = f"{mins}分{secs}秒"
        m = DURATION_RE.match(text)
        if m is None or not (m.group(1) or m.group(2)):
            raise ValidationError("请写成如“3分20秒”“200秒”或“4分钟”。")
        seconds = round(float(m.group(1) or 0) * 60) + int(m.group(2) or 0)
        if seconds > MAX_SECONDS:
            raise ValidationError("时长不能超过24小时。")
        return seconds


def form_field(spec: dict) -> forms.Field:
    kind, label, required = spec["kind"], spec["label"], spec.get("required", False)
    common = {"label": label, "required": required, "help_text": spec.get("help", "")}
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
    if kind == "int":
        return forms.IntegerField(min_value=0, max_value=10_000_000, **common)
    if kind == "money":
        top = Decimal("9999999999.99")
        return forms.DecimalField(min_value=0, max_value=top, max_digits=12, decimal_places=2, **common)
    if kind == "duration":
        return DurationField(**common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in spec["choices"])], **common)
    if kind == "multichoice":
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in spec["choices"]], widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=500, **common)


def add_form_fields(form: forms.Form, schema: list[dict]) -> list[str]:
    """Add the schema's fields to ``form`` (prefixed ``x_``); returns the form field names."""
    names = []
    for spec in schema:
        key = FORM_PREFIX + spec["name"]
        form.fields[key] = form_field(spec)
        names.append(key)
    return names


def initial_from(extra: dict, schema: list[dict]) -> dict:
    return {FORM_PREFIX + s["name"]: extra.get(s["name"]) for s in schema if s["name"] in extra}


def _stored(value):
    """A cleaned value as JSON keeps it: dates as ISO text, amounts as text with two decimals."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01')):f}"
    return value


def values_from_form(cleaned: dict, schema: list[dict]) -> dict:
    out = {}
    for spec in schema:
        value = cleaned.get(FORM_PREFIX + spec["name"])
        if value in (None, "", []):
            continue
        out[spec["name"]] = _stored(value)
    return out


def clean_values(values: dict, schema: list[dict]) -> dict:
    """Check values given outside a form (API, imports) against the schema; unknown names are refused."""
    if not isinstance(values, dict):
        raise ValidationError({"extra": "附加信息应为对象。"})
    by_name = {s["name"]: s for s in schema}
    unknown = set(values) - set(by_name)
    if unknown:
        raise ValidationError({"extra": f"此活动类型没有这些附加字段：{'、'.join(sorted(unknown))}。"})
    out: dict = {}
    errors: list[str] = []
    for name, spec in by_name.items():
        field = form_field(spec)
        raw = values.get(name)
        try:
            value = field.clean(raw if raw is not None else ([] if spec["kind"] == "multichoice" else ""))
        except ValidationError as exc:
            errors.append(f"{spec['label']}：{'；'.join(exc.messages)}")
            continue
        if value in (None, "", []):
            continue
        out[name] = _stored(value)
    if errors:
        raise ValidationError({"extra": errors})
    return out


def display(extra: dict, schema: list[dict]) -> list[tuple[str, str]]:
    """``[(label, text)]`` in schema order, for detail pages and ledgers."""
    rows = []
    for spec in schema:
        value = extra.get(spec["name"])
        if value in (None, "", []):
            continue
        if spec["kind"] == "duration" and isinstance(value, int):
            rows.append((spec["label"], seconds_text(value)))
            continue
        text = "、".join(value) if isinstance(value, list) else str(value)
        rows.append((spec["label"], f"{text}元" if spec["kind"] == "money" else text))
    return rows
