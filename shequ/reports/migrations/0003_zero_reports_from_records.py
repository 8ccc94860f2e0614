"""零报告 becomes an explicit submission of the monthly dispute report.

Until now a screening record (safety/screening) carried a 零报告 yes/no field. Each record that said 是 becomes a
zero report of 矛盾纠纷排查调处情况月报表 for its community and month, submitted by whoever registered the record on the
record's creation time, accepted (the record was the office's own filing) — unless a dispute case was registered
in that community that month (the record contradicts the registry: no zero report is made) or the month already
has a submission. Records of a grid are filed for their community. The field leaves the activity type and the
records' extra data; the record itself (its date, counts, photos) stays.
"""

from django.db import migrations

FIELD = "zero_report"


def forward(apps, schema_editor):
    ActivityType = apps.get_model("records", "ActivityType")
    Record = apps.get_model("records", "Record")
    Case = apps.get_model("cases", "Case")
    Org = apps.get_model("orgs", "Org")
    ReportForm = apps.get_model("reports", "ReportForm")
    Submission = apps.get_model("reports", "Submission")
    Event = apps.get_model("reports", "SubmissionEvent")
    types = list(ActivityType.objects.filter(area__code="safety", code="screening"))
    for t in types:
        t.extra_fields = [f for f in t.extra_fields if f.get("name") != FIELD]
        t.description = t.description.replace("无纠纷时零报告", "无纠纷时在信息报送中报零报告")
        t.save(update_fields=["extra_fields", "description"])
    form = ReportForm.objects.filter(code="dispute_monthly").first()
    records = Record.objects.filter(activity_type__in=types, extra__has_key=FIELD).order_by("date", "pk")
    orgs = {o.pk: o for o in Org.objects.filter(kind__in=["community", "grid"])}
    for record in records.iterator():
        said_zero = record.extra.pop(FIELD, None) == "是"
        Record.objects.filter(pk=record.pk).update(extra=record.extra)
        org = orgs.get(record.org_id)
        if org is not None and org.kind == "grid":
            org = orgs.get(org.parent_id)
        if not said_zero or form is None or org is None or org.kind != "community" or record.created_by_id is None:
            continue
        y, m = record.date.year, record.date.month
        if Submission.objects.filter(form=form, org=org, year=y, period_no=m).exists():
            continue
        disputes = Case.objects.filter(
            case_type__kind="dispute", origin_org__path__startswith=org.path, registered_on__year=y,
            registered_on__month=m,
        )  # fmt: skip
        if disputes.exists():
            continue
        values = {f["code"]: ("" if f.get("kind") == "text" else 0) for f in form.fields}
        at = record.created_at
        sub = Submission.objects.create(
            form=form, org=org, area_id=form.area_id, year=y, period_no=m, state="accepted", zero=True,
            values=values, computed={}, note=f"由{y}年{m}月{record.date.day}日的矛盾纠纷排查记录转为零报告。",
            first_submitted_at=at, submitted_at=at, submitted_by_id=record.created_by_id,
        )  # fmt: skip
        Event.objects.create(submission=sub, kind="submit", actor_id=record.created_by_id, at=at, zero=True, values=values)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_forms"),
        ("records", "0008_record_month"),
        ("cases", "0007_board_public_version"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
