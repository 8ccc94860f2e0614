"""The log cannot be changed or bypassed: the database refuses, the chain tells, the admin is audited."""

from __future__ import annotations

import threading
from array import array
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from shequ.audit import chain
from shequ.audit.admin import AuditedAdmin
from shequ.audit.models import AuditLog, AuditPerson
from shequ.audit.services import audit, audit_persons
from shequ.audit.tests.tampering import raw


def _rows(personas, n: int = 5) -> list[AuditLog]:
    rows = [audit(personas.worker_a, "org.update", personas.community_a, {"n": i}) for i in range(n)]
    chain.seal()
    return rows


def _verify_problems() -> list[str]:
    return chain.verify().problems


def test_raw_update_is_refused_by_the_database(personas):
    row = _rows(personas, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditlog SET action = 'nothing' WHERE id = %s", [row.pk])
    assert AuditLog.objects.get(pk=row.pk).action == "org.update"


def test_raw_delete_is_refused_by_the_database_even_for_old_rows(personas):
    old = AuditLog.objects.create(action="old", created_at=timezone.now() - timedelta(days=4000))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditlog WHERE id = %s", [old.pk])
    assert AuditLog.objects.filter(pk=old.pk).exists()


def test_a_sealed_row_cannot_be_sealed_again(personas):
    row = _rows(personas, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditlog SET chain_seq = 99, chain_hash = 'x' WHERE id = %s", [row.pk])


def test_an_intact_log_verifies(personas):
    _rows(personas)
    call_command("audit_verify")
    report = chain.verify()
    assert report.ok and report.rows == 5 and report.head_seq == 5


def test_audit_verify_detects_an_edited_row(personas):
    rows = _rows(personas)
    raw("UPDATE audit_auditlog SET actor_name = '别人' WHERE id = %s", [rows[2].pk])
    problems = _verify_problems()
    assert len(problems) == 1 and str(rows[2].pk) in problems[0] and "被修改" in problems[0]
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_audit_verify_detects_a_deleted_row(personas):
    rows = _rows(personas)
    raw("DELETE FROM audit_auditlog WHERE id = %s", [rows[1].pk])
    problems = _verify_problems()
    assert any("第2至2行缺失" in p for p in problems)


def test_audit_verify_detects_an_inserted_row(personas):
    rows = _rows(personas)
    raw(
        "INSERT INTO audit_auditlog (created_at, actor_name, action, object_type, object_id, success, detail,"
        " row_hash, chain_hash) VALUES (%s, '伪造', 'org.update', '', '', %s, '{}', %s, '')",
        [rows[0].created_at, True, "f" * 64],
    )
    problems = _verify_problems()
    assert any("伪造" in p for p in problems)


def test_audit_verify_detects_a_rewritten_chain(personas):
    rows = _rows(personas)
    raw("UPDATE audit_auditlog SET chain_hash = %s WHERE id = %s", ["0" * 64, rows[3].pk])
    assert any("链被改写" in p for p in _verify_problems())


def test_pruning_keeps_an_anchor_and_the_rest_verifies(personas):
    old = [AuditLog.objects.create(action="old", created_at=timezone.now() - timedelta(days=400)) for _ in range(3)]
    chain.seal()
    young = _rows(personas, 2)
    call_command("prune_audit", days=365)
    assert not AuditLog.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditLog.objects.filter(pk__in=[r.pk for r in young]).count() == 2
    anchor = AuditLog.objects.get(action="audit.prune")
    assert anchor.detail["through_seq"] == 3 and anchor.detail["rows"] == 3
    assert chain.verify().ok


def test_pruning_an_export_row_removes_the_persons_it_held(personas):
    old = AuditLog.objects.create(action="person.view_id", created_at=timezone.now() - timedelta(days=400))
    audit_persons(old, array("q", [11, 12]))
    young = _rows(personas, 1)[0]
    audit_persons(young, array("q", [13]))
    call_command("prune_audit", days=365)
    assert list(AuditPerson.objects.values_list("audit_id", "person_id")) == [(young.pk, 13)]
    assert chain.verify().ok


def test_deleting_the_start_without_an_anchor_is_detected(personas):
    rows = _rows(personas)
    raw("DELETE FROM audit_auditlog WHERE id = %s", [rows[0].pk])
    assert any("没有清理锚点" in p for p in _verify_problems())


def test_deleting_a_user_leaves_their_name_and_id_in_the_log(personas):
    row = audit(personas.worker_b, "org.update", personas.community_b)
    user_id = personas.worker_b.pk
    personas.worker_b.memberships.all().delete()
    personas.worker_b.delete()
    row = AuditLog.objects.get(pk=row.pk)
    assert row.actor_id == user_id and row.actor_name == "社区B专干"


def _admin_client(personas, client_for):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    return client_for(personas.admin)


def test_deleting_a_user_in_the_admin_is_audited_and_keeps_their_rows(personas, client_for):
    kept = audit(personas.worker_b, "org.update", personas.community_b)
    user_id = personas.worker_b.pk
    page = _admin_client(personas, client_for)
    response = page.post(f"/admin/accounts/user/{user_id}/delete/", {"post": "yes"})
    assert response.status_code == 302
    row = AuditLog.objects.get(action="admin.delete", object_id=str(user_id))
    assert row.actor == personas.admin and row.object_type == "accounts.user"
    assert AuditLog.objects.get(pk=kept.pk).actor_id == user_id


def test_making_a_superuser_in_the_admin_is_audited(personas, client_for):
    page = _admin_client(personas, client_for)
    user = personas.worker_a
    joined = timezone.localtime(user.date_joined)
    response = page.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": user.username,
            "name": user.name,
            "phone": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.is_superuser
    row = AuditLog.objects.get(action="admin.change", object_id=str(user.pk))
    assert row.actor == personas.admin and "changed" in str(row.detail)


def test_every_admin_page_that_can_change_anything_is_audited():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedAdmin):
            continue
        assert model._meta.label == "audit.AuditLog", f"{model._meta.label}: its admin is not an AuditedAdmin"


@pytest.mark.django_db(transaction=True)
def test_the_chain_stays_whole_with_concurrent_writers(personas):
    """Writers in several threads (each its own connection and transactions, committing in any order).

    PostgreSQL only: SQLite takes one writer at a time by design (``transaction_mode`` IMMEDIATE), and its
    in-memory test database refuses concurrent writers outright instead of queueing them."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises every write transaction")
    errors: list[BaseException] = []

    def write(k: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit(None, "test.concurrent", detail={"writer": k, "i": i}, actor_name="线程")
                    audit(None, "test.concurrent", detail={"writer": k, "i": i, "second": True}, actor_name="线程")
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = chain.verify()
    assert report.ok, report.problems
    assert AuditLog.objects.filter(action="test.concurrent", chain_seq__isnull=False).count() == 80
    seqs = sorted(AuditLog.objects.values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
