"""Groups API: the groups in scope (by line of work and kind), a group with its terms and members, and its
meetings with their sign-in counts, quorum and resolutions; read-only, 404 outside scope."""

import datetime as dt

from django.db.models import F, Prefetch
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from shequ.core.paging import ApiPagination
from shequ.groups import selectors
from shequ.groups.models import GroupMember, GroupTerm, Resolution

router = Router(tags=["组织机构与会议"])


class GroupOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(..., alias="org.name")
    area: str = Field(..., alias="area.code")
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    name: str
    founded_on: dt.date
    dissolved_on: dt.date | None
    members: int = Field(..., alias="n_members", description="今天在任的成员数")


class TermOut(Schema):
    number: int
    start: dt.date
    end: dt.date


class MemberOut(Schema):
    id: int
    name: str
    role: str
    category: str
    unit: str
    joined_on: dt.date
    left_on: dt.date | None
    staff: bool = Field(..., description="工作人员账号（否则为居民档案中的居民）")

    @staticmethod
    def resolve_staff(obj) -> bool:
        return obj.user_id is not None


class GroupDetailOut(Schema):
    id: int
    org_id: int
    area: str = Field(..., alias="area.code")
    kind: str = Field(..., alias="kind.code")
    name: str
    founded_on: dt.date
    dissolved_on: dt.date | None
    quorum: str = Field(..., alias="kind.quorum_text")
    majority: str = Field(..., alias="kind.pass_text")
    terms: list[TermOut]
    members: list[MemberOut] = Field(..., description="历任成员，在任的在前")

    @staticmethod
    def resolve_terms(obj) -> list:
        return list(obj.term_rows)

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.member_rows)


class ResolutionOut(Schema):
    number: int
    text: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    passed: bool


class MeetingOut(Schema):
    id: int
    date: dt.date = Field(..., alias="record.date")
    title: str = Field(..., alias="record.title")
    expected: int = Field(..., description="应到人数")
    present: int = Field(..., description="实到人数")
    quorate: bool | None = Field(..., description="达到法定人数（单位会议不设法定人数，为空）")
    resolutions: list[ResolutionOut]

    @staticmethod
    def resolve_resolutions(obj) -> list:
        return list(obj.resolutions.all())


@router.get("/", response=list[GroupOut], summary="组织机构列表（本人管辖范围）")
@paginate(ApiPagination)
def list_groups(request, area: str = "", kind: str = ""):
    return selectors.group_list(request.user, area=area, kind=kind, today=timezone.localdate())


@router.get("/{int:group_id}", response=GroupDetailOut, summary="组织机构及其届次、成员")
def get_group(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    group.term_rows = GroupTerm.objects.filter(group=group).order_by("number")
    group.member_rows = GroupMember.objects.filter(group=group).order_by(
        F("left_on").asc(nulls_first=True), "joined_on", "id"
    )
    return group


@router.get("/{int:group_id}/meetings", response=list[MeetingOut], summary="组织机构的会议：到会、法定人数、决议")
@paginate(ApiPagination)
def list_meetings(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    resolutions = Prefetch("resolutions", queryset=Resolution.objects.order_by("number"))
    return selectors.meeting_list(request.user, group).prefetch_related(resolutions)
