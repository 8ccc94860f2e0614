"""One-time codes sent to a phone, proving that whoever types them holds it (resident registration, linking a
portal account to the registry).

Codes live in the cache for ``PHONE_CODE_MINUTES``, as a keyed hash, and allow ``PHONE_CODE_TRIES`` wrong tries.
Sending is limited per client address and per phone; the answer to the page is the same for every phone, known or
not (what differs goes only to the phone itself).
"""

from __future__ import annotations

import hmac
import secrets

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_ratelimit.core import get_usage

from shequ.core import crypto, sms

TOO_OFTEN = "请求过于频繁，请稍后再试。"


def _key(purpose: str, phone: str) -> str:
    return f"shequ:phonecode:{purpose}:{crypto.keyed_hash(phone, context='phone-code')}"


def _limited(request, group: str, key_value: str, rate: str) -> bool:
    usage = get_usage(request, group=group, key=lambda _g, _r: key_value, rate=rate, increment=True)
    return usage is not None and usage["count"] > usage["limit"]


def throttled(request, *, phone: str, group: str) -> bool:
    """Counts one request for the client address and for the phone; True past either limit."""
    ip = get_client_ip_address(request) or ""
    by_ip = _limited(request, f"{group}-ip", ip, settings.PHONE_CODE_IP_RATE)
    by_phone = _limited(request, f"{group}-phone", crypto.keyed_hash(phone, context="phone-code"), "5/h")
    return by_ip or by_phone


def send(request, *, phone: str, purpose: str, text: str | None, to: str | None = None) -> None:
    """Send a fresh code to ``phone`` (``text`` is the message with ``{code}``), or, with ``text`` None, nothing.
    Raises ValidationError when the address or the phone asked too often.

    ``to``: where the message goes when the code is held under something other than a number the user typed
    (linking an account to the registry holds it under the account and the ID number's hash, and sends it to the
    phone the registry holds); ``phone`` is then that key, and the per-phone limit counts it."""
    if throttled(request, phone=phone, group=f"code-{purpose}"):
        raise ValidationError(TOO_OFTEN)
    if text is None:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(
        _key(purpose, phone),
        {"mac": crypto.keyed_hash(code, context="phone-code"), "tries": 0},
        timeout=settings.PHONE_CODE_MINUTES * 60,
    )
    sms.send(to or phone, text.format(code=code, minutes=settings.PHONE_CODE_MINUTES))


def notify(phone: str, text: str) -> None:
    """A message without a code (e.g. "this phone is registered already"), sent only to the phone."""
    sms.send(phone, text)


def check(*, phone: str, purpose: str, code: str) -> bool:
    """Whether ``code`` is the live code of ``phone``; a right code is used up, wrong ones count."""
    key = _key(purpose, phone)
    held = cache.get(key)
    if not held or held["tries"] >= settings.PHONE_CODE_TRIES:
        return False
    if hmac.compare_digest(held["mac"], crypto.keyed_hash((code or "").strip(), context="phone-code")):
        cache.delete(key)
        return True
    held["tries"] += 1
    cache.set(key, held, timeout=settings.PHONE_CODE_MINUTES * 60)
    return False
