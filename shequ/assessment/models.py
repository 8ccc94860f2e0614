"""Year-end assessment (年终考核): rubrics as data, and each org's assessment of a year with its item scores.

A :class:`Rubric` is one line of work's 考核细则 for one org kind: items with points (see ``scoring.py``). An
:class:`Assessment` is one org's year: the community scores itself (自评), the street reviews (审核), the district
confirms (确认). Each item's :class:`Score` keeps the computed figure, the self score with its evidence, and the
reviewer's score with its reason; the final score is the reviewer's, else the self score, else the computed one.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.assessment.scoring import EFFECTS, kind_of
from shequ.core.versioning import Versioned, VersionedQuerySet


class Rubric(models.Model):
    """One line of work's 考核细则 for an org kind: data, loaded from ``catalogue.py``, kept by administrators.

    ``items``: ``[{"code", "label", "points", "source"?, "expect"?, "per_missing"?, "per_point"?, "floor"?,
    "judged"?, "veto"?: {"cases": [type codes]}, "effect"?, "cap"?}]`` (``scoring.py`` says what each means)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80)
    area = models.ForeignKey("orgs.Area", verbose_name="工作条线", on_delete=models.PROTECT)
    kind = models.CharField("考核对象类型", max_length=16, default="community")
    items = models.JSONField("考核项目", default=list)
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "考核细则"
        verbose_name_plural = "考核细则"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        codes = [i.get("code") for i in self.items]
        if not codes or len(set(codes)) != len(codes):
            raise ValidationError({"items": "考核项目须有各不相同的代码。"})
        for i in self.items:
            k = kind_of(i)
            if k == "veto" and i.get("effect") not in EFFECTS:
                raise ValidationError({"items": f"否决项“{i.get('label')}”的后果无效。"})
            if k != "veto" and Decimal(str(i.get("points", 0))) <= 0:
                raise ValidationError({"items": f"“{i.get('label')}”须有分值。"})

    @property
    def points(self) -> Decimal:
        return sum((Decimal(str(i["points"])) for i in self.items if kind_of(i) != "veto"), Decimal(0))


class Stage(models.TextChoices):
    SELF = "self", "社区自评"
    REVIEW = "review", "街道审核"
    CONFIRM = "confirm", "待区确认"
    CONFIRMED = "confirmed", "已确认"


class AssessmentQuerySet(ScopedQuerySet, VersionedQuerySet):
    pass


class Assessment(Versioned):
    """One org's assessment of a year, with its totals and the vetoes applied (kept as they were computed)."""

    org = models.ForeignKey("orgs.Org", verbose_name="考核对象", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.SELF)
    raw_total = models.DecimalField("否决前得分", max_digits=6, decimal_places=1, default=0)
    total = models.DecimalField("总分", max_digits=6, decimal_places=1, default=0)
    veto_text = models.TextField("一票否决", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AssessmentQuerySet.as_manager()
    version_shown = ("stage",)

    class Meta:
        verbose_name = "年终考核"
        verbose_name_plural = "年终考核"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="assessment_org_year_unique")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年度考核"


class ScoreQuerySet(ScopedQuerySet):
    scope_field = "assessment__org"
    scope_area_field = "rubric__area"


class Score(models.Model):
    """One item of one assessment: the figure Shequ computed and its score, the self score with its evidence,
    the reviewer's score with its reason; ``final`` is what counts."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    item = models.CharField("项目代码", max_length=40)
    computed = models.DecimalField("计算得分", max_digits=6, decimal_places=1, null=True, blank=True)
    computed_note = models.CharField("计算依据", max_length=300, blank=True)
    self_score = models.DecimalField("自评分", max_digits=6, decimal_places=1, null=True, blank=True)
    self_note = models.CharField("自评说明", max_length=500, blank=True)
    evidence = models.TextField("佐证材料（链接）", blank=True)
    review_score = models.DecimalField("审核分", max_digits=6, decimal_places=1, null=True, blank=True)
    review_reason = models.CharField("审核意见", max_length=500, blank=True)
    final = models.DecimalField("得分", max_digits=6, decimal_places=1, null=True, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        constraints = [models.UniqueConstraint(fields=["assessment", "rubric", "item"], name="score_item_unique")]

    def __str__(self) -> str:
        return f"{self.item} {self.final}"

    @property
    def spec(self) -> dict:
        return next((i for i in self.rubric.items if i["code"] == self.item), {})


class AssessmentEvent(models.Model):
    """A step of the cycle: self-assessment submitted, review submitted, confirmed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices)
    action = models.CharField("操作", max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "考核记录"
        verbose_name_plural = "考核记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action
