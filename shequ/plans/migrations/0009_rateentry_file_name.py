"""Rate entries keep the name their evidence file was given (new files are stored under random names); entries
stored before keep working: their name is taken from the stored path, which was the uploaded name."""

from pathlib import PurePosixPath

from django.db import migrations, models


def names_from_paths(apps, schema_editor):
    RateEntry = apps.get_model("plans", "RateEntry")
    for entry in RateEntry.objects.exclude(file="").only("pk", "file").iterator():
        name = PurePosixPath(entry.file.name).name[:200]
        RateEntry.objects.filter(pk=entry.pk).update(file_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_fullwidth_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="rateentry",
            name="file_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="佐证材料文件名"),
        ),
        migrations.RunPython(names_from_paths, migrations.RunPython.noop),
    ]
