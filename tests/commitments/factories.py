import datetime

import factory

from commitments.models import Compact, Edition, Outcome, Principle, Sector, Undertaking, UndertakingSector


class CompactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compact
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Area {n} Compact")
    area = factory.Sequence(lambda n: f"Test Area {n}")
    slug = factory.Sequence(lambda n: f"test-area-{n}")

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    compact = factory.SubFactory(CompactFactory)
    name = factory.Sequence(lambda n: f"Edition {n}")
    status = Edition.Status.DRAFT


class PublishedEditionFactory(EditionFactory):
    status = Edition.Status.PUBLISHED
    published_on = datetime.date(2026, 4, 1)


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Principle {n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Outcome title {n}")


class UndertakingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Undertaking

    outcome = factory.SubFactory(OutcomeFactory)
    edition = factory.SelfAttribute("outcome.edition")
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    sector = Sector.PUBLIC
    text = factory.Sequence(lambda n: f"Undertaking text number {n}.")


def build_edition(
    *, compact=None, status=Edition.Status.PUBLISHED, outcomes=2, per_sector=2, joint=0, **kwargs
) -> Edition:
    """An edition with principles, outcomes and numbered undertakings for both sectors.

    ``joint`` adds that many joint undertakings (made by both sectors) to each outcome, numbered
    after its public and VCS ones."""
    compact = compact or CompactFactory()
    if status != Edition.Status.DRAFT:
        kwargs.setdefault("published_on", datetime.date(2026, 4, 1))
    edition = EditionFactory(compact=compact, status=status, **kwargs)
    PrincipleFactory(edition=edition, title="Respect", position=1)
    PrincipleFactory(edition=edition, title="Honesty", position=2)
    for o in range(1, outcomes + 1):
        outcome = OutcomeFactory(edition=edition, number=o, title=f"Outcome {o} title")
        n = 0
        for sector, count in ((Sector.PUBLIC, per_sector), (Sector.VCS, per_sector), (UndertakingSector.JOINT, joint)):
            for _ in range(count):
                n += 1
                UndertakingFactory(
                    outcome=outcome,
                    edition=edition,
                    number=f"{o}.{n}",
                    sector=sector,
                    text=f"{sector.label} promise {o}.{n}.",
                )
    return edition
