"""Community education (社区教育): the lecturer pool, courses for target groups, their sessions and learners.

A session that has taken place is a Record of the education line's training type (written by the records
service); its sign-in list is the session's attendance, so the training rate and every ledger of records count it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from shequ.core import phones
from shequ.education.querysets import CalendarQuerySet, CoursePartQuerySet, CourseQuerySet, LecturerQuerySet

AREA_CODE = "education"
SESSION_TYPE = "training"  # the records' activity type of a course session (education/training)


class TargetGroup(models.TextChoices):
    RESIDENTS = "residents", "社区居民"
    ELDERLY = "elderly", "老年人"
    YOUTH = "youth", "青少年"
    MIGRANTS = "migrants", "外来务工人员"
    DISABLED = "disabled", "残疾人"
    UNEMPLOYED = "unemployed", "下岗失业人员"
    PARENTS = "parents", "婴幼儿家长"


# A target group as the training record's 对象类别 (records' catalogue, TRAINING_FIELDS).
AUDIENCE: dict[str, str] = {
    TargetGroup.RESIDENTS: "居民",
    TargetGroup.ELDERLY: "老年人",
    TargetGroup.YOUTH: "青少年",
    TargetGroup.MIGRANTS: "外来人员",
    TargetGroup.DISABLED: "弱势人群",
    TargetGroup.UNEMPLOYED: "下岗失业人员",
    TargetGroup.PARENTS: "婴幼儿家长",
}


class Lecturer(models.Model):
    """A teacher of the pool (讲师库): a resident of the registry or an external lecturer, optionally with an account
    (role 授课教师) with which they take their courses' attendance."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属单位")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("工作单位及职务", max_length=100, blank=True)
    phone = phones.EncryptedPhone("联系电话")  # phone_cipher, phone_hash, phone_tail
    person = models.ForeignKey(
        "residents.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="居民档案"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="账号",
    )
    is_active = models.BooleanField("在库", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LecturerQuerySet.as_manager()

    class Meta:
        verbose_name = "讲师"
        verbose_name_plural = "讲师库"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course of an org for a target group: its teacher, place and capacity; sessions and learners below."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="办学单位")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    title = models.CharField("课程名称", max_length=100)
    target_group = models.CharField("对象类别", max_length=16, choices=TargetGroup.choices)
    teacher = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="courses", verbose_name="授课教师")
    place = models.CharField("上课地点", max_length=100)
    capacity = models.PositiveIntegerField("名额")
    hours = models.PositiveSmallIntegerField("每次课学时", default=2)
    description = models.TextField("课程简介", blank=True)
    open_online = models.BooleanField("居民端开放报名", default=True)
    year = models.PositiveSmallIntegerField("年度", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = "课程"
        verbose_name_plural = "课程"
        ordering = ["-year", "title", "id"]
        indexes = [models.Index(fields=["org", "year"], name="course_org_year")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.capacity is not None and not 1 <= self.capacity <= 1000:
            raise ValidationError({"capacity": "名额应在1至1000人之间。"})
        if self.hours is not None and not 1 <= self.hours <= 12:
            raise ValidationError({"hours": "每次课学时应在1至12之间。"})


class CourseSession(models.Model):
    """One session of a course (a date and hours). Once held and its attendance taken, it is a training record."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name="课程")
    number = models.PositiveSmallIntegerField("第几次课")
    date = models.DateField("日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    topic = models.CharField("本次内容", max_length=100, blank=True)
    record = models.OneToOneField(
        "records.Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="course_session"
    )

    objects = CoursePartQuerySet.as_manager()

    class Meta:
        verbose_name = "课次"
        verbose_name_plural = "课次"
        ordering = ["course", "number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="session_number_unique")]

    def __str__(self) -> str:
        return f"{self.course.title} 第{self.number}次"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "结束时间应晚于开始时间。"})


class EnrolStatus(models.TextChoices):
    ENROLLED = "enrolled", "已报名"
    WAITING = "waiting", "候补"
    WITHDRAWN = "withdrawn", "已退出"


class Channel(models.TextChoices):
    DESK = "desk", "窗口登记"
    PORTAL = "portal", "居民端报名"


class Enrolment(models.Model):
    """A registry person's place on a course: enrolled, on the waiting list (in order of ``created_at``), or
    withdrawn (the row stays)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name="课程")
    person = models.ForeignKey(
        "residents.Person", on_delete=models.PROTECT, related_name="course_enrolments", verbose_name="学员"
    )
    status = models.CharField("状态", max_length=10, choices=EnrolStatus.choices, default=EnrolStatus.ENROLLED)
    channel = models.CharField("报名方式", max_length=10, choices=Channel.choices, default=Channel.DESK)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    objects = CoursePartQuerySet.as_manager()

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["course", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="enrolment_unique")]
        indexes = [models.Index(fields=["course", "status"], name="enrolment_course_status")]

    def __str__(self) -> str:
        return f"{self.course} · {self.person_id}"


SEATED = Q(status=EnrolStatus.ENROLLED)


class CalendarKind(models.TextChoices):
    TERM = "term", "学期"
    HOLIDAY = "holiday", "假期"
    EXAM = "exam", "考试周"
    SAFETY_WEEK = "safety_week", "安全教育周/日"
    OTHER = "other", "其他"


class SchoolCalendar(models.Model):
    """The calendar (校历) of a school, or the default of a district (or street) for the schools under it."""

    org = models.OneToOneField("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="学校或辖区")
    name = models.CharField("名称", max_length=100)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        verbose_name = "校历"
        verbose_name_plural = "校历"

    def __str__(self) -> str:
        return self.name


class CalendarPeriod(models.Model):
    """A term, a holiday, an exam week or a safety-education week of a calendar (first and last day)."""

    calendar = models.ForeignKey(SchoolCalendar, on_delete=models.CASCADE, related_name="periods", verbose_name="校历")
    kind = models.CharField("类别", max_length=12, choices=CalendarKind.choices)
    name = models.CharField("名称", max_length=50, help_text="如：2026年春季学期、暑假、期末考试周、安全教育周")
    start = models.DateField("开始")
    end = models.DateField("结束")

    class Meta:
        verbose_name = "校历时段"
        verbose_name_plural = "校历时段"
        ordering = ["calendar", "start", "id"]
        indexes = [models.Index(fields=["calendar", "start"], name="calendar_period_start")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "结束日期不能早于开始日期。"})


# --- learning organisations (学习型组织) and teaching resources: see ``shequ.education.learning`` -------------------

from shequ.education.learning_models import (  # noqa: E402, F401  (kept in their own module, registered here)
    CourseResource,
    EvaluationFile,
    LearningEvaluation,
    LearningOrg,
)
