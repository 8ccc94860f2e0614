import pytest
from django.core.management import call_command
from django.db import connection

from shequ.core import crypto
from shequ.residents import identity
from shequ.residents.models import Person
from shequ.residents.tests.helpers import new_id, register

OLD = crypto.new_key()
NEW = crypto.new_key()


def test_encryption_round_trips_and_is_not_deterministic(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    a = crypto.encrypt("11010519491231002X", context="f")
    b = crypto.encrypt("11010519491231002X", context="f")
    assert a != b
    assert crypto.decrypt(a, context="f") == "11010519491231002X"
    assert "11010519491231002X" not in a


def test_a_token_cannot_be_moved_to_another_field_or_altered(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    token = crypto.encrypt("secret", context="field-a")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="field-b")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(flipped, context="field-a")


def test_first_key_encrypts_and_every_key_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    token = crypto.encrypt("x", context="f")
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert crypto.decrypt(token, context="f") == "x"
    assert crypto.needs_rotation(token)
    assert not crypto.needs_rotation(crypto.encrypt("x", context="f"))
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="f")


def test_keyed_hash_depends_on_the_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    h_old = crypto.keyed_hash("x", context="f")
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert crypto.keyed_hash("x", context="f") != h_old
    assert h_old in crypto.lookup_hashes("x", context="f")


def test_batches_hash_and_encrypt_as_one_value_at_a_time(settings):
    """The import hashes and encrypts thousands of values at once: a registered person must be found by the hash a
    batch gave (the same HMAC as one value's), and every token of a batch opens, with its own nonce."""
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    values = ["11010519491231002X", "", "张三", "x" * 70]  # 70 bytes: longer than one block of SHA-256
    assert crypto.keyed_hash_many(values, context="f") == [crypto.keyed_hash(v, context="f") for v in values]
    by_key = crypto.keyed_hash_many_all_keys(values, context="f")
    assert [list(h) for h in zip(*by_key, strict=True)] == [crypto.lookup_hashes(v, context="f") for v in values]
    tokens = crypto.encrypt_many(values, context="f")
    assert [crypto.decrypt(t, context="f") for t in tokens] == values
    assert len({crypto._unpack(t)[1] for t in tokens}) == len(values)  # a fresh nonce each


def test_raw_sql_sees_no_id_number_in_plain_text(personas):
    number = new_id()
    person = register(personas.worker_a, personas.community_a, id_number=number)
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        row = cursor.fetchone()
    raw = " ".join(str(v) for v in row)
    assert number not in raw
    assert number[6:14] not in raw  # not even the birth date part in one piece
    assert person.id_masked in raw  # only the masked form, for lists
    assert identity.decrypt_id(Person.objects.get(pk=person.pk).id_cipher) == number


def test_rotation_command_re_encrypts_and_re_hashes_under_the_new_key(personas, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    number = new_id()
    person = register(personas.worker_a, personas.community_a, id_number=number)
    old_cipher = Person.objects.get(pk=person.pk).id_cipher
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys", verbosity=0)
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.id_cipher != old_cipher
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key can now be dropped
    assert identity.decrypt_id(fresh.id_cipher) == number
    assert fresh.id_hash == identity.id_hash("resident", number)
