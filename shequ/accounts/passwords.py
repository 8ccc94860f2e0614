"""The password policy as 等保 assessors apply it (GB/T 22239 第三级: 身份鉴别).

* at least 8 characters, of at least three of the four classes: capitals, small letters, digits, other signs;
* not the account's username, name or phone number, nor the name's pinyin (全拼), in any case or spacing;
* not a common password: Django's list and our own (``data/common-passwords.txt``: Chinese sites' frequent
  passwords, pinyin words, keyboard walks, the published demo password), compared whole and by its letters;
* staff change it at first login (an initial password set by someone else) and every
  ``PASSWORD_MAX_AGE_DAYS`` days (:func:`change_due`, enforced by ``PasswordPolicyMiddleware``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from shequ.core.pinyin import name_syllables

LIST_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
MIN_LENGTH = 8


def _classes(password: str) -> int:
    return sum(bool(re.search(pattern, password)) for pattern in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]"))


class ComplexityValidator:
    """At least 8 characters and three of the four classes."""

    def validate(self, password, user=None):
        if len(password) < MIN_LENGTH or _classes(password) < 3:
            raise ValidationError(
                f"密码至少{MIN_LENGTH}位，并含大写字母、小写字母、数字、符号中的至少三类。", code="password_too_simple"
            )

    def get_help_text(self):
        return f"至少{MIN_LENGTH}位，含大写字母、小写字母、数字、符号中的至少三类。"


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def personal_words(user) -> list[str]:
    """What a password must not contain: the username, phone, name and the name's pinyin."""
    words = [getattr(user, "username", "") or "", getattr(user, "phone", "") or "", getattr(user, "name", "") or ""]
    name = getattr(user, "name", "") or ""
    if name:
        syllables = name_syllables(name)
        words += ["".join(syllables), "".join(reversed(syllables))]
        if len(syllables) > 1:
            words.append("".join(syllables[1:]))  # the given name alone (姓 dropped)
    # Latin words from 3 letters; a Chinese name from 2 characters (most names are 2 or 3).
    return [w.lower() for w in words if len(w) >= 3 or (len(w) >= 2 and not w.isascii())]


class PersonalInfoValidator:
    """Not the account's username, phone or name, nor the name in pinyin."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered, letters = password.lower(), _letters(password)
        for word in personal_words(user):
            if word in lowered or (word.isalpha() and word.isascii() and word in letters):
                raise ValidationError("密码不能包含用户名、手机号、姓名或姓名拼音。", code="password_personal")

    def get_help_text(self):
        return "不能包含用户名、手机号、姓名或姓名拼音。"


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    lines = LIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


class CommonListValidator:
    """Not in our list of common passwords (whole or by its letters); Django's own list is checked beside it."""

    def validate(self, password, user=None):
        lowered, letters = password.lower(), _letters(password)
        if lowered in _common() or (len(letters) >= 3 and letters in _common()):
            raise ValidationError("这个密码太常见，容易被猜中，请换一个。", code="password_too_common")

    def get_help_text(self):
        return "不能是常见密码（如 Admin@123、woaini1314）。"


def is_demo_exempt(user) -> bool:
    """Demo accounts in development keep their published password and may skip enrolment
    (``DEMO_ACCOUNTS_RELAXED``; never in production, whose deploy check refuses the demo password anyway)."""
    from shequ.accounts.demo import ACCOUNTS

    return settings.DEMO_ACCOUNTS_RELAXED and user.username in {row[0] for row in ACCOUNTS}


def change_due(user, *, staff: bool) -> str | None:
    """Why the user must change the password before going on, or None."""
    if is_demo_exempt(user):
        return None
    if user.must_change_password:
        return "first"
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if staff and max_age and user.password_set_at < timezone.now() - timedelta(days=max_age):
        return "expired"
    return None
