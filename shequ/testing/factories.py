"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from shequ.accounts.models import Membership, User
from shequ.accounts.roles import Role
from shequ.orgs.models import Area, Org, OrgKind, path_for

TEST_PASSWORD = "Test-pass-2026!"


class OrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Org

    kind = OrgKind.COMMUNITY
    name = factory.Sequence(lambda n: f"测试组织{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        org = model_class(*args, **kwargs)
        org.save()
        org.path = path_for(org.pk, org.parent)
        org.depth = org.parent.depth + 1 if org.parent else 0
        org.save(update_fields=["path", "depth"])
        return org


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    org = factory.SubFactory(OrgFactory)
    role = Role.WORKER


def member(org: Org, role: str, *, areas: list[Area] | None = None, username: str | None = None, **user_kw) -> User:
    """A user with one membership; a worker covers ``areas`` (every area when not given)."""
    kw = {"username": username} if username else {}
    user = UserFactory(**kw, **user_kw)
    m = Membership.objects.create(user=user, org=org, role=role)
    if role == Role.WORKER:
        m.areas.set(areas if areas is not None else list(Area.objects.all()))
    return user


def totp_device(user):
    """The user's confirmed authenticator (made when missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def totp_code(device) -> str:
    """The code the user's authenticator app shows now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user) -> None:
    """Mark a test client's session as verified with the user's authenticator, as the login's second step does,
    for users who must use one (nothing for the others)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from shequ.accounts import secondfactor

    if not secondfactor.required(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def log_in(client, user) -> None:
    """``client.force_login`` plus the second factor this session would have confirmed."""
    client.force_login(user, backend="shequ.accounts.backends.UsernameOrPhoneBackend")
    pass_second_factor(client, user)
