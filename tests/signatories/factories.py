import factory

from signatories.models import Membership, Organisation, OrganisationType, Sector
from tests.accounts.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    sector = Sector.VCS
    organisation_type = OrganisationType.COMMUNITY_GROUP


class PublicBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Borough Council {n}")
    sector = Sector.PUBLIC
    organisation_type = OrganisationType.COUNCIL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
