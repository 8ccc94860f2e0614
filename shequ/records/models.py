"""Work records (工作记录): the atomic fact that targets count and ledgers list."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction

from shequ.accounts.access import ScopedQuerySet
from shequ.core import uploads
from shequ.core.versioning import Versioned, VersionedQuerySet


class RecordQuerySet(VersionedQuerySet, ScopedQuerySet):
    """A record is seen in the subtrees of the actor's grants, by a 专干 only in the areas they work on."""

    scope_area_field = "area"


class RecordMonthQuerySet(ScopedQuerySet):
    """Seen as the records it counts are: in the actor's subtrees, by a 专干 only in their areas."""

    scope_area_field = "area"


class YearClosureQuerySet(ScopedQuerySet):
    pass


def _counted_as(record) -> tuple[int, int, int, int] | None:
    """Where a record is counted in ``RecordMonth`` (org, area, year, month); None when not loaded."""
    values = record.__dict__
    if values.get("org_id") is None or values.get("area_id") is None or values.get("date") is None:
        return None
    return values["org_id"], values["area_id"], values["date"].year, values["date"].month


def _count(where: tuple[int, int, int, int] | None, delta: int) -> None:
    """Add ``delta`` to one monthly count: one upsert, safe when two workers file a record of the month at once."""
    if where is None:
        return
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO records_recordmonth (org_id, area_id, year, month, n) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (org_id, area_id, year, month) DO UPDATE SET n = records_recordmonth.n + excluded.n",
            [*where, delta],
        )


class ActivityType(models.Model):
    """A kind of activity an area declares (宣传栏更换, 健康讲座, 入户走访 …): data, not code.

    ``extra_fields`` lists the type's own fields as ``[{"name", "label", "kind", "required", "choices"?}]``
    (kind: text, textarea, int, date, choice, multichoice), stored on each record's ``extra``.
    """

    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="activity_types", verbose_name="条线")
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=50)
    description = models.CharField("说明", max_length=200, blank=True)
    extra_fields = models.JSONField("附加字段", default=list, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "活动类型"
        verbose_name_plural = "活动类型"
        ordering = ["area__sort", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="activitytype_area_code_unique")]

    def __str__(self) -> str:
        return self.name


class Record(Versioned):
    """On this date, in this org, an activity of this type happened: filed under the year of its date."""

    # No index of their own on the three keys: the indexes below lead with each of them (a district's ten million
    # records keep five indexes, not eight).
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="records", verbose_name="组织", db_index=False
    )
    area = models.ForeignKey(
        "orgs.Area", on_delete=models.PROTECT, related_name="records", verbose_name="条线", db_index=False
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="records", verbose_name="类型", db_index=False
    )
    date = models.DateField("日期")
    year = models.PositiveSmallIntegerField("年度", editable=False)
    title = models.CharField("主题", max_length=200)
    place = models.CharField("地点", max_length=200, blank=True)
    organiser = models.CharField("组织者", max_length=100, blank=True)
    participant_count = models.PositiveIntegerField("参加人数", default=0)
    content = models.TextField("内容", blank=True)
    summary = models.TextField("总结评价", blank=True)
    extra = models.JSONField("附加信息", default=dict, blank=True)
    persons = models.ManyToManyField("residents.Person", blank=True, related_name="records", verbose_name="签到人员")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()
    version_shown = ("activity_type", "extra")

    class Meta:
        verbose_name = "工作记录"
        verbose_name_plural = "工作记录"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["org", "year", "activity_type", "date"], name="record_org_year_type_date"),
            models.Index(fields=["activity_type", "date"], name="record_type_date"),
            # A community's records newest first, in the list's order; on PostgreSQL it also holds the area and the
            # title, so that a search of a community's titles (its page and its capped count) is read from the index
            # alone, not from the table.
            models.Index(fields=["org", "-date", "-id"], name="record_org_date", include=["area", "title"]),
            models.Index(fields=["area", "year"], name="record_area_year"),
            models.Index(fields=["-date", "-id"], name="record_date_id_desc"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def save(self, *args, **kwargs):
        # The year is the year of the record's own date: never filed across years.
        self.year = self.date.year
        if kwargs.get("update_fields") is not None and "date" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "year"}
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            # The monthly counts (RecordMonth) move with the record, in the same transaction.
            now, before = _counted_as(self), getattr(self, "_counted_as", None)
            if adding:
                _count(now, 1)
            elif before is not None and now is not None and before != now:
                _count(before, -1)
                _count(now, 1)
        self._counted_as = now

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            _count(_counted_as(self), -1)
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._counted_as = _counted_as(record)
        return record

    def clean(self) -> None:
        if self.activity_type_id and self.area_id and self.activity_type.area_id != self.area_id:
            raise ValidationError({"activity_type": "活动类型不属于所选条线。"})


def photo_path(instance, filename: str) -> str:
    """records/photos/2026/03/<random>.jpg: never the uploader's own file name (it may say too much)."""
    return uploads.random_name("records/photos", filename)


def attachment_path(instance, filename: str) -> str:
    return uploads.random_name("records/files", filename)


class RecordFileQuerySet(ScopedQuerySet):
    """A record's photo or file is seen by whoever sees the record (its org's subtree, the 专干 in its area)."""

    scope_field = "record__org"
    scope_area_field = "record__area"


class RecordPhoto(models.Model):
    """A photo of a record: re-encoded by ``core.images.clean_image`` (no EXIF, no location), served by a
    scoped view, never from a public URL."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="photos", verbose_name="记录")
    image = models.ImageField("照片", upload_to=photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    thumb = models.ImageField("缩略图", upload_to=photo_path, blank=True)
    caption = models.CharField("说明", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordFileQuerySet.as_manager()

    class Meta:
        verbose_name = "记录照片"
        verbose_name_plural = "记录照片"
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return self.caption or f"照片{self.pk}"


class RecordAttachment(models.Model):
    """A file kept with a record (签到表扫描件, 底稿, 课件 …), checked by content and stored under a random name;
    ``name`` is the name the user gave it. Served only by a scoped view."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attachments", verbose_name="记录")
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordFileQuerySet.as_manager()

    class Meta:
        verbose_name = "记录附件"
        verbose_name_plural = "记录附件"
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return self.name


class YearClosure(models.Model):
    """A closed year (年度关账) for an org and its subtree: its plans, targets and records are read-only."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="year_closures", verbose_name="组织")
    year = models.PositiveSmallIntegerField("年度")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("关账时间", auto_now_add=True)

    objects = YearClosureQuerySet.as_manager()

    class Meta:
        verbose_name = "年度关账"
        verbose_name_plural = "年度关账"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="yearclosure_org_year_unique")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年"


class RecordMonth(models.Model):
    """How many records an org filed in a line of work in one month: kept up to date by the record services
    (and rebuilt after bulk loads by ``tallies.rebuild``), so that dashboards over a street's or a district's
    millions of records read a few thousand rows instead of counting them."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    area = models.ForeignKey("orgs.Area", on_delete=models.CASCADE, related_name="+", verbose_name="条线")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    n = models.IntegerField("记录数", default=0)

    objects = RecordMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "月度记录数"
        verbose_name_plural = "月度记录数"
        constraints = [models.UniqueConstraint(fields=["org", "area", "year", "month"], name="record_month_unique")]
        indexes = [models.Index(fields=["year", "org"], name="record_month_year_org")]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月 {self.n}条"
