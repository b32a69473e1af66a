"""Writes to Compacts and editions. Views, admin, commands and tasks all call these."""

import datetime
from collections.abc import Iterable

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
    ImportRule,
    Outcome,
    Principle,
    Undertaking,
    UndertakingSector,
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
WELSH_TEXT_FIELDS = tuple(f"{name}_cy" for name in TEXT_FIELDS)


# The parts of the current edition a draft may carry over when it is published without them.
CARRY_OVER_PARTS = ("principles", "codes", *TEXT_FIELDS)


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
        for field_name in (*TEXT_FIELDS, *WELSH_TEXT_FIELDS, *PARAMETER_FIELDS):
            setattr(draft, field_name, getattr(based_on, field_name))
    draft.save()
    if based_on is None:
        return draft
    for principle in based_on.principles.all():
        _copy_principle(principle, draft)
    for code in based_on.codes_of_practice.all():
        _copy_code(code, draft)
    outcome_map = {}
    for outcome in based_on.outcomes.all():
        outcome_map[outcome.pk] = Outcome.objects.create(
            edition=draft,
            number=outcome.number,
            title=outcome.title,
            title_cy=outcome.title_cy,
            description=outcome.description,
            description_cy=outcome.description_cy,
        )
    for undertaking in based_on.undertakings.all():
        Undertaking.objects.create(
            edition=draft,
            outcome=outcome_map[undertaking.outcome_id],
            number=undertaking.number,
            sector=undertaking.sector,
            text=undertaking.text,
            text_cy=undertaking.text_cy,
            themes=list(undertaking.themes),
            key=undertaking.key,
        )
    return draft


def _copy_principle(principle: Principle, draft: Edition) -> Principle:
    return Principle.objects.create(
        edition=draft,
        position=principle.position,
        title=principle.title,
        title_cy=principle.title_cy,
        description=principle.description,
        description_cy=principle.description_cy,
    )


def _copy_code(code: CodeOfPractice, draft: Edition) -> CodeOfPractice:
    return CodeOfPractice.objects.create(
        edition=draft,
        position=code.position,
        title=code.title,
        title_cy=code.title_cy,
        body=code.body,
        body_cy=code.body_cy,
    )


def edition_start_from_current(*, compact: Compact, name: str, by) -> Edition:
    """Start the next edition as a copy of the current one (or empty when none is published)."""
    current = compact.editions.filter(status=Edition.Status.PUBLISHED).first()
    return edition_create_draft(compact=compact, name=name, by=by, based_on=current)


def _edition_carry_over(*, draft: Edition, current: Edition, parts: set[str]) -> None:
    """Copy the named parts of ``current`` into ``draft``, each only when the draft has none of it."""
    unknown = parts - set(CARRY_OVER_PARTS)
    if unknown:
        raise ValueError(f"Unknown parts to carry over: {sorted(unknown)}")
    # One by one (a handful each), so that the edition's history records every part copied.
    if "principles" in parts and not draft.principles.exists():
        for principle in current.principles.all():
            _copy_principle(principle, draft)
    if "codes" in parts and not draft.codes_of_practice.exists():
        for code in current.codes_of_practice.all():
            _copy_code(code, draft)
    texts = [name for name in TEXT_FIELDS if name in parts and not getattr(draft, name).strip()]
    for name in texts:
        setattr(draft, name, getattr(current, name))
        setattr(draft, f"{name}_cy", getattr(current, f"{name}_cy"))
    if texts:
        draft.save(update_fields=[*texts, *(f"{name}_cy" for name in texts)])


@transaction.atomic
def edition_publish(
    *, edition: Edition, by, today: datetime.date | None = None, carry_over: Iterable[str] = ()
) -> Edition:
    """Publish a draft; the edition it replaces becomes superseded, in the same transaction.

    ``carry_over`` names parts of the current edition (``CARRY_OVER_PARTS``) to copy into the draft
    first, for parts the draft has none of; the coordinator chose them on the publish page.

    The edition returned has ``follow_ups``: what the apps told of the replacement have set off, in
    sentences for the coordinator (``commitments.signals.edition_replaced``); empty for a first
    edition."""
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
    if previous is not None and carry_over:
        _edition_carry_over(draft=edition, current=previous, parts=set(carry_over))
    if previous is not None:
        _undertakings_keep_keys(draft=edition, previous=previous)
        _edition_set_status(edition=previous, new_status=Edition.Status.SUPERSEDED, by=by)
    edition.published_on = today
    _edition_set_status(edition=edition, new_status=Edition.Status.PUBLISHED, by=by)
    edition.follow_ups = []
    if previous is not None:
        # Signatories asks every signatory of the previous edition to re-affirm (after the commit).
        responses = edition_replaced.send(sender=Edition, previous=previous, new=edition, by=by)
        edition.follow_ups = [str(response) for _receiver, response in responses if response]

    from commitments.tasks import render_edition_pdf

    edition_id = edition.pk
    transaction.on_commit(lambda: render_edition_pdf.delay(edition_id))
    return edition


def _undertakings_keep_keys(*, draft: Edition, previous: Edition) -> None:
    """Give each undertaking of ``draft`` the key of the one the edition comparison matches it with in
    ``previous`` (the same undertaking, renumbered or reworded); one it matches with none keeps its own
    key, unless that key is now another's, when it gets a new one. Two updates at most, so the unique
    (edition, key) constraint never sees two rows with one key."""
    import uuid

    from commitments.compare import compare_undertakings

    # In the order the compare page reads them, so that both match the same pairs.
    old = list(previous.undertakings.order_by("position", "pk").values_list("number", "sector", "text", "key"))
    new = list(draft.undertakings.order_by("position", "pk"))
    old_keys = {number: key for number, _sector, _text, key in old}
    matched = {
        change.new_number: old_keys[change.old_number]
        for change in compare_undertakings([row[:3] for row in old], [(u.number, u.sector, u.text) for u in new])
        if change.old_number and change.new_number
    }
    taken = set(matched.values())
    changed = []
    for undertaking in new:
        wanted = matched.get(undertaking.number)
        if wanted is None and undertaking.key in taken:
            wanted = uuid.uuid4()
        if wanted is not None and wanted != undertaking.key:
            undertaking.key = wanted
            changed.append(undertaking)
    if not changed:
        return
    final = {u.pk: u.key for u in changed}
    for undertaking in changed:  # out of the way first
        undertaking.key = uuid.uuid4()
    Undertaking.objects.bulk_update(changed, ["key"])
    for undertaking in changed:
        undertaking.key = final[undertaking.pk]
    Undertaking.objects.bulk_update(changed, ["key"])


@transaction.atomic
def edition_create_from_import(
    *, compact: Compact, parsed: ParsedCompact, name: str, by, welsh: ParsedCompact | None = None
) -> Edition:
    """Save an imported text as a new draft edition: every outcome and undertaking, its principles,
    codes of practice and closing sections, or nothing.

    Each undertaking's sector is "public", "vcs" or "joint" (both sectors); any other is refused
    before anything is saved, since ``objects.create`` would store it without looking."""
    if not {u.sector for u in parsed.undertakings} <= set(UndertakingSector.values):
        raise EditionError(_("Some undertakings do not say which sector makes them. Nothing was saved."))
    dispute_resolution = _dispute_text(parsed)
    current = compact.editions.filter(status=Edition.Status.PUBLISHED).first()
    draft = Edition(
        compact=compact,
        name=name,
        created_by=by,
        based_on=current,
        introduction=parsed.introduction,
        making_it_work=parsed.making_it_work,
        dispute_resolution=dispute_resolution,
    )
    if current is not None:
        for field_name in PARAMETER_FIELDS:
            setattr(draft, field_name, getattr(current, field_name))
    draft.save()
    for position, principle in enumerate(parsed.principles, start=1):
        Principle.objects.create(
            edition=draft, position=position, title=principle.title[:200], description=principle.text
        )
    for position, code in enumerate(parsed.codes_of_practice, start=1):
        CodeOfPractice.objects.create(edition=draft, position=position, title=code.title[:200], body=code.text)
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
    if welsh is not None:
        _add_welsh(draft, welsh)
    return draft


def _dispute_text(parsed: ParsedCompact) -> str:
    if not parsed.contacts:
        return parsed.dispute_resolution
    return "\n\n".join(part for part in (parsed.dispute_resolution, _("Contacts"), parsed.contacts) if part)


def _add_welsh(edition: Edition, welsh: ParsedCompact) -> dict[str, int]:
    """Put a Welsh reading beside the English of ``edition``: outcomes and undertakings by number,
    principles and codes of practice in order, the prose sections whole. Returns how many parts got
    Welsh. Raises EditionError, before anything is saved, when a Welsh outcome or undertaking has no
    English one of the same number (the caller's transaction rolls back)."""
    outcomes = {outcome.number: outcome for outcome in edition.outcomes.all()}
    undertakings = {u.number: u for u in edition.undertakings.all()}
    unplaced = [str(o.number) for o in welsh.outcomes if o.number not in outcomes]
    unplaced += [u.number for u in welsh.undertakings if u.number not in undertakings]
    if unplaced:
        raise EditionError(
            _(
                "The Welsh text has parts the edition does not have (%(numbers)s). Check that it is the Welsh of "
                "this edition. Nothing was saved."
            )
            % {"numbers": ", ".join(unplaced[:10])}
        )
    counts = {"outcomes": 0, "undertakings": 0, "principles": 0, "codes": 0, "sections": 0}
    for field_name, text in (
        ("introduction_cy", welsh.introduction),
        ("making_it_work_cy", welsh.making_it_work),
        ("dispute_resolution_cy", _dispute_text(welsh)),
    ):
        if text:
            setattr(edition, field_name, text)
            counts["sections"] += 1
    edition.save(update_fields=["introduction_cy", "making_it_work_cy", "dispute_resolution_cy"])
    for parsed_outcome in welsh.outcomes:
        outcome = outcomes[parsed_outcome.number]
        outcome.title_cy = parsed_outcome.title[:300]
        outcome.description_cy = parsed_outcome.description
        outcome.save(update_fields=["title_cy", "description_cy"])
        counts["outcomes"] += 1
        for parsed_undertaking in parsed_outcome.undertakings:
            undertaking = undertakings[parsed_undertaking.number]
            undertaking.text_cy = parsed_undertaking.text
            undertaking.save(update_fields=["text_cy"])
            counts["undertakings"] += 1
    for model_parts, parsed_parts, fields, key in (
        (list(edition.principles.all()), welsh.principles, ("title_cy", "description_cy"), "principles"),
        (list(edition.codes_of_practice.all()), welsh.codes_of_practice, ("title_cy", "body_cy"), "codes"),
    ):
        for part, parsed_part in zip(model_parts, parsed_parts, strict=False):
            setattr(part, fields[0], parsed_part.title[:200])
            setattr(part, fields[1], parsed_part.text)
            part.save(update_fields=list(fields))
            counts[key] += 1
    return counts


@transaction.atomic
def edition_add_welsh_from_import(*, edition: Edition, welsh: ParsedCompact) -> dict[str, int]:
    """Add an imported Welsh text to a draft edition, all or nothing (see ``_add_welsh``)."""
    ensure_draft(edition)
    return _add_welsh(edition, welsh)


@transaction.atomic
def import_rule_add(*, compact: Compact, kind: str, text: str, sector: str, by) -> ImportRule:
    """Remember a reading rule for this Compact's imports (the same rule twice is kept once)."""
    rule, _created = ImportRule.objects.get_or_create(
        compact=compact,
        kind=kind,
        text=text,
        sector=sector if kind == ImportRule.Kind.SECTOR else "",
        defaults={"created_by": by},
    )
    return rule


@transaction.atomic
def import_rule_remove(*, compact: Compact, rule_id: int) -> None:
    rule = ImportRule.objects.filter(compact=compact, pk=rule_id).first()
    if rule is not None:  # removing a rule already removed (a second click) is not an error
        rule.delete()


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
