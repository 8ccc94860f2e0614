"""Every read of responsibility letters, starting from ``Letter.objects.visible_to``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import Http404

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.letters.models import Holders, Letter, LetterKind
from shequ.orgs.models import Org, OrgKind

UNSIGNED_SHOWN = 12


def kinds() -> QuerySet[LetterKind]:
    return LetterKind.objects.select_related("area").order_by("sort", "id")


def letters(actor: User, *, year: int, kind: str = "", status: str = "") -> QuerySet[Letter]:
    qs = Letter.objects.visible_to(actor).filter(year=year)
    if kind:
        qs = qs.filter(kind__code=kind)
    if status == "signed":
        qs = qs.filter(signed_on__isnull=False)
    elif status == "unsigned":
        qs = qs.filter(signed_on__isnull=True)
    return qs.select_related("kind", "issuer", "holder_org", "org").order_by(
        "kind__sort", "level", "org__path", "labels", "holder_name", "id"
    )


def letter_get(actor: User, pk: int) -> Letter:
    found = (
        Letter.objects.visible_to(actor)
        .select_related("kind", "kind__area", "issuer", "holder_org", "org", "parent", "issued_by", "signed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("没有这份责任书。")
    return found


@dataclass
class Level:
    kind: LetterKind
    level: int
    role: str
    issued: int = 0
    signed: int = 0
    overdue: int = 0
    unsigned: list[Letter] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return self.issued - self.signed

    @property
    def more(self) -> bool:
        """More are unsigned than the page names."""
        return self.waiting > len(self.unsigned)

    @property
    def rate(self) -> float | None:
        return round(self.signed * 100 / self.issued, 1) if self.issued else None


def _role(kind: LetterKind, level: int, role: str) -> str:
    if kind.holders == Holders.PEOPLE and level <= len(kind.roles):
        return kind.roles[level - 1]
    return role or f"第{level}级"


def coverage(actor: User, *, year: int, today, kind: str = "") -> list[Level]:
    """签订率 per kind and level in the actor's scope: issued, signed, overdue and the first unsigned letters
    (who has not signed), in two queries whatever the number of letters."""
    qs = Letter.objects.visible_to(actor).filter(year=year)
    if kind:
        qs = qs.filter(kind__code=kind)
    counts = (
        qs.values("kind_id", "level")
        .annotate(
            issued=Count("pk"),
            signed=Count("pk", filter=Q(signed_on__isnull=False)),
            overdue=Count("pk", filter=Q(signed_on__isnull=True, due_on__lt=today)),
            role=Min("holder_role"),
        )
        .order_by("kind_id", "level")
    )
    rows = list(counts)
    if not rows:
        return []
    by_kind = {k.pk: k for k in LetterKind.objects.select_related("area").filter(pk__in={r["kind_id"] for r in rows})}
    unsigned: dict[tuple[int, int], list[Letter]] = defaultdict(list)
    # The first unsigned letters of each level: a window would do it in SQL; the levels are few, so one query
    # ordered by level reads at most UNSIGNED_SHOWN rows per level from an index range.
    waiting = (
        qs.filter(signed_on__isnull=True).select_related("holder_org").order_by("kind_id", "level", "due_on", "id")
    )
    for row in rows:
        if row["issued"] == row["signed"]:
            continue
        for letter in waiting.filter(kind_id=row["kind_id"], level=row["level"])[:UNSIGNED_SHOWN]:
            unsigned[(row["kind_id"], row["level"])].append(letter)
    out = []
    for row in rows:
        k = by_kind[row["kind_id"]]
        shown = unsigned.get((row["kind_id"], row["level"]), [])
        out.append(
            Level(
                kind=k,
                level=row["level"],
                role=_role(k, row["level"], row["role"]),
                issued=row["issued"],
                signed=row["signed"],
                overdue=row["overdue"],
                unsigned=shown,
            )
        )
    out.sort(key=lambda lv: (lv.kind.sort, lv.kind.pk, lv.level))
    return out


def children(letter: Letter) -> list[Letter]:
    return list(letter.children.select_related("holder_org").order_by("labels", "holder_org__path", "id"))


def issuing_orgs(actor: User, kind: LetterKind) -> QuerySet[Org]:
    """Orgs where the actor may issue the first level of ``kind``: for org letters, those with orgs under them."""
    ids = access.resolve(actor).org_ids(Perm.RECORD_WORK, kind.area)
    qs = Org.objects.filter(pk__in=ids, is_active=True).exclude(kind=OrgKind.GRID)
    if kind.holders == Holders.ORGS:
        below = Org.objects.filter(parent=OuterRef("pk"), is_active=True).exclude(kind=OrgKind.GRID)
        qs = qs.filter(Exists(below))
    else:
        qs = qs.filter(kind=OrgKind.UNIT)
    return qs.order_by("path")


def issuable_kinds(actor: User) -> list[LetterKind]:
    return [k for k in kinds() if issuing_orgs(actor, k).exists()]
