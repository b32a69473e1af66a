import datetime
from dataclasses import dataclass

import factory

from funding.models import FundingNotice
from signatories.models import Organisation
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory


class FundingNoticeFactory(factory.django.DjangoModelFactory):
    """A notice that meets the Compact (about five months' notice, impact assessed); pass dates,
    ``exceptional`` etc. for others. The edition is the Compact's published one unless given."""

    class Meta:
        model = FundingNotice

    compact = factory.SubFactory(CompactFactory)
    edition = factory.LazyAttribute(
        lambda notice: (
            notice.compact.editions.filter(status="published").first()
            or PublishedEditionFactory(compact=notice.compact)
        )
    )
    issuer = factory.SubFactory(PublicBodyFactory)
    recipient = factory.SubFactory(OrganisationFactory)
    change = FundingNotice.Change.REDUCED
    description = "The grant for the lunch club, £12,000 a year."
    notice_given_on = datetime.date(2027, 1, 10)
    effective_on = datetime.date(2027, 6, 1)
    reasons = "The council's budget for community grants was cut by a third."
    impact_assessed = True
    impact_findings = "Forty older people would lose a hot meal twice a week."
    discussed_before = True


def organisation_of(user) -> Organisation:
    return user.organisations.get()


@dataclass
class World:
    """Two Compacts, two public bodies and two voluntary groups, with a notice between each pair
    that matters, and a person in each place who must or must not see them."""

    officer: object  # Riverside Borough Council
    vcs_member: object  # Riverside Food Bank
    coordinator: object  # of the Riverside Compact
    other_officer: object  # Hillside Fire Service
    other_vcs_member: object  # Hillside Youth Club
    other_coordinator: object  # of the Hillside Compact
    stranger: object
    council: Organisation
    food_bank: Organisation
    fire_service: Organisation
    youth_club: Organisation
    to_food_bank: FundingNotice  # council → food bank, Riverside Compact
    council_to_youth_club: FundingNotice  # council → youth club, Riverside Compact
    fire_to_youth_club: FundingNotice  # fire service → youth club, Hillside Compact


def build_world(*, compact, edition, officer, vcs_member, coordinator, stranger) -> World:
    other_coordinator = UserFactory(username="hillside-coordinator")
    other_compact = CompactFactory(name="Hillside Compact", slug="hillside", coordinators=[other_coordinator])
    PublishedEditionFactory(compact=other_compact, name="Hillside first edition")
    fire_service = PublicBodyFactory(name="Hillside Fire Service", organisation_type="fire")
    youth_club = OrganisationFactory(name="Hillside Youth Club")
    other_officer = MembershipFactory(organisation=fire_service).user
    other_vcs_member = MembershipFactory(organisation=youth_club).user
    council, food_bank = organisation_of(officer), organisation_of(vcs_member)
    return World(
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        other_officer=other_officer,
        other_vcs_member=other_vcs_member,
        other_coordinator=other_coordinator,
        stranger=stranger,
        council=council,
        food_bank=food_bank,
        fire_service=fire_service,
        youth_club=youth_club,
        to_food_bank=FundingNoticeFactory(compact=compact, edition=edition, issuer=council, recipient=food_bank),
        council_to_youth_club=FundingNoticeFactory(
            compact=compact, edition=edition, issuer=council, recipient=youth_club, change="ended"
        ),
        fire_to_youth_club=FundingNoticeFactory(compact=other_compact, issuer=fire_service, recipient=youth_club),
    )
