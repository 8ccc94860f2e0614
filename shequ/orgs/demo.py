"""The demo district's org tree: 明德区, its streets, communities, villages, grids and units."""

from __future__ import annotations

from shequ.orgs.models import Org, OrgKind, UnitType, path_for

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


def build_tree(*, streets: int = 2, communities: int = 2) -> dict[str, Org]:
    """Create (or find) the demo tree; its orgs by key ("communityA", "gridA1" …). Nothing is duplicated."""
    orgs: dict[str, Org] = {}
    for key, name, kind, parent_key, code, unit_type in BASE_TREE + _extra_tree(streets, communities):
        parent = orgs[parent_key] if parent_key else None
        orgs[key] = _ensure_org(orgs, name, kind, parent, code, unit_type)
    for key in [k for k, o in orgs.items() if o.kind == OrgKind.COMMUNITY]:
        community = orgs[key]
        suffix = "A" if key == "communityA" else ("B" if key == "communityB" else key)
        for n in range(1, GRIDS_PER_COMMUNITY.get(key, 2) + 1):
            label = "村民小组" if community.name.endswith("村") else "网格"
            orgs[f"grid{suffix}{n}"] = _ensure_org(orgs, f"第{n}{label}", OrgKind.GRID, community, "", "")
    return orgs
