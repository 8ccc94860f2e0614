"""Accounts' phone numbers encrypted at rest (``shequ.core.phones``): the cipher and the keyed hashes are filled from
the plain column in batches, the uniqueness moves to the whole number's hash, and a resident account whose username
was its phone number gets a username of its own (``jm-`` and random hex; it still logs in with the phone). Reversible:
the numbers are decrypted back and those usernames become the phone again."""

import secrets

from django.db import migrations, models
from django.db.models import Q

from shequ.core import phones

PREFIX = "jm-"


def usernames_off_phones(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    for pk, username, phone in User.objects.exclude(phone=None).exclude(phone="").values_list("pk", "username", "phone"):
        if username != phone:
            continue
        new = PREFIX + secrets.token_hex(4)
        while new in taken:
            new = PREFIX + secrets.token_hex(4)
        taken.add(new)
        User.objects.filter(pk=pk).update(username=new)


def usernames_back_to_phones(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    rows = User.objects.filter(username__startswith=PREFIX).exclude(phone=None).values_list("pk", "phone")
    for pk, phone in rows:
        if not User.objects.filter(username=phone).exists():
            User.objects.filter(pk=pk).update(username=phone)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_alter_membership_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_cipher",
            field=models.TextField(blank=True, editable=False, verbose_name="手机号（密文）"),
        ),
        migrations.AddField(
            model_name="user",
            name="phone_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="手机号（散列）"),
        ),
        migrations.AddField(
            model_name="user",
            name="phone_tail",
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name="手机号末四位（散列）"),
        ),
        migrations.RunPython(usernames_off_phones, usernames_back_to_phones, elidable=False),
        migrations.RunPython(
            phones.encrypt_column("accounts", "User", "phone", "phone"),
            phones.decrypt_column("accounts", "User", "phone", "phone", max_length=11, empty_value=None),
            elidable=False,
        ),
        migrations.RemoveConstraint(model_name="user", name="user_phone_unique"),
        migrations.RemoveField(model_name="user", name="phone"),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=~Q(phone_hash=""), fields=("phone_hash",), name="user_phone_unique"
            ),
        ),
    ]
