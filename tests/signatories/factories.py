import factory

from commitments.models import Sector
from signatories.models import Membership, Organisation, OrganisationType
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


class SignatureFactory(factory.django.DjangoModelFactory):
    """A signature awaiting approval; pass ``status`` (and ``signed_on``) for other states."""

    class Meta:
        model = "signatories.Signature"

    organisation = factory.SubFactory(OrganisationFactory)
    edition = factory.SubFactory("tests.commitments.factories.PublishedEditionFactory")
    status = "pending"
    signatory_name = "Pat Chair"
    signatory_role = "Chair of trustees"
    signed_on = factory.SelfAttribute("edition.published_on")
    statement = "We agree."
    applied_at = factory.LazyFunction(lambda: _now())


def _now():
    from django.utils import timezone

    return timezone.now()


def signed_signature(*, organisation, edition, status="signed", **kwargs):
    """A signature that was signed (as the services leave it: with its step to SIGNED in its history).

    Pass ``status="withdrawn"`` for one withdrawn after signing, ``"reaffirm"`` etc. for others
    (only a signed or withdrawn one gets the history step).
    """
    from signatories.models import SignatureEvent

    signature = SignatureFactory(organisation=organisation, edition=edition, status=status, **kwargs)
    if status in ("signed", "withdrawn"):
        SignatureEvent.objects.create(signature=signature, old_status="pending", new_status="signed")
    if status == "withdrawn":
        SignatureEvent.objects.create(signature=signature, old_status="signed", new_status="withdrawn")
    return signature
