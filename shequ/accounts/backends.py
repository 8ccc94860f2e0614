from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from shequ.accounts.models import User, phone_q


def resolve_login(login: str | None) -> User | None:
    """The account of a username, or of an 11-digit mobile number (found by its keyed hash)."""
    if not login:
        return None
    login = login.strip()
    if login.isdigit() and len(login) == 11:
        return User.objects.filter(phone_q(login)).first()
    return User.objects.filter(username=login).first()


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or the 11-digit mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = resolve_login(username)
        if user is None:
            # Run the hasher anyway so that timing does not tell which accounts exist.
            User().set_password(password or "")
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials) -> str:
    """Lock the account, not the spelling: a phone number counts against its account's username."""
    login = (credentials or {}).get("username") or ""
    user = resolve_login(login)
    return user.username if user is not None else login.strip()
