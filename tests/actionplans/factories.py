import datetime

import factory

from actionplans.models import Action, Evidence, Strand
from tests.commitments.factories import CompactFactory
from tests.signatories.factories import OrganisationFactory


def guidance_strand(compact, guidance: str = "sign_up") -> Strand:
    return Strand.objects.get(compact=compact, guidance=guidance)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    compact = factory.SubFactory(CompactFactory)
    strand = factory.LazyAttribute(lambda a: guidance_strand(a.compact))
    title = factory.Sequence(lambda n: f"Action number {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    lead_person = "Alex Lead"
    starts_on = datetime.date(2026, 4, 1)
    due_on = datetime.date(2027, 3, 31)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    compact = factory.SelfAttribute("outcome.edition.compact")
    year = 2026
    kind = Evidence.Kind.NOTE
    title = factory.Sequence(lambda n: f"Evidence {n}")
    text = "We met every month."
    organisation = factory.SubFactory(OrganisationFactory)
