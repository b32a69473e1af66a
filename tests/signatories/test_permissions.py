"""Who may do what with organisations and signatures (signatories.permissions)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from signatories import permissions
from signatories.models import Membership, Signature
from tests.accounts.factories import UserFactory
from tests.signatories.factories import MembershipFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(coordinator, officer, vcs_member, stranger):
    """Everyone, by role, around one VCS organisation's signature."""
    food_bank = vcs_member.organisations.get()
    admin = MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN).user
    other_officer = MembershipFactory(organisation=officer.organisations.get()).user
    other_vcs = MembershipFactory().user
    return {
        "coordinator": coordinator,
        "officer": officer,
        "other_officer": other_officer,
        "admin": admin,
        "member": vcs_member,
        "other_vcs": other_vcs,
        "stranger": stranger,
        "anonymous": AnonymousUser(),
        "superuser": UserFactory(is_superuser=True),
    }


@pytest.fixture
def signature(edition, vcs_member):
    return SignatureFactory(organisation=vcs_member.organisations.get(), edition=edition)


def allowed(check, people) -> set[str]:
    return {role for role, user in people.items() if check(user)}


def test_only_the_coordinator_decides(people, signature):
    assert allowed(lambda u: permissions.can_decide(u, signature), people) == {"coordinator", "superuser"}


def test_the_organisations_admins_and_the_coordinator_withdraw(people, signature):
    assert allowed(lambda u: permissions.can_withdraw(u, signature), people) == {"coordinator", "admin", "superuser"}


def test_only_the_organisations_admins_reaffirm(people, signature):
    signature.status = Signature.Status.REAFFIRMATION_REQUESTED
    assert allowed(lambda u: permissions.can_reaffirm(u, signature), people) == {"admin", "superuser"}


def test_public_officers_and_the_coordinator_record_on_behalf(people, compact):
    assert allowed(lambda u: permissions.can_record_on_behalf(u, compact), people) == {
        "coordinator",
        "officer",
        "other_officer",
        "superuser",
    }


def test_an_officer_cannot_change_another_organisation(people, vcs_member):
    food_bank = vcs_member.organisations.get()
    assert allowed(lambda u: permissions.can_edit_organisation(u, food_bank), people) == {"admin", "superuser"}


def test_any_member_may_apply_for_their_organisation(people, vcs_member):
    food_bank = vcs_member.organisations.get()
    assert allowed(lambda u: permissions.can_apply_for(u, food_bank), people) == {"admin", "member", "superuser"}


def test_who_sees_a_signature(people, signature):
    signature.applied_by = people["officer"]
    assert allowed(lambda u: permissions.can_view_signature(u, signature), people) == {
        "coordinator",
        "officer",
        "admin",
        "member",
        "superuser",
    }
