"""Groups (组织机构): leadership groups, offices, committees, networks and teams of a line of work, with their
kinds as data (quorum and majority rules, the roles and member categories they use), their terms (届) and their
members with join and leave dates (history: a member who leaves keeps their row, with the day they left)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from shequ.groups.querysets import GroupPartQuerySet, GroupQuerySet, MeetingQuerySet, ResolutionQuerySet


class Base(models.TextChoices):
    """What a majority is counted against."""

    PRESENT = "present", "到会成员"
    MEMBERS = "members", "全体成员"


class GroupKind(models.Model):
    """A kind of group (领导小组, 协商议事委员会 …): data, loaded from ``catalogue.py``, kept by administrators.

    Quorum: more than (``quorum_strict``) or at least ``quorum_num``/``quorum_den`` of the members in office
    present. A resolution passes with more than (``pass_strict``) or at least ``pass_num``/``pass_den`` of
    ``pass_base`` (those present, or all members) voting for it. ``roles`` are the roles a member may hold,
    the first being the head; ``categories``, when given, are the member categories the kind requires
    (协商议事委员会: 居民代表, 党员 …). ``public``: its resolutions and their progress go on the public board.
    """

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=40)
    description = models.CharField("说明", max_length=200, blank=True)
    roles = models.JSONField("成员职务", default=list)
    categories = models.JSONField("成员类别", default=list, blank=True)
    quorum_num = models.PositiveSmallIntegerField("法定人数（分子）", default=1)
    quorum_den = models.PositiveSmallIntegerField("法定人数（分母）", default=2)
    quorum_strict = models.BooleanField("法定人数须超过该比例", default=True)
    pass_num = models.PositiveSmallIntegerField("通过（分子）", default=1)
    pass_den = models.PositiveSmallIntegerField("通过（分母）", default=2)
    pass_strict = models.BooleanField("通过须超过该比例", default=True)
    pass_base = models.CharField("通过的基数", max_length=10, choices=Base.choices, default=Base.PRESENT)
    public = models.BooleanField("决议公开", default=False)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "组织机构类型"
        verbose_name_plural = "组织机构类型"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.quorum_den or self.quorum_num > self.quorum_den:
            raise ValidationError({"quorum_num": "法定人数比例应在0到1之间。"})
        if not self.pass_den or self.pass_num > self.pass_den:
            raise ValidationError({"pass_num": "通过比例应在0到1之间。"})
        if not self.roles:
            raise ValidationError({"roles": "请至少列出一种成员职务。"})

    @property
    def head_role(self) -> str:
        return self.roles[0] if self.roles else ""

    @staticmethod
    def _share_text(num: int, den: int, strict: bool) -> str:
        share = "半数" if num * 2 == den else ("全体" if num == den else f"{_cn_fraction(num, den)}")
        return f"{'超过' if strict else ''}{share}{'' if strict else '以上'}"

    @property
    def quorum_text(self) -> str:
        return f"{self._share_text(self.quorum_num, self.quorum_den, self.quorum_strict)}成员到会"

    @property
    def pass_text(self) -> str:
        return f"{Base(self.pass_base).label}{self._share_text(self.pass_num, self.pass_den, self.pass_strict)}赞成"

    def quorate(self, present: int, expected: int) -> bool:
        """Whether ``present`` of ``expected`` members make a quorum (exact integer arithmetic)."""
        if expected <= 0:
            return False
        return _reaches(present, expected, self.quorum_num, self.quorum_den, self.quorum_strict)

    def passes(self, votes_for: int, present: int, expected: int) -> bool:
        """Whether ``votes_for`` carry a resolution at a meeting of ``present`` out of ``expected`` members."""
        base = present if self.pass_base == Base.PRESENT else expected
        if base <= 0:
            return False
        return _reaches(votes_for, base, self.pass_num, self.pass_den, self.pass_strict)


def _reaches(count: int, base: int, num: int, den: int, strict: bool) -> bool:
    if strict:
        return count * den > base * num
    return count * den >= base * num


def _cn_fraction(num: int, den: int) -> str:
    digits = "零一二三四五六七八九十"
    if den <= 10 and num <= 10:
        return f"{digits[den]}分之{digits[num]}"
    return f"{num}/{den}"


class Group(models.Model):
    """A group of an org and a line of work: its kind, duties and meeting rules; terms and members below."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="work_groups", verbose_name="单位")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="work_groups", verbose_name="条线")
    kind = models.ForeignKey(GroupKind, on_delete=models.PROTECT, related_name="groups", verbose_name="类型")
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("职责", blank=True)
    rules = models.TextField("会议制度", blank=True)
    founded_on = models.DateField("成立日期")
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["org__path", "area__sort", "kind__sort", "id"]
        indexes = [models.Index(fields=["org", "area", "kind"], name="group_org_area_kind")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.dissolved_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": "撤销日期不能早于成立日期。"})

    def active_on(self, day: date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


class GroupTerm(models.Model):
    """A term (届) of a group: 第 ``number`` 届, from ``start`` to ``end``; a new term (换届) follows the last."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms", verbose_name="组织机构")
    number = models.PositiveSmallIntegerField("届次")
    start = models.DateField("任期开始")
    end = models.DateField("任期结束")

    objects = GroupPartQuerySet.as_manager()

    class Meta:
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["group", "-number"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="groupterm_group_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}届"

    def clean(self) -> None:
        if self.end and self.start and self.end <= self.start:
            raise ValidationError({"end": "任期结束应晚于任期开始。"})

    @property
    def label(self) -> str:
        return f"第{self.number}届（{self.start.year}年{self.start.month}月—{self.end.year}年{self.end.month}月）"


class GroupMember(models.Model):
    """A member of a group: a person of the registry or a staff account, with a role in the group, a category
    where the kind needs one, and the days they joined and left. Leaving keeps the row (the roster's history);
    coming back is a new row."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members", verbose_name="组织机构")
    person = models.ForeignKey(
        "residents.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name="居民",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name="工作人员",
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=20)
    category = models.CharField("类别", max_length=20, blank=True)
    unit = models.CharField("工作单位及职务", max_length=100, blank=True)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    leave_note = models.CharField("退出原因", max_length=100, blank=True)

    objects = GroupPartQuerySet.as_manager()

    class Meta:
        verbose_name = "组织机构成员"
        verbose_name_plural = "组织机构成员"
        # Those in office first (no leaving day) on every database; then by the day they joined.
        ordering = ["group", models.F("left_on").asc(nulls_first=True), "joined_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, user__isnull=True) | Q(person__isnull=True, user__isnull=False),
                name="groupmember_person_or_user",
            ),
        ]
        indexes = [models.Index(fields=["person"], name="groupmember_person")]

    def __str__(self) -> str:
        return f"{self.name}（{self.role}）"

    def clean(self) -> None:
        if self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "退出日期不能早于加入日期。"})

    def current_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def is_staff(self) -> bool:
        return self.user_id is not None


# --- meetings and resolutions -------------------------------------------------------------------------------


class Presence(models.TextChoices):
    PRESENT = "present", "出席"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺席"


class Meeting(models.Model):
    """A meeting of a group, or of an org without one: its :class:`records.Record` (of a meeting type: date, place,
    minutes as its content, photos, attachments) with what a meeting has beyond a record — the agenda, the sign-in
    (a group's members in office that day, or the org's staff; present, excused, absent) and guests, and whether
    it was quorate under the group kind's rule (``None`` at an org's meeting: no kind, no quorum), reckoned again
    whenever the sign-in changes. The registry persons present are the record's sign-in list (``Record.persons``),
    kept equal to the members present whichever page edits them."""

    record = models.OneToOneField("records.Record", on_delete=models.CASCADE, related_name="meeting")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name="组织机构"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    host = models.CharField("主持人", max_length=50, blank=True)
    recorder = models.CharField("记录人", max_length=50, blank=True)
    expected = models.PositiveSmallIntegerField("应到人数", default=0)
    present = models.PositiveSmallIntegerField("实到人数", default=0)
    quorate = models.BooleanField("达到法定人数", null=True, default=False, help_text="单位会议不设法定人数（空）")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        indexes = [models.Index(fields=["org", "group"], name="meeting_org_group")]

    def __str__(self) -> str:
        return self.record.title

    @property
    def convener(self) -> str:
        """Who met: the group, or the org for a meeting without one."""
        return self.group.name if self.group_id else f"{self.org.name}（单位会议）"

    @property
    def quorum_text(self) -> str:
        return f"{self.group.kind.quorum_text}方可开会" if self.group_id else "单位会议，不设法定人数"

    @property
    def pass_text(self) -> str:
        return self.group.kind.pass_text if self.group_id else ORG_MAJORITY_TEXT

    def passes(self, votes_for: int) -> bool:
        """Whether ``votes_for`` carry a resolution: by the group kind's rule at a quorate meeting; at an org's
        meeting (no quorum), by more than half of those present."""
        if self.group_id:
            return bool(self.quorate) and self.group.kind.passes(votes_for, self.present, self.expected)
        return self.present > 0 and votes_for * 2 > self.present


ORG_MAJORITY_TEXT = "到会人员超过半数赞成"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name="会议")
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("议题", max_length=200)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting", "number"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A sign-in at a meeting: a group's member, or at an org's meeting a staff account of the org."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name="会议")
    member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.PROTECT, related_name="attendance", verbose_name="成员"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_attendance",
        verbose_name="工作人员",
    )
    status = models.CharField("签到", max_length=10, choices=Presence.choices)

    class Meta:
        verbose_name = "会议签到"
        verbose_name_plural = "会议签到"
        ordering = ["meeting", "member__id", "user__id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_meeting_member"),
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_meeting_user"),
            models.CheckConstraint(
                condition=Q(member__isnull=False, user__isnull=True) | Q(member__isnull=True, user__isnull=False),
                name="attendance_member_or_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_status_display()}"

    @property
    def name(self) -> str:
        """The member's name, or the staff account's (``member`` or ``user`` loaded with the row)."""
        if self.member_id:
            return self.member.name
        return self.user.name or self.user.username

    @property
    def person_id(self) -> int | None:
        return self.member.person_id if self.member_id else None


class Guest(models.Model):
    """Someone present who is not a member (列席人员)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests", verbose_name="会议")
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("单位及职务", max_length=100, blank=True)

    class Meta:
        verbose_name = "列席人员"
        verbose_name_plural = "列席人员"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.name


class Resolution(models.Model):
    """A matter put to the vote: for, against and abstaining, and whether it passed under the kind's rule (an
    inquorate meeting passes nothing). A passed resolution is carried out through plan tasks; its progress is
    theirs. ``public``: shown with its progress on the community's board (the kind decides)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions", verbose_name="会议")
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("决议事项")
    votes_for = models.PositiveSmallIntegerField("赞成", default=0)
    votes_against = models.PositiveSmallIntegerField("反对", default=0)
    votes_abstain = models.PositiveSmallIntegerField("弃权", default=0)
    passed = models.BooleanField("通过", default=False)
    public = models.BooleanField("公开", default=False)
    tasks = models.ManyToManyField("plans.Task", blank=True, related_name="+", verbose_name="落实任务")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = "决议"
        verbose_name_plural = "决议"
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="resolution_meeting_number")]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def votes_text(self) -> str:
        return f"赞成{self.votes_for}、反对{self.votes_against}、弃权{self.votes_abstain}"
