"""Letters API: the letter kinds with their clauses and levels, the year's letters in scope (issuing level,
holder, signer, signed state), a letter with its clauses and the letters it issued on, and 签订率 per kind and
level with who has not signed; read-only, 404 outside scope."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from shequ.core.paging import ApiPagination
from shequ.letters import selectors

router = Router(tags=["责任书"])


class KindOut(Schema):
    code: str
    name: str
    area: str = Field(..., alias="area.code")
    holders: str = Field(..., description="orgs：下级单位逐级签订；people：个人逐级签订")
    roles: list[str] = Field(..., description="个人逐级签订时各级的职务")
    clauses: list[str] = Field(..., alias="clause_list")


class LetterOut(Schema):
    id: int
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    year: int
    level: int = Field(..., description="层级：1为第一级（由发出单位直接签发）")
    parent_id: int | None = Field(..., description="上一级责任书")
    issuer_id: int
    issuer_name: str = Field(..., alias="issuer.name")
    holder_org_id: int | None = Field(..., description="责任单位（逐级签订到个人时为空）")
    holder: str = Field(..., alias="holder_text", description="责任单位或 年级/班级 职务 姓名")
    holder_role: str
    labels: str = Field(..., description="年级/班级")
    issued_on: dt.date
    due_on: dt.date
    signed: bool = Field(..., alias="is_signed")
    signed_on: dt.date | None
    signed_how: str = Field(..., description="drawn：屏幕签名；scan：纸质扫描件；未签为空")
    signer_name: str = Field(..., description="签字人")
    overdue: bool = Field(..., description="已过签订期限仍未签订")

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.signed_on is None and obj.due_on < timezone.localdate()


class LetterDetailOut(LetterOut):
    clauses: list[str] = Field(..., alias="kind.clause_list")
    issued_on_to: int = Field(..., alias="n_children", description="本责任书向下一级发出的责任书份数")
    signed_below: int = Field(..., alias="n_children_signed", description="其中已签订的份数")


class UnsignedOut(Schema):
    id: int
    holder: str = Field(..., alias="holder_text")
    due_on: dt.date


class LevelOut(Schema):
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    level: int
    role: str = Field(..., description="该层级的签订对象")
    issued: int = Field(..., description="应签（已发出）")
    signed: int = Field(..., description="已签")
    overdue: int = Field(..., description="逾期未签")
    rate: float | None = Field(..., description="签订率（%），未发出时为空")
    unsigned: list[UnsignedOut] = Field(..., description=f"未签订的（最多{selectors.UNSIGNED_SHOWN}份）")
    more_unsigned: bool = Field(..., alias="more", description="未签订的多于所列")


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


@router.get("/kinds", response=list[KindOut], summary="责任书类型及其条款、逐级职务")
def list_kinds(request):
    return list(selectors.kinds())


@router.get("/", response=list[LetterOut], summary="本年度责任书（本人管辖范围）")
@paginate(ApiPagination)
def list_letters(request, year: int | None = None, kind: str = "", status: str = ""):
    """``status``: signed（已签）或 unsigned（未签）。"""
    return selectors.letters(request.user, year=_year(year), kind=kind, status=status)


@router.get("/coverage", response=list[LevelOut], summary="签订率：各类责任书各层级的应签、已签与未签名单")
def coverage(request, year: int | None = None, kind: str = ""):
    return selectors.coverage(request.user, year=_year(year), today=timezone.localdate(), kind=kind)


@router.get("/{int:letter_id}", response=LetterDetailOut, summary="责任书：条款、签订情况及向下一级的签订")
def get_letter(request, letter_id: int):
    letter = selectors.letter_get(request.user, letter_id)
    below = letter.children.aggregate(n=Count("pk"), signed=Count("pk", filter=Q(signed_on__isnull=False)))
    letter.n_children, letter.n_children_signed = below["n"], below["signed"]
    return letter
