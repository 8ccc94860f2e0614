"""Every read of the registry, scoped to the actor: persons, households, profiles, moves, imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core import phones, registry
from shequ.core.links import url_for
from shequ.core.pinyin import next_prefix
from shequ.orgs.models import Org, OrgKind
from shequ.residents import identity, idnumbers
from shequ.residents.models import (
    PROFILE_MODELS,
    Household,
    ImportJob,
    Person,
    PersonMove,
    SpecialGroupProfile,
    SpecialKind,
)
from shequ.residents.visibility import PROFILE_AREAS, person_q, profile_paths, profile_q

PROFILE_FILTERS = {
    "disability": "残疾人",
    "floating": "流动人口",
    "special": "特殊人群（全部）",
    **{f"special_{k}": label for k, label in SpecialKind.choices},
    "volunteer": "志愿者",
    "supervisor": "监督员",
    "staff": "工作人员",
}
PERMIT_FILTERS = {"none": "未办居住证", "expired": "居住证已过期", "valid": "居住证有效"}


def _prefix(field_name: str, prefix: str) -> Q:
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": next_prefix(prefix)})


def _search(text: str) -> tuple[Q | None, bool]:
    """Name (Chinese prefix), full pinyin or initials (zs → 张三), the last 4–6 ID digits or the last four of a
    phone number, a whole ID number, a whole phone number (its keyed hash), or an address (prefix). Every branch
    is an index range or an indexed exact match. The flag: the branch's indexes lead with the org (names, pinyin,
    initials, addresses)."""
    text = (text or "").strip()
    if not text:
        return None, False
    number = idnumbers.normalize(text)
    if len(number) == 18 and number[:17].isdigit():
        hashes = identity.id_lookup_hashes("resident", number)
        return Q(id_hash__in=hashes) & ~Q(id_hash=""), False  # the partial index's condition, so that it serves
    if 4 <= len(number) <= 6 and number[:-1].isdigit() and (number[-1].isdigit() or number[-1] == "X"):
        q = _prefix("id_tail", number[::-1])
        if len(number) == phones.TAIL_DIGITS and number.isdigit():
            q |= Q(phone_tail__in=phones.tail_lookup_hashes(number))
        return q, False
    dialled = phones.digits(text)
    if len(dialled) >= 7:
        return Q(phone_hash__in=phones.lookup_hashes(dialled)), False
    if text.isascii():
        letters = "".join(ch for ch in text.lower() if ch.isalpha())
        if not letters:
            return Q(pk__in=[]), False
        return _prefix("name_initials", letters) | _prefix("name_pinyin", letters), True
    return _prefix("name", text) | _prefix("address", text), True


def search_q(text: str) -> Q | None:
    """The condition of a search for ``text`` (see ``_search``), None for no text."""
    return _search(text)[0]


def search_for(actor, text: str) -> Q | None:
    """The actor's search for ``text``. A scope of the whole tree reads its rows as "org is set" (no list of every
    org); a search by name, pinyin, initials or address then names the orgs too, so that its indexes, which lead
    with the org, serve a district-wide search instead of a scan of every resident."""
    q, org_led = _search(text)
    if q is None or not org_led:
        return q
    scope = access.resolve(actor)
    if scope.all_orgs is None:
        return q  # the scope's own condition already lists its orgs
    return q & Q(org_id__in=sorted(scope.org_ids(Perm.VIEW)))


def phone_q(phone: str | None) -> Q:
    """Persons whose phone is this number, however written (its keyed hash; nobody for no number)."""
    hashes = phones.lookup_hashes(phone or "")
    return Q(phone_hash__in=hashes) if hashes else Q(pk__in=[])


def person_base(actor, perm: str = Perm.VIEW) -> QuerySet[Person]:
    return Person.objects.visible_to(actor, perm)


def person_list(actor) -> QuerySet[Person]:
    """The persons the actor may see, in list order; ``residents.filters.PersonFilter`` narrows it."""
    # Ordered like the (org, name_pinyin, id) index, so a page is read in index order per community.
    return person_base(actor).order_by("org_id", "name_pinyin", "id")


def profile_filter(
    actor, qs: QuerySet[Person], profile: str, *, permit: str = "", housing: str = "", employer: str = ""
) -> QuerySet[Person]:
    """Persons of a profile (人群) the actor may see that profile of: a line of work's profiles only where the
    actor holds that line; with the floating population's permit, housing and employer."""
    kind = "special" if profile.startswith("special") else profile
    if kind not in PROFILE_AREAS:
        return qs.none()
    visible = profile_q(actor, kind, field="org")
    if visible is None:
        return qs.none()
    # ``qs`` is the actor's persons: where the profile's scope is theirs, the same org list written twice would
    # make PostgreSQL square its share of the registry (a community's 15,000 persons estimated at 2,000).
    if visible != person_q(actor, Perm.VIEW):
        qs = qs.filter(visible)
    model: Any = PROFILE_MODELS[kind]  # a concrete profile model (the map's common type is abstract)
    sub = model.objects.all()
    if kind == "special" and profile != "special":
        sub = sub.filter(kind=profile.removeprefix("special_"))
    if kind == "floating":
        today = timezone.localdate()
        if permit == "none":
            sub = sub.filter(permit_number="")
        elif permit == "expired":
            sub = sub.exclude(permit_number="").filter(permit_expires_on__lt=today)
        elif permit == "valid":
            unexpired = Q(permit_expires_on__gte=today) | Q(permit_expires_on__isnull=True)
            sub = sub.exclude(permit_number="").filter(unexpired)
        if housing:
            sub = sub.filter(housing_type=housing)
        if employer:
            sub = sub.filter(employer__startswith=employer)
    within = visible if visible != Q() else _person_orgs(actor)
    if within is None:
        # A grid worker's persons are those filed under the grid: each looks up its own profile (a scalar
        # subquery, which PostgreSQL does not turn into a join of the district's profiles), in list order.
        sub = sub.filter(person_id=OuterRef("pk"))
        return qs.alias(profile_row=Subquery(sub.values("pk")[:1])).filter(profile_row__isnull=False)
    # The profiles of the actor's communities, read from the (org, person) index: a community's 600 floating
    # residents, not a lookup for each of its 15,000 persons (the page and the count both start from them).
    return qs.filter(pk__in=sub.filter(within).values("person_id"))


def _person_orgs(actor) -> Q | None:
    """The condition on a profile's ``org`` (its person's community) that covers the actor's persons; None where
    persons filed under a grid are among them (the grid rule names no community)."""
    scope = access.resolve(actor)
    return None if scope.grid_ids() else scope.rows_q(Perm.VIEW, field="org")


PICK_LIMIT = 15


def person_pick(actor, text: str, limit: int = PICK_LIMIT) -> list[Person]:
    """The persons a picker offers for ``text`` (see :func:`search_q`): visible to the actor, at most ``limit``."""
    q = search_for(actor, text)
    if q is None:
        return []
    qs = Person.objects.visible_to(actor).filter(q).select_related("org").only("pk", "name", "id_masked", "org__name")
    return list(qs.order_by("org_id", "name_pinyin", "id")[:limit])


def person_get(actor, pk: int, perm: str = Perm.VIEW) -> Person:
    """One person in the actor's scope; 404 otherwise, as if it did not exist."""
    return get_object_or_404(person_base(actor, perm).select_related("org", "grid", "household", "account"), pk=pk)


@dataclass
class Profiles:
    """A person's profiles the actor may see: each the profile row, or ``True`` where only its being there was read
    (a list's badges), and the special-group rows."""

    disability: object | None = None
    floating: object | None = None
    volunteer: object | None = None
    supervisor: object | None = None
    staff: object | None = None
    special: list = field(default_factory=list)
    visible: set = field(default_factory=set)

    @property
    def any(self) -> bool:
        return any([self.disability, self.floating, self.volunteer, self.supervisor, self.staff, self.special])

    def tags(self) -> list[str]:
        out = []
        if self.disability:
            out.append("残疾人")
        if self.floating:
            out.append("流动人口")
        out += [s.get_kind_display() for s in self.special]
        if self.volunteer:
            out.append("志愿者")
        if self.supervisor:
            out.append("监督员")
        if self.staff:
            out.append("工作人员")
        return out


def visible_kind_paths(actor) -> dict[str, list[str]]:
    return {kind: profile_paths(actor, kind) for kind in PROFILE_AREAS}


def _kinds_for(paths: dict[str, list[str]], org_path: str) -> set[str]:
    return {
        kind for kind, ps in paths.items() if PROFILE_AREAS[kind] is None or any(org_path.startswith(p) for p in ps)
    }


ONE_TO_ONE_KINDS = ("disability", "floating", "volunteer", "supervisor", "staff")


def with_profiles(actor, persons: QuerySet[Person]) -> QuerySet[Person]:
    """Join the one-to-one profiles and prefetch the special-group rows the actor may see."""
    return persons.select_related(*ONE_TO_ONE_KINDS).prefetch_related(
        Prefetch(
            "special_groups",
            queryset=SpecialGroupProfile.objects.visible_to(actor).select_related("helper"),
        )
    )


def with_badges(actor, persons: QuerySet[Person], paths: dict[str, list[str]]) -> QuerySet[Person]:
    """What a list's badges need of the profiles: whether each one-to-one profile the actor may see somewhere is there
    (an ``EXISTS`` per kind, not its row joined in: five more joins cost the planner 6 ms a page and the page a model
    per profile), and the special-group rows the actor may see."""
    models: dict[str, Any] = PROFILE_MODELS  # concrete models (the map's common type is abstract)
    has = {f"has_{k}": Exists(models[k].objects.filter(person_id=OuterRef("pk"))) for k in ONE_TO_ONE_KINDS if paths[k]}
    persons = persons.annotate(**has)
    if paths["special"]:
        persons = persons.prefetch_related(
            Prefetch("special_groups", queryset=SpecialGroupProfile.objects.visible_to(actor))
        )
    return persons


def attach_profiles(actor, persons, *, badges: bool = False, paths: dict[str, list[str]] | None = None) -> list[Person]:
    """Give each person (loaded through :func:`with_profiles`, or with ``badges`` through :func:`with_badges`, each
    profile then ``True`` where it is there) a ``.profiles`` of what the actor may see."""
    paths = visible_kind_paths(actor) if paths is None else paths
    out = []
    for p in persons:
        kinds = _kinds_for(paths, p.org.path)
        prof = Profiles(visible=kinds)
        for kind in ONE_TO_ONE_KINDS:
            if kind in kinds:
                setattr(prof, kind, (getattr(p, f"has_{kind}", False) or None) if badges else getattr(p, kind, None))
        if "special" in kinds:
            prof.special = list(p.special_groups.all())
        p.profiles = prof
        out.append(p)
    return out


# What a list row shows (``residents/partials/person_results.html``): the rest of a person's forty columns and of
# the org's, grid's and household's are not read for the page.
ROW_FIELDS = (
    *("name", "possible_duplicate", "is_deceased", "gender", "birth_date", "id_masked", "phone_cipher", "address"),
    *("residence_status", "org__name", "org__path", "grid__name", "household__number"),
)


def person_rows(actor, ids: list[int]) -> list[Person]:
    """The persons of one list page (``ids`` in page order) with what a row shows: community, grid, household, the
    links and the profile badges the actor may see, read for these rows only, never joined over the whole scope."""
    if not ids:
        return []
    paths = visible_kind_paths(actor)
    qs = Person.objects.filter(pk__in=ids).select_related("org", "grid", "household").only(*ROW_FIELDS)
    loaded = {p.pk: p for p in with_badges(actor, qs, paths)}
    rows: list[Any] = [loaded[pk] for pk in ids if pk in loaded]  # given their links below
    detail, household = url_for("residents:detail"), url_for("residents:household")
    for p in rows:
        p.detail_url = detail(p.pk)
        p.household_url = household(p.household_id) if p.household_id else ""
    return attach_profiles(actor, rows, badges=True, paths=paths)


def person_profiles(actor, person: Person) -> Profiles:
    loaded = with_profiles(actor, Person.objects.filter(pk=person.pk).select_related("org")).get()
    return attach_profiles(actor, [loaded])[0].profiles  # type: ignore[attr-defined]  # set by attach_profiles


def household_list(actor, *, q: str = "", org: int | None = None) -> QuerySet[Household]:
    qs = Household.objects.visible_to(actor)
    if q:
        qs = qs.filter(_prefix("number", q) | _prefix("address", q))
    if org:
        qs = qs.filter(org_id=org)
    # Ordered like the (org, number) unique index: a page is read from it, without joining the whole scope.
    return qs.select_related("org", "grid", "head").order_by("org_id", "number")


def household_get(actor, pk: int) -> Household:
    return get_object_or_404(Household.objects.visible_to(actor).select_related("org", "grid", "head"), pk=pk)


def household_members(actor, household: Household) -> list[Person]:
    members = with_profiles(
        actor, household.members.visible_to(actor).select_related("org", "grid").order_by("birth_date", "id")
    )
    return attach_profiles(actor, members)


def moves_out(actor, org: Org | None = None) -> QuerySet[PersonMove]:
    """Moves out of communities in the actor's scope: the old community's memory of who left."""
    qs = PersonMove.objects.visible_to(actor)
    if org is not None:
        qs = qs.filter(from_org=org)
    return qs.select_related("person", "from_org", "to_org", "actor")


def person_moves(actor, person: Person) -> QuerySet[PersonMove]:
    return person.moves.select_related("from_org", "to_org", "actor")


def communities_for(actor, perm: str = Perm.VIEW) -> QuerySet[Org]:
    return Org.objects.visible_to(actor, perm).filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path")


def grids_for(actor, perm: str = Perm.VIEW) -> QuerySet[Org]:
    return Org.objects.visible_to(actor, perm).filter(kind=OrgKind.GRID, is_active=True).select_related("parent")


def import_jobs(actor) -> QuerySet[ImportJob]:
    return ImportJob.objects.visible_to(actor).select_related("org", "created_by")


def import_job_get(actor, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs(actor), pk=pk)


def dashboard_counts(actor) -> dict[str, int]:
    base = person_base(actor)
    return {
        "persons": base.count(),
        "duplicates": base.filter(possible_duplicate=True).count(),
        "households": Household.objects.visible_to(actor).count(),
    }


def person_panels(actor, persons: list[Person]) -> list[dict]:
    """The panels other lines of work declare for persons (``registry.PersonPanel``): for each, its title and, per
    person who has something in it, their rows — one call per panel whatever the number of persons."""
    ids = [p.pk for p in persons]
    out = []
    for panel in registry.person_panels():
        rows = panel.rows(actor, ids)
        entries = [{"person": p, "rows": rows[p.pk]} for p in persons if rows.get(p.pk)]
        if entries:
            out.append({"title": panel.title, "entries": entries})
    return out
