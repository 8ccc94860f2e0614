"""Logging in in a browser test, second factor included (the code the user's authenticator would show), and
waiting for a lazily loaded picture."""

from __future__ import annotations

from django.db.models import Q

from shequ.accounts import secondfactor
from shequ.accounts.models import User, phone_q
from shequ.testing.factories import TEST_PASSWORD, totp_code, totp_device


def login(page, base: str, login: str, next_url: str = "", password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base}/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", login)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/mfa/" not in page.url:
        return
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(Q(username=login) | phone_q(login))
    enrolling = "/setup/" in page.url
    if enrolling:
        code = totp_code(TOTPDevice.objects.get(user=user, confirmed=False))
    else:
        # A TOTP code is accepted once: a second login within the same 30 seconds takes a recovery code.
        totp_device(user)
        code = secondfactor.new_recovery_codes(user)[0]
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if enrolling:  # the recovery codes are shown once; go on
        page.get_by_text("我已保存，继续").click()
        page.wait_for_load_state()


def loaded_width(img) -> int:
    """The natural width of an <img> once the browser has finished loading it (0 if it failed).

    Pictures are loading="lazy": they do not hold back the page's load event, so reading naturalWidth
    straight after goto() can see a picture still on its way."""
    return img.evaluate(
        "img => img.complete ? img.naturalWidth : new Promise(done => {"
        " img.addEventListener('load', () => done(img.naturalWidth));"
        " img.addEventListener('error', () => done(0)); })"
    )
