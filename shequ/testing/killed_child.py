"""Run by the kill -9 tests (``shequ.testing.killed``) in a process of their own: one operation, optionally paused at
a point to be killed there, or the state the operation leaves.

``python killed_child.py year_close USER ORG YEAR [PAUSE]`` and ``… case_move USER CASE ACTION [PAUSE]`` run the
service; PAUSE is ``module:function:before|after`` (a module of :data:`MODULES`): that function of that module is
replaced by one that prints ``PAUSED`` and waits (before or after calling the real one), for the test to kill the
process there.
``… dossier_build JOB [PAUSE]`` runs a dossier build job (``shequ.dossier.services.run_job``).
``… year_state ORG YEAR``, ``… case_state CASE`` and ``… dossier_state DOSSIER`` print the state as one JSON line
after ``STATE``.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django

django.setup()

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402

from shequ.accounts.models import User  # noqa: E402
from shequ.audit import chain  # noqa: E402
from shequ.audit.models import AuditLog  # noqa: E402
from shequ.cases.services import moves as case_moves  # noqa: E402
from shequ.dossier import build as dossier_build  # noqa: E402
from shequ.records import services as record_services  # noqa: E402

WAIT_SECONDS = 120
MODULES = {
    "records.services": record_services,
    "cases.moves": case_moves,
    "audit.chain": chain,
    "dossier.build": dossier_build,
}


def pause_at(point: str) -> None:
    module_name, name, when = point.split(":")
    module = MODULES[module_name]
    real = getattr(module, name)

    def paused(*args, **kwargs):
        if when == "after":
            out = real(*args, **kwargs)
        print("PAUSED", flush=True)
        time.sleep(WAIT_SECONDS)
        return out if when == "after" else real(*args, **kwargs)

    setattr(module, name, paused)


def audit_rows(action: str, object_id: int) -> int:
    return AuditLog._base_manager.filter(action=action, object_id=str(object_id)).count()


def year_close(user_pk: str, org_pk: str, year: str) -> None:
    from shequ.orgs.models import Org
    from shequ.records import services

    try:
        services.year_close(actor=User.objects.get(pk=user_pk), org=Org.objects.get(pk=org_pk), year=int(year))
    except ValidationError as exc:
        print("REFUSED " + "; ".join(exc.messages), flush=True)
        return
    print("DONE", flush=True)


def year_state(org_pk: str, year: str) -> dict:
    from shequ.records.models import YearClosure

    closures = list(YearClosure.objects.filter(org_id=org_pk, year=int(year)).values_list("pk", flat=True))
    audits = sum(audit_rows("year.close", pk) for pk in closures)
    return {"closures": len(closures), "audit_rows": audits, "chain_ok": chain.verify().ok}


def case_move(user_pk: str, case_pk: str, action: str) -> None:
    from shequ.cases import services
    from shequ.cases.models import Case

    case = Case.objects.get(pk=case_pk)
    try:
        services.case_move(actor=User.objects.get(pk=user_pk), case=case, action=action, note="需上级协调")
    except (ValidationError, PermissionDenied) as exc:  # made already: no longer the mover's, or not in the map
        print(f"REFUSED {exc}", flush=True)
        return
    print("DONE", flush=True)


def case_state(case_pk: str) -> dict:
    from shequ.cases.models import Case

    case = Case.objects.get(pk=case_pk)
    return {
        "state": case.state,
        "org": case.org_id,
        "version": case.version,
        "history": case.history.count(),
        "audit_rows": AuditLog._base_manager.filter(action__startswith="case.", object_id=str(case.pk)).count(),
        "chain_ok": chain.verify().ok,
    }


def dossier_job(job_pk: str) -> None:
    from shequ.dossier import services

    job = services.run_job(int(job_pk))
    print(f"DONE {job.state}", flush=True)


def dossier_state(dossier_pk: str) -> dict:
    import zipfile

    from django.core.files.storage import default_storage

    from shequ.dossier.models import Dossier

    d = Dossier.objects.get(pk=dossier_pk)
    whole = None
    if d.file and default_storage.exists(d.file):
        with default_storage.open(d.file) as f, zipfile.ZipFile(f) as zf:
            whole = zf.testzip() is None and len(zf.namelist())
    try:
        _, folder = default_storage.listdir(dossier_build.folder_of(d.pk))
    except FileNotFoundError:
        folder = []
    return {"state": d.state, "served": d.file.rsplit("/", 1)[-1], "whole_files": whole, "folder": sorted(folder)}


STATES = {"year_state": year_state, "case_state": case_state, "dossier_state": dossier_state}
OPS = {"year_close": (year_close, 3), "case_move": (case_move, 3), "dossier_build": (dossier_job, 1)}


def main() -> None:
    op, args = sys.argv[1], sys.argv[2:]
    if op in STATES:
        print("STATE " + json.dumps(STATES[op](*args)), flush=True)
        return
    run, arity = OPS[op]
    if len(args) > arity:
        pause_at(args[arity])
    run(*args[:arity])


if __name__ == "__main__":
    main()
