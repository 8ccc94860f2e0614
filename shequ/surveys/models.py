"""Surveys (问卷调查): question banks, surveys built from them, respondents drawn from the registry, and the
answers entered by workers, by residents through their own link, or imported.

A knowledge question (知识题) has correct options; a behaviour question (行为题) names the options that are the
healthy behaviour; each answer to either is marked ``is_correct`` when it is saved, so that the 知晓率 and the
形成率 are counts of answer rows (correct answers ÷ (questions × respondents)). Every response has one answer
row per question (a blank one when the question was left out), so the denominator is a count too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shequ.accounts import access
from shequ.accounts.roles import Perm


class QuestionKind(models.TextChoices):
    KNOWLEDGE = "knowledge", "知识题"
    BEHAVIOUR = "behaviour", "行为题"
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    RATING = "rating", "满意度评分"
    TEXT = "text", "简答题"


SCORED_KINDS = (QuestionKind.KNOWLEDGE, QuestionKind.BEHAVIOUR)
CHOICE_KINDS = (QuestionKind.KNOWLEDGE, QuestionKind.BEHAVIOUR, QuestionKind.SINGLE, QuestionKind.MULTIPLE)
RATING_SCALE = (1, 2, 3, 4, 5)
RATING_WORDS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}


class Audience(models.TextChoices):
    RESIDENTS = "residents", "居民（抽样）"
    STAFF = "staff", "工作人员"
    OPEN = "open", "公开（匿名）"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "调查中"
    CLOSED = "closed", "已结束"


class Channel(models.TextChoices):
    VISIT = "visit", "入户调查"
    PAPER = "paper", "纸质问卷录入"
    LINK = "link", "居民扫码/链接"
    OPEN = "open", "公开填写"
    IMPORT = "import", "表格导入"


class RespondentStatus(models.TextChoices):
    PENDING = "pending", "待调查"
    ANSWERED = "answered", "已答"
    REFUSED = "refused", "拒访"
    ABSENT = "absent", "未遇"


class ScopedQuerySet(access.ScopedQuerySet):
    """Rows of an org in a line of work: ``visible_to(actor, perm)`` is their one scope rule."""

    scope_field = "org"
    scope_area_field = "area"


class BankQuerySet(models.QuerySet):
    def visible_to(self, actor, perm: str = Perm.VIEW):
        """Shipped banks (no org) for everyone who may ``perm`` somewhere; an org's own banks in its scope."""
        if not access.can_anywhere(actor, perm):
            return self.none()
        own = access.resolve(actor).rows_q(perm, field="org", area_field="area")
        return self.filter(Q(org__isnull=True) | own)


class Bank(models.Model):
    """A question bank (题库) of a line of work, reused year to year; shipped banks belong to no org."""

    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="所属单位"
    )
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    objects = BankQuerySet.as_manager()

    class Meta:
        verbose_name = "题库"
        verbose_name_plural = "题库"
        ordering = ["area__sort", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="surveybank_area_code_unique")]

    def __str__(self) -> str:
        return self.name


class BankQuestion(models.Model):
    """A question of a bank: its kind, text, options, and (knowledge, behaviour) the correct options."""

    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="questions", verbose_name="题库")
    code = models.SlugField("代码", max_length=40)
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    correct = models.JSONField("正确/健康选项（序号）", default=list, blank=True)
    theme = models.CharField("依据", max_length=100, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "题库题目"
        verbose_name_plural = "题库题目"
        ordering = ["bank", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="bankquestion_bank_code_unique")]

    def __str__(self) -> str:
        return self.text


class Survey(models.Model):
    """A survey of an org in a line of work: its questions, who answers it, and when it ran.

    ``pass_mark`` (percent of a respondent's knowledge or behaviour questions) is the person-based formula's
    line: the share of respondents at or above it. A closed survey is filed under the year it closed."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="调查单位")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    title = models.CharField("问卷名称", max_length=100)
    intro = models.TextField("问卷说明", blank=True)
    audience = models.CharField("调查对象", max_length=16, choices=Audience.choices, default=Audience.RESIDENTS)
    status = models.CharField("状态", max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    pass_mark = models.PositiveSmallIntegerField("合格线（%）", default=80)
    opened_on = models.DateField("开始日期", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    sampling = models.JSONField("抽样方案", default=dict, blank=True)
    public_token = models.CharField("公开链接码", max_length=32, blank=True)
    hourly_limit = models.PositiveIntegerField("同一网络每小时最多提交", default=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "问卷调查"
        verbose_name_plural = "问卷调查"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "area", "status", "closed_on"], name="survey_org_area_closed")]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int | None:
        day = self.closed_on or self.opened_on
        return day.year if day else None


class Question(models.Model):
    """A question of a survey (copied from a bank, so that a later change of the bank leaves it alone)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name="问卷")
    source = models.ForeignKey(
        BankQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="出自题库"
    )
    number = models.PositiveSmallIntegerField("题号")
    kind = models.CharField("题型", max_length=16, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    correct = models.JSONField("正确/健康选项（序号）", default=list, blank=True)

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="question_survey_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def multiple(self) -> bool:
        """Several options may be ticked: a multiple-choice question, or a scored one with several right."""
        return self.kind == QuestionKind.MULTIPLE or (self.kind in SCORED_KINDS and len(self.correct) > 1)

    def is_right(self, choices: list[int]) -> bool | None:
        """A knowledge or behaviour answer is right when exactly the correct options are ticked."""
        if self.kind not in SCORED_KINDS:
            return None
        return bool(choices) and sorted(set(choices)) == sorted(self.correct)


class Respondent(models.Model):
    """Someone asked to answer: a sampled resident, a member of staff, with a personal link (``token``).

    Grid, building, gender and age are taken when the sample is drawn, so results by group stand still when
    the registry later changes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents", verbose_name="问卷")
    number = models.PositiveIntegerField("问卷编号")
    person = models.ForeignKey(
        "residents.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="居民"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("姓名", max_length=50)
    grid = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="网格"
    )
    building = models.CharField("楼栋", max_length=40, blank=True)
    gender = models.CharField("性别", max_length=1, blank=True)
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True)
    token = models.CharField("个人链接码", max_length=32, unique=True)
    status = models.CharField("状态", max_length=16, choices=RespondentStatus.choices, default=RespondentStatus.PENDING)

    class Meta:
        verbose_name = "调查对象"
        verbose_name_plural = "调查对象"
        ordering = ["survey", "number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="respondent_survey_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ResponseQuerySet(ScopedQuerySet):
    scope_field = "survey__org"
    scope_area_field = "survey__area"


class Response(models.Model):
    """One filled questionnaire. A respondent answers once; an open survey's answers are anonymous, one per
    device. The scores are kept on the row for the person-based formula."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="问卷")
    respondent = models.OneToOneField(
        Respondent, null=True, blank=True, on_delete=models.CASCADE, related_name="response", verbose_name="调查对象"
    )
    channel = models.CharField("填写方式", max_length=16, choices=Channel.choices)
    grid = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="网格"
    )
    building = models.CharField("楼栋", max_length=40, blank=True)
    gender = models.CharField("性别", max_length=1, blank=True)
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True)
    device = models.CharField("设备标识", max_length=64, blank=True)
    knowledge_right = models.PositiveSmallIntegerField("知识题答对", default=0)
    knowledge_total = models.PositiveSmallIntegerField("知识题数", default=0)
    behaviour_right = models.PositiveSmallIntegerField("行为题符合", default=0)
    behaviour_total = models.PositiveSmallIntegerField("行为题数", default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="录入人",
    )  # fmt: skip
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "device"], condition=~Q(device=""), name="response_one_per_device"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}-{self.pk}"


class AnswerQuerySet(ScopedQuerySet):
    scope_field = "response__survey__org"
    scope_area_field = "response__survey__area"


class Answer(models.Model):
    """One question's answer: the ticked options (numbers from 0), a rating, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name="答卷")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name="题目")
    choices = models.JSONField("所选", default=list, blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    text = models.CharField("文字", max_length=500, blank=True)
    is_correct = models.BooleanField("答对/符合", null=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        ordering = ["response", "question__number"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_response_question_unique")]

    def __str__(self) -> str:
        return f"{self.response_id}-{self.question_id}"
