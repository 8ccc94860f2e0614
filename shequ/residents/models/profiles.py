"""Profiles: the roles a person can have (残疾人, 流动人口, 特殊人群, 志愿者, 监督员, 工作人员).

Each profile is its own model with its own fields. Disability profiles are visible only to people
who work on the disability area; floating-population and special-group profiles only to those who
work on public safety (see ``shequ.residents.visibility``); leaders and administrators see all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.accounts.roles import Perm
from shequ.core import phones
from shequ.core.versioning import Versioned, VersionedQuerySet
from shequ.residents.visibility import profile_visible_q


class DisabilityCategory(models.TextChoices):
    VISION = "1", "视力残疾"
    HEARING = "2", "听力残疾"
    SPEECH = "3", "言语残疾"
    PHYSICAL = "4", "肢体残疾"
    INTELLECTUAL = "5", "智力残疾"
    MENTAL = "6", "精神残疾"
    MULTIPLE = "7", "多重残疾"


class DisabilityGrade(models.TextChoices):
    ONE = "1", "一级（极重度）"
    TWO = "2", "二级（重度）"
    THREE = "3", "三级（中度）"
    FOUR = "4", "四级（轻度）"


class DisabilityCause(models.TextChoices):
    CONGENITAL = "congenital", "先天"
    DISEASE = "disease", "疾病"
    INJURY = "injury", "意外伤害"
    AGEING = "ageing", "老龄"
    OTHER = "other", "其他"
    UNKNOWN = "unknown", "不明"


class EconomicSituation(models.TextChoices):
    DIBAO = "dibao", "低保"
    TEKUN = "tekun", "特困"
    LOW_INCOME = "low_income", "低收入"
    ORDINARY = "ordinary", "一般"


class DisabilityNeed(models.TextChoices):
    REHAB = "rehab", "康复训练"
    AIDS = "aids", "辅助器具"
    MEDICAL = "medical", "医疗"
    EDUCATION = "education", "教育"
    EMPLOYMENT = "employment", "就业"
    CARE = "care", "托养"
    ACCESSIBILITY = "accessibility", "无障碍改造"
    OTHER = "other", "其他"


class ProfileQuerySet(VersionedQuerySet, ScopedQuerySet):
    def visible_to(self, actor, perm: str | None = None) -> ProfileQuerySet:
        """Profiles whose person the actor sees and whose kind's line of work they may read."""
        return self.filter(profile_visible_q(actor, self.model.profile_kind, perm or Perm.VIEW))

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, each profile's ``org`` taken from its person (one query for the persons not at hand)."""
        objs = list(objs)
        person = self.model.person  # the relation's descriptor: knows whether an object's person is loaded
        missing = [o for o in objs if o.org_id is None]
        wanted = {o.person_id for o in missing if not person.is_cached(o)}
        persons = person.field.related_model.objects.filter(pk__in=wanted)
        org_of = dict(persons.values_list("pk", "org_id")) if wanted else {}
        for o in missing:
            o.org_id = o.person.org_id if person.is_cached(o) else org_of[o.person_id]
        return super().bulk_create(objs, *args, **kwargs)


class ProfileBase(Versioned):
    profile_kind = ""  # a key of ``visibility.PROFILE_AREAS``

    # The person's community, kept with every move (``residents.services``): a community's profiles of a kind are
    # read from the (org, person) index, not by looking up a profile for each of its persons.
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", db_index=False, editable=False, verbose_name="社区/村"
    )
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.org_id = self.person.org_id
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "org"}
        super().save(*args, **kwargs)


class DisabilityProfile(ProfileBase):
    """残疾人: category, grade, card and the 五清 (家庭、经济、残疾、康复、需求)."""

    profile_kind = "disability"

    person = models.OneToOneField("Person", on_delete=models.CASCADE, related_name="disability", verbose_name="居民")
    category = models.CharField("残疾类别", max_length=1, choices=DisabilityCategory.choices)
    grade = models.CharField("残疾等级", max_length=1, choices=DisabilityGrade.choices)
    has_card = models.BooleanField("已办残疾人证", default=True, help_text="证号为身份证号+类别+等级，不另存")
    cause = models.CharField("致残原因", max_length=16, choices=DisabilityCause.choices, blank=True)
    guardian_name = models.CharField("监护人", max_length=50, blank=True)
    guardian_phone = phones.EncryptedPhone("监护人电话")  # guardian_phone_cipher, _hash, _tail
    family_situation = models.TextField("家庭情况", blank=True)
    economic_situation = models.CharField(
        "经济情况", max_length=16, choices=EconomicSituation.choices, default=EconomicSituation.ORDINARY
    )
    disability_situation = models.TextField("残疾情况", blank=True)
    rehabilitation_situation = models.TextField("康复情况", blank=True)
    needs = models.JSONField("基本需求", default=list, blank=True, help_text="DisabilityNeed 的代码列表")

    class Meta:
        verbose_name = "残疾人档案"
        verbose_name_plural = "残疾人档案"
        indexes = [
            models.Index(fields=["org", "person"], name="disability_org_person"),
            models.Index(fields=["category", "grade"], name="disability_cat_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}{self.get_grade_display()[:2]}"

    @property
    def needs_labels(self) -> list[str]:
        labels = dict(DisabilityNeed.choices)
        return [labels.get(n, n) for n in self.needs or []]


class ResidenceReason(models.TextChoices):
    WORK = "work", "务工"
    FARM = "farm", "务农"
    BUSINESS = "business", "经商"
    SERVICE = "service", "服务"
    STUDY = "study", "就学/培训"
    MEDICAL = "medical", "治病疗养"
    RELATIVES = "relatives", "投靠亲友"
    OTHER = "other", "其他"


class HousingType(models.TextChoices):
    RENTAL = "rental", "出租房"
    DORMITORY = "dormitory", "单位宿舍"
    OWNED = "owned", "自购房"
    RELATIVES = "relatives", "借住亲友家"
    WORKPLACE = "workplace", "工作场所"
    OTHER = "other", "其他"


class FloatingProfile(ProfileBase):
    """流动人口: 以证管人 (居住证), 以房管人 (住房与房东), 以业管人 (服务处所)."""

    profile_kind = "floating"

    person = models.OneToOneField("Person", on_delete=models.CASCADE, related_name="floating", verbose_name="居民")
    origin = models.CharField("户籍地", max_length=200)
    arrived_on = models.DateField("来本地日期", null=True, blank=True)
    reason = models.CharField("居住事由", max_length=16, choices=ResidenceReason.choices, default=ResidenceReason.WORK)
    permit_number = models.CharField("居住证号", max_length=40, blank=True)
    permit_expires_on = models.DateField("居住证有效期至", null=True, blank=True)
    housing_type = models.CharField("住房类型", max_length=16, choices=HousingType.choices, default=HousingType.RENTAL)
    landlord_name = models.CharField("房东姓名", max_length=50, blank=True)
    landlord_phone = phones.EncryptedPhone("房东电话")  # landlord_phone_cipher, _hash, _tail
    employer = models.CharField("服务处所", max_length=200, blank=True)

    class Meta:
        verbose_name = "流动人口档案"
        verbose_name_plural = "流动人口档案"
        indexes = [
            models.Index(fields=["org", "person"], name="floating_org_person"),
            models.Index(fields=["permit_expires_on"], name="floating_permit_expiry"),
            models.Index(fields=["housing_type"], name="floating_housing"),
        ]

    def __str__(self) -> str:
        return f"流动人口（{self.origin}）"


class SpecialKind(models.TextChoices):
    CORRECTION = "correction", "社区矫正对象"
    RELEASED = "released", "刑满释放人员"
    DRUG = "drug", "吸毒人员"
    MENTAL = "mental", "严重精神障碍患者"
    YOUTH = "youth", "重点青少年"


class CorrectionType(models.TextChoices):
    CONTROL = "control", "管制"
    PROBATION = "probation", "缓刑"
    PAROLE = "parole", "假释"
    MEDICAL_PAROLE = "medical_parole", "暂予监外执行"


class SpecialGroupProfile(ProfileBase):
    """特殊人群: one row per kind a person belongs to, each with its own dates and a 帮教 worker."""

    profile_kind = "special"

    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="special_groups", verbose_name="居民")
    kind = models.CharField("类别", max_length=16, choices=SpecialKind.choices)
    correction_type = models.CharField("矫正类别", max_length=16, choices=CorrectionType.choices, blank=True)
    period_start = models.DateField("矫正/帮教起始", null=True, blank=True)
    period_end = models.DateField("矫正/帮教期满", null=True, blank=True)
    released_on = models.DateField("释放日期", null=True, blank=True)
    risk_level = models.PositiveSmallIntegerField("危险性评估等级(0–5级)", null=True, blank=True)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="帮教责任人（账号）",
    )
    helper_name = models.CharField("帮教责任人", max_length=50, blank=True)

    class Meta:
        verbose_name = "特殊人群档案"
        verbose_name_plural = "特殊人群档案"
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="special_person_kind_unique")]
        indexes = [
            models.Index(fields=["org", "person"], name="special_org_person"),
            models.Index(fields=["kind", "period_end"], name="special_kind_end"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class VolunteerProfile(ProfileBase):
    """志愿者: skills, team, service hours."""

    profile_kind = "volunteer"

    person = models.OneToOneField("Person", on_delete=models.CASCADE, related_name="volunteer", verbose_name="居民")
    skills = models.CharField("特长", max_length=200, blank=True)
    team = models.CharField("所属队伍", max_length=100, blank=True)
    service_hours = models.DecimalField("服务时长（小时）", max_digits=8, decimal_places=1, default=0)
    registered_on = models.DateField("注册日期", null=True, blank=True)

    class Meta:
        verbose_name = "志愿者档案"
        verbose_name_plural = "志愿者档案"
        indexes = [models.Index(fields=["org", "person"], name="volunteer_org_person")]

    def __str__(self) -> str:
        return f"志愿者{('·' + self.team) if self.team else ''}"


class SupervisorKind(models.TextChoices):
    SANITATION = "sanitation", "环境卫生"
    SAFETY = "safety", "治安隐患"


class SupervisorProfile(ProfileBase):
    """监督员 (居民监督员): what they watch over and their term."""

    profile_kind = "supervisor"

    person = models.OneToOneField("Person", on_delete=models.CASCADE, related_name="supervisor", verbose_name="居民")
    kind = models.CharField("监督类别", max_length=16, choices=SupervisorKind.choices)
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期结束", null=True, blank=True)

    class Meta:
        verbose_name = "监督员档案"
        verbose_name_plural = "监督员档案"
        indexes = [models.Index(fields=["org", "person"], name="supervisor_org_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}监督员"


class StaffProfile(ProfileBase):
    """工作人员: a person who works for the community (书记, 专干, 网格员 …)."""

    profile_kind = "staff"

    person = models.OneToOneField("Person", on_delete=models.CASCADE, related_name="staff", verbose_name="居民")
    post = models.CharField("岗位", max_length=100)
    started_on = models.DateField("任职日期", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="账号",
    )

    class Meta:
        verbose_name = "工作人员档案"
        verbose_name_plural = "工作人员档案"
        indexes = [models.Index(fields=["org", "person"], name="staff_org_person")]

    def __str__(self) -> str:
        return self.post


# Each profile kind's model (the keys of ``visibility.PROFILE_AREAS``).
PROFILE_MODELS: dict[str, type[ProfileBase]] = {
    "disability": DisabilityProfile,
    "floating": FloatingProfile,
    "volunteer": VolunteerProfile,
    "supervisor": SupervisorProfile,
    "staff": StaffProfile,
    "special": SpecialGroupProfile,
}
