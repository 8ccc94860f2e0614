"""Phone numbers at rest: never in plain text in the database, found by the whole number and by its last four,
written by the import in batches, rotated with the keys, and encrypted from plain text by the migration."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shequ.core import crypto, phones
from shequ.residents import selectors, services
from shequ.residents.imports import read_table, run_import
from shequ.residents.models import Person
from shequ.residents.tests.helpers import new_id, register
from shequ.residents.tests.test_imports import HEADER, xlsx

pytestmark = pytest.mark.django_db
OLD, NEW = crypto.new_key(), crypto.new_key()


def raw_row(pk: int) -> str:
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608  # nosec B608 - the model's table
        return " ".join(str(v) for v in cursor.fetchone())


def found(actor, term: str) -> list[str]:
    return sorted(p.name for p in selectors.person_list(actor).filter(selectors.search_q(term)))


def test_a_phone_number_is_not_stored_in_plain_text(personas):
    person = register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    raw = raw_row(person.pk)
    assert "13912345678" not in raw and "1234567" not in raw
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.phone == "13912345678"  # read back through the key ring
    assert fresh.phone_hash in phones.lookup_hashes("139 1234 5678")


def test_changing_a_phone_moves_its_hashes_and_clearing_it_empties_them(personas):
    person = register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    services.person_update(actor=personas.worker_a, person=person, phone="13800001111")
    assert found(personas.worker_a, "13800001111") == ["王五"] and found(personas.worker_a, "13912345678") == []
    assert found(personas.worker_a, "1111") == ["王五"] and found(personas.worker_a, "5678") == []
    services.person_update(actor=personas.worker_a, person=Person.objects.get(pk=person.pk), phone="")
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.phone_cipher, fresh.phone_hash, fresh.phone_tail) == ("", "", "", "")


def test_an_unchanged_phone_keeps_its_stored_cipher(personas):
    person = register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    cipher = Person.objects.get(pk=person.pk).phone_cipher
    again = Person.objects.get(pk=person.pk)
    services.person_update(actor=personas.worker_a, person=again, phone="13912345678", notes="独居")
    assert Person.objects.get(pk=person.pk).phone_cipher == cipher


def test_last_four_find_phones_and_id_tails_alike_within_scope(personas):
    register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    register(personas.worker_a, personas.community_a, name="赵六", phone="13800000000")
    register(personas.worker_b, personas.community_b, name="外社区", phone="13712345678")
    assert found(personas.worker_a, "5678") == ["王五"]  # the other community's 5678 stays out of scope
    assert found(personas.worker_a, "13712345678") == []
    assert found(personas.worker_b, "13712345678") == ["外社区"]


def test_a_form_refuses_what_is_not_a_phone_number(personas, client_for):
    c = client_for(personas.worker_a)
    data = {"org": personas.community_a.pk, "name": "王五", "id_type": "resident", "id_number": new_id()}
    data |= {"residence_status": "huji", "phone": "请打电话"}
    response = c.post("/residents/new/", data)
    assert response.status_code == 200
    assert "请填写有效的电话号码" in response.content.decode() and not Person.objects.filter(name="王五").exists()


def test_the_import_writes_phones_encrypted_and_in_batches(personas, monkeypatch):
    def one_by_one(_phone):
        raise AssertionError("the import hashes phones row by row")

    monkeypatch.setattr(phones, "columns", one_by_one)
    rows = [
        ["张三", new_id(), "", "139 1234 5678", "H-1", "户主", "幸福家园", "3", "2", "301", "", "户籍"],
        ["李四", new_id(), "", "010-62345678转12", "H-1", "配偶", "幸福家园", "3", "2", "301", "", "户籍"],
        ["王五", new_id(), "", "", "H-2", "户主", "幸福家园", "3", "2", "302", "", "户籍"],
    ]
    result = run_import(
        actor=personas.worker_a, org=personas.community_a, rows=read_table(xlsx(rows, HEADER), "f.xlsx"), commit=True
    )
    assert result.ok, result.errors
    zhang, li, wang = (Person.objects.get(name=n) for n in ("张三", "李四", "王五"))
    assert (zhang.phone, li.phone, wang.phone) == ("13912345678", "010-62345678-12", "")
    assert "13912345678" not in raw_row(zhang.pk) and "62345678" not in raw_row(li.pk)
    assert found(personas.worker_a, "13912345678") == ["张三"] and found(personas.worker_a, "5678") == ["张三", "李四"]
    assert found(personas.worker_a, "01062345678") == ["李四"]

    # a second import: one number changed, one kept; the kept one is not rewritten
    kept = zhang.phone_cipher
    rows[0][3], rows[1][3] = "13912345678", "13800001111"
    result = run_import(
        actor=personas.worker_a, org=personas.community_a, rows=read_table(xlsx(rows, HEADER), "f.xlsx"), commit=True
    )
    assert result.ok and (result.updated, result.unchanged) == (1, 2)
    assert result.changes[0]["fields"] == [["联系电话", "010-62345678-12", "13800001111"]]
    assert Person.objects.get(pk=zhang.pk).phone_cipher == kept
    assert Person.objects.get(pk=li.pk).phone == "13800001111" and found(personas.worker_a, "1111") == ["李四"]


def test_rotation_re_encrypts_phones_and_the_search_works_throughout(personas, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    person = register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    old = Person.objects.get(pk=person.pk)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert found(personas.worker_a, "13912345678") == ["王五"] and found(personas.worker_a, "5678") == ["王五"]
    call_command("rotate_field_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.phone_cipher != old.phone_cipher and fresh.phone_hash != old.phone_hash
    assert fresh.phone == "13912345678"
    assert found(personas.worker_a, "13912345678") == ["王五"] and found(personas.worker_a, "5678") == ["王五"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_phones_and_can_be_reversed(personas):
    person = register(personas.worker_a, personas.community_a, name="王五", phone="13912345678")
    blank = register(personas.worker_a, personas.community_a, name="赵六")
    table = connection.ops.quote_name(Person._meta.db_table)
    executor = MigrationExecutor(connection)
    executor.migrate([("residents", "0007_versions")])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {table} WHERE id = %s", [person.pk])  # noqa: S608  # nosec B608
        assert cursor.fetchone() == ("13912345678",)  # back to plain text
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", ["138 0000 1111", blank.pk])  # noqa: S608  # nosec B608
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    a, b = Person.objects.get(pk=person.pk), Person.objects.get(pk=blank.pk)
    assert (a.phone, b.phone) == ("13912345678", "138 0000 1111")
    assert "13912345678" not in raw_row(a.pk)
    assert found(personas.worker_a, "13800001111") == ["赵六"] and found(personas.worker_a, "5678") == ["王五"]
