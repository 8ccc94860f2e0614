"""Cases API: scoped like the pages (404 outside scope); a move the map refuses is a 400 with the error shape."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.cases import selectors, services, stats, workflow
from shequ.cases.choices import CaseKind
from shequ.cases.filters import CaseFilter
from shequ.cases.forms import DETAIL_FORMS
from shequ.cases.models import Case, CaseType
from shequ.core.paging import ApiPagination
from shequ.orgs.models import Area, Org

router = Router(tags=["事项"])


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict | list | None = None


class CaseTypeOut(Schema):
    code: str
    name: str
    kind: str
    areas: list[str]
    categories: list[str]
    on_board: bool

    @staticmethod
    def resolve_areas(obj):
        return [a.code for a in obj.areas.all()]


class CaseOut(Schema):
    id: int
    code: str
    type: str = Field(..., alias="case_type.code")
    area: str = Field(..., alias="area.code")
    org_id: int
    org_name: str = Field(..., alias="org.name")
    origin_org_id: int
    escalated_from_id: int | None = None
    state: str
    state_label: str = Field(..., alias="get_state_display")
    title: str
    category: str
    place: str
    registered_on: date
    registered_at: datetime
    owner_id: int | None = None
    leader_id: int | None = None
    accepted_at: datetime | None = None
    deadline: date | None = None
    resolved_at: datetime | None = None
    supervision: str
    rating: int | None = None
    public_reply: str
    public_reply_at: datetime | None = None


class HistoryOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    org_id: int
    note: str


class EntryOut(Schema):
    id: int
    kind: str
    happened_at: datetime
    text: str
    actor_name: str
    visible_to_reporter: bool


class PartyOut(Schema):
    role: str
    name: str
    person_id: int | None = None


class CaseDetailOut(CaseOut):
    version: int  # moves on with every change (optimistic locking)
    description: str
    result: str
    reporter_name: str
    detail: dict
    parties: list[PartyOut]
    history: list[HistoryOut]
    entries: list[EntryOut]
    allowed_actions: list[str] = []

    @staticmethod
    def resolve_detail(obj):
        kind = obj.case_type.kind
        row = getattr(obj, kind, None) if kind in DETAIL_FORMS else None
        if row is None:
            return {}
        return {f: _plain(getattr(row, f)) for f in DETAIL_FORMS[kind].Meta.fields if hasattr(row, f)}

    @staticmethod
    def resolve_parties(obj):
        return list(obj.parties.all())

    @staticmethod
    def resolve_history(obj):
        return obj.history_shown

    @staticmethod
    def resolve_entries(obj):
        return obj.entries_shown


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value) if value is not None and not isinstance(value, bool | int | float | str) else value


class PartyIn(Schema):
    role: str = "party"
    name: str = ""
    phone: str = ""
    address: str = ""
    person_id: int | None = None


class CaseIn(Schema):
    type: str
    org_id: int
    title: str
    description: str
    area: str | None = None
    category: str = ""
    place: str = ""
    registered_on: date | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_person_id: int | None = None
    detail: dict = {}
    parties: list[PartyIn] = []


class MoveIn(Schema):
    action: str
    version: int | None = Field(None, ge=0, description="读取时的版本：事项此后被他人改动则拒绝（409）")
    note: str = ""
    owner_id: int | None = None
    leader_id: int | None = None
    deadline: date | None = None
    result: str = ""
    public_reply: str = ""
    outcome: str | None = None
    agreement_no: str = ""
    agreement_text: str = ""
    failed_to: str = ""
    rectified_on: date | None = None
    rectification_measures: str = ""
    rating: int | None = None
    comment: str = ""
    checker: str = ""
    check_conclusion: str = ""
    new_deadline: date | None = None
    level: str | None = None
    institution: str = ""
    referred_on: date | None = None
    received_on: date | None = None
    to_type: str | None = None
    to_area: str | None = None
    category: str = ""
    completed_on: date | None = None
    feedback: str = ""


class EntryIn(Schema):
    kind: str = "note"
    text: str
    happened_at: datetime | None = None
    visible_to_reporter: bool = False


class FilterIn(Schema):
    """The inbox's filters as the API documents them; ``CaseFilter`` reads and checks them (400 when invalid)."""

    box: str = Field("all", description="分类：todo、mine、overdue、escalated、supervised、all")
    type: str = Field("", description="事项类型代码")
    area: str = Field("", description="条线代码")
    state: str = Field("", description="状态")
    grid: str = Field("", description="网格id，含其下级")
    q: str = Field("", description="标题或编号")


def _error(code: str, message: str, detail=None) -> dict:
    return {"code": code, "message": message, "detail": detail}


def _person(actor, pk: int | None):
    if pk is None:
        return None
    from shequ.residents.selectors import person_base

    person = person_base(actor).filter(pk=pk).first()
    if person is None:
        raise ValidationError({"person": f"居民档案{pk}不存在或不在您的管辖范围内。"})
    return person


def _detail_for(actor, case_type: CaseType, data: dict) -> dict | None:
    form_cls = DETAIL_FORMS.get(case_type.kind)
    if form_cls is None:
        return None
    kw = {}
    if case_type.kind == CaseKind.REFERRAL:
        from shequ.residents.selectors import person_base

        kw["persons"] = person_base(actor)
    form = form_cls(data=data, **kw)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return dict(form.cleaned_data)


@router.get("/types", response=list[CaseTypeOut], summary="事项类型")
def case_type_list(request):
    return list(selectors.case_types())


@router.get("/", response=list[CaseOut], summary="事项列表（本人管辖范围）")
@paginate(ApiPagination)
def case_list(request, filters: Query[FilterIn]):
    flt = CaseFilter(request.GET, queryset=selectors.case_list(request.user), actor=request.user)
    return flt.rows_or_error()


@router.post("/", response={201: CaseDetailOut, 400: ErrorOut}, summary="登记事项")
def case_create(request, payload: CaseIn):
    case_type = get_object_or_404(CaseType, code=payload.type, is_active=True)
    org = get_object_or_404(Org.objects.visible_to(request.user, Perm.VIEW), pk=payload.org_id)
    area = get_object_or_404(Area, code=payload.area) if payload.area else None
    case = services.case_register(
        actor=request.user,
        case_type=case_type,
        org=org,
        area=area,
        title=payload.title,
        description=payload.description,
        category=payload.category,
        place=payload.place,
        registered_on=payload.registered_on,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        reporter_person=_person(request.user, payload.reporter_person_id),
        detail=_detail_for(request.user, case_type, payload.detail),
        parties=[
            {**p.dict(exclude={"person_id"}), "person": _person(request.user, p.person_id)} for p in payload.parties
        ],
    )
    return Status(201, _detail(request, case.pk))


def _detail(request, pk: int) -> Case:
    case = selectors.case_detail(request.user, pk)
    case.allowed_actions = sorted(workflow.available(request.user, case))
    case.history_shown = selectors.named_rows(request.user, list(case.history.all()))
    case.entries_shown = selectors.named_rows(request.user, list(case.entries.all()))
    return case


def _pick(users, pk: int | None, field: str, label: str) -> User | None:
    if pk is None:
        return None
    user = users.filter(pk=pk).first()
    if user is None:
        raise ValidationError({field: f"所选{label}（{pk}）不能办理此事项，或不在您的管辖范围内。"})
    return user


@router.get("/{int:case_id}", response=CaseDetailOut, summary="事项详情（含流转与办理记录）")
def case_get(request, case_id: int):
    return _detail(request, case_id)


class MoveOut(Schema):
    action: str
    label: str
    to_state: str | None


@router.get("/{int:case_id}/moves", response=list[MoveOut], summary="本人现在可做的流转")
def case_moves(request, case_id: int):
    case = selectors.case_get(request.user, case_id)
    return [
        {"action": a, "label": m.label, "to_state": m.to} for a, m in workflow.available(request.user, case).items()
    ]


@router.post(
    "/{int:case_id}/moves",
    response={200: CaseDetailOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="流转（受理、办结、上报…）；带上读取时的 version，事项已被他人改动时为 409",
)
def case_move(request, case_id: int, payload: MoveIn):
    case = selectors.case_get(request.user, case_id)
    data = payload.dict(exclude={"action", "owner_id", "leader_id"}, exclude_none=True)
    if payload.action in {"accept", "reassign"} and payload.action in workflow.available(request.user, case):
        # Only the people the case page offers; any other id (of another org, or none) is refused alike,
        # without a name: the API is no way to learn who an id is. (A move the caller may not make is refused
        # by the service first.)
        data["owner"] = _pick(selectors.assignable_users(case, request.user), payload.owner_id, "owner", "承办人")
        data["leader"] = _pick(selectors.case_leaders(case, request.user), payload.leader_id, "leader", "包案领导")
    if payload.action == "transfer":
        data.pop("to_type", None), data.pop("to_area", None)
        data["to_type"] = CaseType.objects.filter(code=payload.to_type or "").first()
        data["to_area"] = Area.objects.filter(code=payload.to_area).first() if payload.to_area else None
    if payload.action not in workflow.ACTION_LABELS:
        detail = {"actions": sorted(workflow.ACTION_LABELS)}
        return Status(400, _error("unknown_action", f"未知的操作“{payload.action}”。", detail))
    try:
        services.case_move(actor=request.user, case=case, action=payload.action, **data)
    except workflow.TransitionError as exc:
        return Status(400, _error("forbidden_move", exc.messages[0], {"state": exc.state, "action": exc.action}))
    return Status(200, _detail(request, case_id))


@router.get("/{int:case_id}/entries", response=list[EntryOut], summary="办理记录")
def case_entries(request, case_id: int):
    return selectors.named_rows(request.user, list(selectors.case_get(request.user, case_id).entries.all()))


@router.post("/{int:case_id}/entries", response={201: EntryOut, 400: ErrorOut}, summary="添加办理记录")
def case_entry_add(request, case_id: int, payload: EntryIn):
    case = selectors.case_get(request.user, case_id)
    try:
        entry = services.entry_add(actor=request.user, case=case, **payload.dict())
    except workflow.TransitionError as exc:
        return Status(400, _error("forbidden_move", exc.messages[0], {"state": exc.state}))
    return Status(201, entry)


class ScreeningRow(Schema):
    org_id: int
    org_name: str
    screened: int
    mediated: int
    succeeded: int
    major: int


@router.get("/screening", response=list[ScreeningRow], summary="矛盾纠纷排查调处月报")
def case_screening(request, year: int, month: int, org_id: int | None = None):
    org = stats.focus_org(request.user, org_id or 0)
    if org is None or (org_id and org.pk != org_id):
        return []
    data = stats.screening(request.user, org=org, year=year, month=min(max(month, 1), 12))
    return [{"org_id": r["org"].pk, "org_name": r["org"].name, **r["counts"]} for r in data["table"]]
