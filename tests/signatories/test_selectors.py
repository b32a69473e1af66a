"""Reads of organisations and signatures, checked per user (signatories.selectors)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from signatories import selectors
from signatories.models import Membership
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature(edition, vcs_member):
    return SignatureFactory(organisation=vcs_member.organisations.get(), edition=edition)


def test_a_signature_is_seen_by_its_members_the_coordinator_and_whoever_recorded_it(
    signature, vcs_member, coordinator, officer
):
    signature.applied_by = officer
    signature.save()
    for user in (vcs_member, coordinator, officer):
        assert selectors.signature_get_for_user(user=user, pk=signature.pk) == signature


def test_a_signature_is_a_404_for_everyone_else(signature, stranger):
    other_org_member = MembershipFactory(organisation=OrganisationFactory()).user
    other_coordinator = UserFactory()
    SignatureFactory(edition__compact__coordinators=[other_coordinator])
    for user in (stranger, other_org_member, other_coordinator, AnonymousUser()):
        with pytest.raises(Http404):
            selectors.signature_get_for_user(user=user, pk=signature.pk)
    with pytest.raises(Http404):
        selectors.signature_get_for_user(user=stranger, pk=signature.pk + 1000)


def test_an_organisation_page_is_for_its_members(vcs_member, officer, stranger):
    organisation = vcs_member.organisations.get()
    assert selectors.organisation_get_for_member(user=vcs_member, pk=organisation.pk) == organisation
    for user in (officer, stranger, AnonymousUser()):
        with pytest.raises(Http404):
            selectors.organisation_get_for_member(user=user, pk=organisation.pk)


def test_organisations_of(vcs_member):
    food_bank = vcs_member.organisations.get()
    larder = OrganisationFactory(name="Larder")
    MembershipFactory(user=vcs_member, organisation=larder, role=Membership.Role.ADMIN)
    OrganisationFactory(name="Not mine")
    assert list(selectors.organisations_of(vcs_member)) == [larder, food_bank]
    assert not selectors.organisations_of(AnonymousUser()).exists()


@pytest.mark.parametrize(
    "name",
    [
        "The Riverside Food Bank & Larder Ltd.",
        "riverside food bank and larder",
        "RIVERSIDE FOOD-BANK AND LARDER LIMITED",
        "Riverside Food Bank, Larder",
    ],
)
def test_likely_duplicates_set_aside_case_punctuation_ltd_the_and_ampersand(name):
    existing = OrganisationFactory(name="Riverside Food Bank and Larder")
    OrganisationFactory(name="Riverside Food Bank")  # a different organisation
    assert list(selectors.likely_duplicates(name=name)) == [existing]


def test_likely_duplicates_by_charity_or_company_number():
    charity = OrganisationFactory(name="Alpha", charity_number="SC012345")
    company = OrganisationFactory(name="Beta", company_number="01234567")
    assert list(selectors.likely_duplicates(name="Something else", charity_number="sc 012345")) == [charity]
    assert list(selectors.likely_duplicates(name="Something else", company_number="01234567")) == [company]
    assert not selectors.likely_duplicates(name="Something else", charity_number="999").exists()
    assert not selectors.likely_duplicates(name="", charity_number="", company_number="").exists()


def test_a_persons_reach_is_their_organisations_and_coordinated_compacts_in_one_query(django_assert_num_queries):
    user = UserFactory()
    first, second = MembershipFactory(user=user), MembershipFactory(user=user)
    MembershipFactory()  # someone else's
    coordinated = CompactFactory()
    coordinated.coordinators.add(user)
    CompactFactory().coordinators.add(UserFactory())
    with django_assert_num_queries(1):
        reach = selectors.reach_of(user)
    assert sorted(reach.organisation_ids) == sorted([first.organisation_id, second.organisation_id])
    assert reach.compact_ids == [coordinated.pk]
    assert reach
    with django_assert_num_queries(0):
        assert not selectors.reach_of(AnonymousUser())
    assert not selectors.reach_of(UserFactory())


def test_editions_to_sign_carry_what_a_button_shows_without_more_queries(django_assert_num_queries):
    organisation = OrganisationFactory()
    PublishedEditionFactory.create_batch(3)
    with django_assert_num_queries(1):
        shown = [
            (e.compact.slug, e.compact.name, e.compact.name_cy)
            for e in selectors.editions_to_sign(organisation=organisation)
        ]
    assert len(shown) == 3


def test_members_to_tell_read_only_what_telling_them_needs_and_then_no_query(django_assert_num_queries):
    """The reminder sweep reads thousands of members through this: no password, no dates, and no
    query per person afterwards (a field it needs but did not read would cost one each)."""
    from django.db.models import Prefetch

    from notifications.services import recipient_language
    from signatories.models import Organisation
    from signatories.services import organisation_recipients

    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN, user__language="cy").user
    MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN, user__is_active=False)

    for admins_only, expected in ((True, [admin.email]), (False, None)):
        with django_assert_num_queries(2):
            [found] = Organisation.objects.filter(pk=organisation.pk).prefetch_related(
                Prefetch("memberships", queryset=selectors.members_to_tell(admins_only=admins_only), to_attr="people")
            )
            recipients = organisation_recipients(found, found.people)
            languages = [recipient_language(r) for r in recipients]
        emails = [r.email for r in recipients]
        assert emails == expected if expected else len(emails) == 2 and admin.email in emails
        assert languages[emails.index(admin.email)] == "cy"
        assert all(r.name for r in recipients)
        assert "password" in found.people[0].user.get_deferred_fields()
