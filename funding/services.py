"""Writes of funding-change notices. Views, admin and commands call these.

Once a notice is recorded (or corrected) and committed, a task tells the receiving organisation,
and the coordinators when the notice does not meet the Compact, straight away: the reminders of
``funding.reminders``, claimed like the daily sweep's, so each is sent exactly once (and by the
sweep instead, if the task could not run).
Who may record or change a notice is checked by the caller (``funding.permissions``).
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Compact, Sector
from commitments.selectors import compact_default_language, edition_current
from compact_portal.dates import date_range_problem
from funding.models import FundingNotice, NoticeStep, TimetableItem
from funding.permissions import can_reply, can_respond
from funding.reminders import BODY_RESPONDED, RECIPIENT_REPLIED, TEMPLATES
from funding.signals import notice_recorded
from notifications.services import Message, notify_many, recipients_for_users, unique_recipients
from signatories.models import Organisation
from signatories.permissions import is_verified_public_body
from signatories.services import organisation_recipients

# What a caller may set on a notice; who gave it, who received it and under which Compact (and so
# which edition) are fixed when it is recorded.
NOTICE_FIELDS = (
    "change",
    "description",
    "description_cy",
    "notice_given_on",
    "effective_on",
    "reasons",
    "reasons_cy",
    "impact_assessed",
    "impact_findings",
    "discussed_before",
    "ended_for_performance",
    "exceptional",
    "exceptional_reason",
)
_TEXT_FIELDS = ("description", "description_cy", "reasons", "reasons_cy", "impact_findings", "exceptional_reason")

logger = logging.getLogger(__name__)


def _tell_on_commit(notice_id: int) -> None:
    """Send the notice's "received" and "does not meet" reminders once this transaction commits."""
    from funding.tasks import send_notice_recorded_reminders

    def enqueue() -> None:
        try:
            send_notice_recorded_reminders.delay(notice_id)
        except Exception:  # the queue is down: the daily sweep sends them instead
            logger.exception("Could not queue the reminders of funding notice %s; the sweep will send them", notice_id)

    transaction.on_commit(enqueue)


def _check_names(fields: dict) -> None:
    unknown = sorted(set(fields) - set(NOTICE_FIELDS))
    if unknown:
        raise TypeError(f"Unknown funding notice fields: {', '.join(unknown)}")


def _tidy(notice: FundingNotice) -> None:
    """Trim the text; forget findings or a reason that no longer apply (they were answered "no")."""
    for name in _TEXT_FIELDS:
        setattr(notice, name, (getattr(notice, name) or "").strip())
    if not notice.impact_assessed:
        notice.impact_findings = ""
    if not notice.exceptional:
        notice.exceptional_reason = ""


def _validate(notice: FundingNotice) -> None:
    """Every problem at once, by field, in words the person recording can act on."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    for name, what in (
        ("notice_given_on", _("The date written notice was given")),
        ("effective_on", _("The date the change takes effect")),
    ):
        if problem := date_range_problem(getattr(notice, name), today=today, name=what):
            errors[name] = problem
    if notice.change not in FundingNotice.Change.values:
        errors["change"] = _("Choose what changes")
    if not notice.description:
        errors["description"] = _("Enter the funding or support concerned")
    if not notice.notice_given_on:
        errors["notice_given_on"] = _("Enter the date written notice was given")
    if not notice.effective_on:
        errors["effective_on"] = _("Enter the date the change takes effect")
    elif "effective_on" not in errors and notice.notice_given_on and notice.effective_on <= notice.notice_given_on:
        errors["effective_on"] = _("The date the change takes effect must be after the date notice was given")
    if not notice.reasons:
        errors["reasons"] = _("Enter the reasons for the decision")
    if notice.impact_assessed and not notice.impact_findings:
        errors["impact_findings"] = _("Enter what the impact assessment found")
    if notice.exceptional and not notice.exceptional_reason:
        errors["exceptional_reason"] = _("Enter the exceptional circumstances")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_create(*, issuer: Organisation, recipient: Organisation, compact: Compact, by, **fields) -> FundingNotice:
    """Record a public body's notice to a voluntary organisation, under the Compact's current
    edition (whose minimum notice it is judged by, even after a later edition is published)."""
    _check_names(fields)
    errors: dict[str, str] = {}
    if issuer.sector != Sector.PUBLIC:
        errors["issuer"] = _("Notice can only be recorded for a public body: %(name)s is not one") % {
            "name": issuer.name
        }
    elif not is_verified_public_body(issuer):
        errors["issuer"] = _(
            "Notice can only be recorded for a public body once a coordinator has approved it: %(name)s is not approved"
        ) % {"name": issuer.name}
    if recipient.sector != Sector.VCS:
        errors["recipient"] = _(
            "Notice can only be recorded to a voluntary or community organisation: %(name)s is not one"
        ) % {"name": recipient.name}
    edition = edition_current(compact=compact)
    if edition is None:
        errors["compact"] = _("%(compact)s has no published edition yet, so a notice cannot be recorded under it") % {
            "compact": compact.name
        }
    if errors:
        raise ValidationError(errors)
    notice = FundingNotice(
        issuer=issuer, recipient=recipient, compact=compact, edition=edition, created_by=by, **fields
    )
    _tidy(notice)
    _validate(notice)
    notice.save()
    _tell_on_commit(notice.pk)
    notice_recorded.send(sender=FundingNotice, notice=notice)
    return notice


@transaction.atomic
def notice_update(*, notice: FundingNotice, by, **fields) -> FundingNotice:
    """Correct what was recorded. The parties, the Compact and the edition stay as they were; the
    change is kept in the audit log with who made it (``by``, the signed-in user)."""
    _check_names(fields)
    for name, value in fields.items():
        setattr(notice, name, value)
    _tidy(notice)
    _validate(notice)
    notice.save()
    _tell_on_commit(notice.pk)  # a correction may make it fall short of the Compact
    return notice


# --- The right of reply (issue 16) ----------------------------------------------------------------------

STEP_TEXT_MAX_LENGTH = 5000
TIMETABLE_MAX_ITEMS = 12


class StepError(Exception):
    """A step that this person may not record on this notice; the message says why."""


def _side_of(notice: FundingNotice, by, kind: str) -> tuple[str, Organisation]:
    """The side ``by`` records ``kind`` for: the receiving organisation's members reply, ask for a
    meeting or propose a timetable; the issuing body's members record consideration, decision or a
    timetable. A member of both (unlikely) speaks for the receiving organisation."""
    if kind in NoticeStep.RECIPIENT_KINDS and can_reply(by, notice):
        return NoticeStep.Side.RECIPIENT, notice.recipient
    if kind in NoticeStep.ISSUER_KINDS and can_respond(by, notice):
        return NoticeStep.Side.ISSUER, notice.issuer
    raise StepError(_("You cannot record this on the notice for your organisation"))


def _tell_other_side(step: NoticeStep) -> None:
    """The other party's members (or its contact) and the Compact's coordinators, each person once."""
    notice = step.notice
    if step.side == NoticeStep.Side.RECIPIENT:
        kind, other = RECIPIENT_REPLIED, notice.issuer
    else:
        kind, other = BODY_RESPONDED, notice.recipient
    people = unique_recipients(
        organisation_recipients(other, other.memberships.select_related("user")),
        recipients_for_users(notice.compact.coordinators.all()),
    )
    author_email = (getattr(step.author, "email", "") or "").lower()
    context = {"notice": notice, "step": step, "issuer": notice.issuer, "receiver": notice.recipient}
    notify_many(
        Message(
            recipient=person,
            kind=kind,
            template=TEMPLATES[kind],
            context=context,
            link=notice.get_absolute_url(),
            language=compact_default_language(notice.compact),
        )
        for person in people
        if person.email.lower() != author_email
    )


@transaction.atomic
def step_record(
    *,
    notice: FundingNotice,
    by,
    kind: str,
    text: str,
    file=None,
    file_name: str = "",
    timetable: list[tuple[str, datetime.date]] | tuple = (),
    today: datetime.date | None = None,
) -> NoticeStep:
    """Add a step to the notice's timeline for the side ``by`` speaks for, and tell the other party
    and the coordinators once each. ``file`` is a checked upload (``compact_portal.uploads``);
    ``timetable`` the (what, by when) items of an improvement timetable, required for one."""
    today = today or timezone.localdate()
    if kind not in NoticeStep.Kind.values:
        raise StepError(_("Choose what you are recording"))
    side, organisation = _side_of(notice, by, kind)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Enter what you want to say")
    elif len(text) > STEP_TEXT_MAX_LENGTH:
        errors["text"] = _("What you write must be %(max)s characters or fewer") % {"max": STEP_TEXT_MAX_LENGTH}
    items = [(action.strip(), due_on) for action, due_on in timetable]
    if kind == NoticeStep.Kind.TIMETABLE and not items:
        errors["timetable"] = _("Enter at least one step of the timetable, with its date")
    elif len(items) > TIMETABLE_MAX_ITEMS:
        errors["timetable"] = _("A timetable can have up to %(max)s steps") % {"max": TIMETABLE_MAX_ITEMS}
    elif kind != NoticeStep.Kind.TIMETABLE and items:
        errors["timetable"] = _("Only an improvement timetable has steps with dates")
    if errors:
        raise ValidationError(errors)
    notice = FundingNotice.objects.select_for_update().get(pk=notice.pk)
    step = NoticeStep(
        notice=notice,
        kind=kind,
        side=side,
        organisation=organisation,
        author=by,
        text=text,
        file_name=(file_name or "")[:200] if file else "",
        recorded_on=today,
    )
    if file:
        step.file.save(file.name, file, save=False)
    step.save()
    TimetableItem.objects.bulk_create(
        TimetableItem(step=step, position=position, action=action[:300], due_on=due_on)
        for position, (action, due_on) in enumerate(sorted(items, key=lambda item: item[1]), start=1)
    )
    step.notice = FundingNotice.objects.select_related("compact", "issuer", "recipient").get(pk=notice.pk)
    _tell_other_side(step)
    return step
