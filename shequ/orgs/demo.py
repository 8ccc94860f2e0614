"""The demo district's org tree and accounts: the base every other part's demo builds on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import Role
from shequ.orgs.models import Area, Org, OrgKind, UnitType, path_for

DEMO_PASSWORD = "Shequ@2026"

# (key, name, kind, parent key, division code, unit type)
BASE_TREE = [
    ("district", "明德区", OrgKind.DISTRICT, None, "420199000000", ""),
    ("street1", "和平街道", OrgKind.STREET, "district", "420199001000", ""),
    ("street2", "清河镇", OrgKind.STREET, "district", "420199101000", ""),
    ("communityA", "幸福社区", OrgKind.COMMUNITY, "street1", "420199001001", ""),
    ("communityB", "阳光社区", OrgKind.COMMUNITY, "street1", "420199001002", ""),
    ("village1", "清河村", OrgKind.COMMUNITY, "street2", "420199101200", ""),
    ("village2", "柳树村", OrgKind.COMMUNITY, "street2", "420199101201", ""),
    ("school", "和平街道中心小学", OrgKind.UNIT, "street1", "", UnitType.SCHOOL),
    ("health_center", "和平街道社区卫生服务中心", OrgKind.UNIT, "street1", "", UnitType.HEALTH_CENTER),
    ("health_station", "幸福社区卫生服务站", OrgKind.UNIT, "communityA", "", UnitType.HEALTH_STATION),
]
GRIDS_PER_COMMUNITY = {"communityA": 3, "communityB": 2, "village1": 2, "village2": 2}

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


def _ensure_org(key_map: dict[str, Org], name: str, kind: str, parent: Org | None, code: str, unit_type: str) -> Org:
    lookup = {"division_code": code} if code else {"name": name, "parent": parent}
    org = Org.objects.filter(**lookup).first()
    if org is None:
        org = Org(
            name=name,
            kind=kind,
            parent=parent,
            division_code=code,
            unit_type=unit_type,
            code_year=2023 if code else None,
        )
        org.full_clean(exclude=["path"])
        org.save()
        org.path = path_for(org.pk, parent)
        org.depth = parent.depth + 1 if parent else 0
        org.save(update_fields=["path", "depth"])
    return org


def _extra_tree(streets: int, communities: int) -> list[tuple]:
    """More streets and communities for district-scale demos, beyond the named base tree."""
    rows = []
    for s in range(3, streets + 1):
        skey = f"street{s}"
        rows.append((skey, f"第{s}街道", OrgKind.STREET, "district", f"420199{s:03d}000", ""))
    for s in range(1, streets + 1):
        skey = f"street{s}"
        start = 3 if s <= 2 else 1
        for c in range(start, communities + 1):
            town = f"{s:03d}" if s != 2 else "101"
            rows.append(
                (
                    f"{skey}_c{c}",
                    f"{'和平清河'[2 * (s - 1) : 2 * s] if s <= 2 else f'第{s}街道'}第{c}社区",
                    OrgKind.COMMUNITY,
                    skey,
                    f"420199{town}{c:03d}",
                    "",
                )
            )
    return rows


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
    for key, name, kind, parent_key, code, unit_type in BASE_TREE + _extra_tree(streets, communities):
        parent = ctx.orgs[parent_key] if parent_key else None
        ctx.orgs[key] = _ensure_org(ctx.orgs, name, kind, parent, code, unit_type)
    for key in [k for k, o in ctx.orgs.items() if o.kind == OrgKind.COMMUNITY]:
        community = ctx.orgs[key]
        suffix = "A" if key == "communityA" else ("B" if key == "communityB" else key)
        for n in range(1, GRIDS_PER_COMMUNITY.get(key, 2) + 1):
            label = "村民小组" if community.name.endswith("村") else "网格"
            ctx.orgs[f"grid{suffix}{n}"] = _ensure_org(ctx.orgs, f"第{n}{label}", OrgKind.GRID, community, "", "")
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
