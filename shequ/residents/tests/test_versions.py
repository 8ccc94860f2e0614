"""Lost updates: a form opened before someone else saved is refused with what changed, and keeps what was typed."""

from __future__ import annotations

import pytest

from shequ.core.versioning import StaleEdit
from shequ.residents import services
from shequ.residents.models import DisabilityProfile, Household, Person, Relation
from shequ.residents.tests.helpers import register
from shequ.testing.factories import member
from shequ.testing.forms import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_workers(personas):
    from shequ.accounts.roles import Role

    other = member(personas.community_a, Role.WORKER, username="p_worker_a2", name="社区A另一专干")
    return personas.worker_a, other


def test_stale_person_form_is_refused_with_what_changed_and_keeps_what_was_typed(personas, two_workers, client_for):
    first, second = two_workers
    p = register(first, personas.community_a, name="王秀兰", phone="13812345678")
    url = f"/residents/{p.pk}/edit/"
    c1, c2 = client_for(first), client_for(second)
    form1 = form_values(c1.get(url).content.decode())
    form2 = form_values(c2.get(url).content.decode())  # both opened at the same version

    assert c1.post(url, {**form1, "phone": "13987654321"}).status_code == 302
    response = c2.post(url, {**form2, "notes": "独居，子女在外地"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "联系电话：13812345678 → 13987654321" in page
    assert "独居，子女在外地" in page  # what the second worker typed is still in the form
    p.refresh_from_db()
    assert p.phone == "13987654321" and p.notes == ""  # the first change stands; nothing was overwritten

    # The form came back with the current version: saving again is the second worker's decision.
    again = form_values(page)
    assert again["version"] == str(p.version)
    assert c2.post(url, {**again, "phone": "13987654321"}).status_code == 302
    p.refresh_from_db()
    assert p.notes == "独居，子女在外地" and p.phone == "13987654321"


def test_stale_household_form_is_refused(personas, two_workers, client_for):
    first, second = two_workers
    h = services.household_create(actor=first, org=personas.community_a, number="A-9", estate="幸福小区", building="3")
    url = f"/residents/households/{h.pk}/edit/"
    c1, c2 = client_for(first), client_for(second)
    form1 = form_values(c1.get(url).content.decode())
    form2 = form_values(c2.get(url).content.decode())
    assert c1.post(url, {**form1, "building": "5"}).status_code == 302
    response = c2.post(url, {**form2, "notes": "新装门禁"})
    assert response.status_code == 200
    assert "楼栋：3 → 5" in response.content.decode()
    h.refresh_from_db()
    assert (h.building, h.notes) == ("5", "")


def test_stale_profile_form_is_refused(personas, client_for):
    p = register(personas.worker_a, personas.community_a)
    url = f"/residents/{p.pk}/profiles/disability/"
    services.profile_save(actor=personas.worker_a, person=p, kind="disability", category="4", grade="3")
    c1, c2 = client_for(personas.worker_a), client_for(personas.leader_a)
    form1 = form_values(c1.get(url).content.decode())
    form2 = form_values(c2.get(url).content.decode())
    assert c1.post(url, {**form1, "grade": "2"}).status_code == 302
    response = c2.post(url, {**form2, "guardian_name": "王建国"})
    assert response.status_code == 200
    assert "残疾等级：三级（中度） → 二级（重度）" in response.content.decode()
    profile = DisabilityProfile.objects.get(person=p)
    assert (profile.grade, profile.guardian_name) == ("2", "")


def test_a_profile_made_by_someone_else_while_the_form_was_open_is_not_overwritten(personas, client_for):
    p = register(personas.worker_a, personas.community_a)
    url = f"/residents/{p.pk}/profiles/disability/"
    c = client_for(personas.worker_a)
    blank = form_values(c.get(url).content.decode())
    services.profile_save(actor=personas.leader_a, person=p, kind="disability", category="1", grade="1")
    response = c.post(url, {**blank, "category": "4", "grade": "4"})
    assert response.status_code == 200 and "保存未成功" in response.content.decode()
    assert DisabilityProfile.objects.get(person=p).category == "1"


def test_a_move_in_the_background_makes_an_open_member_form_stale(personas, client_for):
    head = register(personas.worker_a, personas.community_a, household_number="A-2", relation=Relation.HEAD)
    url = f"/residents/{head.pk}/edit/"
    c = client_for(personas.supervisor)
    opened = form_values(c.get(url).content.decode())
    services.household_move(
        actor=personas.supervisor, household=Household.objects.get(pk=head.household_id), to_org=personas.community_b
    )
    response = c.post(url, {**opened, "phone": "13700000000"})
    assert response.status_code == 200 and "保存未成功" in response.content.decode()
    head.refresh_from_db()
    assert head.org == personas.community_b and head.phone == ""


def test_the_save_is_a_conditional_update_so_the_slower_of_two_writers_is_refused(personas):
    p = register(personas.worker_a, personas.community_a)
    mine, theirs = Person.objects.get(pk=p.pk), Person.objects.get(pk=p.pk)
    services.person_update(actor=personas.worker_a, person=theirs, version=theirs.version, occupation="教师")
    with pytest.raises(StaleEdit) as refused:
        services.person_update(actor=personas.leader_a, person=mine, version=mine.version, occupation="医生")
    assert refused.value.version == theirs.version
    p.refresh_from_db()
    assert p.occupation == "教师" and p.version == 2


def test_every_change_moves_the_version_on(personas):
    p = register(personas.worker_a, personas.community_a, name="李梅", birth_date="1960-01-01", id_number="")
    start = Person.objects.get(pk=p.pk).version
    services.person_update(actor=personas.worker_a, person=p, phone="13600000000")
    # a second registration with the same name and birth date flags both in the background
    register(personas.worker_a, personas.community_a, name="李梅", birth_date="1960-01-01", id_number="")
    assert Person.objects.get(pk=p.pk).version == start + 2
