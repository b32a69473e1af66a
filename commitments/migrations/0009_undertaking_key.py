"""Every undertaking gets a stable ``key``; an edition started from another inherits the keys of the
undertakings the edition comparison matches (renumbered or reworded, they stay the same one)."""

import uuid

from django.db import migrations, models


def give_keys(apps, schema_editor):
    from commitments.compare import compare_undertakings

    Edition = apps.get_model("commitments", "Edition")
    Undertaking = apps.get_model("commitments", "Undertaking")
    keys: dict[int, dict[str, uuid.UUID]] = {}  # edition id -> number -> key
    for edition in Edition.objects.order_by("created_at", "pk"):
        rows = list(Undertaking.objects.filter(edition=edition).order_by("position", "pk"))
        inherited: dict[str, uuid.UUID] = {}
        if edition.based_on_id in keys:
            old = list(
                Undertaking.objects.filter(edition_id=edition.based_on_id).order_by("position", "pk").values_list("number", "sector", "text")
            )
            new = [(u.number, u.sector, u.text) for u in rows]
            for change in compare_undertakings(old, new):
                if change.old_number and change.new_number:
                    inherited[change.new_number] = keys[edition.based_on_id][change.old_number]
        for undertaking in rows:
            undertaking.key = inherited.get(undertaking.number) or uuid.uuid4()
        Undertaking.objects.bulk_update(rows, ["key"])
        keys[edition.pk] = {u.number: u.key for u in rows}


class Migration(migrations.Migration):
    dependencies = [("commitments", "0008_compact_directory_fields")]

    operations = [
        migrations.AddField(
            model_name="undertaking", name="key", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="undertaking",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name="undertaking",
            constraint=models.UniqueConstraint(fields=("edition", "key"), name="unique_undertaking_key"),
        ),
    ]
