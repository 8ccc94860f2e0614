"""Anonymising a resident past their retention also clears what cases copied from them."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.cases.models import Case, CaseParty
from shequ.cases.tests.helpers import make_case
from shequ.residents import retention
from shequ.residents.models import Person
from shequ.residents.tests.helpers import register

pytestmark = pytest.mark.django_db


def test_anonymising_a_person_clears_the_reporter_and_party_copies_on_cases(personas):
    gone = register(personas.worker_a, personas.community_a, name="王迁出", phone="13912345678")
    stays = register(personas.worker_a, personas.community_a, name="李在册", phone="13987654321")
    case = make_case(
        personas.worker_a,
        personas.community_a,
        reporter_person=gone,
        reporter_name="王迁出",
        reporter_phone="13912345678",
        parties=[
            {"name": "王迁出", "role": "applicant", "person": gone, "phone": "13912345678", "address": "幸福家园3栋"},
            {"name": "李在册", "role": "respondent", "person": stays, "phone": "13987654321"},
        ],
    )
    Person.objects.filter(pk=gone.pk).update(moved_out_on=date(2015, 1, 1))

    assert retention.anonymise_expired(today=date(2026, 12, 2), years=5) == 1
    case = Case.objects.get(pk=case.pk)
    assert (case.reporter_name, case.reporter_phone) == ("已匿名", "")
    parties = {p.person_id: (p.name, p.phone, p.address) for p in CaseParty.objects.filter(case=case)}
    assert parties == {gone.pk: ("已匿名", "", ""), stays.pk: ("李在册", "13987654321", "")}
    assert case.title and case.state  # the case itself stays
