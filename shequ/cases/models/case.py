"""The case, its type and time limits, and what happens to it (history, entries, files, extensions)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from shequ.accounts.access import ScopedQuerySet, resolve
from shequ.accounts.roles import Perm
from shequ.cases.choices import (
    CATEGORIES,
    OPEN_STATES,
    TYPE_CATEGORIES,
    CaseKind,
    CaseState,
    Channel,
    EntryKind,
    PartyRole,
    Supervision,
)
from shequ.core import phones, uploads
from shequ.core.masking import mask_public, public_name
from shequ.core.versioning import Versioned, VersionedQuerySet


class CaseTimeLimitQuerySet(ScopedQuerySet):
    """An org's own time limits are seen in its subtree's scope."""


# The open cases, in a fixed order: the partial indexes over them stay equal from one makemigrations to the next.
OPEN_Q = Q(state__in=sorted(OPEN_STATES))


class CaseQuerySet(VersionedQuerySet, ScopedQuerySet):
    def open(self) -> CaseQuerySet:
        """The cases not yet closed (the partial indexes ``case_open_org`` and ``case_open_origin`` hold them)."""
        return self.filter(OPEN_Q)

    def visible_to(self, actor, perm: str | None = None) -> CaseQuerySet:
        """A case is seen in the subtree of the org that owns it and in the subtree of the org that
        registered it (an escalated case stays visible, read-only, below); a 专干 sees only the cases of
        the areas they work on."""
        scope = resolve(actor)
        perm = perm or Perm.VIEW
        return self.filter(
            scope.rows_q(perm, field="org", area_field="area")
            | scope.rows_q(perm, field="origin_org", area_field="area")
        )


class CaseType(models.Model):
    """A kind of case an area declares (矛盾纠纷, 安全隐患 …): data, loaded by a data migration.

    ``kind`` selects the type's own fields (detail model, category list). ``areas`` are the lines of
    work the type belongs to; the first by sort is the default. The time limits are the defaults
    that an org may override for its subtree (:class:`CaseTimeLimit`).
    """

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    kind = models.CharField("字段类型", max_length=16, choices=CaseKind.choices)
    areas = models.ManyToManyField("orgs.Area", related_name="case_types", verbose_name="所属条线")
    description = models.CharField("说明", max_length=200, blank=True)
    on_board = models.BooleanField("上民情民意交流栏", default=False, help_text="有公开答复的事项在居民端公开展示")
    resident_can_report = models.BooleanField("居民端可提交", default=False)
    accept_hours = models.PositiveIntegerField("受理时限（小时）", default=24)
    handle_days = models.PositiveIntegerField("办理时限（天）", default=15)
    yellow_days = models.PositiveIntegerField("超期几天黄牌", default=3)
    red_days = models.PositiveIntegerField("超期几天红牌", default=7)
    step_days = models.JSONField(
        "分步时限（天）",
        default=dict,
        blank=True,
        help_text='转介各步的时限，自进入该状态之日起计，如 {"referred": 10, "received": 30}',
    )
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "事项类型"
        verbose_name_plural = "事项类型"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def categories(self) -> list[str]:
        return TYPE_CATEGORIES.get(self.code) or CATEGORIES.get(self.kind, [])

    def clean(self) -> None:
        steps = self.step_days or {}
        if not isinstance(steps, dict) or any(
            k not in CaseState.values or not isinstance(v, int) or not 1 <= v <= 365 for k, v in steps.items()
        ):
            raise ValidationError({"step_days": "分步时限应为 状态代码→天数（1–365）。"})


class CaseTimeLimit(models.Model):
    """An org's own time limits for a case type; they hold in its subtree (the nearest org wins)."""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="limits", verbose_name="事项类型")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    accept_hours = models.PositiveIntegerField("受理时限（小时）", validators=[MinValueValidator(1)])
    handle_days = models.PositiveIntegerField("办理时限（天）", validators=[MinValueValidator(1)])
    yellow_days = models.PositiveIntegerField("超期几天黄牌", validators=[MinValueValidator(0)])
    red_days = models.PositiveIntegerField("超期几天红牌", validators=[MinValueValidator(1)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseTimeLimitQuerySet.as_manager()

    class Meta:
        verbose_name = "事项时限"
        verbose_name_plural = "事项时限"
        constraints = [models.UniqueConstraint(fields=["case_type", "org"], name="casetimelimit_type_org_unique")]

    def __str__(self) -> str:
        return f"{self.org} · {self.case_type}"

    def clean(self) -> None:
        if self.red_days is not None and self.yellow_days is not None and self.red_days <= self.yellow_days:
            raise ValidationError({"red_days": "红牌天数应大于黄牌天数。"})


class Case(Versioned):
    """Something that must be brought to an end (事项), filed under the year of its registration date.

    ``org`` owns the case (it changes when the case is escalated, 上报); ``origin_org`` is where it
    was registered and keeps seeing it. ``reporter`` is the resident or supervisor account that
    raised it on the residents' side: they follow it and rate the result.
    """

    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name="类型")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="cases", verbose_name="条线")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="cases", verbose_name="承办组织")
    origin_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="originated_cases", verbose_name="登记组织"
    )
    escalated_from = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="上报自"
    )
    escalated_at = models.DateTimeField("上报时间", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=CaseState.choices, default=CaseState.REGISTERED)

    title = models.CharField("标题", max_length=200)
    description = models.TextField("情况描述")
    place = models.CharField("地点", max_length=200, blank=True)
    category = models.CharField("类别", max_length=20, blank=True)
    channel = models.CharField("登记渠道", max_length=16, choices=Channel.choices, default=Channel.STAFF)

    registered_on = models.DateField("登记日期")
    year = models.PositiveSmallIntegerField("年度", editable=False)
    registered_at = models.DateTimeField("登记时间")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name="反映人账号",
    )
    reporter_person = models.ForeignKey(
        "residents.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name="反映人（居民档案）",
    )
    reporter_name = models.CharField("反映人", max_length=50, blank=True)
    reporter_phone = phones.EncryptedPhone("反映人电话")  # reporter_phone_cipher, _hash, _tail

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
        verbose_name="承办人",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_cases",
        verbose_name="包案领导",
    )
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    deadline = models.DateField("办理期限", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)

    rating = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)

    supervision = models.CharField("督办", max_length=8, choices=Supervision.choices, default="", blank=True)
    supervised_at = models.DateTimeField("督办时间", null=True, blank=True)

    allow_public = models.BooleanField("同意公开", default=False)
    public_reply = models.TextField("公开答复", blank=True)
    public_reply_at = models.DateTimeField("答复时间", null=True, blank=True)
    board_hidden = models.BooleanField("不在交流栏展示", default=False)
    board_hidden_reason = models.CharField("不展示原因", max_length=200, blank=True)
    board_hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    board_hidden_at = models.DateTimeField(null=True, blank=True)
    # The public version of a board post, as a worker edited it; blank: the original with personal details
    # masked (``core.masking``). The originals above stay for staff.
    board_title = models.CharField("交流栏标题", max_length=200, blank=True)
    board_text = models.TextField("交流栏内容", blank=True)
    board_reply = models.TextField("交流栏答复", blank=True)
    board_salutation = models.CharField("交流栏称呼", max_length=1, choices=[("M", "先生"), ("F", "女士")], blank=True)

    import_key = models.CharField(max_length=64, blank=True, editable=False, help_text="演示数据或导入的来源键")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()
    version_shown = ("state", "org", "owner", "deadline", "supervision", "public_reply")

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["org", "state"], name="case_org_state"),
            # The dashboard's totals by org and type, read from the index alone.
            models.Index(fields=["org", "case_type", "state"], name="case_org_type_state"),
            models.Index(fields=["origin_org", "year", "case_type"], name="case_origin_year_type"),
            models.Index(fields=["state", "deadline"], name="case_state_deadline"),
            models.Index(fields=["owner", "state"], name="case_owner_state"),
            models.Index(fields=["reporter", "-registered_at"], name="case_reporter_time"),
            models.Index(fields=["origin_org", "-public_reply_at"], name="case_board"),
            models.Index(fields=["-registered_at", "-id"], name="case_recent"),
            # The inbox of a community or a street, newest first, read branch by branch (``list_branches``).
            models.Index(fields=["org", "-registered_at", "-id"], name="case_org_recent"),
            models.Index(fields=["origin_org", "-registered_at", "-id"], name="case_origin_recent"),
            # The open cases alone (a district's year holds several times as many closed ones): the workbench's and
            # the inbox's box counts read them from the first index alone where the scope is the whole tree.
            models.Index(
                fields=["org"],
                include=[
                    "id",
                    "origin_org",
                    "state",
                    "owner",
                    "leader",
                    "deadline",
                    "escalated_from",
                    "supervision",
                    "area",
                ],
                condition=OPEN_Q,
                name="case_open_org",
            ),
            models.Index(fields=["origin_org"], condition=OPEN_Q, name="case_open_origin"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["import_key"], condition=~Q(import_key=""), name="case_import_key_unique"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="case_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        # Filed under the year of its own date, never across years.
        self.year = self.registered_on.year
        if kwargs.get("update_fields") is not None and "registered_on" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "year"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.case_type_id and self.category:
            allowed = self.case_type.categories
            if allowed and self.category not in allowed:
                raise ValidationError({"category": f"“{self.category}”不是{self.case_type.name}的类别。"})

    @property
    def code(self) -> str:
        return f"{self.registered_on.year if self.registered_on else ''}-{self.pk or 0:06d}"

    @property
    def kind(self) -> str:
        return self.case_type.kind

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today

    @property
    def on_board(self) -> bool:
        return bool(self.case_type.on_board and self.allow_public and self.public_reply and not self.board_hidden)

    @cached_property
    def pending_extension(self) -> CaseExtension | None:
        """The extension request waiting for a leader (reads the prefetched extensions when there)."""
        return next((e for e in self.extensions.all() if e.state == ExtensionState.PENDING), None)

    @property
    def reporter_masked(self) -> str:
        """The reporter as the public board names them, as the consent says (只显示姓氏): 王女士, 王先生, 王姓居民
        (the gender as the worker set it, else the registry's), never the whole name, grid or door."""
        name = self.reporter_name or (self.reporter.display_name if self.reporter_id and self.reporter else "")
        gender = self.board_salutation
        if not gender and self.reporter_person_id and self.reporter_person is not None:
            gender = self.reporter_person.gender
        return public_name(name, gender)

    @property
    def public_title(self) -> str:
        """The title the public board shows: the worker's public version, else the title masked."""
        return self.board_title or mask_public(self.title)

    @property
    def public_text(self) -> str:
        return self.board_text or mask_public(self.description)

    @property
    def public_reply_text(self) -> str:
        return self.board_reply or mask_public(self.public_reply)


class CaseParty(models.Model):
    """A party to a dispute: a person of the registry (``person``) or a named outsider (name only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=16, choices=PartyRole.choices, default=PartyRole.PARTY)
    person = models.ForeignKey(
        "residents.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_parties",
        verbose_name="居民档案",
        help_text="登记在册的居民；外来人员只填姓名",
    )
    name = models.CharField("姓名/名称", max_length=100)
    phone = phones.EncryptedPhone("联系电话")  # phone_cipher, phone_hash, phone_tail
    address = models.CharField("单位或住址", max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class CaseHistory(models.Model):
    """One move of a case along its workflow (or a raise of its 督办 level): append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=32)
    from_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=CaseState.choices)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="承办组织")
    note = models.TextField("说明", blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "事项流转记录"
        verbose_name_plural = "事项流转记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="casehistory_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseEntry(models.Model):
    """A handling step (办理记录): a mediation session, a rectification step, a visit, a reply."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("类别", max_length=16, choices=EntryKind.choices, default=EntryKind.NOTE)
    happened_at = models.DateTimeField("时间")
    text = models.TextField("内容")
    visible_to_reporter = models.BooleanField("反映人可见", default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("办理人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["happened_at", "id"]
        indexes = [models.Index(fields=["case", "happened_at"], name="caseentry_case_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%Y-%m-%d}"


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    """cases/2026/03/<random>.<ext>: the name the user gave is kept on the row, never in the path."""
    return uploads.random_name("cases", filename)


class CaseAttachmentQuerySet(models.QuerySet):
    def visible_to(self, actor, perm: str | None = None) -> CaseAttachmentQuerySet:
        """A case's photo or file is seen by whoever sees the case."""
        return self.filter(case__in=Case.objects.visible_to(actor, perm).values("pk"))


class CaseAttachment(models.Model):
    """A photo or file of a case, checked by content (photos are re-encoded without metadata) and stored under a
    random name; served only through scoped views."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(CaseEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    name = models.CharField("文件名", max_length=120)
    is_image = models.BooleanField(default=False)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class CaseExtension(models.Model):
    """A request to move a case's deadline (申请延期), decided by a leader."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    old_deadline = models.DateField("原期限", null=True, blank=True)
    new_deadline = models.DateField("申请延至")
    reason = models.CharField("延期理由", max_length=500)
    state = models.CharField("状态", max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="caseextension_one_pending_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.new_deadline}"
