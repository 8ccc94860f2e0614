"""The second factor (TOTP through django-otp, with one-time recovery codes).

Who must use it: the 系统管理员, leaders, everyone whose role may show whole ID numbers or sensitive profiles
(``Perm.VIEW_SENSITIVE``), and Django superusers (the admin site). They enrol at their first login (a QR code for
any authenticator app: 微信/支付宝 小程序, Google/Microsoft Authenticator, 腾讯身份验证器), and confirm a code at each
login after. ``SecondFactorMiddleware`` holds every page but the second factor's own until they have.
"""

from __future__ import annotations

import base64

from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shequ.accounts import access
from shequ.accounts.passwords import is_demo_exempt
from shequ.accounts.roles import Perm, Role, role_has
from shequ.core.qr import qr_svg as svg

RECOVERY_CODES = 10
TOTP_NAME = "验证器"
RECOVERY_NAME = "恢复码"


def required(user) -> bool:
    """Whether the user must confirm a second factor at login."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        g.role in (Role.ADMIN, Role.LEADER) or role_has(g.role, Perm.VIEW_SENSITIVE) for g in access.grants(user)
    )


def enforced(user) -> bool:
    """Required and not waived (demo accounts in development, see ``DEMO_ACCOUNTS_RELAXED``)."""
    return required(user) and not is_demo_exempt(user)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no script, no request to anywhere)."""
    return svg(device.config_url, box_size=8)


def _normalise(code: str) -> str:
    return "".join((code or "").split()).lower()


def check(user, code: str):
    """The device that accepts ``code`` (a 6-digit TOTP code or a recovery code, which is used up), or None."""
    code = _normalise(code)
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        found = verify_token(user, device.persistent_id, code)
        if found is not None:
            return found
    return None


def confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Finish enrolment with the first code from the app: the device is confirmed, the session verified and a
    fresh set of recovery codes returned (shown once). None when the code is wrong."""
    if not device.verify_token(_normalise(code)):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a new set; returns them (shown once, kept only as used-once tokens)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def session_key() -> str:
    return DEVICE_ID_SESSION_KEY
