import pytest
from django.contrib.auth.models import AnonymousUser

from funding import permissions
from tests.accounts.factories import UserFactory
from tests.funding.factories import build_world
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger):
    return build_world(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def test_only_public_officers_record_notices(world):
    assert permissions.can_record(world.officer)
    assert permissions.can_record(world.other_officer)
    for user in (world.vcs_member, world.coordinator, world.stranger, AnonymousUser()):
        assert not permissions.can_record(user), user


def test_who_sees_a_notice(world):
    notice = world.to_food_bank  # council → food bank, Riverside Compact
    for user in (world.officer, world.vcs_member, world.coordinator):
        assert permissions.can_view(user, notice), user
    refused = (
        world.other_officer,  # another public body
        world.other_vcs_member,  # another voluntary group
        world.other_coordinator,  # another Compact's coordinator
        world.stranger,
        AnonymousUser(),
    )
    for user in refused:
        assert not permissions.can_view(user, notice), user


def test_who_changes_a_notice(world):
    notice = world.to_food_bank
    assert permissions.can_edit(world.officer, notice)
    assert permissions.can_edit(world.coordinator, notice)
    refused = (
        world.vcs_member,  # receives it, so sees it, but cannot change what the council recorded
        world.other_officer,
        world.other_vcs_member,
        world.other_coordinator,
        world.stranger,
        AnonymousUser(),
    )
    for user in refused:
        assert not permissions.can_edit(user, notice), user


def test_an_inactive_member_sees_nothing(world):
    world.officer.is_active = False
    world.officer.save()
    assert not permissions.can_view(world.officer, world.to_food_bank)
    assert not permissions.can_edit(world.officer, world.to_food_bank)


def test_a_member_of_unrelated_organisations_sees_nothing(world):
    user = UserFactory()
    user.organisations.add(OrganisationFactory(), PublicBodyFactory())
    assert not permissions.can_view(user, world.to_food_bank)
