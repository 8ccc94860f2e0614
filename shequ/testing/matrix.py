"""The extended authorization matrix's personas: everyone whose rights are narrower than their org's.

Each persona says which objects of the matrix lie in its scope (the objects the apps' scope fixtures
make live in 社区A, or in 社区A's first grid, and belong to one line of work or to none). Outside its
scope a persona must get 404, exactly as if the object did not exist; inside it, the page (200) or, where
its role lacks the right, 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from shequ.accounts.models import User
from shequ.accounts.roles import Role
from shequ.orgs.models import Area, OrgKind, UnitType
from shequ.testing.factories import OrgFactory, member
from shequ.testing.personas import Personas


@dataclass(frozen=True)
class MatrixPersona:
    key: str
    label: str
    user: User
    # Where the persona stands towards 社区A: "community" (社区A or an org above it), "grid" (社区A's first
    # grid), "sibling" (社区A's second grid), "" (another community, a unit beside 社区A).
    reach: str
    areas: frozenset[str] | None = None  # the lines of work it sees (None: every line)
    views: bool = True  # False: a role of 社区A that sees no data of the office at all (the public side)
    read_only: bool = False

    def sees(self, *, lies: str, area: str | None) -> bool:
        """Whether an object of 社区A lies in the persona's scope. ``lies``: "community" (an object of 社区A),
        "grid" (of 社区A's first grid), "subtree" (of 社区A, shown to every org below it, as templates are),
        "office" (the office's working material: import files and drafts, health and special-group profiles,
        which its staff see and neither grid workers nor inspectors do) or "owner" (a user's own membership or
        token: nobody else's)."""
        reaches = {
            "community": {"community"},
            "grid": {"community", "grid"},
            "subtree": {"community", "grid", "sibling"},
            "office": {"community"},
            "owner": set(),  # only its owners (``URL_OWNERS``)
        }
        if self.reach not in reaches[lies] or (lies == "office" and self.read_only):
            return False
        return area is None or self.areas is None or area in self.areas

    @property
    def inside(self) -> bool:
        """A member of 社区A's subtree (or above it): refused inside scope gets 403, never another org's 404."""
        return self.reach in {"community", "grid", "sibling"}


def _areas(*codes: str) -> list[Area]:
    return list(Area.objects.filter(code__in=codes))


def build_matrix_personas(p: Personas) -> list[MatrixPersona]:
    """The matrix's personas on top of the named ones (社区A's sibling grid, a school, 社区C's worker)."""
    sibling_grid = OrgFactory(name="A第2网格", kind=OrgKind.GRID, parent=p.community_a)
    school = OrgFactory(name="和平街道中心小学", kind=OrgKind.UNIT, unit_type=UnitType.SCHOOL, parent=p.street)
    return [
        MatrixPersona("admin", "区系统管理员", p.admin, "community"),
        MatrixPersona("leader_a", "社区A书记", p.leader_a, "community"),
        MatrixPersona("worker_a", "社区A专干(全部条线)", p.worker_a, "community"),
        MatrixPersona(
            "health_a",
            "社区A健康教育专干",
            member(p.community_a, Role.WORKER, areas=_areas("health"), username="m_health_a", name="健康专干"),
            "community",
            areas=frozenset({"health"}),
        ),
        MatrixPersona(
            "safety_a",
            "社区A综治专干",
            member(p.community_a, Role.WORKER, areas=_areas("safety"), username="m_safety_a", name="综治专干"),
            "community",
            areas=frozenset({"safety"}),
        ),
        MatrixPersona("grid_a", "A第1网格网格员", p.grid_a_worker, "grid"),
        MatrixPersona(
            "grid_a2",
            "A第2网格网格员",
            member(sibling_grid, Role.GRID, username="m_grid_a2", name="二网格员"),
            "sibling",
        ),
        MatrixPersona(
            "volunteer_a",
            "社区A志愿者",
            member(p.community_a, Role.VOLUNTEER, username="m_volunteer", name="志愿者甲"),
            "community",
            views=False,
        ),
        MatrixPersona(
            "monitor_a",
            "社区A监督员",
            member(p.community_a, Role.MONITOR, username="m_monitor", name="监督员甲"),
            "community",
            views=False,
        ),
        MatrixPersona("resident", "社区A居民", p.resident, "community", views=False),
        MatrixPersona(
            "school_officer",
            "学校安全专干",
            member(school, Role.WORKER, areas=_areas("school"), username="m_school", name="学校专干"),
            "",
        ),
        MatrixPersona("inspector", "区督查", p.inspector, "community", read_only=True),
        MatrixPersona("supervisor", "街道主任", p.supervisor, "community"),
        MatrixPersona("worker_b", "社区B专干", p.worker_b, ""),
        MatrixPersona(
            "worker_c",
            "社区C(另一街道)专干",
            member(p.community_c, Role.WORKER, username="m_worker_c", name="社区C专干"),
            "",
        ),
    ]


# The personas' keys, in the order ``build_matrix_personas`` makes them (for parametrizing tests).
MATRIX_KEYS = [
    "admin",
    "leader_a",
    "worker_a",
    "health_a",
    "safety_a",
    "grid_a",
    "grid_a2",
    "volunteer_a",
    "monitor_a",
    "resident",
    "school_officer",
    "inspector",
    "supervisor",
    "worker_b",
    "worker_c",
]
