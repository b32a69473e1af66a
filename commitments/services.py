"""Writes to Compacts and editions. Views, admin, commands and tasks all call these."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.importer import ParsedCompact
from commitments.models import (
    CodeOfPractice,
    Compact,
    CompactLogo,
    Edition,
    EditionStatusChange,
    Outcome,
    Principle,
    Undertaking,
)
from commitments.signals import edition_replaced

# The only status changes an edition may make.
EDITION_TRANSITIONS: dict[str, set[str]] = {
    Edition.Status.DRAFT: {Edition.Status.PUBLISHED},
    Edition.Status.PUBLISHED: {Edition.Status.SUPERSEDED},
    Edition.Status.SUPERSEDED: set(),
}

PARAMETER_FIELDS = (
    "consultation_min_weeks",
    "feedback_due_weeks",
    "funding_notice_min_months",
    "dispute_informal_days",
    "dispute_formal_days",
    "dispute_mediation_days",
)
TEXT_FIELDS = ("foreword", "introduction", "making_it_work", "dispute_resolution")


class EditionError(Exception):
    """A change to an edition that is not allowed; the message says why, for the user."""


def ensure_draft(edition: Edition) -> None:
    if not edition.is_draft:
        raise EditionError(_("Only a draft edition can be changed. Start a new draft from the current edition."))


def _edition_set_status(*, edition: Edition, new_status: str, by) -> None:
    old_status = edition.status
    if new_status not in EDITION_TRANSITIONS[old_status]:
        raise EditionError(
            _("An edition that is %(old)s cannot become %(new)s.")
            % {"old": Edition.Status(old_status).label.lower(), "new": Edition.Status(new_status).label.lower()}
        )
    edition.status = new_status
    edition.save(update_fields=["status", "published_on"])
    EditionStatusChange.objects.create(edition=edition, old_status=old_status, new_status=new_status, changed_by=by)


@transaction.atomic
def edition_create_draft(*, compact: Compact, name: str, by, based_on: Edition | None = None) -> Edition:
    """A new draft: empty, or a copy of ``based_on`` (its text, parameters and every part)."""
    draft = Edition(compact=compact, name=name, created_by=by, based_on=based_on)
    if based_on is not None:
        for field_name in (*TEXT_FIELDS, *PARAMETER_FIELDS):
            setattr(draft, field_name, getattr(based_on, field_name))
    draft.save()
    if based_on is None:
        return draft
    for principle in based_on.principles.all():
        Principle.objects.create(
            edition=draft, position=principle.position, title=principle.title, description=principle.description
        )
    for code in based_on.codes_of_practice.all():
        CodeOfPractice.objects.create(edition=draft, position=code.position, title=code.title, body=code.body)
    outcome_map = {}
    for outcome in based_on.outcomes.all():
        outcome_map[outcome.pk] = Outcome.objects.create(
            edition=draft, number=outcome.number, title=outcome.title, description=outcome.description
        )
    for undertaking in based_on.undertakings.all():
        Undertaking.objects.create(
            edition=draft,
            outcome=outcome_map[undertaking.outcome_id],
            number=undertaking.number,
            sector=undertaking.sector,
            text=undertaking.text,
            themes=list(undertaking.themes),
        )
    return draft


def edition_start_from_current(*, compact: Compact, name: str, by) -> Edition:
    """Start the next edition as a copy of the current one (or empty when none is published)."""
    current = compact.editions.filter(status=Edition.Status.PUBLISHED).first()
    return edition_create_draft(compact=compact, name=name, by=by, based_on=current)


@transaction.atomic
def edition_publish(*, edition: Edition, by, today: datetime.date | None = None) -> Edition:
    """Publish a draft; the edition it replaces becomes superseded, in the same transaction."""
    # Lock the Compact so two coordinators publishing at once cannot both succeed.
    Compact.objects.select_for_update().get(pk=edition.compact_id)
    edition.refresh_from_db()
    ensure_draft(edition)
    if not edition.outcomes.exists() or not edition.undertakings.exists():
        raise EditionError(_("Add at least one outcome and one undertaking before publishing."))
    outcomes_without_undertakings = list(
        edition.outcomes.filter(undertakings__isnull=True).values_list("number", flat=True)
    )
    if outcomes_without_undertakings:
        raise EditionError(
            _("Outcome %(numbers)s has no undertakings. Add undertakings to it or delete it before publishing.")
            % {"numbers": ", ".join(str(n) for n in outcomes_without_undertakings)}
        )
    today = today or timezone.localdate()
    previous = Edition.objects.filter(compact_id=edition.compact_id, status=Edition.Status.PUBLISHED).first()
    if previous is not None:
        _edition_set_status(edition=previous, new_status=Edition.Status.SUPERSEDED, by=by)
    edition.published_on = today
    _edition_set_status(edition=edition, new_status=Edition.Status.PUBLISHED, by=by)
    if previous is not None:
        # Signatories asks every signatory of the previous edition to re-affirm.
        edition_replaced.send(sender=Edition, previous=previous, new=edition, by=by)

    from commitments.tasks import render_edition_pdf

    edition_id = edition.pk
    transaction.on_commit(lambda: render_edition_pdf.delay(edition_id))
    return edition


@transaction.atomic
def edition_create_from_import(*, compact: Compact, parsed: ParsedCompact, name: str, by) -> Edition:
    """Save an imported text as a new draft edition: every outcome and undertaking, or nothing."""
    current = compact.editions.filter(status=Edition.Status.PUBLISHED).first()
    draft = Edition(
        compact=compact,
        name=name,
        created_by=by,
        based_on=current,
        introduction=parsed.introduction,
        making_it_work=parsed.making_it_work,
        dispute_resolution=parsed.dispute_resolution,
    )
    if current is not None:
        for field_name in PARAMETER_FIELDS:
            setattr(draft, field_name, getattr(current, field_name))
    draft.save()
    for parsed_outcome in parsed.outcomes:
        outcome = Outcome.objects.create(
            edition=draft,
            number=parsed_outcome.number,
            title=parsed_outcome.title,
            description=parsed_outcome.description,
        )
        for parsed_undertaking in parsed_outcome.undertakings:
            Undertaking.objects.create(
                edition=draft,
                outcome=outcome,
                number=parsed_undertaking.number,
                sector=parsed_undertaking.sector,
                text=parsed_undertaking.text,
            )
    return draft


LOGO_CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


@transaction.atomic
def compact_logo_add(
    *, compact: Compact, organisation: str, kind: str, data: bytes, edition: Edition | None = None
) -> CompactLogo:
    """Keep a checked and cleaned logo (``kind`` "png" or "jpeg") for the cover of the Compact's PDF,
    after the ones it already has; ``edition`` limits it to that edition."""
    import hashlib

    if edition is not None and edition.compact_id != compact.pk:
        raise ValueError("The edition belongs to another Compact.")
    last = compact.logos.order_by("-position").values_list("position", flat=True).first()
    return CompactLogo.objects.create(
        compact=compact,
        edition=edition,
        organisation=organisation,
        position=(last or 0) + 1,
        content_type=LOGO_CONTENT_TYPES[kind],
        image=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )


@transaction.atomic
def compact_logo_delete(*, logo: CompactLogo) -> None:
    logo.delete()
