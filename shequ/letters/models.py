"""Responsibility letters (责任书): a letter kind per line of work with its clauses, issued level by level — the
district to its streets, a street to its communities (an org holds the letter and its staff sign for it), or a
school to its 年级组长, a 年级组长's letter on to the 班主任 of that grade and on to the 任课教师 (a person holds it,
named with their grade and class as labels). Each holder signs on screen (a drawn signature) or the scan of the
signed paper is uploaded; coverage is signed ÷ issued at each level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shequ.accounts.access import ScopedQuerySet
from shequ.core.uploads import random_name


class Holders(models.TextChoices):
    ORGS = "orgs", "下级单位"
    PEOPLE = "people", "个人（逐级）"


class LetterKind(models.Model):
    """A kind of letter (平安建设目标责任书 …): data, loaded from ``catalogue.py``, kept by administrators.

    ``holders``: orgs (each level is the next level of the org tree) or people; ``roles`` are then the people's
    roles level by level (年级组长, 班主任, 任课教师)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=40)
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    holders = models.CharField("签订对象", max_length=10, choices=Holders.choices, default=Holders.ORGS)
    roles = models.JSONField("逐级职务", default=list, blank=True)
    clauses = models.TextField("责任条款", help_text="每行一条")
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "责任书类型"
        verbose_name_plural = "责任书类型"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def clause_list(self) -> list[str]:
        return [line.strip() for line in self.clauses.splitlines() if line.strip()]

    @property
    def levels(self) -> int | None:
        """How many levels people letters go down (None: as deep as the org tree)."""
        return len(self.roles) if self.holders == Holders.PEOPLE else None


class LetterQuerySet(ScopedQuerySet):
    """A letter is seen in the subtree of the org that holds it (a people letter: the school's), by a 专干 in their
    line of work: the issuing level above sees every letter it and its holders issued."""

    scope_area_field = "area"


def signature_path(instance, filename: str) -> str:
    return random_name("letters/signatures", filename)


def scan_path(instance, filename: str) -> str:
    return random_name("letters/scans", filename)


class SignedBy(models.TextChoices):
    DRAWN = "drawn", "屏幕签名"
    SCAN = "scan", "纸质扫描件"


class Letter(models.Model):
    kind = models.ForeignKey(LetterKind, on_delete=models.PROTECT, related_name="letters", verbose_name="责任书")
    year = models.PositiveSmallIntegerField("年度")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位", help_text="持有单位或学校"
    )
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    issuer = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发出单位")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上一级责任书"
    )
    level = models.PositiveSmallIntegerField("层级", default=1)
    holder_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    holder_name = models.CharField("责任人", max_length=50)
    holder_role = models.CharField("职务", max_length=30, blank=True)
    labels = models.CharField("年级/班级", max_length=60, blank=True)
    issued_on = models.DateField("发出日期")
    due_on = models.DateField("签订期限")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    signed_how = models.CharField("签署方式", max_length=8, choices=SignedBy.choices, blank=True)
    signer_name = models.CharField("签字人", max_length=50, blank=True)
    signature = models.ImageField("签名", upload_to=signature_path, blank=True)
    scan = models.FileField("扫描件", upload_to=scan_path, blank=True)
    scan_name = models.CharField("扫描件文件名", max_length=200, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "责任书"
        verbose_name_plural = "责任书"
        ordering = ["level", "holder_org__path", "labels", "id"]
        indexes = [models.Index(fields=["org", "year"]), models.Index(fields=["year", "kind", "level"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "holder_org"],
                condition=Q(holder_org__isnull=False),
                name="letter_one_per_org_year",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "org", "holder_name", "holder_role", "labels"],
                condition=Q(holder_org__isnull=True),
                name="letter_one_per_person_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.kind.name}（{self.holder_text}）"

    @property
    def holder_text(self) -> str:
        parts = [self.labels, self.holder_role, self.holder_name] if not self.holder_org_id else [self.holder_name]
        return " ".join(p for p in parts if p)

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None
