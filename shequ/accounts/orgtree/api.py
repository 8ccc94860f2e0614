from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from shequ.accounts.orgtree import selectors
from shequ.core.paging import ApiPagination

router = Router(tags=["组织"])


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit_type: str
    division_code: str
    parent_id: int | None = Field(None)
    depth: int
    is_active: bool
    updated_at: datetime


class AreaOut(Schema):
    id: int
    code: str
    name: str
    is_active: bool


@router.get("/", response=list[OrgOut], summary="组织列表（本人管辖范围）")
@paginate(ApiPagination)
def list_orgs(request, include_retired: bool = False):
    return selectors.org_list(request.user, include_retired=include_retired)


@router.get("/areas", response=list[AreaOut], summary="工作条线")
def list_areas(request):
    return list(selectors.area_list())


@router.get("/{int:org_id}", response=OrgOut, summary="组织详情")
def get_org(request, org_id: int):
    return selectors.org_get(request.user, org_id)


@router.get("/{int:org_id}/children", response=list[OrgOut], summary="下级组织")
def get_children(request, org_id: int):
    return list(selectors.org_children(request.user, selectors.org_get(request.user, org_id)))
