from django.db import migrations

GUIDANCE = ("communication", "sign_up", "representation", "engagement")


def give_every_compact_the_guidance_strands(apps, schema_editor):
    Compact = apps.get_model("commitments", "Compact")
    Strand = apps.get_model("actionplans", "Strand")
    for compact in Compact.objects.all():
        have = set(Strand.objects.filter(compact=compact).exclude(guidance="").values_list("guidance", flat=True))
        Strand.objects.bulk_create(
            [Strand(compact=compact, guidance=g, position=i) for i, g in enumerate(GUIDANCE) if g not in have]
        )


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0001_plans_and_evidence")]

    operations = [migrations.RunPython(give_every_compact_the_guidance_strands, migrations.RunPython.noop)]
