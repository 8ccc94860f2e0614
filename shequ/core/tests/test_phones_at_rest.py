"""Every phone number kept about a person is encrypted at rest like a resident's: an account's (and its login), a
case reporter's and a party's, a guardian's, a landlord's and a lecturer's. No row holds the plain number, the
attribute reads it back, the key rotation covers every column, the migrations encrypt the plain columns and can be
reversed, and the forms keep a typed number on an error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from shequ.accounts import services as account_services
from shequ.accounts.admin import UserAdminForm
from shequ.accounts.backends import resolve_login
from shequ.accounts.models import User, phone_q
from shequ.accounts.roles import Role
from shequ.cases.models import Case, CaseParty
from shequ.cases.tests.helpers import make_case
from shequ.core import crypto, phones
from shequ.education.models import Lecturer
from shequ.education.tests.helpers import lecturer
from shequ.residents import services as resident_services
from shequ.residents.models import DisabilityProfile, FloatingProfile, Person
from shequ.residents.tests.helpers import register
from shequ.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
OLD, NEW = crypto.new_key(), crypto.new_key()
DECLARED = {
    "accounts.user.phone",
    "cases.case.reporter_phone",
    "cases.caseparty.phone",
    "education.lecturer.phone",
    "residents.disabilityprofile.guardian_phone",
    "residents.floatingprofile.landlord_phone",
    "residents.person.phone",
}
BEFORE = [
    ("accounts", "0004_alter_membership_role"),
    ("cases", "0008_early_child_reporting"),
    ("education", "0002_school_calendar"),
    ("residents", "0011_person_account"),
]


def raw_row(model, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608  # nosec B608 - the model's table
        return " ".join(str(v) for v in cursor.fetchone())


def plain_column(model, column: str, pk: int):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  # nosec B608
        return cursor.fetchone()[0]


def each_phone(personas) -> dict:
    """One row of each kind with its own number: {(model, attribute, pk): number}."""
    account = personas.resident
    account.phone = "13911110001"
    account.save()
    person = register(personas.worker_a, personas.community_a, name="王五", phone="13911110009")
    case = make_case(
        personas.worker_a,
        personas.community_a,
        reporter_name="李四",
        reporter_phone="13911110002",
        parties=[{"name": "赵大", "phone": "010-62345678"}, {"name": "钱二", "person": person}],
    )
    parties = list(CaseParty.objects.filter(case=case).order_by("sort"))
    disability = resident_services.profile_save(
        actor=personas.worker_a,
        person=person,
        kind="disability",
        category="1",
        grade="2",
        guardian_name="王大",
        guardian_phone="13911110003",
    )
    floating = resident_services.profile_save(
        actor=personas.worker_a,
        person=person,
        kind="floating",
        origin="湖北省",
        landlord_name="孙房东",
        landlord_phone="13911110004",
    )
    teacher = lecturer(personas.leader_a, personas.community_a)
    teacher.phone = "13911110005"
    teacher.save()
    return {
        (User, "phone", account.pk): "13911110001",
        (Case, "reporter_phone", case.pk): "13911110002",
        (CaseParty, "phone", parties[0].pk): "010-62345678",
        (CaseParty, "phone", parties[1].pk): "13911110009",  # copied from the person
        (DisabilityProfile, "guardian_phone", disability.pk): "13911110003",
        (FloatingProfile, "landlord_phone", floating.pk): "13911110004",
        (Lecturer, "phone", teacher.pk): "13911110005",
    }


def test_every_phone_attribute_is_declared_and_rotated():
    assert {f"{m._meta.label_lower}.{name}" for m, name in phones.declared()} == DECLARED


def test_no_row_holds_a_phone_number_in_plain_text(personas):
    for (model, name, pk), number in each_phone(personas).items():
        raw = raw_row(model, pk)
        digits = phones.digits(number)
        assert digits not in raw and digits[-8:] not in raw, f"{model.__name__}.{name} in plain text"
        fresh = model.objects.get(pk=pk)
        assert getattr(fresh, name) == number  # read back through the key ring
        assert getattr(fresh, f"{name}_hash") in phones.lookup_hashes(number)


def test_an_account_logs_in_with_its_phone_and_a_number_belongs_to_one_account(personas, client):
    personas.worker_a.phone = "13911110001"
    personas.worker_a.save()
    assert resolve_login(" 13911110001 ") == personas.worker_a
    response = client.post(reverse("login"), {"username": "13911110001", "password": TEST_PASSWORD})
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="该手机号已被其他账号使用"):
        account_services.user_create(
            actor=personas.admin,
            username="new_worker",
            password="Qiang-mima-2026",
            name="新专干",
            phone="13911110001",
            org=personas.community_a,
            role=Role.LEADER,
        )
    form = UserAdminForm(instance=personas.leader_a, data={"username": "p_leader_a", "phone": "13911110001"})
    assert not form.is_valid() and "该手机号已被其他账号使用。" in form.errors["phone"]
    assert list(User.objects.filter(phone_q("139 1111 0001"))) == [personas.worker_a]


def test_the_user_list_finds_an_account_by_its_whole_phone(personas, client_for):
    personas.worker_a.phone = "13911110001"
    personas.worker_a.save()
    page = client_for(personas.admin).get(reverse("accounts:users"), {"q": "13911110001"}).content.decode()
    assert personas.worker_a.username in page and personas.worker_b.username not in page


def test_rotation_re_encrypts_every_phone_column(personas, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    rows = each_phone(personas)
    before = {key: getattr(key[0].objects.get(pk=key[2]), f"{key[1]}_cipher") for key in rows}
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    for (model, name, pk), number in rows.items():
        fresh = model.objects.get(pk=pk)
        assert getattr(fresh, f"{name}_cipher") != before[(model, name, pk)]
        assert getattr(fresh, name) == number and getattr(fresh, f"{name}_hash") in phones.lookup_hashes(number)
    assert resolve_login("13911110001") == personas.resident


def test_a_profile_form_keeps_a_typed_number_on_an_error_and_shows_the_stored_one(personas, client_for):
    person = register(personas.worker_a, personas.community_a, name="王五")
    client = client_for(personas.worker_a)
    url = reverse("residents:profile", args=[person.pk, "floating"])
    data = {"origin": "", "reason": "work", "housing_type": "rental", "landlord_phone": "13911110004"}
    page = client.post(url, data).content.decode()
    assert "13911110004" in page and not FloatingProfile.objects.filter(person=person).exists()
    page = client.post(url, {**data, "origin": "湖北省", "landlord_phone": "找房东"}).content.decode()
    assert "请填写有效的电话号码" in page and "找房东" in page
    assert client.post(url, {**data, "origin": "湖北省"}).status_code == 302
    profile = FloatingProfile.objects.get(person=person)
    assert profile.landlord_phone == "13911110004" and "13911110004" not in raw_row(FloatingProfile, profile.pk)
    edit = client.get(reverse("residents:profile_edit", args=[person.pk, "floating", profile.pk])).content.decode()
    assert 'value="13911110004"' in edit


@pytest.mark.django_db(transaction=True)
def test_the_migrations_encrypt_plain_phones_and_can_be_reversed(personas):
    rows = each_phone(personas)
    resident = personas.resident
    resident.username = resident.phone  # a resident account as registration made them before: named by the phone
    resident.save()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    for (model, name, pk), number in rows.items():
        assert plain_column(model, name, pk) == number  # back to plain text
    assert plain_column(User, "username", resident.pk) == "13911110001"
    assert plain_column(User, "phone", personas.worker_a.pk) is None  # no number stays NULL
    table = connection.ops.quote_name(Lecturer._meta.db_table)
    teacher_pk = next(pk for model, _, pk in rows if model is Lecturer)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", ["138 0000 1111", teacher_pk])  # noqa: S608  # nosec B608
    rows[(Lecturer, "phone", teacher_pk)] = "138 0000 1111"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    for (model, name, pk), number in rows.items():
        fresh = model.objects.get(pk=pk)
        assert getattr(fresh, name) == number and phones.digits(number) not in raw_row(model, pk)
    account = User.objects.get(pk=resident.pk)
    assert account.username.startswith("jm-") and resolve_login("13911110001") == account
    assert Lecturer.objects.filter(phone_hash__in=phones.lookup_hashes("13800001111")).count() == 1
    assert not Person.objects.filter(phone_hash="").filter(name="王五").exists()
