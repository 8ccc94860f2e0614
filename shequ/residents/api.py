"""Registry API: persons and households in the caller's scope, ID numbers masked.

The whole ID number has its own endpoint (POST, because every call is written to the audit log)
for roles that may see it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shequ.core.paging import ApiPagination
from shequ.residents import search, selectors, services
from shequ.residents.filters import PersonFilter
from shequ.residents.models import Person

router = Router(tags=["居民档案"])
MAX_ID = 2**63 - 1


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date | None
    id_type: str
    id_number_masked: str
    phone: str
    org_id: int
    org_name: str
    grid_id: int | None
    household_id: int | None
    relation: str
    residence_status: str
    address: str
    possible_duplicate: bool

    @staticmethod
    def resolve_id_number_masked(obj: Person) -> str:
        return obj.id_masked

    @staticmethod
    def resolve_org_name(obj: Person) -> str:
        return obj.org.name


class PersonDetailOut(PersonOut):
    version: int  # moves on with every change (optimistic locking)
    ethnicity: str
    education: str
    occupation: str
    notes: str
    is_deceased: bool
    profiles: list[str]

    @staticmethod
    def resolve_profiles(obj: Person) -> list[str]:
        return obj.profiles.tags()


class WholeIdOut(Schema):
    id: int
    id_type: str
    id_number: str


class HouseholdOut(Schema):
    id: int
    number: str
    org_id: int
    grid_id: int | None
    address: str
    head_id: int | None
    members: list[PersonOut]


class PersonFilterIn(Schema):
    """The list's filters as the API documents them; ``PersonFilter`` reads and checks them (400 when invalid)."""

    q: str = Field("", description="姓名/拼音/首字母/证件尾号/电话/地址")
    org: str = Field("", description="社区/村id，含其下级")
    grid: str = Field("", description="网格id")
    status: str = Field("", description="居住状态")
    profile: str = Field("", description="人群")
    permit: str = Field("", description="流动人口·居住证：none、expired、valid")
    housing: str = Field("", description="流动人口·住房")
    employer: str = Field("", description="流动人口·服务处所（前缀）")
    duplicates: str = Field("", description="只看疑似重复：true")


@router.get(
    "/persons",
    response=list[PersonOut],
    summary="居民列表（本人管辖范围，证件号码已掩码）；按完整证件号码或电话查找请用 POST /persons/search",
)
@paginate(ApiPagination)
def list_persons(request, filters: Query[PersonFilterIn]):
    if search.is_whole_number(filters.q):
        # A whole number in a URL lands in access logs and proxies: refused, the caller is told where to send it.
        raise ValidationError(
            {"q": "完整的证件号码或电话号码不能放在网址中，请用 POST /api/residents/persons/search 查找。"}
        )
    flt = PersonFilter(request.GET, queryset=selectors.person_list(request.user), actor=request.user)
    return flt.rows_or_error().select_related("org")


@router.post(
    "/persons/search",
    response=list[PersonOut],
    summary="查找居民（条件在请求体中，可按完整证件号码或电话；本人管辖范围，证件号码已掩码）",
)
@paginate(ApiPagination)
def search_persons(request, filters: PersonFilterIn):
    flt = PersonFilter(filters.dict(), queryset=selectors.person_list(request.user), actor=request.user)
    return flt.rows_or_error().select_related("org")


@router.get("/persons/{int:person_id}", response=PersonDetailOut, summary="居民详情（证件号码已掩码）")
def get_person(request, person_id: int):
    person = selectors.person_get(request.user, person_id)
    person.profiles = selectors.person_profiles(request.user, person)
    return person


@router.post(
    "/persons/{int:person_id}/id-number",
    response=WholeIdOut,
    summary="查看完整证件号码（需相应角色；每次调用记入审计日志）",
)
def reveal_id_number(request, person_id: int):
    person = selectors.person_get(request.user, person_id)
    number = services.person_reveal_id(actor=request.user, person=person)
    return {"id": person.pk, "id_type": person.id_type, "id_number": number}


@router.get("/households/{int:household_id}", response=HouseholdOut, summary="户及其成员")
def get_household(request, household_id: int):
    household = selectors.household_get(request.user, household_id)
    household.members_list = selectors.household_members(request.user, household)
    return {
        "id": household.pk,
        "number": household.number,
        "org_id": household.org_id,
        "grid_id": household.grid_id,
        "address": household.address,
        "head_id": household.head_id,
        "members": household.members_list,
    }
