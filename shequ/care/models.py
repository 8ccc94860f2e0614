"""Care (帮扶服务) for people, not counts: the visit schedule of each group of people under care and risk level
(data, kept by administrators), and the helper pairs (帮扶对子) that put a volunteer or a staff member beside a
person. Visits themselves are Records about the person (the records app), never a noun of their own."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q

from shequ.accounts import access
from shequ.accounts.access import ScopedQuerySet
from shequ.accounts.roles import Perm
from shequ.care.catalogue import CATEGORIES
from shequ.residents.visibility import profile_q


class Category(models.TextChoices):
    DISABILITY = "disability", "残疾人"
    CORRECTION = "correction", "社区矫正对象"
    RELEASED = "released", "刑满释放人员"
    DRUG = "drug", "吸毒人员"
    MENTAL = "mental", "严重精神障碍患者"
    YOUTH = "youth", "重点青少年"


assert [c.value for c in Category] == [code for code, *_ in CATEGORIES]


class Unit(models.TextChoices):
    WEEK = "week", "周"
    MONTH = "month", "个月"


class VisitSchedule(models.Model):
    """How often a person of a group and level is visited: once every ``every`` ``unit`` (calendar months counted
    from January, or weeks counted from a fixed Monday), shown as 即将到期 ``remind_days`` before the period ends.

    A row with an empty ``level`` serves every level of its group that has no row of its own."""

    category = models.CharField("人群类别", max_length=16, choices=Category.choices)
    level = models.CharField(
        "等级", max_length=2, blank=True, help_text="残疾人为残疾等级1–4，特殊人群为风险等级0–5；空为默认"
    )
    every = models.PositiveSmallIntegerField("每几", default=1)
    unit = models.CharField("周期单位", max_length=8, choices=Unit.choices, default=Unit.MONTH)
    remind_days = models.PositiveSmallIntegerField("提前提醒天数", default=7)
    note = models.CharField("依据/说明", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "走访周期"
        verbose_name_plural = "走访周期"
        ordering = ["category", "level"]
        constraints = [models.UniqueConstraint(fields=["category", "level"], name="visitschedule_category_level")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}{self.level_label}：{self.rule}"

    @property
    def level_label(self) -> str:
        if not self.level:
            return "（默认）"
        return f"{self.level}级"

    @property
    def rule(self) -> str:
        every = "每" if self.every == 1 else f"每{self.every}"
        return f"{every}{self.get_unit_display()}走访1次"

    def clean(self) -> None:
        if not 1 <= self.every <= (12 if self.unit == Unit.MONTH else 26):
            raise ValidationError({"every": "周期应为1–12个月或1–26周。"})
        if self.unit == Unit.MONTH and 12 % self.every:
            raise ValidationError({"every": "按月的周期应能整除12（1、2、3、4、6、12个月），以便按年度对齐。"})
        if self.level and not (self.level.isdigit() and 0 <= int(self.level) <= 5):
            raise ValidationError({"level": "等级应为0–5的数字，或留空作为默认。"})


class HelperKind(models.TextChoices):
    VOLUNTEER = "volunteer", "志愿者"
    STAFF = "staff", "工作人员"


class PairQuerySet(ScopedQuerySet):
    """A pair is seen by those who see its person's profile of its group (disability or special-group data of the
    office: its line of work's staff and leaders, not grid workers or inspectors), and always by its own helper."""

    scope_area_field = "area"

    def visible_to(self, actor, perm: str | None = None) -> PairQuerySet:
        scope = access.resolve(actor)
        q = scope.rows_q(perm or Perm.VIEW, field="org", area_field="area")
        dis, special = profile_q(actor, "disability", field="org"), profile_q(actor, "special", field="org")
        readable = Q(pk__in=[])
        if dis is not None:
            readable |= Q(category=Category.DISABILITY) & dis
        if special is not None:
            readable |= ~Q(category=Category.DISABILITY) & special
        q &= readable
        if getattr(actor, "is_authenticated", False):
            q |= Q(helper=actor)
        return self.filter(q)

    def active_on(self, day) -> PairQuerySet:
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class HelperPair(models.Model):
    """帮扶对子: a helper (a volunteer's or a staff member's account) beside a person under care, from a day to a
    day. The pair lies in the person's community and the line of work of its group (disability or safety)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="社区/村")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="helper_pairs", verbose_name="帮扶对象"
    )
    category = models.CharField("人群类别", max_length=16, choices=Category.choices)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="helper_pairs", verbose_name="帮扶人"
    )
    helper_kind = models.CharField("帮扶人类别", max_length=16, choices=HelperKind.choices)
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=200, blank=True)
    note = models.CharField("帮扶内容", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶对子"
        verbose_name_plural = "帮扶对子"
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["helper", "ended_on"], name="pair_helper_end"),
            models.Index(fields=["org", "ended_on"], name="pair_org_end"),
            models.Index(fields=["person", "category"], name="pair_person_category"),
        ]

    def __str__(self) -> str:
        return f"{self.helper} — {self.person}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "解除日期不能早于结对日期。"})


class CareDataQuerySet(ScopedQuerySet):
    """Needs and plans of a person are read as their profile of the group is: the line of work's staff and leaders
    of the person's community (not grid workers or inspectors), and the person's helper in that group."""

    category_field = "category"

    def visible_to(self, actor, perm: str | None = None):
        scope = access.resolve(actor)
        q = scope.rows_q(perm or Perm.VIEW, field="org", area_field="area")
        dis, special = profile_q(actor, "disability", field="org"), profile_q(actor, "special", field="org")
        readable = Q(pk__in=[])
        if dis is not None:
            readable |= Q(**{self.category_field: Category.DISABILITY}) & dis
        if special is not None:
            readable |= ~Q(**{self.category_field: Category.DISABILITY}) & special
        q &= readable
        if getattr(actor, "is_authenticated", False):
            helped = HelperPair.objects.filter(helper=actor, person_id=OuterRef("person_id"))
            q |= Exists(helped.filter(category=OuterRef(self.category_field)))
        return self.filter(q)


class NeedStatus(models.TextChoices):
    NEEDS = "needs", "有需求"
    SERVING = "serving", "正在服务"
    MET = "met", "已满足"
    REFUSED = "refused", "本人拒绝"


OPEN_NEEDS = (NeedStatus.NEEDS, NeedStatus.SERVING)


class NeedsAssessment(models.Model):
    """入户需求调查表: a dated survey of a person's needs at home, by a worker, written also as a record of the
    康复需求入户调查 type (the records count it) and kept in step with the registry's disability needs."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="社区/村")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="needs_assessments", verbose_name="调查对象"
    )
    category = models.CharField("人群类别", max_length=16, choices=Category.choices, default=Category.DISABILITY)
    surveyed_on = models.DateField("调查日期")
    method = models.CharField("调查方式", max_length=10, default="入户调查")
    respondent = models.CharField("受访人", max_length=50, blank=True, help_text="本人或监护人姓名")
    notes = models.TextField("其他需求及情况", blank=True)
    record = models.OneToOneField(
        "records.Record", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="调查记录"
    )
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="调查人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareDataQuerySet.as_manager()

    class Meta:
        verbose_name = "入户需求调查"
        verbose_name_plural = "入户需求调查"
        ordering = ["-surveyed_on", "-id"]
        indexes = [models.Index(fields=["person", "-surveyed_on"], name="assessment_person_date")]

    def __str__(self) -> str:
        return f"{self.surveyed_on:%Y-%m-%d} {self.person}"


class NeedQuerySet(CareDataQuerySet):
    scope_field = "assessment__org"
    category_field = "assessment__category"

    def visible_to(self, actor, perm: str | None = None):
        return self.filter(assessment__in=NeedsAssessment.objects.visible_to(actor, perm).values("pk"))


class Need(models.Model):
    """One need of an assessment, with where it stands; its status is kept up to date after the survey."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="needs")
    code = models.CharField("需求", max_length=20)
    status = models.CharField("状态", max_length=10, choices=NeedStatus.choices, default=NeedStatus.NEEDS)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = "需求"
        verbose_name_plural = "需求"
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="need_assessment_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from shequ.care.catalogue import NEED_NAMES

        return NEED_NAMES.get(self.code, self.code)


class ServicePlan(models.Model):
    """A person's service plan for a year in a group: the goal, and which services, by whom, how often."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="社区/村")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="service_plans", verbose_name="服务对象"
    )
    category = models.CharField("人群类别", max_length=16, choices=Category.choices)
    year = models.PositiveSmallIntegerField("年度")
    goal = models.TextField("服务目标", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="制定人"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CareDataQuerySet.as_manager()

    class Meta:
        verbose_name = "服务计划"
        verbose_name_plural = "服务计划"
        ordering = ["-year", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "category"], name="serviceplan_person_year_category")
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.person}服务计划"


class PlanItem(models.Model):
    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="items")
    service = models.CharField("服务项目", max_length=40)
    provider = models.CharField("服务提供者", max_length=100)
    frequency = models.CharField("服务频次", max_length=40)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "服务计划项目"
        verbose_name_plural = "服务计划项目"
        ordering = ["plan", "sort", "id"]

    def __str__(self) -> str:
        return f"{self.service}（{self.provider}，{self.frequency}）"


class DueVisit(models.Model):
    """应访: a person of a group due a visit in one closed period of their schedule, and the day they were visited
    in it (none: missed). Kept by the tally (``care.tally``) and by each visit, so that the indicator catalogue
    counts visit completion with one grouped query; people who moved away or died are due only for the periods
    they were under care the whole of."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="社区/村")
    grid = models.ForeignKey("orgs.Org", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="网格")
    area = models.ForeignKey("orgs.Area", on_delete=models.CASCADE, related_name="+", verbose_name="条线")
    person = models.ForeignKey("residents.Person", on_delete=models.CASCADE, related_name="+", verbose_name="帮扶对象")
    category = models.CharField("人群类别", max_length=16, choices=Category.choices)
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="帮扶人"
    )
    period_start = models.DateField("周期开始")
    period_end = models.DateField("周期结束")
    visited_on = models.DateField("走访日期", null=True)

    objects = CareDataQuerySet.as_manager()

    class Meta:
        verbose_name = "应访记录"
        verbose_name_plural = "应访记录"
        ordering = ["period_end", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "category", "period_start"], name="duevisit_person_period")
        ]
        indexes = [models.Index(fields=["org", "period_end"], name="duevisit_org_end")]

    def __str__(self) -> str:
        return f"{self.person} {self.period_start:%Y-%m-%d}"


class TallyMark(models.Model):
    """The last run of the visits-due tally for a year: the day it tallied through, when it began (changes after that
    are the next run's), and the schedules it used (a change of them rebuilds the whole year)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    through = models.DateField("统计至")
    began_at = models.DateTimeField("开始时间")
    schedules = models.TextField("走访周期", blank=True)

    class Meta:
        verbose_name = "应访统计记录"
        verbose_name_plural = "应访统计记录"

    def __str__(self) -> str:
        return f"{self.year}: {self.through}"
