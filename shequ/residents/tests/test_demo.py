import pytest

from shequ.accounts import demo as base_demo
from shequ.residents import identity
from shequ.residents.demo import residents_demo
from shequ.residents.idnumbers import parse_resident_id
from shequ.residents.models import DisabilityProfile, Household, Person

pytestmark = pytest.mark.django_db


def test_demo_grows_to_n_residents_with_valid_numbers_and_is_idempotent():
    ctx = base_demo.build()
    residents_demo(ctx, {"residents": 600, "quiet": True})
    assert Person.objects.count() == 602  # plus the two flagged probable duplicates
    residents_demo(ctx, {"residents": 600, "quiet": True})
    assert Person.objects.count() == 602
    for p in Person.objects.exclude(id_cipher="")[:50]:
        parsed = parse_resident_id(identity.decrypt_id(p.id_cipher))
        assert (parsed.gender, parsed.birth_date) == (p.gender, p.birth_date)
    assert not Household.objects.filter(head__isnull=True).exists()
    assert (
        Person.objects.filter(org=ctx.orgs["communityA"]).count()
        > Person.objects.filter(org=ctx.orgs["communityB"]).count()
    )
    assert DisabilityProfile.objects.exists()
    assert Person.objects.filter(possible_duplicate=True).count() == 2
