"""The register of learning organisations (学习型组织) and the teaching resources of courses.

A community keeps a register of its families, buildings (楼组) and units that take part in the 学习型组织 campaign;
each is evaluated once a year against the criteria of its kind (``shequ.education.learning.CRITERIA``), scored item
by item, with evidence files or a linked record. The share of the register recognised in a year is the indicator
``education_learning_org_share``, which the education plan's target reads against last year's figure.

A course's teaching resources (讲义、课件、教学视频) are files stored and checked as every upload is
(``shequ.core.uploads``), served to the course's staff and teacher and to its enrolled learners.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.core.uploads import random_name
from shequ.education.querysets import CoursePartQuerySet


class LearningKind(models.TextChoices):
    FAMILY = "family", "学习型家庭"
    BUILDING = "building", "学习型楼组"
    UNIT = "unit", "学习型单位"


class LearningResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASSED = "passed", "达标"
    FAILED = "failed", "未达标"


RECOGNISED = (LearningResult.EXCELLENT, LearningResult.PASSED)


class LearningOrgQuerySet(ScopedQuerySet):
    """Candidates are seen as the community's other education data."""

    scope_area_field = "area"


class LearningEvaluationQuerySet(ScopedQuerySet):
    scope_field = "candidate__org"
    scope_area_field = "candidate__area"


class EvaluationFileQuerySet(ScopedQuerySet):
    scope_field = "evaluation__candidate__org"
    scope_area_field = "evaluation__candidate__area"


class LearningOrg(models.Model):
    """A family, building (楼组) or unit of a community on its register of learning-organisation candidates, from
    the day it was listed until the day it left (a family moved away, a unit closed)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属社区")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    kind = models.CharField("类别", max_length=10, choices=LearningKind.choices)
    name = models.CharField("名称", max_length=100, help_text="如：张建国家庭、3栋2单元楼组、幸福社区卫生服务站")
    contact = models.CharField("负责人/户主", max_length=50, blank=True)
    address = models.CharField("地址", max_length=100, blank=True)
    listed_on = models.DateField("列入名册日期")
    left_on = models.DateField("退出名册日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LearningOrgQuerySet.as_manager()

    class Meta:
        verbose_name = "学习型组织参评对象"
        verbose_name_plural = "学习型组织名册"
        ordering = ["org__path", "kind", "name", "id"]
        indexes = [models.Index(fields=["org", "kind"], name="learning_org_kind")]

    def __str__(self) -> str:
        return self.name


class LearningEvaluation(models.Model):
    """One year's evaluation of a candidate: a score per criterion of its kind, the total and the result that
    follows from it (computed, never typed), the evidence (files below, or a linked record of the evaluation)."""

    candidate = models.ForeignKey(
        LearningOrg, on_delete=models.CASCADE, related_name="evaluations", verbose_name="参评对象"
    )
    year = models.PositiveSmallIntegerField("年度", editable=False)
    evaluated_on = models.DateField("评估日期")
    scores = models.JSONField("逐项得分", default=dict)
    total = models.PositiveSmallIntegerField("总分")
    result = models.CharField("评定结果", max_length=10, choices=LearningResult.choices)
    record = models.ForeignKey(
        "records.Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="评比记录"
    )
    note = models.TextField("评语", blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LearningEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "学习型组织评估"
        verbose_name_plural = "学习型组织评估"
        ordering = ["-year", "candidate", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "year"], name="learning_evaluation_year")]
        indexes = [models.Index(fields=["year", "result"], name="learning_evaluation_result")]

    def __str__(self) -> str:
        return f"{self.candidate} {self.year}年"

    @property
    def recognised(self) -> bool:
        return self.result in RECOGNISED


def evidence_path(instance, filename: str) -> str:
    return random_name("learning", filename)


class EvaluationFile(models.Model):
    """A file or photo of evidence for an evaluation (读书笔记、活动照片、证书)."""

    evaluation = models.ForeignKey(
        LearningEvaluation, on_delete=models.CASCADE, related_name="files", verbose_name="评估"
    )
    file = models.FileField("文件", upload_to=evidence_path)
    file_name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvaluationFileQuerySet.as_manager()

    class Meta:
        verbose_name = "评估佐证材料"
        verbose_name_plural = "评估佐证材料"
        ordering = ["evaluation", "id"]

    def __str__(self) -> str:
        return self.file_name


class ResourceKind(models.TextChoices):
    MATERIAL = "material", "讲义/课件"
    VIDEO = "video", "教学视频"


def resource_path(instance, filename: str) -> str:
    return random_name("courses", filename)


class CourseResource(models.Model):
    """A teaching resource of a course: a handout, slides or a video, seen with the course."""

    course = models.ForeignKey("education.Course", on_delete=models.CASCADE, related_name="resources",
                               verbose_name="课程")  # fmt: skip
    kind = models.CharField("类别", max_length=10, choices=ResourceKind.choices)
    title = models.CharField("名称", max_length=100)
    file = models.FileField("文件", upload_to=resource_path)
    file_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoursePartQuerySet.as_manager()

    class Meta:
        verbose_name = "教学资源"
        verbose_name_plural = "教学资源"
        ordering = ["course", "kind", "id"]

    def __str__(self) -> str:
        return self.title
