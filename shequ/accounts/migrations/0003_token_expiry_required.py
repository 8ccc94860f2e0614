from django.db import migrations, models


class Migration(migrations.Migration):
    """Every token expires (a migration of its own: PostgreSQL alters the column after the data step commits)."""

    dependencies = [
        ("accounts", "0002_security"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="过期时间"),
        ),
    ]
