"""Helpers for the registry's tests: persons through the service, or many at once in bulk."""

from __future__ import annotations

from datetime import date

from shequ.accounts.models import Membership
from shequ.accounts.roles import Role
from shequ.orgs.models import Area
from shequ.residents import fake, identity, services
from shequ.residents.idnumbers import make_resident_id
from shequ.residents.models import Household, Person
from shequ.testing.factories import member

_seq = iter(range(10_000, 10_000_000))


def new_id(birth: date = date(1980, 5, 17), male: bool = True) -> str:
    n = next(_seq)
    seq = (n % 500) * 2 + (1 if male else 0)
    day = date.fromordinal(birth.toordinal() + n // 500)
    return make_resident_id("420199", day, seq)


def register(actor, org, name: str = "张三", **kw) -> Person:
    kw.setdefault("id_number", new_id())
    return services.person_create(actor=actor, org=org, name=name, **kw)


def area_worker(org, *codes: str, username: str | None = None):
    """A 专干 of ``org`` for the given areas only."""
    return member(org, Role.WORKER, areas=list(Area.objects.filter(code__in=codes)), username=username)


def bulk_persons(org, n: int, *, household: Household | None = None, start: int = 0, grid=None) -> list[Person]:
    """``n`` persons of ``org`` in one bulk insert (for query-count guards at 1,000 rows)."""
    people = [p for hh in fake.households(seed=start + 7, start_index=start, count=n) for p in hh]
    objs = []
    for p in people:
        ident = identity.resolve(id_type="resident", raw_number=p.id_number)
        objs.append(
            Person(
                org=org,
                grid=grid,
                household=household,
                name=p.name,
                name_pinyin=p.pinyin,
                name_initials=p.initials,
                gender=p.gender,
                birth_date=p.birth_date,
                phone=p.phone,
                estate=p.estate,
                address=p.estate,
                **ident.columns(),
            )
        )
    return Person.objects.bulk_create(objs)


def membership_of(user) -> Membership:
    return Membership.objects.get(user=user)
