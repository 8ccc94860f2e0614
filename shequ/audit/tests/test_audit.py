from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from shequ.audit.models import AuditDeletionRefused, AuditLog
from shequ.audit.services import audit


def test_rows_cannot_be_changed(personas):
    row = audit(personas.admin, "test.thing")
    row.action = "other"
    with pytest.raises(AuditDeletionRefused):
        row.save()
    with pytest.raises(AuditDeletionRefused):
        AuditLog.objects.update(action="other")


def test_young_rows_cannot_be_deleted_by_any_path(personas):
    row = audit(personas.admin, "test.thing")
    with pytest.raises(AuditDeletionRefused):
        row.delete()
    with pytest.raises(AuditDeletionRefused):
        AuditLog.objects.all().delete()
    with pytest.raises(CommandError):
        call_command("prune_audit", days=30)
    assert AuditLog.objects.filter(pk=row.pk).exists()


def test_prune_removes_only_rows_past_retention(personas):
    old = AuditLog.objects.create(action="old", created_at=timezone.now() - timedelta(days=400))
    young = audit(personas.admin, "young")
    call_command("prune_audit", days=365)
    assert not AuditLog.objects.filter(pk=old.pk).exists()
    assert AuditLog.objects.filter(pk=young.pk).exists()


def test_admin_lists_and_filters_the_log(personas, client_for):
    audit(personas.worker_a, "org.update", personas.community_a)
    audit(personas.worker_b, "org.update", personas.community_b)
    audit(personas.worker_a, "auth.login")
    client = client_for(personas.admin)
    body = client.get(reverse("audit:list"), {"action": "org.update"}).content.decode()
    rows = body[body.index("<tbody>") :]
    assert "社区A专干" in rows and "社区B专干" in rows and "修改组织" in rows and "登录</span>" not in rows


def test_street_inspector_sees_only_its_subtree(personas, client_for):
    from shequ.accounts.models import Membership
    from shequ.accounts.roles import Role

    Membership.objects.create(user=personas.worker_b, org=personas.other_street, role=Role.INSPECTOR)
    AuditLog.objects.create(action="in.a", actor_name="甲", actor_org=personas.community_a)
    AuditLog.objects.create(action="in.c", actor_name="丙", actor_org=personas.community_c)
    body = client_for(personas.worker_b).get(reverse("audit:list")).content.decode()
    assert "in.c" in body and "in.a" not in body


def test_worker_cannot_open_the_log(personas, client_for):
    assert client_for(personas.worker_a).get(reverse("audit:list")).status_code == 403
