"""The named personas every authorization test uses.

明德区 (district) → 和平街道 (street above A and B) → 社区A, 社区B; 清河镇 (another street) → 社区C.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from shequ.accounts.models import User
from shequ.accounts.roles import Role
from shequ.orgs.models import Org, OrgKind
from shequ.testing.factories import OrgFactory, member


@dataclass
class Personas:
    district: Org
    street: Org
    other_street: Org
    community_a: Org
    community_b: Org
    community_c: Org
    grid_a: Org
    admin: User
    worker_a: User
    leader_a: User
    grid_a_worker: User
    supervisor: User
    inspector: User
    worker_b: User
    resident: User
    anonymous: AnonymousUser

    def all_named(self) -> dict[str, object]:
        return {
            "admin": self.admin,
            "worker_a": self.worker_a,
            "leader_a": self.leader_a,
            "grid_a_worker": self.grid_a_worker,
            "supervisor": self.supervisor,
            "inspector": self.inspector,
            "worker_b": self.worker_b,
            "resident": self.resident,
        }


def build_personas() -> Personas:
    district = OrgFactory(name="明德区", kind=OrgKind.DISTRICT, division_code="420199000000")
    street = OrgFactory(name="和平街道", kind=OrgKind.STREET, parent=district, division_code="420199001000")
    other_street = OrgFactory(name="清河镇", kind=OrgKind.STREET, parent=district, division_code="420199101000")
    a = OrgFactory(name="社区A", kind=OrgKind.COMMUNITY, parent=street, division_code="420199001001")
    b = OrgFactory(name="社区B", kind=OrgKind.COMMUNITY, parent=street, division_code="420199001002")
    c = OrgFactory(name="社区C", kind=OrgKind.COMMUNITY, parent=other_street, division_code="420199101200")
    grid_a = OrgFactory(name="A第1网格", kind=OrgKind.GRID, parent=a)
    return Personas(
        district=district,
        street=street,
        other_street=other_street,
        community_a=a,
        community_b=b,
        community_c=c,
        grid_a=grid_a,
        admin=member(district, Role.ADMIN, username="p_admin", name="管理员"),
        worker_a=member(a, Role.WORKER, username="p_worker_a", name="社区A专干"),
        leader_a=member(a, Role.LEADER, username="p_leader_a", name="社区A书记"),
        grid_a_worker=member(grid_a, Role.GRID, username="p_grid_a", name="A网格员"),
        supervisor=member(street, Role.LEADER, username="p_supervisor", name="街道主任"),
        inspector=member(district, Role.INSPECTOR, username="p_inspector", name="区督查"),
        worker_b=member(b, Role.WORKER, username="p_worker_b", name="社区B专干"),
        resident=member(a, Role.RESIDENT, username="p_resident", name="居民甲"),
        anonymous=AnonymousUser(),
    )
