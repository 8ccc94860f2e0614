"""Type-specific fields: one detail row per case, keyed by the case (one-to-one)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from shequ.cases.choices import (
    LEVELS,
    LIABILITY,
    PLACE_TYPES,
    DisputeSource,
    HazardLevel,
    MediationOutcome,
    RiskLevel,
)
from shequ.cases.models.case import Case


class DisputeDetail(models.Model):
    """矛盾纠纷: source, people and money involved, risk, and the mediation's outcome (domain-formats §3)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="dispute")
    source = models.CharField("来源", max_length=16, choices=DisputeSource.choices, default=DisputeSource.SCREENING)
    people_count = models.PositiveIntegerField("涉及人数", default=2)
    amount = models.DecimalField(
        "涉及金额(元)", max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    is_major = models.BooleanField("重大纠纷", default=False)
    outcome = models.CharField("调解结果", max_length=8, choices=MediationOutcome.choices, blank=True, default="")
    agreement_no = models.CharField("协议书编号", max_length=50, blank=True)
    agreement_text = models.TextField("协议内容", blank=True)
    failed_to = models.CharField(
        "调解不成去向", max_length=100, blank=True, help_text="如 引导诉讼、申请仲裁、移交派出所"
    )

    class Meta:
        verbose_name = "矛盾纠纷信息"
        verbose_name_plural = "矛盾纠纷信息"

    def __str__(self) -> str:
        return f"纠纷 {self.case_id}"

    def clean(self) -> None:
        if self.outcome == MediationOutcome.SUCCESS and not self.agreement_text.strip():
            raise ValidationError({"agreement_text": "调解成功须填写协议内容。"})
        if self.outcome == MediationOutcome.FAILED and not self.failed_to.strip():
            raise ValidationError({"failed_to": "调解不成须写明去向。"})


class HazardDetail(models.Model):
    """安全隐患: where, what, how grave, what was done at once, the 整改 and the check (销号) (§7)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="hazard")
    place_type = models.CharField("部位/场所类型", max_length=20, choices=[(p, p) for p in PLACE_TYPES], default="其他")
    level = models.CharField("隐患等级", max_length=10, choices=HazardLevel.choices, default=HazardLevel.ORDINARY)
    found_by = models.CharField("排查人", max_length=50, blank=True)
    found_in_record = models.ForeignKey(
        "records.Record",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hazards",
        verbose_name="排查记录",
    )
    temporary_measures = models.TextField("临时防护措施", blank=True)
    rectification_measures = models.TextField("整改措施", blank=True)
    rectifier = models.CharField("整改责任人", max_length=50, blank=True)
    rectify_deadline = models.DateField("整改时限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    checker = models.CharField("验收人", max_length=50, blank=True)
    check_conclusion = models.CharField("验收结论", max_length=200, blank=True)
    signed_off_at = models.DateTimeField("销号时间", null=True, blank=True)

    class Meta:
        verbose_name = "安全隐患信息"
        verbose_name_plural = "安全隐患信息"

    def __str__(self) -> str:
        return f"隐患 {self.case_id}"


class ReferralDetail(models.Model):
    """转诊转介: a person referred to an outside institution, and what became of it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="referral")
    person = models.ForeignKey(
        "residents.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name="转介对象(居民档案)",
    )
    person_name = models.CharField("转介对象", max_length=50)
    institution = models.CharField("转介机构", max_length=100, blank=True)
    referred_on = models.DateField("转介日期", null=True, blank=True)
    received_on = models.DateField("接收日期", null=True, blank=True)
    refused_reason = models.CharField("拒绝原因", max_length=200, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    feedback = models.TextField("服务反馈", blank=True)

    class Meta:
        verbose_name = "转诊转介信息"
        verbose_name_plural = "转诊转介信息"

    def __str__(self) -> str:
        return f"转介 {self.case_id}"


class AccidentDetail(models.Model):
    """安全事故 and the incidents the vetoes name: when it happened, how grave, whether it was a 责任事故, how many
    hurt, why, and to whom it was reported and when."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="accident")
    occurred_at = models.DateTimeField("发生时间", help_text="一票否决按发生时间归入年度")
    level = models.CharField("事故等级", max_length=8, choices=[(v, v) for v in LEVELS], default=LEVELS[0])
    liable = models.CharField(
        "是否责任事故", max_length=4, choices=[(v, v) for v in LIABILITY], default=LIABILITY[0],
        help_text="无过错的意外（如体育课正常活动中扭伤）不是责任事故",
    )  # fmt: skip
    injured_count = models.PositiveIntegerField("受伤人数", default=0)
    death_count = models.PositiveIntegerField("死亡人数", default=0)
    injuries = models.CharField("伤情", max_length=200, blank=True)
    cause = models.TextField("原因", blank=True)
    reported_to = models.CharField("报告对象", max_length=100, blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)

    class Meta:
        verbose_name = "安全事故信息"
        verbose_name_plural = "安全事故信息"

    def __str__(self) -> str:
        return f"事故 {self.case_id}"

    def clean(self) -> None:
        if self.reported_at and self.occurred_at and self.reported_at < self.occurred_at:
            raise ValidationError({"reported_at": "报告时间不能早于发生时间。"})
