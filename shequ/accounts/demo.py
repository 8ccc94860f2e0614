"""The demo district's tree and accounts: the base every other part's demo builds on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from shequ.accounts.models import Membership, User, phone_q
from shequ.accounts.roles import Role
from shequ.accounts.services import resident_username
from shequ.orgs.demo import build_tree
from shequ.orgs.models import Area, Org, OrgKind

DEMO_PASSWORD = "Shequ@2026"

# (username, name, phone, org key, role, title, area codes, superuser)
ACCOUNTS = [
    ("admin", "系统管理员", "13800000000", "district", Role.ADMIN, "系统管理员", [], True),
    ("district_inspector", "钱督查", "13800000010", "district", Role.INSPECTOR, "区督查室", [], False),
    ("street_leader", "孙主任", "13800000020", "street1", Role.LEADER, "街道办主任", [], False),
    ("a_leader", "李书记", "13800000030", "communityA", Role.LEADER, "社区书记", [], False),
    (
        "a_worker",
        "王专干",
        "13800000031",
        "communityA",
        Role.WORKER,
        "社区专干",
        ["health", "selfgov", "disability", "education"],
        False,
    ),
    ("a_safety", "赵综治", "13800000032", "communityA", Role.WORKER, "综治专干", ["safety"], False),
    ("a_grid", "周网格", "13800000033", "gridA1", Role.GRID, "网格员", [], False),
    (
        "b_worker",
        "吴专干",
        "13800000040",
        "communityB",
        Role.WORKER,
        "社区专干",
        ["health", "selfgov", "disability", "safety", "education"],
        False,
    ),
    ("school_officer", "郑安全", "13800000050", "school", Role.WORKER, "学校安全专干", ["school"], False),
    ("volunteer", "冯志愿", "13800000060", "communityA", Role.VOLUNTEER, "志愿者", [], False),
    ("monitor", "陈监督", "13800000070", "communityA", Role.MONITOR, "环境卫生监督员", [], False),
    ("resident", "褚居民", "13800000080", "communityA", Role.RESIDENT, "居民", [], False),
    ("teacher", "马老师", "13800000090", "communityA", Role.TEACHER, "社区教育授课教师", [], False),
]


@dataclass
class DemoContext:
    """What the base demo built, handed to every later demo step."""

    year: int
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    @property
    def communities(self) -> list[Org]:
        return [o for o in self.orgs.values() if o.kind == OrgKind.COMMUNITY]

    def grids_of(self, community: Org) -> list[Org]:
        return [o for o in self.orgs.values() if o.kind == OrgKind.GRID and o.parent_id == community.pk]


def add_arguments(parser) -> None:
    parser.add_argument("--streets", type=int, default=2, help="number of streets/towns (default 2)")
    parser.add_argument("--communities", type=int, default=2, help="communities per street (default 2)")


def step(ctx: DemoContext, options) -> None:
    """The first demo step: the tree and the accounts into ``ctx``."""
    _build(ctx, streets=options.get("streets", 2), communities=options.get("communities", 2))


def build(*, year: int | None = None, streets: int = 2, communities: int = 2) -> DemoContext:
    """Create (or find) the demo tree and accounts. Safe to run again: nothing is duplicated."""
    ctx = DemoContext(year=year or date.today().year)
    _build(ctx, streets=streets, communities=communities)
    return ctx


@transaction.atomic
def _build(ctx: DemoContext, *, streets: int, communities: int) -> None:
    ctx.areas = {a.code: a for a in Area.objects.all()}
    ctx.orgs.update(build_tree(streets=streets, communities=communities))
    for username, name, phone, org_key, role, title, area_codes, superuser in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, phone=phone, is_superuser=superuser, is_staff=superuser)
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user, org=ctx.orgs[org_key], role=role, defaults={"title": title}
        )
        if area_codes:
            membership.areas.set([ctx.areas[c] for c in area_codes])
        ctx.users[username] = user


def demo_resident(*, phone: str, name: str, community: Org) -> User:
    """A demo resident with the demo password (made once; the portal's own registration needs a phone code)."""
    user = User.objects.filter(phone_q(phone)).first()
    if user is None:
        user = User(username=resident_username(), phone=phone, name=name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, org=community, role=Role.RESIDENT, title="居民")
    return user
