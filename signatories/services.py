"""Writes about organisations and signatures. Views, admin, commands and tasks call these."""

import datetime
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Edition
from compact_portal.dates import date_range_problem
from notifications.services import Recipient, notify, recipients_for_users, unique_recipients
from signatories.models import Invitation, Membership, Organisation, Signature, SignatureEvent
from signatories.rules import token_hash

S = Signature.Status

# The only moves a signature may make.
SIGNATURE_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.SIGNED, S.REJECTED, S.WITHDRAWN},
    S.REJECTED: {S.PENDING},
    S.WITHDRAWN: {S.PENDING},
    S.SIGNED: {S.WITHDRAWN},
    S.REAFFIRMATION_REQUESTED: {S.SIGNED, S.WITHDRAWN},
}

INVITATION_VALID_FOR = datetime.timedelta(days=14)


class SignatureError(Exception):
    """A step that is not allowed; the message says why, for the user."""


def signing_statement(*, organisation: Organisation, edition: Edition) -> str:
    """The words an organisation agrees to when it signs (kept with the signature)."""
    return _(
        "%(organisation)s signs %(compact)s (%(edition)s). We agree to its principles and will work to "
        "keep the undertakings it sets for our sector, to promote the Compact within our organisation, "
        "and to use its procedure to raise and resolve any differences."
    ) % {"organisation": organisation.name, "compact": edition.compact.name, "edition": edition.name}


def _coordinators(edition: Edition) -> list[Recipient]:
    return recipients_for_users(edition.compact.coordinators.all())


def organisation_recipients(organisation: Organisation, memberships: Iterable[Membership]) -> list[Recipient]:
    """The people to tell about an organisation: the given members, or its contact when it has none."""
    people = recipients_for_users(m.user for m in memberships)
    if not people and organisation.contact_email:
        people = [Recipient(email=organisation.contact_email, name=organisation.contact_name)]
    return people


def _organisation_people(organisation: Organisation, *, admins_only: bool = False) -> list[Recipient]:
    memberships = organisation.memberships.select_related("user")
    if admins_only:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    return organisation_recipients(organisation, memberships)


def _set_status(*, signature: Signature, new_status: str, by, note: str = "") -> None:
    old_status = signature.status
    if new_status not in SIGNATURE_TRANSITIONS[old_status]:
        raise SignatureError(
            _("A signature that is ‘%(old)s’ cannot become ‘%(new)s’.")
            % {"old": S(old_status).label, "new": S(new_status).label}
        )
    signature.status = new_status
    signature.save()
    SignatureEvent.objects.create(signature=signature, old_status=old_status, new_status=new_status, by=by, note=note)


def _locked(signature: Signature) -> Signature:
    return Signature.objects.select_for_update().select_related("organisation", "edition__compact").get(pk=signature.pk)


def _check_signed_on(signed_on: datetime.date) -> None:
    if problem := date_range_problem(signed_on, today=timezone.localdate(), name=_("The date signed")):
        raise SignatureError(problem)


@transaction.atomic
def signature_apply(
    *,
    organisation: Organisation,
    edition: Edition,
    by,
    signatory_name: str,
    signatory_role: str,
    signed_on: datetime.date,
    on_behalf: bool = False,
) -> Signature:
    """An application for the organisation to sign the edition; waits for the coordinator.

    Applying again after a rejection or a withdrawal reuses the same row (one per edition).
    """
    if edition.status != Edition.Status.PUBLISHED:
        raise SignatureError(_("Only the current edition of a Compact can be signed."))
    _check_signed_on(signed_on)
    signature, created = Signature.objects.select_for_update().get_or_create(
        organisation=organisation, edition=edition, defaults={"status": S.PENDING}
    )
    if not created and signature.status in (S.PENDING, S.SIGNED, S.REAFFIRMATION_REQUESTED):
        raise SignatureError(
            _("%(organisation)s has already applied to sign this edition: it is ‘%(status)s’.")
            % {"organisation": organisation.name, "status": signature.get_status_display()}
        )
    signature.signatory_name = signatory_name
    signature.signatory_role = signatory_role
    signature.signed_on = signed_on
    signature.statement = signing_statement(organisation=organisation, edition=edition)
    signature.applied_by = by
    signature.applied_at = timezone.now()
    signature.recorded_on_behalf = on_behalf
    signature.reason = ""
    signature.decided_by = None
    signature.decided_at = None
    if created:
        signature.save()
        SignatureEvent.objects.create(
            signature=signature,
            old_status="",
            new_status=S.PENDING,
            by=by,
            note=_("Recorded on the organisation’s behalf") if on_behalf else "",
        )
    else:
        _set_status(signature=signature, new_status=S.PENDING, by=by)
    context = {"signature": signature, "organisation": organisation, "edition": edition, "by": by}
    notify(
        recipients=_coordinators(edition),
        kind="signature_applied",
        template="signatories/emails/applied_coordinator.txt",
        context=context,
        link=signature.get_absolute_url(),
    )
    notify(
        recipients=_organisation_people(organisation, admins_only=True),
        kind="signature_applied",
        template="signatories/emails/applied_organisation.txt",
        context=context,
        link=signature.get_absolute_url(),
    )
    return signature


@transaction.atomic
def signature_approve(*, signature: Signature, by) -> Signature:
    """The coordinator approves: the organisation has signed."""
    signature = _locked(signature)
    signature.decided_by = by
    signature.decided_at = timezone.now()
    signature.reason = ""
    _set_status(signature=signature, new_status=S.SIGNED, by=by)
    notify(
        recipients=unique_recipients(_organisation_people(signature.organisation), _applicant(signature)),
        kind="signature_approved",
        template="signatories/emails/approved.txt",
        context={"signature": signature},
        link=signature.get_absolute_url(),
    )
    _refresh_pdf(signature.edition)
    return signature


@transaction.atomic
def signature_reject(*, signature: Signature, by, reason: str) -> Signature:
    if not reason.strip():
        raise SignatureError(_("Say why the application is not approved: the applicant will see it."))
    signature = _locked(signature)
    signature.decided_by = by
    signature.decided_at = timezone.now()
    signature.reason = reason.strip()
    _set_status(signature=signature, new_status=S.REJECTED, by=by, note=signature.reason)
    notify(
        recipients=unique_recipients(_organisation_people(signature.organisation), _applicant(signature)),
        kind="signature_rejected",
        template="signatories/emails/rejected.txt",
        context={"signature": signature},
        link=signature.get_absolute_url(),
    )
    return signature


@transaction.atomic
def signature_withdraw(*, signature: Signature, by, reason: str) -> Signature:
    if not reason.strip():
        raise SignatureError(_("Give a reason for withdrawing: it is kept with the organisation’s history."))
    signature = _locked(signature)
    was_signed = signature.status == S.SIGNED
    signature.reason = reason.strip()
    _set_status(signature=signature, new_status=S.WITHDRAWN, by=by, note=signature.reason)
    notify(
        recipients=unique_recipients(_organisation_people(signature.organisation), _coordinators(signature.edition)),
        kind="signature_withdrawn",
        template="signatories/emails/withdrawn.txt",
        context={"signature": signature, "by": by},
        link=signature.get_absolute_url(),
    )
    if was_signed:
        _refresh_pdf(signature.edition)
    return signature


@transaction.atomic
def signature_reaffirm(
    *, signature: Signature, by, signatory_name: str, signatory_role: str, signed_on: datetime.date
) -> Signature:
    """An existing signatory re-affirms its signature for a new edition (no second approval)."""
    _check_signed_on(signed_on)
    signature = _locked(signature)
    signature.signatory_name = signatory_name
    signature.signatory_role = signatory_role
    signature.signed_on = signed_on
    signature.statement = signing_statement(organisation=signature.organisation, edition=signature.edition)
    signature.applied_by = by
    signature.applied_at = timezone.now()
    _set_status(signature=signature, new_status=S.SIGNED, by=by, note=_("Re-affirmed"))
    notify(
        recipients=unique_recipients(_organisation_people(signature.organisation), _coordinators(signature.edition)),
        kind="signature_reaffirmed",
        template="signatories/emails/reaffirmed.txt",
        context={"signature": signature},
        link=signature.get_absolute_url(),
    )
    _refresh_pdf(signature.edition)
    return signature


def reaffirmation_request_all(*, previous: Edition, new: Edition, by) -> list[Signature]:
    """Ask every signatory of the previous edition to re-affirm for the new one.

    Called by commitments.services.edition_publish, inside its transaction.
    """
    requested = []
    signed = Signature.objects.filter(edition=previous, status=S.SIGNED).select_related("organisation")
    already = set(Signature.objects.filter(edition=new).values_list("organisation_id", flat=True))
    now = timezone.now()
    for old in signed:
        if old.organisation_id in already:
            continue
        signature = Signature.objects.create(
            organisation=old.organisation, edition=new, status=S.REAFFIRMATION_REQUESTED, applied_at=now
        )
        SignatureEvent.objects.create(signature=signature, old_status="", new_status=signature.status, by=by)
        notify(
            recipients=_organisation_people(old.organisation, admins_only=True),
            kind="reaffirmation_requested",
            template="signatories/emails/reaffirmation_requested.txt",
            context={"signature": signature, "previous": previous},
            link=signature.get_absolute_url(),
        )
        requested.append(signature)
    return requested


def _applicant(signature: Signature) -> list[Recipient]:
    return recipients_for_users([signature.applied_by]) if signature.applied_by else []


def _refresh_pdf(edition: Edition) -> None:
    """The PDF's annex lists signatories: ask for a fresh render once this change is committed."""
    from commitments.tasks import render_edition_pdf

    if edition.status != Edition.Status.DRAFT:
        transaction.on_commit(lambda: render_edition_pdf.delay(edition.pk))


# --- Organisations and their people -------------------------------------------------------------


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    """A new organisation, with the person creating it as its first admin."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    if by is not None and by.is_authenticated:
        Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def invitation_send(*, organisation: Organisation, email: str, role: str, by) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the secret token (only in the email)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        role=role,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    from django.urls import reverse

    notify(
        recipients=[Recipient(email=invitation.email)],
        kind="invitation",
        template="signatories/emails/invitation.txt",
        context={"invitation": invitation, "by": by},
        link=reverse("signatories:invitation_accept", kwargs={"token": token}),
    )
    return invitation, token


def invitation_get(*, token: str) -> Invitation | None:
    """The invitation a link's token belongs to, if it can still be used."""
    from signatories.selectors import invitation_find

    invitation = invitation_find(token=token)
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.cancelled_at is not None
        or invitation.expires_at <= timezone.now()
    ):
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        raise SignatureError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise SignatureError(_("This invitation has expired. Ask the organisation to send a new one."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.ADMIN and membership.role != Membership.Role.ADMIN:
        membership.role = Membership.Role.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by) -> Membership:
    """Change a member's role; an organisation always keeps at least one admin."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        admins = Membership.objects.select_for_update().filter(
            organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
        )
        if admins.count() <= 1:
            raise SignatureError(_("An organisation needs at least one admin. Make someone else an admin first."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership
