"""Demo residents: ``manage.py demo --residents N`` grows the demo communities to N residents.

Valid ID numbers, real-looking names and addresses, households of one to five, and realistic
shares of each profile. Everything is inserted in bulk (batches of 5,000 with batched hashing and
encryption), so a million residents take minutes. Idempotent: it only adds what is missing.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shequ.core import crypto, phones
from shequ.residents import fake, identity, idnumbers
from shequ.residents.bulk import insert_rows, person_columns, refresh_statistics
from shequ.residents.models import (
    DisabilityProfile,
    FloatingProfile,
    Household,
    Person,
    Relation,
    SpecialGroupProfile,
    StaffProfile,
    SupervisorProfile,
    VolunteerProfile,
    compose_address,
)

DEFAULT_RESIDENTS = 400
BATCH = 5000
# Shares of the population (per mille) with each profile.
SHARES = {"disability": 60, "volunteer": 80, "supervisor": 2, "staff": 1}
SPECIAL_SHARES = {"correction": 0.6, "released": 1.2, "drug": 0.6, "mental": 4.0, "youth": 1.0}
NEEDS = ["rehab", "aids", "medical", "education", "employment", "care", "accessibility"]


def add_arguments(parser) -> None:
    parser.add_argument(
        "--residents",
        type=int,
        default=DEFAULT_RESIDENTS,
        help=f"residents of the demo communities in all (default {DEFAULT_RESIDENTS}; up to 1,000,000)",
    )


def residents_demo(ctx, options) -> None:
    target = int(options.get("residents") or DEFAULT_RESIDENTS)
    communities = sorted(ctx.communities, key=lambda o: o.path)
    if not communities:
        return
    existing = Person.objects.filter(org__in=communities).count()
    missing = target - existing
    if missing <= 0:
        return
    weights = [3 if c == ctx.orgs.get("communityA") else 1 for c in communities]
    shares = [missing * w // sum(weights) for w in weights]
    shares[0] += missing - sum(shares)
    started = time.monotonic()
    next_index = existing
    verbose = options.get("verbosity", 1) and not options.get("quiet")
    for community, count in zip(communities, shares, strict=True):
        if count <= 0:
            continue
        grids = ctx.grids_of(community) or [None]
        _grow(ctx, community, grids, count, next_index)
        next_index += count
    refresh_statistics()
    if verbose:
        print(f"居民档案:新增 {missing} 名演示居民,用时 {time.monotonic() - started:.1f} 秒。")
    _sample_duplicates(ctx)


def _grow(ctx, community, grids, count: int, start_index: int) -> None:
    village = community.name.endswith("村")
    rng = random.Random(start_index)
    prefix = f"D{community.pk}-"
    households = fake.households(seed=start_index, start_index=start_index, count=count, village=village, prefix=prefix)
    pending: list[list[fake.FakePerson]] = []
    size = 0
    for hh in households:
        pending.append(hh)
        size += len(hh)
        if size >= BATCH:
            _insert(ctx, community, grids, pending, rng)
            pending, size = [], 0
    if pending:
        _insert(ctx, community, grids, pending, rng)


@transaction.atomic
def _insert(ctx, community, grids, households: list[list[fake.FakePerson]], rng: random.Random) -> None:
    numbers = [hh[0].household for hh in households]
    taken = set(Household.objects.filter(org=community, number__in=numbers).values_list("number", flat=True))
    households = [hh for hh in households if hh[0].household not in taken]
    people = [p for hh in households for p in hh]
    inputs = [identity.hash_input("resident", p.id_number) for p in people]
    hashes = crypto.keyed_hash_many(inputs, context=identity.ID_CONTEXT)
    clash = set(Person.objects.filter(id_hash__in=hashes).exclude(id_hash="").values_list("id_hash", flat=True))
    hh_grid = {hh[0].household: grids[int(rng.random() * len(grids))] for hh in households}
    hh_objs = []
    for hh in households:
        head = hh[0]
        address = {k: getattr(head, k) for k in ("estate", "building", "unit_no", "room", "village_group", "house_no")}
        hh_objs.append(
            Household(
                org=community,
                grid=hh_grid[head.household],
                number=head.household,
                address=compose_address(**address),
                **address,
            )
        )
    hh_ids = {h.number: h.pk for h in Household.objects.bulk_create(hh_objs, batch_size=BATCH)}
    ciphers = crypto.encrypt_many([p.id_number for p in people], context=identity.ID_CONTEXT)
    phone_columns = phones.columns_many([p.phone for p in people])
    now = timezone.now()
    records = []
    for p, h, cipher, phone in zip(people, hashes, ciphers, phone_columns, strict=True):
        if h in clash:
            continue
        address = {k: getattr(p, k) for k in ("estate", "building", "unit_no", "room", "village_group", "house_no")}
        records.append(
            {
                "org_id": community.pk,
                "grid_id": hh_grid[p.household].pk if hh_grid[p.household] else None,
                "household_id": hh_ids[p.household],
                "relation": p.relation,
                "name": p.name,
                "name_pinyin": p.pinyin,
                "name_initials": p.initials,
                "gender": p.gender,
                "birth_date": p.birth_date,
                "id_type": "resident",
                "id_cipher": cipher,
                "id_hash": h,
                "id_masked": idnumbers.mask(p.id_number),
                "id_tail": idnumbers.tail_key(p.id_number),
                **phone,
                "residence_status": p.residence_status,
                "ethnicity": p.ethnicity,
                "education": p.education,
                "occupation": p.occupation,
                "address": compose_address(**address),
                "created_at": now,
                "updated_at": now,
                **address,
            }
        )
    insert_rows(Person, person_columns(), records)
    records_hashes = [r["id_hash"] for r in records]
    created = list(Person.objects.filter(id_hash__in=records_hashes).exclude(id_hash="").only("pk", "residence_status"))
    head_of = Person.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).order_by("pk").values("pk")[:1]
    Household.objects.filter(pk__in=list(hh_ids.values())).update(head=Subquery(head_of))
    _profiles(ctx, created, rng)


def _profiles(ctx, persons: list[Person], rng: random.Random) -> None:
    today = date.today()
    disability, floating, special, volunteer, supervisor, staff = [], [], [], [], [], []
    safety_worker = ctx.users.get("a_safety")
    for p in persons:
        roll = rng.random() * 1000
        if roll < SHARES["disability"]:
            disability.append(
                DisabilityProfile(
                    person=p,
                    category=rng.choice("1234567"),
                    grade=rng.choice("1234"),
                    cause=rng.choice(["congenital", "disease", "injury", "ageing"]),
                    economic_situation=rng.choices(["dibao", "tekun", "low_income", "ordinary"], (15, 5, 20, 60))[0],
                    needs=rng.sample(NEEDS, rng.randint(0, 3)),
                    family_situation="与家人同住" if rng.random() < 0.8 else "独居",
                    # The 五清 as a visit fills them in; one in ten files still lacks the rehabilitation part.
                    disability_situation="已评定类别与等级，生活基本自理",
                    rehabilitation_situation="" if p.pk % 10 == 0 else "接受社区康复训练指导",
                )
            )
        if p.residence_status == "liudong":
            arrived = today - timedelta(days=rng.randint(30, 2000))
            housing = rng.choices(["rental", "dormitory", "owned", "relatives"], (60, 20, 10, 10))[0]
            floating.append(
                FloatingProfile(
                    person=p,
                    origin=rng.choice(fake.ORIGINS),
                    arrived_on=arrived,
                    reason=rng.choices(["work", "business", "relatives", "study"], (70, 15, 10, 5))[0],
                    permit_number=f"JZ{p.pk:010d}" if rng.random() < 0.7 else "",
                    permit_expires_on=arrived + timedelta(days=365 * rng.randint(1, 3)),
                    housing_type=housing,
                    landlord_name=fake.SURNAMES[rng.randrange(40)][0] + "房东" if housing == "rental" else "",
                    employer=rng.choice(["和平物流公司", "阳光餐饮店", "东风汽修厂", "个体经营", ""]),
                )
            )
        for kind, per_mille in SPECIAL_SHARES.items():
            if rng.random() * 1000 < per_mille:
                start = today - timedelta(days=rng.randint(30, 700))
                special.append(
                    SpecialGroupProfile(
                        person=p,
                        kind=kind,
                        correction_type=rng.choice(["control", "probation", "parole", "medical_parole"])
                        if kind == "correction"
                        else "",
                        period_start=start if kind in ("correction", "released") else None,
                        period_end=start + timedelta(days=365 * rng.randint(1, 3))
                        if kind in ("correction", "released")
                        else None,
                        released_on=start if kind == "released" else None,
                        risk_level=rng.randint(0, 5) if kind == "mental" else None,
                        helper=safety_worker,
                        helper_name=safety_worker.display_name if safety_worker else "",
                    )
                )
        if roll > 1000 - SHARES["volunteer"]:
            volunteer.append(
                VolunteerProfile(
                    person=p,
                    team=rng.choice(["夕阳红志愿服务队", "青年志愿者", "巾帼志愿者"]),
                    skills=rng.choice(["理发", "维修家电", "陪护", "文艺", "法律咨询"]),
                    service_hours=Decimal(rng.randint(0, 300)),
                )
            )
        if 500 <= roll < 500 + SHARES["supervisor"]:
            supervisor.append(SupervisorProfile(person=p, kind=rng.choice(["sanitation", "safety"]), term_start=today))
        if 600 <= roll < 600 + SHARES["staff"]:
            staff.append(StaffProfile(person=p, post=rng.choice(["网格员", "社区专干", "楼栋长"])))
    for model, rows in (
        (DisabilityProfile, disability),
        (FloatingProfile, floating),
        (SpecialGroupProfile, special),
        (VolunteerProfile, volunteer),
        (SupervisorProfile, supervisor),
        (StaffProfile, staff),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)


def _sample_duplicates(ctx) -> None:
    """Two registrations without ID of one person, flagged for review, so the demo shows the flag."""
    community = ctx.orgs.get("communityA")
    if community is None or Person.objects.filter(org=community, possible_duplicate=True).exists():
        return
    born = date(1948, 6, 1)
    for note in ("老年人走访时登记", "敬老院名单导入"):
        name = "钱秀英"
        py, ini = "qianxiuying", "qxy"
        Person.objects.create(
            org=community,
            name=name,
            name_pinyin=py,
            name_initials=ini,
            gender="F",
            birth_date=born,
            id_type="other",
            notes=note,
            possible_duplicate=True,
        )
