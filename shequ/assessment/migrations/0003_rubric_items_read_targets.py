from django.db import migrations

from shequ.assessment.catalogue import RUBRICS

# The items that now read a target of the plan, by (rubric, item): the record types they counted before, or
# "judged" for the item a reviewer scored by hand before the register computed it. An item an administrator has
# changed since is left as it is.
MOVED = {
    ("community-safety", "screening"): ["safety/screening"],
    ("community-safety", "drill"): ["safety/drill"],
    ("community-health", "board"): ["health/board"],
    ("community-education", "learning_org"): "judged",
}


def _was(item: dict):
    if item.get("judged"):
        return "judged"
    return item.get("source", {}).get("measure", {}).get("where", {}).get("types")


def read_targets(apps, schema_editor):
    Rubric = apps.get_model("assessment", "Rubric")
    new = {(r["code"], i["code"]): i for r in RUBRICS for i in r["items"]}
    for rubric in Rubric.objects.filter(code__in={r for r, _i in MOVED}):
        items = []
        for item in rubric.items:
            before = MOVED.get((rubric.code, item.get("code")))
            items.append(new[(rubric.code, item["code"])] if before and _was(item) == before else item)
        if items != rubric.items:
            rubric.items = items
            rubric.save(update_fields=["items"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_rubrics")]
    operations = [migrations.RunPython(read_targets, migrations.RunPython.noop)]
