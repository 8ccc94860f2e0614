"""Accounts: users and their memberships (org, role, areas)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import AREA_BOUND_ROLES, Role
from shequ.core import phones

phone_validator = RegexValidator(r"^1\d{10}$", "请输入11位手机号码。")


def phone_q(phone: str | None) -> Q:
    """Accounts whose phone is this number, however written (its keyed hash under every key; nobody for none)."""
    return phones.hash_q("phone", phone)


class User(AbstractUser):
    """A person who logs in. ``name`` is the Chinese full name shown everywhere."""

    name = models.CharField("姓名", max_length=50, blank=True)
    phone = phones.EncryptedPhone("手机号")  # phone_cipher, phone_hash, phone_tail: found by the keyed hash
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="由他人设定的初始密码：首次登录时必须修改。"
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(fields=["phone_hash"], condition=~Q(phone_hash=""), name="user_phone_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False

    @property
    def scope(self):
        """The user's resolved scope (``access.Scope``), read once per user object."""
        return access.resolve(self)

    @property
    def password_set_at(self):
        """When the password was last set (accounts older than the field: when they were made)."""
        return self.password_changed_at or self.date_joined


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, actor, perm: str = "view") -> MembershipQuerySet:
        """Memberships held at orgs in the actor's scope for ``perm``."""
        return self.filter(access.resolve(actor).rows_q(perm))


class Membership(models.Model):
    """A user's role at one org; its subtree is the user's data scope for that role.

    A 专干 (worker) membership lists the work areas it covers; other roles cover all areas.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="用户")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="memberships", verbose_name="组织")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    areas = models.ManyToManyField("orgs.Area", blank=True, related_name="memberships", verbose_name="负责条线")
    title = models.CharField("职务", max_length=50, blank=True, help_text="如 书记、主任、残联专干")
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["org__path", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.org} · {self.title or self.get_role_display()}"

    @property
    def area_bound(self) -> bool:
        return self.role in AREA_BOUND_ROLES


class TokenScope(models.TextChoices):
    READ = "read", "只读"
    WRITE = "write", "读写"


class ApiToken(models.Model):
    """A personal API token of a staff member. Only its SHA-256 is stored; the key is shown once when created.

    Every token expires; a read-only token is refused on any request that changes data.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField("权限", max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("过期时间")

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @staticmethod
    def hash(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The live token of ``key``: not expired, of an active user."""
        token = cls.objects.select_related("user").filter(digest=cls.hash(key)).first()
        if token is None or not token.user.is_active or token.expires_at < timezone.now():
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token
