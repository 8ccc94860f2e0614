"""Records API: list (paged, filtered like the page), detail and create; scoped, 404 outside scope."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from shequ.accounts.roles import Perm
from shequ.core.paging import ApiPagination
from shequ.orgs.models import Org
from shequ.records import selectors, services
from shequ.records.filters import RecordFilter
from shequ.records.models import ActivityType

router = Router(tags=["工作记录"])


class RecordFilterIn(Schema):
    """The list's filters as the API documents them; ``RecordFilter`` reads and checks them (400 when invalid)."""

    org: str | None = Field(None, description="组织id，含其下级")
    area: str | None = Field(None, description="条线代码，如 health")
    type: str | None = Field(None, description="活动类型id")
    date_from: str | None = Field(None, description="起始日期，如 2025-01-01")
    date_to: str | None = Field(None, description="截止日期")
    year: str | None = Field(None, description="年度")
    q: str | None = Field(None, description="主题包含")


class RecordOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(..., alias="org.name")
    area: str = Field(..., alias="area.code")
    activity_type_id: int
    activity_type_code: str = Field(..., alias="activity_type.code")
    activity_type_name: str = Field(..., alias="activity_type.name")
    date: dt.date
    year: int
    title: str
    place: str
    organiser: str
    participant_count: int
    photo_count: int = 0
    updated_at: dt.datetime


class PhotoOut(Schema):
    id: int
    width: int
    height: int


class RecordDetailOut(RecordOut):
    version: int  # moves on with every change (optimistic locking)
    content: str
    summary: str
    extra: dict
    person_ids: list[int]
    photos: list[PhotoOut]

    @staticmethod
    def resolve_person_ids(obj) -> list[int]:
        return [p.pk for p in obj.persons.all()]

    @staticmethod
    def resolve_photos(obj) -> list:
        return list(obj.photos.all())

    @staticmethod
    def resolve_photo_count(obj) -> int:
        return len(obj.photos.all())


class RecordIn(Schema):
    org_id: int
    activity_type_id: int
    date: dt.date
    title: str = Field(..., min_length=1, max_length=200)
    place: str = ""
    organiser: str = ""
    participant_count: int = Field(0, ge=0)
    content: str = ""
    summary: str = ""
    extra: dict = Field(default_factory=dict)
    person_ids: list[int] = Field(default_factory=list)


@router.get("/", response=list[RecordOut], summary="工作记录列表（本人管辖范围）")
@paginate(ApiPagination)
def list_records(request, filters: Query[RecordFilterIn]):
    flt = RecordFilter(request.GET, queryset=selectors.record_list(request.user), actor=request.user)
    return flt.rows_or_error()


@router.get("/{int:record_id}", response=RecordDetailOut, summary="工作记录详情")
def get_record(request, record_id: int):
    return selectors.record_get(request.user, record_id)


@router.post("/", response={201: RecordDetailOut}, summary="登记工作记录")
def create_record(request, payload: RecordIn):
    org = get_object_or_404(Org.objects.visible_to(request.user, Perm.VIEW), pk=payload.org_id)
    activity_type = get_object_or_404(ActivityType.objects.select_related("area"), pk=payload.activity_type_id)
    record = services.record_create(
        actor=request.user,
        org=org,
        activity_type=activity_type,
        date=payload.date,
        title=payload.title,
        place=payload.place,
        organiser=payload.organiser,
        participant_count=payload.participant_count,
        content=payload.content,
        summary=payload.summary,
        extra=payload.extra,
        persons=payload.person_ids,
    )
    return Status(201, selectors.record_get(request.user, record.pk))
