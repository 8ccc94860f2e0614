"""The resident's own data (我的信息): linking the portal account to the registry person, by a worker or by the
resident with their ID number and a code to the registered phone, and what the linked resident reads."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shequ.audit.models import AuditLog
from shequ.cases import services as case_services
from shequ.cases.tests.helpers import ctype
from shequ.records.tests.helpers import make_record
from shequ.residents import services as resident_services
from shequ.residents.models import DisabilityProfile, Household, Person
from shequ.residents.tests.helpers import bulk_persons, new_id, register
from shequ.testing.factories import member

PHONE = "13911112222"
SAME_ANSWER = "如证件号码与社区登记的信息相符"


@pytest.fixture
def person(personas):
    return register(personas.worker_a, personas.community_a, name="王秀英", id_number=new_id(), phone=PHONE)


def _link_self(client, id_number: str) -> str:
    """Step one; returns the page's text after the redirect."""
    return client.post(reverse("portal:me_link"), {"id_number": id_number}, follow=True).content.decode()


def _code(sms_outbox, phone: str) -> str:
    sent = [m.text for m in sms_outbox if m.phone == phone]
    return re.findall(r"验证码是(\d{6})", sent[-1])[0]


def test_resident_links_themself_with_id_number_and_code_sent_to_registered_phone(
    personas, person, client_for, sms_outbox
):
    client = client_for(personas.resident)
    number = resident_services.person_reveal_id(actor=personas.leader_a, person=person)
    assert SAME_ANSWER in _link_self(client, number)
    assert [m.phone for m in sms_outbox] == [PHONE]  # to the registry's phone, not to the account's
    response = client.post(reverse("portal:me_link_code"), {"code": _code(sms_outbox, PHONE)}, follow=True)
    body = response.content.decode()
    assert "已关联本人的居民档案" in body and "王秀英" in body
    person.refresh_from_db()
    assert person.account_id == personas.resident.pk
    row = AuditLog.objects.get(action="person.link_account")
    assert row.object_id == str(person.pk) and row.detail["by"] == "self"
    # The plain number never reaches the session.
    assert number not in str(dict(client.session))


def test_unknown_id_number_gets_the_same_answer_and_no_message(personas, person, client_for, sms_outbox):
    client = client_for(personas.resident)
    assert SAME_ANSWER in _link_self(client, new_id())
    assert sms_outbox == []
    response = client.post(reverse("portal:me_link_code"), {"code": "123456"})
    assert "验证码不正确或已过期" in response.content.decode()
    assert not Person.objects.filter(account=personas.resident).exists()


def test_wrong_code_is_refused_with_the_same_words_as_an_unknown_number(personas, person, client_for, sms_outbox):
    client = client_for(personas.resident)
    _link_self(client, resident_services.person_reveal_id(actor=personas.leader_a, person=person))
    right = _code(sms_outbox, PHONE)
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(reverse("portal:me_link_code"), {"code": wrong})
    assert "验证码不正确或已过期" in response.content.decode()
    person.refresh_from_db()
    assert person.account_id is None


def test_a_code_sent_for_one_account_does_not_link_another(personas, person, client_for, sms_outbox):
    number = resident_services.person_reveal_id(actor=personas.leader_a, person=person)
    _link_self(client_for(personas.resident), number)
    code = _code(sms_outbox, PHONE)
    other = member(personas.community_a, "resident", username="other_resident")
    thief = client_for(other)
    _link_self(thief, number)  # a second code goes to the phone; the thief knows only the first
    sms_outbox.clear()
    response = thief.post(reverse("portal:me_link_code"), {"code": code})
    assert "验证码不正确或已过期" in response.content.decode()
    assert Person.objects.get(pk=person.pk).account_id is None


def test_asking_for_codes_is_rate_limited(personas, person, client_for, sms_outbox):
    client = client_for(personas.resident)
    bodies = [_link_self(client, new_id()) for _ in range(7)]
    assert SAME_ANSWER in bodies[0]
    assert "请求过于频繁" in bodies[-1]


def test_worker_links_the_account_by_its_phone_and_unlinks(personas, person, client_for):
    personas.resident.phone = "13900001111"
    personas.resident.save(update_fields=["phone_cipher", "phone_hash", "phone_tail"])
    client = client_for(personas.worker_a)
    response = client.post(reverse("residents:link_account", args=[person.pk]), {"phone": "13900001111"}, follow=True)
    assert "已关联居民端账号" in response.content.decode()
    person.refresh_from_db()
    assert person.account_id == personas.resident.pk
    client.post(reverse("residents:unlink_account", args=[person.pk]))
    person.refresh_from_db()
    assert person.account_id is None
    actions = list(AuditLog.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert "person.link_account" in actions and "person.unlink_account" in actions


def test_worker_cannot_link_an_account_of_another_community_and_keeps_what_was_typed(personas, person, client_for):
    outsider = member(personas.community_b, "resident", username="13900002222")
    outsider.phone = "13900002222"
    outsider.save(update_fields=["phone_cipher", "phone_hash", "phone_tail"])
    response = client_for(personas.worker_a).post(
        reverse("residents:link_account", args=[person.pk]), {"phone": "13900002222"}
    )
    body = response.content.decode()
    assert "没有使用该手机号的居民端账号" in body and 'value="13900002222"' in body
    person.refresh_from_db()
    assert person.account_id is None


def test_worker_of_another_community_gets_404_and_resident_403_on_linking(personas, person, client_for):
    url = reverse("residents:link_account", args=[person.pk])
    assert client_for(personas.worker_b).post(url, {"phone": PHONE}).status_code == 404
    assert client_for(personas.resident).post(url, {"phone": PHONE}).status_code in (403, 404)


def _linked(person, account):
    Person.objects.filter(pk=person.pk).update(account=account)
    person.refresh_from_db()
    return person


def test_linked_resident_sees_their_registry_household_profiles_records_cases_and_who_viewed(
    personas, person, client_for
):
    household = Household.objects.create(org=personas.community_a, number="A-001", head=person)
    spouse = register(personas.worker_a, personas.community_a, name="李建国")
    stranger = register(personas.worker_a, personas.community_a, name="赵陌生")
    Person.objects.filter(pk__in=[person.pk, spouse.pk]).update(household=household)
    Person.objects.filter(pk=spouse.pk).update(relation="10")
    DisabilityProfile.objects.create(person=person, category="2", grade="3")
    make_record(personas.worker_a, personas.community_a, title="健康讲座：高血压防治", persons=[person])
    make_record(personas.worker_a, personas.community_a, title="别人的活动", persons=[stranger])
    case_services.case_report(
        actor=personas.resident,
        case_type=ctype("opinion"),
        org=personas.community_a,
        title="楼道灯不亮",
        description="3栋楼道灯坏了。",
        category="意见",
    )
    resident_services.person_reveal_id(actor=personas.leader_a, person=person)
    resident_services.person_reveal_id(actor=personas.leader_a, person=stranger)
    _linked(person, personas.resident)

    body = client_for(personas.resident).get(reverse("portal:me")).content.decode()
    assert "王秀英" in body and person.id_masked in body
    assert "139****2222" in body and PHONE not in body
    assert "李建国" in body and "配偶" in body
    assert "残疾人档案" in body and "听力" in body
    assert "健康讲座：高血压防治" in body and "别人的活动" not in body
    assert "楼道灯不亮" in body
    assert "社区A书记" in body and "完整证件号码" in body
    assert "赵陌生" not in body


def test_reveal_shows_the_whole_number_to_the_resident_and_is_audited(personas, person, client_for):
    _linked(person, personas.resident)
    number = resident_services.person_reveal_id(actor=personas.leader_a, person=person)
    client = client_for(personas.resident)
    assert number not in client.get(reverse("portal:me")).content.decode()
    response = client.post(reverse("portal:me_reveal"))
    assert number in response.content.decode() and PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert AuditLog.objects.filter(action="person.view_own_id", object_id=str(person.pk)).count() == 1


def test_an_unlinked_account_sees_only_the_link_form(personas, person, client_for):
    body = client_for(personas.resident).get(reverse("portal:me")).content.decode()
    assert "身份证号码" in body and "王秀英" not in body
    assert client_for(personas.resident).get(reverse("portal:me_records")).status_code == 302


def test_resident_unlinks_themself(personas, person, client_for):
    _linked(person, personas.resident)
    client_for(personas.resident).post(reverse("portal:me_unlink"))
    person.refresh_from_db()
    assert person.account_id is None
    assert AuditLog.objects.get(action="person.unlink_account").detail["by"] == "self"


@pytest.mark.parametrize("n", [3, 60])
def test_own_data_page_runs_a_fixed_number_of_queries(personas, person, client_for, django_assert_max_num_queries, n):
    household = Household.objects.create(org=personas.community_a, number="A-002")
    members = bulk_persons(personas.community_a, n, household=household)
    Person.objects.filter(pk=person.pk).update(household=household)
    for i in range(n):
        make_record(personas.worker_a, personas.community_a, title=f"活动{i}", persons=[person])
        resident_services.person_reveal_id(actor=personas.leader_a, person=person)
    assert len(members) >= n
    _linked(person, personas.resident)
    client = client_for(personas.resident)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("portal:me")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:me_records")).status_code == 200
