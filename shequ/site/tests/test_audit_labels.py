"""Every action the code writes to the audit log has a Chinese name, and the log shows it."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from shequ.audit.models import action_label, action_labels
from shequ.audit.services import audit

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r"""(?:audit|audit_many|refused)\(\s*[^,()]*,\s*["']([a-z_]+\.[a-z_]+)["']""")


def _written_actions() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(WRITTEN.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_written_action_has_a_chinese_name():
    actions = _written_actions()
    assert {"case.register", "record.create", "user.create"} <= actions  # the scan finds the writers
    missing = sorted(a for a in actions if a not in action_labels())
    assert not missing, f"actions without a Chinese name (audit_actions on the app's AppConfig): {missing}"


def test_case_moves_are_named_by_the_workflow():
    assert action_label("case.accept") == "事项受理分派"
    assert action_label("case.supervise") == "事项督办"


def test_the_log_shows_chinese_names_not_codes(personas, client_for):
    audit(personas.worker_a, "case.evaluate", personas.community_a)
    body = client_for(personas.admin).get(reverse("audit:list")).content.decode()
    assert "事项回访评价" in body
    shown = re.sub(r'="[^"]*"', "", body)  # the text people read, without attribute values
    assert "case.evaluate" not in shown


def test_the_log_filters_by_action_person_org_and_object(personas, client_for):
    audit(personas.worker_a, "record.create", personas.community_a, org=personas.community_a)
    audit(personas.worker_b, "record.create", personas.community_b, org=personas.community_b)
    audit(personas.worker_a, "case.register", personas.community_a, org=personas.community_a)
    client = client_for(personas.admin)
    url = reverse("audit:list")
    body = client.get(url, {"action": "record.create", "org": personas.community_a.pk}).content.decode()
    assert body.count("登记工作记录</span>") == 1 and "登记事项</span>" not in body
    body = client.get(url, {"who": "社区B专干"}).content.decode()
    assert "社区B专干" in body and "社区A专干</td>" not in body
    body = client.get(url, {"object_type": "orgs.org", "object_id": personas.community_b.pk}).content.decode()
    assert body.count("登记工作记录</span>") == 1


def test_the_log_is_exported_through_the_ledger_layer(personas, client_for):
    import io

    from openpyxl import load_workbook

    from shequ.audit.models import AuditLog

    audit(personas.worker_a, "case.evaluate", personas.community_a, org=personas.community_a)
    year = AuditLog.objects.latest("pk").created_at.year
    url = reverse("ledgers:export", args=["audit", personas.district.pk, year, "xlsx"])
    response = client_for(personas.admin).get(url, {"action": "case.evaluate"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "事项回访评价" in values and "社区A专干" in values
    assert AuditLog.objects.filter(action="ledger.export", detail__ledger="audit").exists()
    assert client_for(personas.worker_a).get(url).status_code in {403, 404}
