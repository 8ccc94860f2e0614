"""Every write to accounts and memberships."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shequ.accounts import access, phonecodes
from shequ.accounts.models import ApiToken, Membership, TokenScope, User, phone_q
from shequ.accounts.roles import Perm, Role
from shequ.audit.services import audit
from shequ.orgs.models import Org, OrgKind


def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    name: str = "",
    phone: str | None = None,
    org: Org,
    role: str,
    areas=(),
    title: str = "",
) -> User:
    """Create an account with its first membership; the actor must manage users at ``org``."""
    access.check(actor, org, Perm.MANAGE_USERS)
    user = User(username=username.strip(), name=name.strip())
    user.phone = phone or ""  # kept encrypted (EncryptedPhone)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True  # an initial password, set by someone else: changed at the first login
    user.full_clean(exclude=["password"], validate_constraints=False)
    if phone and User.objects.filter(phone_q(phone)).exists():
        raise ValidationError({"phone": "该手机号已被其他账号使用。"})
    with transaction.atomic():
        user.save()
        membership_add(actor=actor, user=user, org=org, role=role, areas=areas, title=title)
        audit(actor, "user.create", user)
    return user


def membership_add(*, actor: User, user: User, org: Org, role: str, areas=(), title: str = "") -> Membership:
    access.check(actor, org, Perm.MANAGE_USERS)
    if role == Role.WORKER and not areas:
        raise ValidationError("专干必须选择负责的工作条线。")
    if role not in Role.values:
        raise ValidationError("未知的角色。")
    with transaction.atomic():
        m, _ = Membership.objects.update_or_create(
            user=user, org=org, role=role, defaults={"title": title, "is_active": True}
        )
        m.areas.set(areas if role == Role.WORKER else [])
        audit(actor, "membership.add", m, {"user": user.pk, "org": org.pk, "role": role})
    access.forget(user)
    return m


def membership_end(*, actor: User, membership: Membership) -> Membership:
    access.check(actor, membership.org, Perm.MANAGE_USERS)
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit(actor, "membership.end", membership)
    access.forget(membership.user)
    return membership


def membership_change(*, actor: User, membership: Membership, org: Org, areas=(), title: str = "") -> Membership:
    """Change a membership's org (a grid worker moves to another grid), areas (a 专干's lines) or title.
    The actor must manage users at the old org and at the new one; audited with what was before."""
    access.check(actor, membership.org, Perm.MANAGE_USERS)
    access.check(actor, org, Perm.MANAGE_USERS)
    if not membership.is_active:
        raise ValidationError("该任职已结束，不能修改。")
    if membership.role == Role.WORKER and not areas:
        raise ValidationError({"areas": "专干必须选择负责的工作条线。"})
    if org.pk != membership.org_id and (
        Membership.objects.filter(user=membership.user_id, org=org, role=membership.role)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"org": "该用户在所选组织已有同一角色的任职。"})
    before = {
        "org": membership.org_id,
        "areas": sorted(membership.areas.values_list("pk", flat=True)),
        "title": membership.title,
    }
    area_ids = sorted(getattr(a, "pk", a) for a in areas) if membership.role == Role.WORKER else []
    with transaction.atomic():
        membership.org = org
        membership.title = title
        membership.save(update_fields=["org", "title"])
        membership.areas.set(area_ids)
        after = {"org": org.pk, "areas": area_ids, "title": title}
        audit(actor, "membership.change", membership, {"user": membership.user_id, "before": before, "after": after})
    access.forget(membership.user)
    return membership


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Disable an account (it can no longer sign in; its history stays) or enable it again; never one's own."""
    if user.pk == actor.pk:
        raise ValidationError("不能停用或启用自己的账号。")
    memberships = list(user.memberships.select_related("org"))
    if not memberships:
        raise access.PermissionDenied("该用户没有任职，只有系统管理员可以在后台处理。")
    for m in memberships:
        access.check(actor, m.org, Perm.MANAGE_USERS)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit(actor, "user.activate" if active else "user.deactivate", user)
    return user


def token_create(
    *, actor: User, name: str, scope: str = TokenScope.READ, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create an API token for the actor, a staff member; returns the token and its key (shown only this once).

    It expires after ``days`` (at most ``API_TOKEN_MAX_DAYS``, by default that).
    """
    if not access.is_staff_user(actor):
        raise access.PermissionDenied("只有工作人员可以申请API令牌。")
    if scope not in TokenScope.values:
        raise ValidationError({"scope": "请选择令牌的权限。"})
    days = days or settings.API_TOKEN_MAX_DAYS
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"有效期为1至{settings.API_TOKEN_MAX_DAYS}天。"})
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            scope=scope,
            digest=ApiToken.hash(key),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit(actor, "token.create", token, {"scope": scope, "days": days})
    return token, key


def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise access.PermissionDenied("只能吊销自己的令牌。")
    with transaction.atomic():
        audit(actor, "token.revoke", token)
        token.delete()


RESIDENT_USERNAME_PREFIX = "jm-"
REGISTER_CODE_TEXT = "【社区工作平台】您的注册验证码是{code}，{minutes}分钟内有效。如非本人操作，请忽略。"
REGISTERED_TEXT = "【社区工作平台】有人用本手机号申请注册。该号码已注册，可直接登录；如非本人操作，请忽略。"


def resident_username() -> str:
    """A resident account's username: not the phone (kept encrypted), nor anything that identifies them."""
    while True:
        username = RESIDENT_USERNAME_PREFIX + secrets.token_hex(4)
        if not User.objects.filter(username=username).exists():
            return username


def resident_register_code(*, request, phone: str) -> None:
    """Step one of a resident's registration: a code to the phone. The page answers the same whatever the phone;
    a phone already registered gets a notice instead of a code. Limited per client address and per phone."""
    phone = (phone or "").strip()
    registered = User.objects.filter(phone_q(phone) | Q(username=phone)).exists()
    phonecodes.send(request, phone=phone, purpose="register", text=None if registered else REGISTER_CODE_TEXT)
    if registered:
        phonecodes.notify(phone, REGISTERED_TEXT)


def resident_register(*, phone: str, code: str, password: str, name: str, community: Org) -> User:
    """A resident signs up with phone and password in their community: a User with a 居民 membership.

    The phone is proven by the code sent to it (:func:`resident_register_code`); the resident logs in with it. The
    username is ``jm-`` and random hex, so that no row holds the number in plain text. Audited as the new user.
    """
    phone = (phone or "").strip()
    name = (name or "").strip()
    if community.kind != OrgKind.COMMUNITY or not community.is_active:
        raise ValidationError({"community": "请选择所在的社区或村。"})
    user = User(username=resident_username(), name=name)
    user.phone = phone
    user.full_clean(exclude=["password", "username"], validate_constraints=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    if not phonecodes.check(phone=phone, purpose="register", code=code):
        raise ValidationError({"code": "验证码不正确或已过期，请重新获取。"})
    if User.objects.filter(phone_q(phone) | Q(username=phone)).exists():
        raise ValidationError({"phone": "该手机号已注册，请直接登录。"})
    user.set_password(password)
    with transaction.atomic():
        user.save()
        Membership.objects.create(user=user, org=community, role=Role.RESIDENT, title="居民")
        audit(user, "portal.register", user, {"org": community.pk}, org=community)
    return user


def password_changed(*, actor: User) -> None:
    """Record a password change (the form itself saves the new hash)."""
    audit(actor, "auth.password_change", actor)
