"""Chinese UI text uses full-width punctuation: no half-width , : ; ( ) ? ! between Chinese characters.

Scans every template and the message strings of the code: flashed messages, errors (ValidationError,
PermissionDenied, Http404, a workflow's refusal, a form's add_error), form labels and help texts, and the API's
summaries. Code, comments and docstrings (English) are not UI text and are left alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
HAN = r"[\u3400-\u9fff]"
CJK_AFTER = r"[\u3400-\u9fff，。；：！？、“”（）]"
HALF_WIDTH = re.compile(rf"(?<={HAN})[,;:?!(](?={HAN})|(?<={HAN})\)(?={CJK_AFTER})|(?<={CJK_AFTER})\((?={HAN})")
MESSAGE_CALLS = {
    "success",
    "error",
    "warning",
    "info",
    "ValidationError",
    "PermissionDenied",
    "Http404",
    "TransitionError",
    "add_error",
}
MESSAGE_KWARGS = {"label", "help_text", "summary", "empty_label", "success"}


def _strings(node: ast.AST):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.lineno, sub.value


def _messages(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in MESSAGE_CALLS:
            for arg in node.args:
                yield from _strings(arg)
        for kw in node.keywords:
            if kw.arg in MESSAGE_KWARGS or name in MESSAGE_CALLS:
                yield from _strings(kw.value)


def _offences(text: str) -> list[str]:
    return [text[max(0, m.start() - 8) : m.end() + 8] for m in HALF_WIDTH.finditer(text)]


def test_the_rule_finds_half_width_punctuation_between_chinese_characters():
    assert _offences("已撤销,历史数据保留") and _offences("撤下(未删除)。") and _offences("地点:现场")
    assert not _offences("已撤销，历史数据保留（未删除）。") and not _offences("the ledger (台账) of cases: 事项")


def test_templates_use_full_width_punctuation():
    found = [
        f"{path.relative_to(PACKAGE)}:{n}: {hit}"
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for hit in _offences(line)
    ]
    assert found == []


def test_messages_labels_and_summaries_use_full_width_punctuation():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PACKAGE)}:{n}: {hit}" for n, text in _messages(tree) for hit in _offences(text)]
    assert found == []
