"""Guardians' and landlords' phone numbers encrypted at rest (``shequ.core.phones``), from the plain columns in
batches; reversible (the numbers are decrypted back)."""

from django.db import migrations, models

from shequ.core import phones


def columns(model_name, name, label):
    return [
        migrations.AddField(
            model_name=model_name,
            name=f"{name}_cipher",
            field=models.TextField(blank=True, editable=False, verbose_name=f"{label}（密文）"),
        ),
        migrations.AddField(
            model_name=model_name,
            name=f"{name}_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name=f"{label}（散列）"),
        ),
        migrations.AddField(
            model_name=model_name,
            name=f"{name}_tail",
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name=f"{label}末四位（散列）"),
        ),
    ]


def encrypt(app_label, model_name, name, max_length, empty=""):
    return migrations.RunPython(
        phones.encrypt_column(app_label, model_name, name, name),
        phones.decrypt_column(app_label, model_name, name, name, max_length=max_length, empty_value=empty),
        elidable=False,
    )


class Migration(migrations.Migration):
    dependencies = [("residents", "0011_person_account")]

    operations = [
        *columns("disabilityprofile", "guardian_phone", "监护人电话"),
        *columns("floatingprofile", "landlord_phone", "房东电话"),
        encrypt("residents", "DisabilityProfile", "guardian_phone", 20),
        encrypt("residents", "FloatingProfile", "landlord_phone", 20),
        migrations.RemoveField(model_name="disabilityprofile", name="guardian_phone"),
        migrations.RemoveField(model_name="floatingprofile", name="landlord_phone"),
    ]
