"""The sign-up state machine, organisations and invitations (signatories.services)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from commitments import services as edition_services
from commitments.models import Edition, Sector
from signatories import services
from signatories.models import Invitation, Membership, Organisation, OrganisationType, Signature
from tests.accounts.factories import UserFactory
from tests.commitments.factories import EditionFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db

S = Signature.Status
SIGNED_ON = datetime.date(2026, 4, 2)


@pytest.fixture
def food_bank(vcs_member):
    return vcs_member.organisations.get()


@pytest.fixture
def admin(food_bank):
    return MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN, user__username="fbadmin").user


def apply(organisation, edition, by, **kwargs) -> Signature:
    return services.signature_apply(
        organisation=organisation,
        edition=edition,
        by=by,
        signatory_name="Pat Chair",
        signatory_role="Chair of trustees",
        signed_on=SIGNED_ON,
        **kwargs,
    )


def sent_to(address: str) -> list[str]:
    """Subjects of the emails sent to one address."""
    return [m.subject for m in mail.outbox if address in m.to]


def history(signature: Signature) -> list[tuple]:
    return [(e.old_status, e.new_status, e.by, e.note) for e in signature.events.order_by("at", "pk")]


def test_apply_approve_withdraw_and_apply_again(
    django_capture_on_commit_callbacks, edition, food_bank, vcs_member, admin, coordinator
):
    with django_capture_on_commit_callbacks(execute=True):
        signature = apply(food_bank, edition, vcs_member)
    assert signature.status == S.PENDING
    assert signature.applied_by == vcs_member and signature.applied_at is not None
    assert "Riverside Food Bank signs Riverside Compact (First edition)" in signature.statement
    assert sent_to(coordinator.email) == ["Riverside Food Bank has applied to sign the Compact"]
    assert sent_to(admin.email) == ["Your application to sign Riverside Compact"]
    assert sent_to(vcs_member.email) == []  # only the admins are told of an application

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_approve(signature=signature, by=coordinator)
    signature.refresh_from_db()
    assert signature.status == S.SIGNED and signature.decided_by == coordinator
    assert sent_to(vcs_member.email) == ["Riverside Food Bank has signed the Compact"]
    assert sent_to(admin.email) == ["Riverside Food Bank has signed the Compact"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_withdraw(signature=signature, by=admin, reason="  We have closed.  ")
    signature.refresh_from_db()
    assert signature.status == S.WITHDRAWN and signature.reason == "We have closed."
    assert sent_to(coordinator.email) == ["Riverside Food Bank has withdrawn from the Compact"]
    assert "We have closed." in mail.outbox[0].body

    again = apply(food_bank, edition, vcs_member)
    assert again.pk == signature.pk
    assert again.status == S.PENDING and again.reason == ""
    assert history(again) == [
        ("", S.PENDING, vcs_member, ""),
        (S.PENDING, S.SIGNED, coordinator, ""),
        (S.SIGNED, S.WITHDRAWN, admin, "We have closed."),
        (S.WITHDRAWN, S.PENDING, vcs_member, ""),
    ]
    assert Signature.objects.filter(organisation=food_bank, edition=edition).count() == 1


def test_reject_needs_a_reason_that_the_applicant_is_sent(
    django_capture_on_commit_callbacks, edition, food_bank, vcs_member, coordinator
):
    signature = apply(food_bank, edition, vcs_member)
    with pytest.raises(services.SignatureError, match="Say why"):
        services.signature_reject(signature=signature, by=coordinator, reason="   ")
    signature.refresh_from_db()
    assert signature.status == S.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        services.signature_reject(signature=signature, by=coordinator, reason="Please give the chair's full name.")
    signature.refresh_from_db()
    assert signature.status == S.REJECTED and signature.reason == "Please give the chair's full name."
    email = next(m for m in mail.outbox if vcs_member.email in m.to)
    assert email.subject == "The application for Riverside Food Bank to sign the Compact was not approved"
    assert "Please give the chair's full name." in email.body
    assert history(signature)[-1] == (S.PENDING, S.REJECTED, coordinator, "Please give the chair's full name.")


def test_an_applicant_who_is_a_member_is_emailed_once_per_decision(
    django_capture_on_commit_callbacks, edition, food_bank, vcs_member, coordinator
):
    signature = apply(food_bank, edition, vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_approve(signature=signature, by=coordinator)
    assert sent_to(vcs_member.email) == ["Riverside Food Bank has signed the Compact"]


def test_applying_again_after_a_rejection_reuses_the_row_and_clears_the_decision(
    edition, food_bank, vcs_member, coordinator
):
    signature = apply(food_bank, edition, vcs_member)
    services.signature_reject(signature=signature, by=coordinator, reason="Wrong name")
    again = apply(food_bank, edition, vcs_member)
    assert again.pk == signature.pk
    assert (again.status, again.reason, again.decided_by, again.decided_at) == (S.PENDING, "", None, None)


@pytest.mark.parametrize("status", [S.PENDING, S.SIGNED, S.REAFFIRMATION_REQUESTED])
def test_applying_twice_is_refused(edition, food_bank, vcs_member, status):
    SignatureFactory(organisation=food_bank, edition=edition, status=status)
    with pytest.raises(services.SignatureError, match="already applied"):
        apply(food_bank, edition, vcs_member)
    assert Signature.objects.get(organisation=food_bank, edition=edition).status == status


def test_the_database_keeps_one_signature_per_organisation_and_edition(edition, food_bank):
    SignatureFactory(organisation=food_bank, edition=edition)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(organisation=food_bank, edition=edition, status=S.WITHDRAWN)
    other_edition = EditionFactory(compact=edition.compact)
    Signature.objects.create(organisation=food_bank, edition=other_edition)  # another edition is fine


@pytest.mark.parametrize("status", [Edition.Status.DRAFT, Edition.Status.SUPERSEDED])
def test_only_the_current_edition_can_be_signed(compact, food_bank, vcs_member, status):
    edition = EditionFactory(compact=compact, status=status, published_on=datetime.date(2025, 1, 1))
    with pytest.raises(services.SignatureError, match="current edition"):
        apply(food_bank, edition, vcs_member)
    assert not Signature.objects.exists()


def test_steps_outside_the_allowed_moves_are_refused(edition, food_bank, vcs_member, coordinator, admin):
    signature = apply(food_bank, edition, vcs_member)
    services.signature_approve(signature=signature, by=coordinator)
    with pytest.raises(services.SignatureError, match="cannot become"):
        services.signature_approve(signature=signature, by=coordinator)
    with pytest.raises(services.SignatureError, match="cannot become"):
        services.signature_reject(signature=signature, by=coordinator, reason="Too late")
    with pytest.raises(services.SignatureError, match="Give a reason"):
        services.signature_withdraw(signature=signature, by=admin, reason="")
    with pytest.raises(services.SignatureError, match="cannot become"):
        services.signature_reaffirm(
            signature=signature, by=admin, signatory_name="A", signatory_role="B", signed_on=SIGNED_ON
        )
    signature.refresh_from_db()
    assert signature.status == S.SIGNED
    assert len(history(signature)) == 2


def test_an_organisation_without_members_is_told_at_its_contact_address(
    django_capture_on_commit_callbacks, edition, officer, coordinator
):
    organisation = OrganisationFactory(name="Paper Group", contact_email="contact@paper.example", contact_name="Jo")
    with django_capture_on_commit_callbacks(execute=True):
        signature = apply(organisation, edition, officer, on_behalf=True)
    assert signature.recorded_on_behalf
    assert history(signature) == [("", S.PENDING, officer, "Recorded on the organisation’s behalf")]
    assert sent_to("contact@paper.example") == ["Your application to sign Riverside Compact"]
    [to_coordinator] = [m for m in mail.outbox if coordinator.email in m.to]
    assert "has recorded that Paper Group signed Riverside Compact" in to_coordinator.body


# --- Re-affirmation when a new edition is published -------------------------------------------------


def publish_new_edition(compact, coordinator) -> Edition:
    """Publish, then run what the commit sets off (the re-affirmation requests are a task's)."""
    draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2027", by=coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return edition_services.edition_publish(edition=draft, by=coordinator)


def test_publishing_a_new_edition_asks_only_signatories_to_reaffirm(
    django_capture_on_commit_callbacks, compact, edition, coordinator
):
    signed, pending, withdrawn = (OrganisationFactory(name=n) for n in ("Signed Org", "Pending Org", "Gone Org"))
    signed_admin = MembershipFactory(organisation=signed, role=Membership.Role.ADMIN).user
    signed_member = MembershipFactory(organisation=signed).user
    pending_admin = MembershipFactory(organisation=pending, role=Membership.Role.ADMIN).user
    SignatureFactory(organisation=signed, edition=edition, status=S.SIGNED)
    SignatureFactory(organisation=pending, edition=edition, status=S.PENDING)
    SignatureFactory(organisation=withdrawn, edition=edition, status=S.WITHDRAWN)

    with django_capture_on_commit_callbacks(execute=True):
        new = publish_new_edition(compact, coordinator)

    [requested] = Signature.objects.filter(edition=new)
    assert requested.organisation == signed and requested.status == S.REAFFIRMATION_REQUESTED
    assert history(requested) == [("", S.REAFFIRMATION_REQUESTED, coordinator, "")]
    assert sent_to(signed_admin.email) == ["Please re-affirm your signature of Riverside Compact"]
    assert sent_to(signed_member.email) == []
    assert sent_to(pending_admin.email) == []
    # The old edition's signatures are history, unchanged.
    assert Signature.objects.get(organisation=signed, edition=edition).status == S.SIGNED


def test_reaffirming_signs_the_new_edition_without_a_second_approval(
    django_capture_on_commit_callbacks, compact, edition, coordinator, food_bank, admin
):
    SignatureFactory(organisation=food_bank, edition=edition, status=S.SIGNED)
    new = publish_new_edition(compact, coordinator)
    signature = Signature.objects.get(organisation=food_bank, edition=new)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_reaffirm(
            signature=signature, by=admin, signatory_name="Ana Chair", signatory_role="Chair", signed_on=SIGNED_ON
        )
    signature.refresh_from_db()
    assert signature.status == S.SIGNED
    assert (signature.signatory_name, signature.signatory_role, signature.signed_on) == (
        "Ana Chair",
        "Chair",
        SIGNED_ON,
    )
    assert "(Refreshed 2027)" in signature.statement
    assert history(signature)[-1] == (S.REAFFIRMATION_REQUESTED, S.SIGNED, admin, "Re-affirmed")
    assert sent_to(coordinator.email) == ["Riverside Food Bank has re-affirmed the Compact (Refreshed 2027)"]


def test_an_organisation_asked_to_reaffirm_may_withdraw_instead(compact, edition, coordinator, food_bank, admin):
    SignatureFactory(organisation=food_bank, edition=edition, status=S.SIGNED)
    new = publish_new_edition(compact, coordinator)
    signature = Signature.objects.get(organisation=food_bank, edition=new)
    services.signature_withdraw(signature=signature, by=admin, reason="Merged with another charity")
    signature.refresh_from_db()
    assert signature.status == S.WITHDRAWN


# --- Organisations and their people -------------------------------------------------------------------


def test_organisation_create_makes_its_creator_the_admin(stranger):
    organisation = services.organisation_create(
        by=stranger, name="The Riverside Larder Ltd", sector=Sector.VCS, organisation_type=OrganisationType.CHARITY
    )
    assert organisation.normalised_name == "riverside larder"
    assert Membership.objects.get(organisation=organisation).user == stranger
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN


def test_organisation_recorded_by_an_officer_has_no_members(officer):
    organisation = services.organisation_create(
        by=None, name="Paper Group", sector=Sector.VCS, organisation_type=OrganisationType.COMMUNITY_GROUP
    )
    assert not organisation.memberships.exists()


def test_organisation_type_must_belong_to_its_sector(stranger):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            by=stranger, name="Odd Council", sector=Sector.VCS, organisation_type=OrganisationType.COUNCIL
        )
    assert "organisation_type" in exc.value.message_dict
    assert not Organisation.objects.filter(name="Odd Council").exists()


def test_an_invitation_link_works_once(django_capture_on_commit_callbacks, food_bank, admin):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_send(
            organisation=food_bank, email=" New.Person@Example.org ", role=Membership.Role.MEMBER, by=admin
        )
    assert invitation.email == "new.person@example.org"
    assert token not in invitation.token_hash
    [email] = mail.outbox
    assert email.to == ["new.person@example.org"]
    assert email.subject == "You are invited to join Riverside Food Bank on the Compact Portal"
    assert f"/invitations/{token}/" in email.body

    assert services.invitation_get(token=token) == invitation
    assert services.invitation_get(token=token + "x") is None
    newcomer = UserFactory()
    membership = services.invitation_accept(invitation=invitation, user=newcomer)
    assert (membership.organisation, membership.role) == (food_bank, Membership.Role.MEMBER)
    assert services.invitation_get(token=token) is None
    with pytest.raises(services.SignatureError, match="already been used"):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_an_invitation_link_expires(food_bank, admin):
    invitation, token = services.invitation_send(
        organisation=food_bank, email="late@example.org", role=Membership.Role.MEMBER, by=admin
    )
    assert invitation.expires_at - invitation.created_at >= datetime.timedelta(days=14) - datetime.timedelta(seconds=5)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.invitation_get(token=token) is None
    invitation.refresh_from_db()
    with pytest.raises(services.SignatureError, match="expired"):
        services.invitation_accept(invitation=invitation, user=UserFactory())
    assert food_bank.memberships.count() == 2


def test_an_admin_invitation_makes_an_existing_member_an_admin(food_bank, admin, vcs_member):
    invitation, _token = services.invitation_send(
        organisation=food_bank, email=vcs_member.email, role=Membership.Role.ADMIN, by=admin
    )
    services.invitation_accept(invitation=invitation, user=vcs_member)
    assert Membership.objects.get(organisation=food_bank, user=vcs_member).role == Membership.Role.ADMIN


def test_an_organisation_keeps_at_least_one_admin(food_bank, admin, vcs_member):
    only_admin = Membership.objects.get(organisation=food_bank, user=admin)
    with pytest.raises(services.SignatureError, match="at least one admin"):
        services.membership_set_role(membership=only_admin, role=Membership.Role.MEMBER, by=admin)
    only_admin.refresh_from_db()
    assert only_admin.role == Membership.Role.ADMIN

    other = Membership.objects.get(organisation=food_bank, user=vcs_member)
    services.membership_set_role(membership=other, role=Membership.Role.ADMIN, by=admin)
    services.membership_set_role(membership=only_admin, role=Membership.Role.MEMBER, by=admin)
    only_admin.refresh_from_db()
    assert only_admin.role == Membership.Role.MEMBER
