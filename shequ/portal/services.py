"""Writes of the residents' side: self-registration. Posting and rating go through the cases services."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import Role
from shequ.audit.services import audit
from shequ.orgs.models import Org, OrgKind


def resident_register(*, phone: str, password: str, name: str, community: Org) -> User:
    """A resident signs up with phone and password in their community: a User with a 居民 membership.

    The phone number is also the username (the login page accepts either). Audited as the new user.
    """
    phone = (phone or "").strip()
    name = (name or "").strip()
    if community.kind != OrgKind.COMMUNITY or not community.is_active:
        raise ValidationError({"community": "请选择所在的社区或村。"})
    if User.objects.filter(phone=phone).exists() or User.objects.filter(username=phone).exists():
        raise ValidationError({"phone": "该手机号已注册,请直接登录。"})
    user = User(username=phone, phone=phone, name=name)
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        Membership.objects.create(user=user, org=community, role=Role.RESIDENT, title="居民")
        audit(user, "portal.register", user, {"org": community.pk}, org=community)
    return user
