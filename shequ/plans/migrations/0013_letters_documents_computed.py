from django.db import migrations, models

from shequ.plans.catalogue import refresh


def refresh_templates(apps, schema_editor):
    """The responsibility-letter targets (the school's and the safety plan's 签订率) are computed from the letters
    issued and signed, and the health plan's and the disability plan's document targets from the register of
    documents, no longer met by a record or typed."""
    refresh(apps.get_model("plans", "PlanTemplate"), apps.get_model("plans", "TemplateTarget"), apps.get_model("orgs", "Area"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_meeting_targets_computed"), ("letters", "0002_kinds"), ("documents", "0001_initial")]
    operations = [
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[("due_soon", "任务即将到期"), ("overdue", "任务已逾期"), ("at_risk", "指标预警"),
                         ("security", "安全告警"), ("review", "文件待修订")],
                max_length=10,
                verbose_name="类型",
            ),  # fmt: skip
        ),
        migrations.RunPython(refresh_templates, migrations.RunPython.noop),
    ]
