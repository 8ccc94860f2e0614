"""The org tree (组织) and the lines of work (工作条线)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

PATH_WIDTH = 6
DIVISION_CODE_RE = re.compile(r"^\d{12}$")


class OrgKind(models.TextChoices):
    DISTRICT = "district", "区/县"
    STREET = "street", "街道/乡镇"
    COMMUNITY = "community", "社区/村"
    GRID = "grid", "网格/居民小组"
    UNIT = "unit", "单位"


# Which kinds may hang under which parent kind (None: a root).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.DISTRICT: {None},
    OrgKind.STREET: {OrgKind.DISTRICT},
    OrgKind.COMMUNITY: {OrgKind.STREET},
    OrgKind.GRID: {OrgKind.COMMUNITY},
    OrgKind.UNIT: {OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.GRID, OrgKind.UNIT},
}
ADMINISTRATIVE_KINDS = {OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY}


class UnitType(models.TextChoices):
    SCHOOL = "school", "学校"
    HEALTH_CENTER = "health_center", "社区卫生服务中心"
    HEALTH_STATION = "health_station", "社区卫生服务站"
    ENTERPRISE = "enterprise", "企业"
    SOCIAL_ORG = "social_org", "社会组织"
    COMMUNITY_COLLEGE = "community_college", "社区学院"
    COMMUNITY_SCHOOL = "community_school", "社区学校"
    TEACHING_POINT = "teaching_point", "教学点"
    ELDERLY_SCHOOL = "elderly_school", "老年学校"
    OTHER = "other", "其他"


def validate_division_code(code: str, kind: str) -> None:
    """Structure check of a 12-digit statistical division code (统计用区划代码).

    6 digits county (GB/T 2260) + 3 digits township + 3 digits village. A county code ends in
    000000, a street/town has a non-zero township part and 000, a community/village has all three.
    Township part: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 政企合一单位.
    """
    if not DIVISION_CODE_RE.match(code):
        raise ValidationError("区划代码应为12位数字。", code="division_code")
    province, county, town, village = code[:2], code[2:6], code[6:9], code[9:]
    if province in {"00"} or int(province) < 11 or int(province) > 82:
        raise ValidationError("区划代码前两位不是有效的省级代码(11–82)。", code="division_code")
    if kind == OrgKind.DISTRICT:
        if town != "000" or village != "000":
            raise ValidationError("区/县的区划代码后6位应为000000。", code="division_code")
        if county.endswith("00"):
            raise ValidationError("区/县的区划代码第5–6位不能为00。", code="division_code")
    elif kind == OrgKind.STREET:
        if town == "000" or village != "000":
            raise ValidationError("街道/乡镇的区划代码第7–9位不能为000,后3位应为000。", code="division_code")
        if int(town) >= 600:
            raise ValidationError("街道/乡镇代码第7–9位应在001–599之间。", code="division_code")
    elif kind == OrgKind.COMMUNITY:
        if town == "000" or village == "000":
            raise ValidationError("社区/村的区划代码第7–9位和后3位都不能为000。", code="division_code")
        if int(village) >= 400:
            raise ValidationError("社区（居委会）代码后3位应在001–199，村委会在200–399。", code="division_code")


def subtree_range(path: str) -> tuple[str, str]:
    """Lower and upper bound of the paths in the subtree of ``path`` (a plain btree range)."""
    # Paths are digits and '/', and '0' sorts right after '/', so every descendant of "a/b/" lies
    # in ["a/b/", "a/b0").
    return path, path[:-1] + "0"


def subtree_q(path: str, field: str = "path") -> Q:
    low, high = subtree_range(path)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


class OrgQuerySet(models.QuerySet):
    def subtree(self, org: Org, include_self: bool = True) -> OrgQuerySet:
        qs = self.filter(subtree_q(org.path))
        return qs if include_self else qs.exclude(pk=org.pk)

    def active(self) -> OrgQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, actor, perm: str = "view", area=None) -> OrgQuerySet:
        """The orgs the actor may act on with ``perm`` (in ``area``, when given): their subtrees' ids,
        resolved once per request by the door (``actor.scope``, an ``accounts.access.Scope``)."""
        scope = getattr(actor, "scope", None) if getattr(actor, "is_authenticated", False) else None
        if scope is None:
            return self.none()
        return self.filter(pk__in=scope.org_ids(perm, area))


class Org(models.Model):
    """A node of the org tree: 区/县 → 街道/乡镇 → 社区/村 → 网格, plus units hung under any node.

    ``path`` is the materialised path of zero-padded ids ("000001/000004/"), so a subtree is one
    indexed range filter. Retired nodes stay (is_active=False) so that their history keeps its home.
    """

    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    unit_type = models.CharField("单位类型", max_length=20, choices=UnitType.choices, blank=True)
    name = models.CharField("名称", max_length=100)
    division_code = models.CharField("区划代码", max_length=12, blank=True, help_text="12位统计用区划代码")
    code_year = models.PositiveSmallIntegerField("代码年度", null=True, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort = models.PositiveIntegerField("排序", default=0)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("在用", default=True)
    retired_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["division_code"], condition=~Q(division_code=""), name="org_division_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENTS.get(self.kind, set())
        if parent_kind not in allowed:
            raise ValidationError({"parent": f"{self.get_kind_display()}不能挂在{_kind_label(parent_kind)}之下。"})
        if self.kind == OrgKind.UNIT and not self.unit_type:
            raise ValidationError({"unit_type": "单位必须选择单位类型。"})
        if self.kind != OrgKind.UNIT and self.unit_type:
            raise ValidationError({"unit_type": "只有单位才有单位类型。"})
        if self.division_code:
            if self.kind not in ADMINISTRATIVE_KINDS:
                raise ValidationError({"division_code": "只有区/县、街道/乡镇、社区/村有区划代码。"})
            try:
                validate_division_code(self.division_code, self.kind)
            except ValidationError as exc:
                raise ValidationError({"division_code": exc.messages}) from exc
            if self.parent_id and self.parent.division_code:
                prefix = {OrgKind.STREET: 6, OrgKind.COMMUNITY: 9}.get(self.kind)
                if prefix and self.division_code[:prefix] != self.parent.division_code[:prefix]:
                    raise ValidationError({"division_code": "区划代码与上级的代码前缀不一致。"})

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]

    def is_descendant_of(self, other: Org) -> bool:
        return self.path.startswith(other.path)

    @property
    def kind_label(self) -> str:
        if self.kind == OrgKind.UNIT and self.unit_type:
            return self.get_unit_type_display()
        return self.get_kind_display()


def _kind_label(kind: str | None) -> str:
    return OrgKind(kind).label if kind else "顶层"


class Area(models.Model):
    """A line of work (工作条线): data, not code. Later parts hang activity, case, target,
    survey and ledger types on it."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    description = models.TextField("说明", blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "工作条线"
        verbose_name_plural = "工作条线"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


# Units that serve the residents of the org they sit in (a 卫生服务站 its community, a 卫生服务中心 its street):
# their figures about residents are that org's.
SERVING_UNITS = (UnitType.HEALTH_CENTER, UnitType.HEALTH_STATION)


def served_path(path: str, kind: str, unit_type: str) -> str:
    """The subtree whose residents an org's figures are about: its own, or for a serving unit its parent's."""
    if kind == OrgKind.UNIT and unit_type in SERVING_UNITS:
        return path[: path.rstrip("/").rfind("/") + 1] or path
    return path


def path_for(pk: int, parent: Org | None) -> str:
    return (parent.path if parent else "") + f"{pk:0{PATH_WIDTH}d}/"
