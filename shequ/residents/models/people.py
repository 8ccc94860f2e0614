"""The residents registry (居民档案): persons and households (一户一档).

ID numbers are never stored in plain text: ``id_cipher`` holds the authenticated encryption
(``shequ.core.crypto``), ``id_hash`` a keyed hash for exact lookups and the one-person-per-number
rule, ``id_masked`` the display form (first 6 and last 4) and ``id_tail`` the last six characters
reversed, so that a search by the last 4–6 digits is an indexed prefix match. Phone numbers likewise: encrypted,
with keyed hashes of the whole number and of its last four digits (``shequ.core.phones``); ``Person.phone``
reads and sets the plain number through them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shequ.accounts.access import ScopedQuerySet
from shequ.accounts.roles import Perm
from shequ.core import phones
from shequ.core.versioning import Versioned, VersionedQuerySet
from shequ.residents.catalogue import RELATIONS
from shequ.residents.visibility import person_q


class HouseholdQuerySet(VersionedQuerySet, ScopedQuerySet):
    def visible_to(self, actor, perm: str | None = None) -> HouseholdQuerySet:
        """Households of the actor's subtrees, and those filed under a grid the actor holds."""
        return self.filter(person_q(actor, perm or Perm.VIEW))


class PersonQuerySet(VersionedQuerySet, ScopedQuerySet):
    def visible_to(self, actor, perm: str | None = None) -> PersonQuerySet:
        """The one scope rule of persons: the actor's subtrees, plus the persons of the grids they hold."""
        return self.filter(person_q(actor, perm or Perm.VIEW))

    def own(self, account) -> PersonQuerySet:
        """The resident's own door: the registry person their portal account is linked to (none for a stranger or
        an unlinked account); what they may read of the registry about themselves starts here."""
        if not getattr(account, "is_authenticated", False):
            return self.none()
        return self.filter(account=account, anonymised_on__isnull=True)


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class IdType(models.TextChoices):
    RESIDENT = "resident", "居民身份证"
    HMT = "hmt", "港澳台居民居住证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他"


class ResidenceStatus(models.TextChoices):
    HUJI = "huji", "户籍"
    CHANGZHU = "changzhu", "常住"
    LIUDONG = "liudong", "流动"
    JIZHU = "jizhu", "寄住"


class Education(models.TextChoices):
    NONE = "none", "未上学"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中/中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    POSTGRAD = "postgrad", "研究生"


# 家庭关系代码 (GB/T 4761-2008), stored as the two-digit code; the list lives in the catalogue.
_RELATION_NAMES = {"02": "HEAD", "10": "SPOUSE", "20": "SON", "30": "DAUGHTER", "51": "FATHER", "52": "MOTHER"}
Relation = models.TextChoices(
    "Relation", [(_RELATION_NAMES.get(code, f"CODE_{code}"), (code, label)) for code, label in RELATIONS]
)


class AddressFields(models.Model):
    """Address parts: 小区/楼栋/单元/房号 in a town, 村民小组/门牌 in a village."""

    estate = models.CharField("小区", max_length=100, blank=True)
    building = models.CharField("楼栋", max_length=20, blank=True)
    unit_no = models.CharField("单元", max_length=20, blank=True)
    room = models.CharField("房号", max_length=20, blank=True)
    village_group = models.CharField("村民小组", max_length=50, blank=True)
    house_no = models.CharField("门牌", max_length=50, blank=True)
    address_line = models.CharField(
        "详细地址", max_length=255, blank=True, help_text="无法拆成小区、楼栋等部分的地址，按原样保存"
    )
    address = models.CharField("地址", max_length=255, blank=True, editable=False, help_text="由地址各部分拼成")

    class Meta:
        abstract = True

    def compose_address(self) -> str:
        return compose_address(
            estate=self.estate,
            building=self.building,
            unit_no=self.unit_no,
            room=self.room,
            village_group=self.village_group,
            house_no=self.house_no,
            address_line=self.address_line,
        )


def compose_address(
    *,
    address_line: str = "",
    estate: str = "",
    building: str = "",
    unit_no: str = "",
    room: str = "",
    village_group: str = "",
    house_no: str = "",
) -> str:
    """The address as people read it: the parts joined, or the whole line where it was not split into parts."""
    if address_line:
        return address_line
    parts = []
    if estate:
        parts.append(estate)
    if building:
        parts.append(building if building.endswith(("栋", "幢", "号楼")) else f"{building}栋")
    if unit_no:
        parts.append(unit_no if unit_no.endswith("单元") else f"{unit_no}单元")
    if room:
        parts.append(room if room.endswith("室") else f"{room}室")
    if village_group:
        parts.append(village_group)
    if house_no:
        parts.append(house_no if house_no.endswith("号") else f"{house_no}号")
    return "".join(parts)


class Household(Versioned, AddressFields):
    """A household (户) of a community: its number, address, head and members (Person.household)."""

    # No index of its own on org: the unique (org, number) serves every lookup by org.
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="households", verbose_name="社区/村", db_index=False
    )
    grid = models.ForeignKey(
        "orgs.Org",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_households",
        verbose_name="网格",
    )
    number = models.CharField("户号", max_length=40)
    head = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_households",
        verbose_name="户主",
    )
    notes = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    version_shown = ("head",)

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["org", "number"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="household_org_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.address}".strip()


class Person(Versioned, AddressFields):
    """A resident of a community (the org) and, optionally, of one of its grids and a household."""

    # No index of its own on org: every person index below leads with org (each index costs the residents import).
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="persons", verbose_name="社区/村", db_index=False
    )
    grid = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="grid_persons", verbose_name="网格"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name="户"
    )
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices, blank=True)

    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名全拼", max_length=200, blank=True, editable=False)
    name_initials = models.CharField("姓名首字母", max_length=50, blank=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)

    id_type = models.CharField("证件类型", max_length=16, choices=IdType.choices, default=IdType.RESIDENT)
    id_cipher = models.TextField("证件号码（密文）", blank=True, editable=False)
    id_hash = models.CharField("证件号码（散列）", max_length=64, blank=True, editable=False)
    id_masked = models.CharField("证件号码（掩码）", max_length=40, blank=True, editable=False)
    id_tail = models.CharField("证件号码末六位（倒序）", max_length=6, blank=True, editable=False)

    phone = phones.EncryptedPhone("联系电话")  # phone_cipher, phone_hash, phone_tail
    residence_status = models.CharField(
        "居住状态", max_length=16, choices=ResidenceStatus.choices, default=ResidenceStatus.HUJI
    )
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    education = models.CharField("文化程度", max_length=16, choices=Education.choices, blank=True)
    occupation = models.CharField("职业", max_length=100, blank=True)
    notes = models.TextField("备注", blank=True)
    moved_in_on = models.DateField("迁入日期", null=True, blank=True)
    moved_out_on = models.DateField("迁出日期", null=True, blank=True)
    is_deceased = models.BooleanField("已故", default=False)
    deceased_on = models.DateField("死亡日期", null=True, blank=True)
    possible_duplicate = models.BooleanField("疑似重复", default=False)
    anonymised_on = models.DateField("匿名化日期", null=True, blank=True, editable=False)
    # The resident's own portal account (居民端账号), linked by a worker or by the resident with their ID number and
    # a code sent to the phone registered here: it lets them read what the registry holds about them.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registry_person",
        editable=False,
        verbose_name="居民端账号",
    )
    account_linked_at = models.DateTimeField("账号关联时间", null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()
    version_shown = ("household", "possible_duplicate")
    version_values = {"phone": "联系电话"}  # plain values behind encrypted columns, named in a stale edit's message

    class Meta:
        verbose_name = "居民"
        verbose_name_plural = "居民"
        ordering = ["org", "name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_hash"], condition=~Q(id_hash=""), name="person_id_hash_unique"),
        ]
        indexes = [
            models.Index(fields=["org", "name_pinyin", "id"], name="person_org_pinyin"),
            models.Index(fields=["org", "name_initials"], name="person_org_initials"),
            models.Index(fields=["id_tail"], name="person_id_tail"),
            models.Index(fields=["phone_hash"], name="person_phone_hash"),
            models.Index(fields=["phone_tail"], name="person_phone_tail"),
            models.Index(fields=["org", "residence_status"], name="person_org_status"),
            models.Index(fields=["org", "name", "birth_date"], name="person_org_name_birth"),
            models.Index(fields=["org", "address"], name="person_org_address"),
            # The workbench counts the suspected duplicates of a scope: a few rows among a million.
            models.Index(fields=["org"], name="person_possible_dup", condition=models.Q(possible_duplicate=True)),
        ]

    def __str__(self) -> str:
        return self.name
