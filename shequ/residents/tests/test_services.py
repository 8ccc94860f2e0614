from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.audit.models import AuditLog
from shequ.residents import services
from shequ.residents.models import Household, Person, PersonMove, Relation
from shequ.residents.tests.helpers import new_id, register

pytestmark = pytest.mark.django_db


def test_gender_and_birth_date_are_taken_from_the_id_number(personas):
    p = register(personas.worker_a, personas.community_a, id_number="11010519491231002X")
    assert (p.gender, p.birth_date) == ("F", date(1949, 12, 31))
    assert p.id_masked == "110105********002X"
    assert (p.name_pinyin, p.name_initials) == ("zhangsan", "zs")


def test_gender_or_birth_date_that_disagree_with_the_number_are_refused(personas):
    with pytest.raises(ValidationError) as exc:
        register(personas.worker_a, personas.community_a, id_number="11010519491231002X", gender="M")
    assert "性别与证件号码不符" in exc.value.message_dict["gender"][0]
    with pytest.raises(ValidationError) as exc:
        register(personas.worker_a, personas.community_a, id_number="11010519491231002X", birth_date=date(1950, 1, 1))
    assert "1949-12-31" in exc.value.message_dict["birth_date"][0]


def test_a_wrong_id_number_is_refused_with_the_reason(personas):
    with pytest.raises(ValidationError) as exc:
        register(personas.worker_a, personas.community_a, id_number="110105194912310021")
    assert "校验位" in exc.value.message_dict["id_number"][0]
    assert not Person.objects.exists()


def test_second_registration_points_to_the_existing_person_when_visible(personas):
    number = new_id()
    first = register(personas.worker_a, personas.community_a, name="王五", id_number=number)
    with pytest.raises(services.DuplicatePerson) as exc:
        register(personas.leader_a, personas.community_a, name="王五", id_number=number)
    assert exc.value.existing == first
    assert "王五" in exc.value.message_dict["id_number"][0]


def test_second_registration_elsewhere_only_says_it_exists(personas):
    number = new_id()
    register(personas.worker_a, personas.community_a, name="王五", id_number=number)
    with pytest.raises(services.DuplicatePerson) as exc:
        register(personas.worker_b, personas.community_b, name="某人", id_number=number.lower())
    assert exc.value.existing is None
    message = exc.value.message_dict["id_number"][0]
    assert "已在其他社区登记" in message and "王五" not in message
    assert Person.objects.count() == 1


def test_same_name_and_birth_date_without_id_are_flagged_as_probable_duplicates(personas):
    a = register(personas.worker_a, personas.community_a, name="李梅", id_number="", birth_date=date(1970, 1, 2))
    b = register(personas.worker_a, personas.community_a, name="李梅", id_number="", birth_date=date(1970, 1, 2))
    c = register(personas.worker_b, personas.community_b, name="李梅", id_number="", birth_date=date(1970, 1, 2))
    assert Person.objects.get(pk=a.pk).possible_duplicate and b.possible_duplicate
    assert not c.possible_duplicate
    services.person_clear_duplicate_flag(actor=personas.worker_a, person=b)
    assert not Person.objects.get(pk=b.pk).possible_duplicate


def test_worker_of_another_community_cannot_register_here(personas):
    with pytest.raises(PermissionDenied):
        register(personas.worker_b, personas.community_a)


def test_household_number_creates_the_household_and_its_head(personas):
    head = register(personas.worker_a, personas.community_a, household_number="A-1", relation=Relation.HEAD)
    spouse = register(personas.worker_a, personas.community_a, name="李四", household_number="A-1")
    hh = Household.objects.get(org=personas.community_a, number="A-1")
    assert hh.head == head and spouse.household == hh


def test_update_keeps_the_number_when_left_blank_and_checks_a_new_one(personas):
    p = register(personas.worker_a, personas.community_a, id_number="11010519491231002X")
    services.person_update(actor=personas.worker_a, person=p, id_number="", phone="13900000000")
    p.refresh_from_db()
    assert p.phone == "13900000000" and p.id_masked == "110105********002X"
    with pytest.raises(ValidationError):
        services.person_update(actor=personas.worker_a, person=p, id_number="11010519491231002")


def test_moving_a_person_keeps_a_row_for_the_old_community(personas):
    p = register(personas.worker_a, personas.community_a, household_number="A-9", relation=Relation.HEAD)
    move = services.person_move(
        actor=personas.supervisor, person=p, to_org=personas.community_b, moved_on=date(2026, 3, 1)
    )
    p.refresh_from_db()
    assert p.org == personas.community_b and p.household is None
    assert move.from_org == personas.community_a and move.from_household_number == "A-9"
    assert Household.objects.get(number="A-9").head is None
    assert AuditLog.objects.filter(action="person.move", object_id=str(p.pk)).exists()


def test_moving_a_household_moves_every_member(personas):
    head = register(personas.worker_a, personas.community_a, household_number="A-2", relation=Relation.HEAD)
    register(personas.worker_a, personas.community_a, name="李四", household_number="A-2")
    hh = head.household
    services.household_move(actor=personas.supervisor, household=hh, to_org=personas.community_b)
    assert set(Person.objects.filter(household=hh).values_list("org_id", flat=True)) == {personas.community_b.pk}
    assert PersonMove.objects.filter(from_org=personas.community_a).count() == 2


def test_whole_id_view_is_audited_with_who_and_whose(personas):
    number = new_id()
    p = register(personas.worker_a, personas.community_a, name="赵六", id_number=number)
    assert services.person_reveal_id(actor=personas.leader_a, person=p) == number
    row = AuditLog.objects.get(action="person.view_id")
    assert row.actor == personas.leader_a and row.object_id == str(p.pk) and row.success
    # Whose: the person's id; the log holds no name, so anonymising the person leaves it whole.
    assert row.object_type == "residents.person" and "赵六" not in str(row.detail)


def test_grid_worker_may_not_see_whole_numbers_and_the_attempt_is_audited(personas):
    p = register(personas.worker_a, personas.community_a, grid=personas.grid_a)
    with pytest.raises(PermissionDenied):
        services.person_reveal_id(actor=personas.grid_a_worker, person=p)
    assert AuditLog.objects.filter(action="person.view_id", success=False).count() == 1


def test_disability_card_must_match_the_person(personas):
    number = new_id()
    p = register(personas.worker_a, personas.community_a, id_number=number)
    services.profile_save(
        actor=personas.worker_a, person=p, kind="disability", category="4", grade="2", card_number=number + "42"
    )
    with pytest.raises(ValidationError) as exc:
        services.profile_save(
            actor=personas.worker_a, person=p, kind="disability", category="4", grade="3", card_number=number + "42"
        )
    assert "等级" in exc.value.message_dict["card_number"][0]
