"""Every write to the registry: persons, households, moves, profiles, and the audited whole ID view."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core.pinyin import name_pinyin
from shequ.core.versioning import expect
from shequ.orgs.models import Org, OrgKind
from shequ.residents import identity
from shequ.residents.models import (
    PROFILE_MODELS,
    Household,
    Person,
    PersonMove,
    Relation,
    SpecialKind,
)
from shequ.residents.visibility import can_edit_profile, check_person

ADDRESS_FIELDS = ("estate", "building", "unit_no", "room", "village_group", "house_no", "address_line")
PERSON_FIELDS = frozenset(
    {
        "name",
        "gender",
        "birth_date",
        "phone",
        "grid",
        "household",
        "relation",
        "residence_status",
        "ethnicity",
        "education",
        "occupation",
        "notes",
        "moved_in_on",
        "moved_out_on",
        "is_deceased",
        "deceased_on",
        *ADDRESS_FIELDS,
    }
)


class DuplicatePerson(ValidationError):
    """The ID number is registered already; ``existing`` is that person when the actor may see them."""

    def __init__(self, existing: Person | None):
        self.existing = existing
        if existing is not None:
            message = f"该证件号码已登记为“{existing.name}”（{existing.org.name}）,请勿重复登记。"
        else:
            message = "该证件号码已在其他社区登记，不能重复登记；如需迁入，请联系原社区办理迁出。"
        super().__init__({"id_number": message})


def _check_community(org: Org) -> None:
    if org.kind != OrgKind.COMMUNITY:
        raise ValidationError({"org": "居民只能登记在社区/村。"})
    if not org.is_active:
        raise ValidationError({"org": f"“{org.name}”已撤销，不能登记居民。"})


def _check_links(person: Person) -> None:
    if person.grid is not None and (person.grid.parent_id != person.org_id or person.grid.kind != OrgKind.GRID):
        raise ValidationError({"grid": f"网格“{person.grid.name}”不属于{person.org.name}。"})
    if person.household is not None and person.household.org_id != person.org_id:
        raise ValidationError({"household": "所选的户不在此社区。"})
    if person.is_deceased and person.deceased_on and person.birth_date and person.deceased_on < person.birth_date:
        raise ValidationError({"deceased_on": "死亡日期早于出生日期。"})
    if person.moved_out_on and person.moved_in_on and person.moved_out_on < person.moved_in_on:
        raise ValidationError({"moved_out_on": "迁出日期早于迁入日期。"})


def existing_by_id(
    actor: User, id_type: str, number: str, *, exclude_pk: int | None = None
) -> tuple[bool, Person | None]:
    """(exists, the person if the actor may see them) for an ID number, across the whole deployment."""
    # the exclude lets the partial unique index on id_hash serve the lookup (SQLite and PostgreSQL need the
    # index's condition in the query to use it)
    qs = Person.objects.filter(id_hash__in=identity.id_lookup_hashes(id_type, number)).exclude(id_hash="")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    found = qs.only("pk").first()
    if found is None:
        return False, None
    visible = Person.objects.visible_to(actor).filter(pk=found.pk).select_related("org").first()
    return True, visible


def _flag_possible_duplicates(person: Person) -> None:
    """Same name and birth date in one community: flag both for review (no ID to decide it)."""
    if not person.birth_date:
        return
    others = Person.objects.filter(org=person.org, name=person.name, birth_date=person.birth_date).exclude(pk=person.pk)
    if person.id_hash:
        others = others.filter(id_hash="")
    if others.exists():
        others.update(possible_duplicate=True)
        if not person.possible_duplicate:
            Person.objects.filter(pk=person.pk).update(possible_duplicate=True)
            person.possible_duplicate = True
            person.version += 1  # the update moved the row's version on


def _apply(person: Person, fields: dict) -> None:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(person, key, value.strip() if isinstance(value, str) else value)
    person.name_pinyin, person.name_initials = name_pinyin(person.name)
    person.address = person.compose_address()


def _make_head(household: Household, person: Person) -> None:
    """The person heads the household if it has no head yet (the instance in hand follows the row)."""
    if Household.objects.filter(pk=household.pk, head__isnull=True).update(head=person):
        household.head = person
        household.version += 1


def _household_by_number(actor: User, org: Org, number: str, person: Person) -> Household | None:
    """The household of ``org`` with this number; a new one (with the person's address) if none."""
    number = (number or "").strip()
    if not number:
        return None
    household = Household.objects.filter(org=org, number=number).first()
    if household is None:
        household = Household(org=org, grid=person.grid, number=number, created_by=actor)
        for key in ADDRESS_FIELDS:
            setattr(household, key, getattr(person, key))
        household.address = household.compose_address()
        household.full_clean(exclude=["head"])
        household.save()
        audit(actor, "household.create", household, {"org": org.pk})
    return household


def person_create(
    *,
    actor: User,
    org: Org,
    id_type: str = "resident",
    id_number: str = "",
    name: str,
    household_number: str | None = None,
    **fields,
) -> Person:
    """Register a person in a community; refuse a second registration of the same ID number.

    ``household_number`` links the person to that household of the community, creating it if new.
    """
    _check_community(org)
    access.check(actor, org, Perm.EDIT_RESIDENTS)
    ident = identity.resolve(
        id_type=id_type, raw_number=id_number, gender=fields.get("gender", ""), birth_date=fields.get("birth_date")
    )
    person = Person(org=org, created_by=actor)
    _apply(person, {**fields, "name": name, "gender": ident.gender, "birth_date": ident.birth_date})
    for key, value in ident.columns().items():
        setattr(person, key, value)
    _check_links(person)
    person.full_clean(exclude=["id_cipher", "id_hash", "id_masked", "id_tail", "name_pinyin", "name_initials"])
    if ident.number:
        exists, visible = existing_by_id(actor, ident.id_type, ident.number)
        if exists:
            raise DuplicatePerson(visible)
    try:
        with transaction.atomic():
            if household_number:
                person.household = _household_by_number(actor, org, household_number, person)
            person.save()
            _flag_possible_duplicates(person)
            household = person.household
            if household is not None and person.relation == Relation.HEAD and not household.head_id:
                _make_head(household, person)
            audit(actor, "person.create", person, {"org": org.pk})
    except IntegrityError:
        # A concurrent registration of the same number won the race.
        raise DuplicatePerson(existing_by_id(actor, ident.id_type, ident.number)[1]) from None
    return person


def person_update(
    *,
    actor: User,
    person: Person,
    id_type: str | None = None,
    id_number: str | None = None,
    household_number: str | None = None,
    version: int | None = None,
    **fields,
) -> Person:
    """Change a person's facts. A blank ``id_number`` keeps the stored number; ``household_number``
    ("" to leave the household) moves the person to that household of the same community. ``version`` is
    the one the form was opened on: if the person changed since, nothing is saved (``StaleEdit``)."""
    check_person(actor, person, Perm.EDIT_RESIDENTS)
    expect(person, version)
    changed = sorted(k for k, v in fields.items() if getattr(person, k, None) != v)
    new_number = bool(id_number and id_number.strip())
    current_number = identity.decrypt_id(person.id_cipher) if person.id_cipher and not new_number else ""
    ident = identity.resolve(
        id_type=id_type or person.id_type,
        raw_number=id_number if new_number else current_number,
        gender=fields.get("gender", person.gender),
        birth_date=fields.get("birth_date", person.birth_date),
    )
    _apply(person, {**fields, "gender": ident.gender, "birth_date": ident.birth_date})
    if new_number or (id_type and id_type != person.id_type):
        if ident.number:
            exists, visible = existing_by_id(actor, ident.id_type, ident.number, exclude_pk=person.pk)
            if exists:
                raise DuplicatePerson(visible)
        for key, value in ident.columns().items():
            setattr(person, key, value)
        changed.append("id_number")
    _check_links(person)
    person.full_clean(exclude=["id_cipher", "id_hash", "id_masked", "id_tail", "name_pinyin", "name_initials"])
    with transaction.atomic():
        if household_number is not None:
            current = person.household.number if person.household is not None else ""
            if household_number.strip() != current:
                person.household = _household_by_number(actor, person.org, household_number, person)
                changed.append("household")
        person.save()
        _flag_possible_duplicates(person)
        if person.household is not None and person.relation == Relation.HEAD:
            _make_head(person.household, person)
        audit(actor, "person.update", person, {"fields": changed})
    return person


def person_clear_duplicate_flag(*, actor: User, person: Person) -> None:
    check_person(actor, person, Perm.EDIT_RESIDENTS)
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(possible_duplicate=False)
        person.possible_duplicate = False
        person.version += 1
        audit(actor, "person.not_duplicate", person)


# The profiles whose mere viewing is written to the log (个人信息保护法: sensitive personal information).
SENSITIVE_SPECIAL_KINDS = frozenset({SpecialKind.MENTAL, SpecialKind.DRUG, SpecialKind.CORRECTION})


def person_viewed(*, actor: User, person: Person, profiles) -> None:
    """Audit every view of a person's page (the person's whole file): who looked at whose; a view that shows a
    sensitive profile (残疾, 严重精神障碍, 吸毒, 社区矫正) is written as such, with the kinds (ids and codes only)."""
    kinds = ["disability"] if profiles.disability else []
    kinds += sorted(s.kind for s in profiles.special if s.kind in SENSITIVE_SPECIAL_KINDS)
    if kinds:
        audit(actor, "person.view_sensitive", person, {"org": person.org_id, "kinds": kinds})
    else:
        audit(actor, "person.view", person, {"org": person.org_id})


def person_reveal_id(*, actor: User, person: Person) -> str:
    """The whole ID number, for a role that may see it; every call is written to the audit log."""
    if not access.can(actor, person.org, Perm.VIEW_SENSITIVE):
        audit(actor, "person.view_id", person, {"org": person.org_id}, success=False)
        raise PermissionDenied("您的角色不能查看完整证件号码。")
    number = identity.decrypt_id(person.id_cipher)
    audit(actor, "person.view_id", person, {"org": person.org_id})
    return number


def _check_move_target(actor: User, to_org: Org, grid: Org | None) -> None:
    _check_community(to_org)
    if grid is not None and (grid.parent_id != to_org.pk or grid.kind != OrgKind.GRID):
        raise ValidationError({"grid": f"网格“{grid.name}”不属于{to_org.name}。"})


def person_move(
    *, actor: User, person: Person, to_org: Org, grid: Org | None = None, moved_on: date | None = None, note: str = ""
) -> PersonMove:
    """Move a person to another community. The old community keeps a move row; what it filed in its
    years stays filed under it. The person leaves their household (households belong to one community)."""
    check_person(actor, person, Perm.EDIT_RESIDENTS)
    _check_move_target(actor, to_org, grid)
    if to_org.pk == person.org_id:
        raise ValidationError({"to_org": "迁入社区与当前社区相同。"})
    moved_on = moved_on or timezone.localdate()
    with transaction.atomic():
        move = PersonMove.objects.create(
            person=person,
            from_org_id=person.org_id,
            to_org=to_org,
            from_household_number=person.household.number if person.household is not None else "",
            moved_on=moved_on,
            note=note,
            actor=actor,
        )
        Household.objects.filter(head=person).update(head=None)
        person.org, person.grid, person.household, person.relation = to_org, grid, None, ""
        person.moved_in_on = moved_on
        person.save(update_fields=["org", "grid", "household", "relation", "moved_in_on", "updated_at"])
        _move_profiles([person.pk], to_org)
        audit(actor, "person.move", person, {"from": move.from_org_id, "to": to_org.pk})
    return move


def _move_profiles(person_ids: list[int], to_org: Org) -> None:
    """The moved persons' profiles follow them (their ``org``; a profile form opened before the move is stale)."""
    models: list[Any] = list(PROFILE_MODELS.values())  # concrete models (the map's common type is abstract)
    for model in models:
        model.objects.filter(person_id__in=person_ids).update(org=to_org)


def household_create(
    *, actor: User, org: Org, number: str, grid: Org | None = None, notes: str = "", **address
) -> Household:
    _check_community(org)
    access.check(actor, org, Perm.EDIT_RESIDENTS)
    household = Household(org=org, grid=grid, number=number.strip(), notes=notes, created_by=actor)
    for key in ADDRESS_FIELDS:
        setattr(household, key, (address.get(key) or "").strip())
    household.address = household.compose_address()
    if grid is not None and (grid.parent_id != org.pk or grid.kind != OrgKind.GRID):
        raise ValidationError({"grid": f"网格“{grid.name}”不属于{org.name}。"})
    household.full_clean(exclude=["head"])
    with transaction.atomic():
        household.save()
        audit(actor, "household.create", household, {"org": org.pk})
    return household


def household_update(*, actor: User, household: Household, version: int | None = None, **fields) -> Household:
    """Change a household's number, grid, address or notes; refused (``StaleEdit``) if it changed after
    ``version``, the one the form was opened on."""
    access.check(actor, household.org, Perm.EDIT_RESIDENTS)
    expect(household, version)
    allowed = {"number", "grid", "notes", "head", *ADDRESS_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(household, key, value.strip() if isinstance(value, str) else value)
    household.address = household.compose_address()
    if household.head is not None and household.head.household_id != household.pk:
        raise ValidationError({"head": "户主必须是本户成员。"})
    if household.grid is not None and household.grid.parent_id != household.org_id:
        raise ValidationError({"grid": "网格不属于本社区。"})
    household.full_clean()
    with transaction.atomic():
        household.save()
        audit(actor, "household.update", household, {"fields": sorted(fields)})
    return household


def household_move(
    *,
    actor: User,
    household: Household,
    to_org: Org,
    grid: Org | None = None,
    moved_on: date | None = None,
    note: str = "",
) -> Household:
    """Move a household and all its members; each member gets a move row in the old community."""
    access.check(actor, household.org, Perm.EDIT_RESIDENTS)
    _check_move_target(actor, to_org, grid)
    if to_org.pk == household.org_id:
        raise ValidationError({"to_org": "迁入社区与当前社区相同。"})
    if Household.objects.filter(org=to_org, number=household.number).exists():
        raise ValidationError({"to_org": f"{to_org.name}已有户号“{household.number}”,请先修改户号。"})
    moved_on = moved_on or timezone.localdate()
    from_org_id = household.org_id
    with transaction.atomic():
        members = list(household.members.all())
        PersonMove.objects.bulk_create(
            PersonMove(
                person=m,
                from_org_id=from_org_id,
                to_org=to_org,
                from_household_number=household.number,
                moved_on=moved_on,
                note=note,
                actor=actor,
            )
            for m in members
        )
        household.members.update(org=to_org, grid=grid, moved_in_on=moved_on, updated_at=timezone.now())
        _move_profiles([m.pk for m in members], to_org)
        household.org, household.grid = to_org, grid
        household.save(update_fields=["org", "grid", "updated_at"])
        audit(actor, "household.move", household, {"from": from_org_id, "to": to_org.pk, "members": len(members)})
    return household


def profile_save(*, actor: User, person: Person, kind: str, instance=None, version: int | None = None, **fields):
    """Create or change a profile of ``kind``; only those who may see that kind may write it. A change is
    refused (``StaleEdit``) if the profile changed after ``version``, the one the form was opened on."""
    model: Any = PROFILE_MODELS[kind]  # a concrete profile model (the map's common type is abstract)
    if not can_edit_profile(actor, person, kind):
        raise PermissionDenied("您没有维护此类档案的权限。")
    if instance is None and kind != "special":
        instance = model.objects.filter(person=person).first()
    creating = instance is None
    instance = instance or model(person=person)
    if instance.person_id != person.pk:
        raise PermissionDenied("档案不属于此人。")
    if not creating:
        expect(instance, version)
    card_number = fields.pop("card_number", None)
    for key, value in fields.items():
        setattr(instance, key, value)
    if kind == "disability" and card_number:
        from shequ.residents.idnumbers import parse_disability_card

        try:
            parse_disability_card(
                card_number,
                id_number=identity.decrypt_id(person.id_cipher) if person.id_cipher else None,
                category=instance.category,
                grade=instance.grade,
            )
        except ValidationError as exc:
            raise ValidationError({"card_number": exc.messages}) from exc
        instance.has_card = True
    if kind == "special" and instance.risk_level is not None and instance.risk_level > 5:
        raise ValidationError({"risk_level": "危险性评估等级为0–5级。"})
    instance.full_clean(exclude=["person"])
    with transaction.atomic():
        instance.save()
        audit(actor, f"profile.{'create' if creating else 'update'}", person, {"kind": kind, "profile": instance.pk})
    return instance


def profile_delete(*, actor: User, person: Person, kind: str, instance) -> None:
    if not can_edit_profile(actor, person, kind) or instance.person_id != person.pk:
        raise PermissionDenied("您没有维护此类档案的权限。")
    with transaction.atomic():
        pk = instance.pk
        instance.delete()
        audit(actor, "profile.delete", person, {"kind": kind, "profile": pk})
