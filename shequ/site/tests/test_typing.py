"""Every service names the acting user as a typed parameter (``actor: User``); mypy checks the rest.

The audit writer is the exception that proves it: it sits below the accounts app and also logs what anonymous
visitors were refused, so its ``actor`` is any user or none.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
NOT_SERVICES = {"audit/services.py"}


def _service_modules() -> list[Path]:
    found = {*PACKAGE.glob("*/services.py"), *PACKAGE.glob("*/services/*.py"), *PACKAGE.glob("*/*/services.py")}
    return sorted(p for p in found if str(p.relative_to(PACKAGE)) not in NOT_SERVICES and "tests" not in p.parts)


def _untyped_actors(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if arg.arg == "actor" and (arg.annotation is None or "User" not in ast.unparse(arg.annotation)):
                out.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    return out


def test_the_scan_sees_the_services_of_every_line_of_work():
    names = {str(p.relative_to(PACKAGE)) for p in _service_modules()}
    assert {"residents/services.py", "records/services.py", "plans/services.py", "cases/services/moves.py"} <= names


def test_every_service_types_its_acting_user():
    assert [hit for path in _service_modules() for hit in _untyped_actors(path)] == []
