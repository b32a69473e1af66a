"""Writes about organisations and signatures. Views, admin, commands and tasks call these."""

import datetime
import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.models import Edition
from commitments.selectors import compact_default_language
from compact_portal.bulk import bulk_created
from compact_portal.dates import date_range_problem
from compact_portal.uploads import checked_upload
from notifications.services import (
    Message,
    Recipient,
    notify,
    notify_many,
    recipients_for_users,
    unique_recipients,
)
from signatories.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    SectorStatus,
    Signature,
    SignatureEvent,
)
from signatories.rules import sector_needs_approval, token_hash
from signatories.selectors import members_to_tell

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
    return organisation_recipients(
        organisation, members_to_tell(admins_only=admins_only).filter(organisation=organisation)
    )


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
    signed_form=None,
) -> Signature:
    """An application for the organisation to sign the edition; waits for the coordinator.

    ``signed_form``: for a sign-up recorded on the organisation's behalf, the uploaded scan of the
    paper form (checked by its contents; the coordinator's alone).

    Applying again after a rejection or a withdrawal reuses the same row (one per edition).
    """
    if edition.status != Edition.Status.PUBLISHED:
        raise SignatureError(_("Only the current edition of a Compact can be signed."))
    _check_signed_on(signed_on)
    signature, created = Signature.objects.select_for_update().get_or_create(
        organisation=organisation, edition=edition, defaults={"status": S.PENDING}
    )
    if not created and signature.status in Signature.LIVE_STATUSES:
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
    if on_behalf and signed_form:
        signature.signed_form = checked_upload(signed_form)
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
        language=compact_default_language(edition.compact),
        context=context,
        link=signature.get_absolute_url(),
    )
    notify(
        recipients=_organisation_people(organisation, admins_only=True),
        kind="signature_applied",
        template="signatories/emails/applied_organisation.txt",
        language=compact_default_language(edition.compact),
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
        language=compact_default_language(signature.edition.compact),
        context={"signature": signature},
        link=signature.get_absolute_url(),
    )
    _refresh_pdf(signature.edition)
    return signature


@transaction.atomic
def signature_approve_for_current(*, signature: Signature, by) -> Signature:
    """An application for an edition that has since been replaced is approved for the current one:
    the organisation signs the current edition (a new signature, or its earlier rejected or withdrawn
    one there, applied for again), and the old application is closed as not approved, saying why.
    Returns the signature of the current edition."""
    from commitments.selectors import edition_current

    old = _locked(signature)
    if old.status != S.PENDING:
        raise SignatureError(
            _("This cannot be done now: the signature is ‘%(status)s’.") % {"status": old.get_status_display()}
        )
    current = edition_current(compact=old.edition.compact)
    if current is None or current.pk == old.edition_id:
        raise SignatureError(_("This application is already for the current edition: approve it as it is."))
    new, created = Signature.objects.select_for_update().get_or_create(
        organisation=old.organisation, edition=current, defaults={"status": S.PENDING}
    )
    if not created and new.status in Signature.LIVE_STATUSES:
        raise SignatureError(
            _("%(organisation)s already has a signature on %(edition)s: it is ‘%(status)s’. Decide on that one.")
            % {"organisation": old.organisation.name, "edition": current.name, "status": new.get_status_display()}
        )
    moved = _("Applied for %(edition)s, which has been replaced; approved for %(current)s") % {
        "edition": old.edition.name,
        "current": current.name,
    }
    for name in ("signatory_name", "signatory_role", "signed_on", "applied_by", "applied_at", "recorded_on_behalf"):
        setattr(new, name, getattr(old, name))
    if old.signed_form and not new.signed_form:
        new.signed_form = old.signed_form.name
    new.statement = signing_statement(organisation=old.organisation, edition=current)
    new.decided_by, new.decided_at, new.reason = by, timezone.now(), ""
    if created:
        new.save()
        SignatureEvent.objects.create(signature=new, old_status="", new_status=S.PENDING, by=by, note=moved)
    else:
        _set_status(signature=new, new_status=S.PENDING, by=by, note=moved)
    _set_status(signature=new, new_status=S.SIGNED, by=by)
    old.decided_by, old.decided_at = by, timezone.now()
    old.reason = _("Approved for %(current)s, the current edition, instead.") % {"current": current.name}
    _set_status(signature=old, new_status=S.REJECTED, by=by, note=old.reason)
    notify(
        recipients=unique_recipients(_organisation_people(new.organisation), _applicant(new)),
        kind="signature_approved",
        template="signatories/emails/approved.txt",
        language=compact_default_language(new.edition.compact),
        context={"signature": new},
        link=new.get_absolute_url(),
    )
    _refresh_pdf(current)
    return new


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
        language=compact_default_language(signature.edition.compact),
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
        language=compact_default_language(signature.edition.compact),
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
    """An existing signatory re-affirms its signature for a new edition (no second approval); not for
    an edition replaced since it was asked (it is asked again for the current one)."""
    _check_signed_on(signed_on)
    signature = _locked(signature)
    if problem := replaced_since_asked(signature):
        raise SignatureError(problem)
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
        language=compact_default_language(signature.edition.compact),
        context={"signature": signature},
        link=signature.get_absolute_url(),
    )
    _refresh_pdf(signature.edition)
    return signature


def replaced_since_asked(signature: Signature) -> str | None:
    """For a request to re-affirm an edition replaced since (the organisation is asked again for the
    current one), why it cannot be answered and what to do; None for any other signature."""
    if signature.status != S.REAFFIRMATION_REQUESTED or signature.edition.status == Edition.Status.PUBLISHED:
        return None
    return _(
        "%(edition)s has been replaced, so its signature can no longer be re-affirmed. "
        "Re-affirm the current edition instead."
    ) % {"edition": signature.edition.name}


# Organisations asked to re-affirm in one transaction (see reaffirmation_request_all).
REAFFIRMATION_BATCH = 100


# An organisation still stands behind the Compact while its latest signature on it is signed, or
# asks it to re-affirm an edition since replaced (asked, not answered yet): each new edition asks it
# again. Withdrawn, rejected and pending ones do not stand.
STANDING = (S.SIGNED, S.REAFFIRMATION_REQUESTED)


def _standing(compact_id) -> QuerySet[Signature]:
    """Each organisation's latest signature on the Compact (the one made last), where it stands."""
    latest = (
        Signature.objects.filter(
            organisation_id=OuterRef("organisation_id"), edition__compact_id=OuterRef("edition__compact_id")
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    return Signature.objects.filter(edition__compact_id=compact_id, status__in=STANDING, pk=Subquery(latest))


def _reaffirmation_due(*, new: Edition):
    """The organisations still to be asked to re-affirm for ``new``: those standing behind the Compact
    (``STANDING``, by their latest signature on it) with no signature on ``new`` yet.

    Not only the signatories of the edition ``new`` replaced: those asked to re-affirm it and not
    answered yet are asked again, and when two editions are published before the first one's task
    runs, that task asks nobody (its edition is replaced) and the second's finds the signatories
    of the edition before both, which nobody had asked yet."""
    return (
        _standing(new.compact_id)
        .exclude(edition_id=new.pk)
        .exclude(Exists(Signature.objects.filter(edition=new, organisation_id=OuterRef("organisation_id"))))
        .order_by("pk")
    )


def reaffirmation_due_count(*, new: Edition) -> int:
    """How many organisations standing behind the Compact (most often the signatories of the edition
    ``new`` replaces) are still to be asked to re-affirm for ``new``."""
    return _reaffirmation_due(new=new).count()


def reaffirmation_request_all(*, previous: Edition, new: Edition, by, batch_size: int | None = None) -> int:
    """Ask every organisation standing behind the Compact (``_reaffirmation_due``: the signatories of
    the previous edition, and those asked to re-affirm it and not answered yet) to re-affirm for the
    new one; returns how many organisations were asked now.

    Run by ``signatories.tasks.request_reaffirmation`` once the publishing has committed. The work is
    done ``batch_size`` organisations at a time, each batch in its own transaction
    (:func:`_reaffirmation_request_batch`): a run that stops half-way (the worker killed, an error)
    has asked those of the batches it committed, and a second run (the task delivered again, or two
    workers at once) asks only the rest: an organisation with a signature on the new edition, of
    whatever status, is never asked (one signature per organisation and edition, by the database).
    """
    batch_size = batch_size or REAFFIRMATION_BATCH
    new = Edition.objects.select_related("compact").get(pk=new.pk)
    asked = 0
    while True:
        done = _reaffirmation_request_batch(previous=previous, new=new, by=by, batch_size=batch_size)
        asked += done
        if done < batch_size:
            return asked


# A publishing whose task was lost (the process died between the commit and queueing it) is found
# by request_missing_reaffirmations: those published in the last days, not the last minutes (the
# task queued by the commit has had its chance).
REAFFIRMATION_SWEEP_DAYS = 7
REAFFIRMATION_SWEEP_AFTER = datetime.timedelta(minutes=15)


def reaffirmation_runs_unfinished(*, now: datetime.datetime | None = None) -> list[tuple[int, int, int | None]]:
    """(previous edition id, new edition id, id of who published) for each current edition published
    between ``REAFFIRMATION_SWEEP_DAYS`` and ``REAFFIRMATION_SWEEP_AFTER`` ago with an organisation
    standing behind its Compact (``STANDING``) not asked to re-affirm it yet. One query, however many
    Compacts.

    The predecessor is the edition of the same Compact last superseded at or before the new one was
    published (``edition_publish`` supersedes it in the same transaction)."""
    from commitments.models import EditionStatusChange

    now = now or timezone.now()
    predecessor = (
        EditionStatusChange.objects.filter(
            edition__compact_id=OuterRef("edition__compact_id"),
            new_status=Edition.Status.SUPERSEDED,
            changed_at__lte=OuterRef("changed_at"),
        )
        .order_by("-changed_at", "-pk")
        .values("edition_id")[:1]
    )
    # An organisation standing behind the Compact whose latest signature is not on the new edition
    # (one made on it would be the latest).
    unasked = _standing(OuterRef("edition__compact_id")).exclude(edition_id=OuterRef("edition_id"))
    rows = (
        EditionStatusChange.objects.filter(
            new_status=Edition.Status.PUBLISHED,
            edition__status=Edition.Status.PUBLISHED,
            changed_at__gte=now - datetime.timedelta(days=REAFFIRMATION_SWEEP_DAYS),
            changed_at__lte=now - REAFFIRMATION_SWEEP_AFTER,
        )
        .annotate(previous_id=Subquery(predecessor))
        .filter(previous_id__isnull=False)
        .filter(Exists(unasked))
        .order_by("pk")
        .values_list("previous_id", "edition_id", "changed_by_id")
    )
    return list(rows)


@transaction.atomic
def _reaffirmation_request_batch(*, previous: Edition, new: Edition, by, batch_size: int) -> int:
    """Ask up to ``batch_size`` organisations still to be asked, in this transaction: their
    signatures on the new edition, one event each, one audit entry each, and a notification to
    each organisation's admins (or its contact when it has none). A constant number of queries
    whatever the batch's size.

    The new edition's row is locked first (FOR NO KEY UPDATE on PostgreSQL: signatures can still be
    made for it meanwhile), so two runs at once take turns batch by batch, and each batch reads who
    is left after the last one committed."""
    status = Edition.objects.select_for_update(no_key=True).filter(pk=new.pk).values_list("status", flat=True)
    if list(status) != [Edition.Status.PUBLISHED]:
        return 0  # replaced in its turn before everyone was asked: nobody is asked to sign an old edition
    olds = list(_reaffirmation_due(new=new).select_related("organisation", "edition")[:batch_size])
    if not olds:
        return 0
    now = timezone.now()
    signatures = Signature.objects.bulk_create(
        [
            Signature(organisation=old.organisation, edition=new, status=S.REAFFIRMATION_REQUESTED, applied_at=now)
            for old in olds
        ]
    )
    SignatureEvent.objects.bulk_create(
        [
            SignatureEvent(signature=signature, old_status="", new_status=S.REAFFIRMATION_REQUESTED, by=by)
            for signature in signatures
        ]
    )
    bulk_created(signatures, actor=by)
    admins: dict[int, list[Membership]] = {}
    memberships = members_to_tell(admins_only=True).filter(
        organisation__in=[signature.organisation_id for signature in signatures]
    )
    for membership in memberships:
        admins.setdefault(membership.organisation_id, []).append(membership)
    language = compact_default_language(new.compact)
    messages = []
    for old, signature in zip(olds, signatures, strict=True):
        # The edition the organisation last signed or was asked to (most often ``previous``). One
        # context for the organisation's people, so rendered once per language.
        context = {"signature": signature, "previous": old.edition}
        messages.extend(
            Message(
                recipient=recipient,
                kind="reaffirmation_requested",
                template="signatories/emails/reaffirmation_requested.txt",
                context=context,
                link=signature.get_absolute_url(),
                language=language,
            )
            for recipient in organisation_recipients(signature.organisation, admins.get(signature.organisation_id, []))
        )
    notify_many(messages)
    return len(signatures)


def _applicant(signature: Signature) -> list[Recipient]:
    return recipients_for_users([signature.applied_by]) if signature.applied_by else []


def _refresh_pdf(edition: Edition) -> None:
    """The PDF's annex lists signatories: ask for a fresh render once this change is committed."""
    from commitments.tasks import render_edition_pdf

    if edition.status != Edition.Status.DRAFT:
        transaction.on_commit(lambda: render_edition_pdf.delay(edition.pk))


# --- Organisations and their people -------------------------------------------------------------


# The only moves an organisation's sector approval may make.
SECTOR_TRANSITIONS: dict[str, set[str]] = {
    SectorStatus.VERIFIED: {SectorStatus.PENDING},
    SectorStatus.PENDING: {SectorStatus.VERIFIED, SectorStatus.REJECTED},
    SectorStatus.REJECTED: {SectorStatus.PENDING, SectorStatus.VERIFIED},
}


def _set_sector_status(
    *, organisation: Organisation, new_status: str, by, note: str = "", created: bool = False
) -> None:
    old_status = "" if created else organisation.sector_status
    if not created and new_status not in SECTOR_TRANSITIONS[old_status]:
        raise SignatureError(
            _("An organisation whose sector is ‘%(old)s’ cannot become ‘%(new)s’.")
            % {"old": SectorStatus(old_status).label, "new": SectorStatus(new_status).label}
        )
    organisation.sector_status = new_status
    organisation.save()
    OrganisationEvent.objects.create(
        organisation=organisation,
        old_status=old_status,
        new_status=new_status,
        sector=organisation.sector,
        organisation_type=organisation.organisation_type,
        by=by,
        note=note,
    )


def _needs_approval(organisation: Organisation) -> bool:
    return sector_needs_approval(
        sector=organisation.sector,
        organisation_type=organisation.organisation_type,
        verified_sector=organisation.verified_sector,
        verified_type=organisation.verified_type,
    )


def _approve_as_it_is(organisation: Organisation) -> None:
    organisation.verified_sector = organisation.sector
    organisation.verified_type = organisation.organisation_type


@transaction.atomic
def organisation_create(*, by, join: bool = True, **fields) -> Organisation:
    """A new organisation, with the person creating it as its first admin (``join=False``: an officer
    recording it for someone else, who does not join it).

    A public body waits for a coordinator to approve it (see ``organisation_sector_approve``); until
    then it has none of a public body's rights. A voluntary organisation is approved as it is.
    """
    organisation = Organisation(**fields)
    organisation.full_clean()
    user = by if by is not None and by.is_authenticated else None
    if _needs_approval(organisation):
        organisation.sector_status = SectorStatus.PENDING
        organisation.sector_requested_by = user
        _set_sector_status(organisation=organisation, new_status=SectorStatus.PENDING, by=user, created=True)
    else:
        _approve_as_it_is(organisation)
        organisation.save()
    if user is not None and join:
        Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **fields) -> Organisation:
    """Change an organisation's details. A change of sector or type waits for a coordinator: it is
    saved as asked, but the rights that go with the sector stay those last approved."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = (organisation.sector, organisation.organisation_type)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    asked_again = organisation.sector_status != SectorStatus.REJECTED or before != (
        organisation.sector,
        organisation.organisation_type,
    )
    if _needs_approval(organisation):
        # Waits, unless it already does, or was turned down as it is (changing its address asks nothing).
        if organisation.sector_status != SectorStatus.PENDING and asked_again:
            organisation.sector_requested_by = by
            _set_sector_status(organisation=organisation, new_status=SectorStatus.PENDING, by=by)
            return organisation
    elif organisation.sector_status != SectorStatus.VERIFIED:
        # Back to what was approved (or a voluntary group never approved as public): nothing to ask.
        _approve_as_it_is(organisation)
        _set_sector_status(
            organisation=organisation,
            new_status=SectorStatus.VERIFIED,
            by=by,
            note=_("The request was changed back to the approved sector and type"),
        )
        return organisation
    organisation.save()
    return organisation


def _sector_requesters(organisation: Organisation) -> list[Recipient]:
    requester = recipients_for_users([organisation.sector_requested_by]) if organisation.sector_requested_by else []
    return unique_recipients(requester, _organisation_people(organisation, admins_only=True))


@transaction.atomic
def organisation_sector_approve(*, organisation: Organisation, by) -> Organisation:
    """A coordinator approves the sector and type the organisation gave: it has their rights now."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.sector_status != SectorStatus.PENDING:
        raise SignatureError(_("%(organisation)s is not waiting for approval.") % {"organisation": organisation.name})
    _approve_as_it_is(organisation)
    _set_sector_status(organisation=organisation, new_status=SectorStatus.VERIFIED, by=by)
    notify(
        recipients=_sector_requesters(organisation),
        kind="organisation_sector_decided",
        template="signatories/emails/sector_approved.txt",
        context={"organisation": organisation},
        link=reverse("signatories:organisation_detail", kwargs={"pk": organisation.pk}),
    )
    return organisation


@transaction.atomic
def organisation_sector_reject(*, organisation: Organisation, by, reason: str) -> Organisation:
    """A coordinator turns the request down: the organisation goes back to the sector and type last
    approved (a public body never approved keeps its details but none of a public body's rights)."""
    if not reason.strip():
        raise SignatureError(_("Say why it is not approved: the organisation will see it."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.sector_status != SectorStatus.PENDING:
        raise SignatureError(_("%(organisation)s is not waiting for approval.") % {"organisation": organisation.name})
    asked = {"sector": organisation.get_sector_display(), "type": organisation.get_organisation_type_display()}
    if organisation.verified_sector:
        organisation.sector, organisation.organisation_type = organisation.verified_sector, organisation.verified_type
    _set_sector_status(organisation=organisation, new_status=SectorStatus.REJECTED, by=by, note=reason.strip())
    notify(
        recipients=_sector_requesters(organisation),
        kind="organisation_sector_decided",
        template="signatories/emails/sector_rejected.txt",
        context={"organisation": organisation, "reason": reason.strip(), "asked": asked},
        link=reverse("signatories:organisation_detail", kwargs={"pk": organisation.pk}),
    )
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
    notify(
        recipients=[Recipient(email=invitation.email)],
        kind="invitation",
        template="signatories/emails/invitation.txt",
        language=getattr(by, "language", ""),
        context={"invitation": invitation, "by": by},
        link=reverse("signatories:invitation_accept", kwargs={"token": token}),
    )
    return invitation, token


def invitation_problem(invitation: Invitation) -> str | None:
    """Why the invitation can no longer be used (for the person holding its link), or None.

    It dies when used, cancelled or out of date, and when the admin who sent it is no longer an
    admin of the organisation (demoted, removed or their account closed)."""
    from signatories.permissions import is_organisation_admin

    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.cancelled_at is not None:
        return _("This invitation was cancelled by the organisation.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired.")
    inviter = invitation.invited_by
    if inviter is None or not inviter.is_active or not is_organisation_admin(inviter, invitation.organisation):
        return _("The person who sent this invitation is no longer an admin of the organisation.")
    return None


def invitation_get(*, token: str) -> Invitation | None:
    """The invitation a link's token belongs to, if it can still be used."""
    from signatories.selectors import invitation_find

    invitation = invitation_find(token=token)
    if invitation is None or invitation_problem(invitation) is not None:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation. A new account is made with the invitation's own address (the link
    proves that address: it was sent nowhere else); see ``signatories.forms.AccountForm``."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    problem = invitation_problem(invitation)
    if problem is not None:
        raise SignatureError(problem + " " + _("Ask the organisation to send a new one."))
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
def invitation_cancel(*, invitation: Invitation, by) -> Invitation:
    """An organisation admin cancels an invitation not yet accepted: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise SignatureError(_("This invitation has already been accepted: change the person’s role instead."))
    if invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation.cancelled_by = by
        invitation.save(update_fields=["cancelled_at", "cancelled_by"])
    return invitation


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


@transaction.atomic
def membership_from_sign_on(*, user, organisation: str) -> bool:
    """Single sign-on (accounts.oidc): the person, whose email of the organisation's domain the
    council's identity provider verified, is an ordinary member of it (an existing membership keeps
    its role). False when the deployment's setting names no organisation."""
    from signatories.selectors import organisation_by_reference

    found = organisation_by_reference(organisation)
    if found is None:
        return False
    Membership.objects.get_or_create(user=user, organisation=found, defaults={"role": Membership.Role.MEMBER})
    return True


def on_edition_replaced(sender, *, previous: Edition, new: Edition, by, **kwargs) -> str | None:
    """The receiver of ``commitments.signals.edition_replaced`` (connected in ``SignatoriesConfig.ready``),
    inside the publishing's transaction: once it commits, a task asks every signatory of ``previous``
    to re-affirm (``signatories.tasks.request_reaffirmation``); the request does not wait for it.

    Returns what to tell the coordinator (None when nobody had signed): one query, however many."""
    from signatories.tasks import request_reaffirmation

    count = reaffirmation_due_count(new=new)
    if not count:
        return None
    args = (previous.pk, new.pk, by.pk if by is not None else None)
    transaction.on_commit(lambda: request_reaffirmation.delay(*args))
    # Not only the signatories of ``previous``: those asked to re-affirm an earlier edition and not
    # answered yet are asked too (``_reaffirmation_due``), and counted here.
    return ngettext(
        "Re-affirmation requests are being sent to the %(count)s organisation that signed %(previous)s or "
        "an earlier edition and has not withdrawn.",
        "Re-affirmation requests are being sent to the %(count)s organisations that signed %(previous)s or "
        "an earlier edition and have not withdrawn.",
        count,
    ) % {"count": count, "previous": previous.name}


def on_address_bouncing(sender, *, email: str, **kwargs) -> None:
    """Emails to ``email`` bounce for good (GOV.UK Notify said so): tell the admins of each
    organisation that person belongs to (but them) and the coordinators of the Compacts it signed."""
    memberships = Membership.objects.filter(user__email__iexact=email).select_related("organisation", "user")
    for membership in memberships:
        organisation = membership.organisation
        admins = [r for r in _organisation_people(organisation, admins_only=True) if r.email.lower() != email.lower()]
        coordinators = recipients_for_users(
            get_user_model()
            .objects.filter(
                coordinated_compacts__editions__signatures__organisation=organisation,
                coordinated_compacts__editions__signatures__status__in=[S.SIGNED, S.REAFFIRMATION_REQUESTED, S.PENDING],
            )
            .distinct()
        )
        recipients = unique_recipients(admins, coordinators)
        if recipients:
            notify(
                recipients=recipients,
                kind="address_bouncing",
                template="signatories/emails/address_bouncing.txt",
                context={
                    "organisation": organisation,
                    "member": membership.user.get_full_name() or membership.user.get_username(),
                    "email": email,
                },
                link=reverse("signatories:organisation_detail", kwargs={"pk": organisation.pk}),
            )
