"""Phone numbers encrypted at rest: the cipher and the two keyed hashes (whole number, last four) are filled from
the plain column in batches, then the plain column and its index go. Reversible (the numbers are decrypted back)."""

from django.db import migrations, models

BATCH = 2000


def encrypt_phones(apps, schema_editor):
    from shequ.core import phones

    Person = apps.get_model("residents", "Person")
    last = 0
    while True:
        rows = list(
            Person.objects.filter(pk__gt=last).exclude(phone="").order_by("pk").values_list("pk", "phone")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        objs = []
        for (pk, _), columns in zip(rows, phones.columns_many([p for _, p in rows]), strict=True):
            objs.append(Person(pk=pk, **columns))
        Person.objects.bulk_update(objs, list(phones.COLUMNS), batch_size=500)


def decrypt_phones(apps, schema_editor):
    from shequ.core import phones

    Person = apps.get_model("residents", "Person")
    last = 0
    while True:
        rows = list(
            Person.objects.filter(pk__gt=last)
            .exclude(phone_cipher="")
            .order_by("pk")
            .values_list("pk", "phone_cipher")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        objs = [Person(pk=pk, phone=phones.decrypt(cipher)[:20]) for pk, cipher in rows]
        Person.objects.bulk_update(objs, ["phone"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0007_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phone_cipher",
            field=models.TextField(blank=True, editable=False, verbose_name="联系电话（密文）"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="联系电话（散列）"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_tail",
            field=models.CharField(blank=True, editable=False, max_length=16, verbose_name="联系电话末四位（散列）"),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones, elidable=False),
        migrations.RemoveIndex(model_name="person", name="person_phone"),
        migrations.RemoveField(model_name="person", name="phone"),
        migrations.AddIndex(model_name="person", index=models.Index(fields=["phone_hash"], name="person_phone_hash")),
        migrations.AddIndex(model_name="person", index=models.Index(fields=["phone_tail"], name="person_phone_tail")),
    ]
