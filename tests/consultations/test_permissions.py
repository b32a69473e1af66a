"""Who may do what with consultations, tested with the people who must be refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from consultations import permissions, selectors
from tests.accounts.factories import UserFactory
from tests.consultations.factories import ConsultationFactory, ResponseFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


class Anonymous:
    is_authenticated = False
    is_active = False
    is_superuser = False
    pk = None


@pytest.fixture
def council(officer):
    return officer.organisations.get()


@pytest.fixture
def food_bank(vcs_member):
    return vcs_member.organisations.get()


@pytest.fixture
def other_officer(db):
    return MembershipFactory(organisation=PublicBodyFactory(name="Hillside Fire Service")).user


@pytest.fixture
def other_vcs_member(db):
    return MembershipFactory(organisation=OrganisationFactory(name="Hillside Youth Club")).user


@pytest.fixture
def consultation(edition, council):
    return ConsultationFactory(edition=edition, organisation=council)


@pytest.fixture
def response(consultation, food_bank):
    return ResponseFactory(consultation=consultation, organisation=food_bank)


def test_only_officers_of_public_bodies_register(officer, vcs_member, stranger, coordinator, council, food_bank):
    assert permissions.can_register(officer)
    for user in (Anonymous(), vcs_member, stranger, coordinator):
        assert not permissions.can_register(user)
    assert permissions.can_register_for(officer, council)
    assert not permissions.can_register_for(officer, PublicBodyFactory())  # another body
    assert not permissions.can_register_for(vcs_member, food_bank)  # not a public body
    assert not permissions.can_register_for(Anonymous(), council)


def test_the_body_and_the_coordinator_manage(consultation, officer, coordinator):
    assert permissions.can_manage(officer, consultation)
    assert permissions.can_manage(coordinator, consultation)
    assert permissions.can_manage(UserFactory(is_superuser=True), consultation)


def test_nobody_else_manages(consultation, other_officer, vcs_member, stranger, coordinator, compact):
    for user in (Anonymous(), other_officer, vcs_member, stranger):
        assert not permissions.can_manage(user, consultation)
        with pytest.raises(PermissionDenied):
            selectors.consultation_get_for_manager(user=user, pk=consultation.pk)
    coordinator.is_active = False
    assert not permissions.can_manage(coordinator, consultation)


def test_coordinators_of_another_compact_do_not_manage(consultation):
    from tests.commitments.factories import CompactFactory

    elsewhere = UserFactory()
    CompactFactory(coordinators=[elsewhere])
    assert not permissions.can_manage(elsewhere, consultation)


def test_only_members_of_a_vcs_organisation_respond_for_it(vcs_member, other_vcs_member, officer, food_bank, council):
    assert permissions.can_respond_for(vcs_member, food_bank)
    assert not permissions.can_respond_for(other_vcs_member, food_bank)
    assert not permissions.can_respond_for(officer, council)  # a public body does not respond
    assert not permissions.can_respond_for(Anonymous(), food_bank)


def test_a_response_is_seen_by_its_organisation_and_the_managers(response, vcs_member, officer, coordinator):
    for user in (vcs_member, officer, coordinator):
        assert permissions.can_view_response(user, response)
        assert selectors.response_get_for_user(user=user, consultation_pk=response.consultation_id, pk=response.pk)


def test_a_response_is_a_404_for_everyone_else(response, other_vcs_member, other_officer, stranger):
    for user in (Anonymous(), other_vcs_member, other_officer, stranger):
        assert not permissions.can_view_response(user, response)
        with pytest.raises(Http404):
            selectors.response_get_for_user(user=user, consultation_pk=response.consultation_id, pk=response.pk)


def test_the_forms_offer_only_the_users_own_organisations(officer, vcs_member, council, food_bank):
    MembershipFactory(user=officer, organisation=OrganisationFactory(name="Officer's Choir"))
    assert list(selectors.public_bodies_of(officer)) == [council]
    assert list(selectors.vcs_organisations_of(vcs_member)) == [food_bank]
    assert list(selectors.public_bodies_of(vcs_member)) == []
    assert list(selectors.public_bodies_of(Anonymous())) == []
    assert list(selectors.vcs_organisations_of(Anonymous())) == []
