from django.db import migrations

from shequ.assessment.catalogue import RUBRICS

# The items that now read a target of the plan instead of counting the year's records, by (rubric, item): the
# record types they counted before. An item an administrator has changed since is left as it is.
MOVED = {
    ("community-safety", "screening"): ["safety/screening"],
    ("community-safety", "drill"): ["safety/drill"],
    ("community-health", "board"): ["health/board"],
}


def read_targets(apps, schema_editor):
    Rubric = apps.get_model("assessment", "Rubric")
    new = {(r["code"], i["code"]): i for r in RUBRICS for i in r["items"]}
    for rubric in Rubric.objects.filter(code__in={r for r, _i in MOVED}):
        items = []
        for item in rubric.items:
            types = MOVED.get((rubric.code, item.get("code")))
            counted = item.get("source", {}).get("measure", {}).get("where", {}).get("types")
            items.append(new[(rubric.code, item["code"])] if types and counted == types else item)
        if items != rubric.items:
            rubric.items = items
            rubric.save(update_fields=["items"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_rubrics")]
    operations = [migrations.RunPython(read_targets, migrations.RunPython.noop)]
