"""Existing organisations get an approved sector, and their names' look-alike letters folded.

Voluntary and community organisations are approved as they are (no right depends on it). A public
body is approved only when a coordinator has already accepted it as a signatory (a signature that is
signed, or asked to re-affirm after being signed): until now anyone could add "a council" from the
"add an organisation" page, so a public body nobody has vetted waits for a coordinator, with a
history row saying why, instead of keeping the rights it gave itself.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

from signatories.rules import normalise_name


def approve_existing(apps, schema_editor):
    Organisation = apps.get_model("signatories", "Organisation")
    Signature = apps.get_model("signatories", "Signature")
    OrganisationEvent = apps.get_model("signatories", "OrganisationEvent")

    vetted = Signature.objects.filter(organisation=OuterRef("pk"), status__in=["signed", "reaffirm"])
    for organisation in Organisation.objects.annotate(vetted=Exists(vetted)).iterator():
        if organisation.sector == "vcs" or organisation.vetted:
            organisation.sector_status = "verified"
            organisation.verified_sector = organisation.sector
            organisation.verified_type = organisation.organisation_type
        else:
            organisation.sector_status = "pending"
            organisation.verified_sector = ""
            organisation.verified_type = ""
            OrganisationEvent.objects.create(
                organisation=organisation,
                old_status="",
                new_status="pending",
                sector=organisation.sector,
                organisation_type=organisation.organisation_type,
                note="Added before coordinators approved public bodies; not yet accepted as a signatory.",
            )
        # Names are now compared with look-alike letters folded (Cyrillic "Е" is "E"): recompute.
        organisation.normalised_name = normalise_name(organisation.name)
        organisation.save(update_fields=["sector_status", "verified_sector", "verified_type", "normalised_name"])


class Migration(migrations.Migration):
    dependencies = [("signatories", "0004_organisation_sector_approval_signed_form_invitation_cancel")]

    operations = [migrations.RunPython(approve_existing, migrations.RunPython.noop)]
