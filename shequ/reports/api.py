"""Reports API: the report forms, and the submissions in scope by form, org, year and period with their state and
whether they came on time; read-only, 404 outside scope."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from shequ.core.paging import ApiPagination
from shequ.reports import selectors

router = Router(tags=["信息报送"])


class FieldOut(Schema):
    code: str
    label: str
    kind: str = "int"


class FormOut(Schema):
    code: str
    name: str
    area: str = Field(..., alias="area.code")
    cycle: str
    kinds: list[str]
    due_day: int
    due_lag: int
    zero_allowed: bool = Field(..., description="允许零报告")
    fields: list[FieldOut]

    @staticmethod
    def resolve_zero_allowed(obj) -> bool:
        return bool(obj.zero_text)


class SubmissionOut(Schema):
    id: int
    form: str = Field(..., alias="form.code")
    org_id: int
    org_name: str = Field(..., alias="org.name")
    year: int
    period_no: int
    period: str = Field(..., description="期次名称，如 2026年3月")
    due: dt.date = Field(..., description="截止日")
    state: str = Field(..., description="submitted 已报送 / accepted 已接收 / returned 已退回")
    zero: bool = Field(..., description="零报告")
    on_time: bool = Field(..., description="首次报送在截止日前")
    revision: int
    first_submitted_at: dt.datetime
    submitted_at: dt.datetime
    values: dict

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.label

    @staticmethod
    def resolve_due(obj) -> dt.date:
        return obj.period.due

    @staticmethod
    def resolve_on_time(obj) -> bool:
        return obj.first_submitted_at.astimezone().date() <= obj.period.due


@router.get("/forms", response=list[FormOut], summary="报表目录")
def list_forms(request):
    return selectors.forms()


@router.get("/", response=list[SubmissionOut], summary="报表报送（本人管辖范围）")
@paginate(ApiPagination)
def list_submissions(request, form: str = "", org: int | None = None, year: int | None = None,
                     period_no: int | None = None, state: str = ""):  # fmt: skip
    return selectors.submission_rows(request.user, form=form, org=org, year=year, period_no=period_no, state=state)


@router.get("/{int:pk}", response=SubmissionOut, summary="一份报表报送")
def get_submission(request, pk: int):
    return selectors.submission_get(request.user, pk)
