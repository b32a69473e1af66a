"""Writes about consultations, their responses and their feedback. Views, admin actions and
commands call these, so that they all behave the same.

The rules a registration must keep (closing after opening, a link or a document, a rationale when
it is shorter than the Compact's minimum or informal) are checked here by
``registration_problems``; the forms call the same function to put each message by its field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Compact, Edition, Sector
from commitments.permissions import is_coordinator
from commitments.selectors import compact_default_language, edition_current
from compact_portal.dates import date_range_problem, long_date
from compact_portal.uploads import checked_upload
from consultations import rules
from consultations.models import AlertStop, Consultation, FeedbackItem, Response
from consultations.selectors import alertable_organisations, consultation_status, describe_length, weeks_text
from consultations.signals import alerts_stopped
from notifications.services import notify, unique_recipients
from signatories.models import Organisation
from signatories.permissions import is_verified_public_body
from signatories.services import organisation_recipients

# The fields of a consultation that its owner fills in (the rest are set by the services).
EDITABLE_FIELDS = (
    "title",
    "title_cy",
    "summary",
    "summary_cy",
    "policy_area",
    "kind",
    "early_notice_on",
    "opens_on",
    "closes_on",
    "shorter_rationale",
    "link",
    "document",
    "contact_name",
    "contact_email",
)
# What has already happened cannot be rewritten by the body that runs the consultation (the
# coordinators of its Compact may still correct it): once it has opened, its opening date, early
# notice and type; once it has closed, its closing date and the reason it was shorter.
FIXED_ONCE_OPEN = ("opens_on", "early_notice_on", "kind")
FIXED_ONCE_CLOSED = ("closes_on", "shorter_rationale")


class ConsultationError(Exception):
    """Something that cannot be done; the message says why, for the user."""


class ConsultationInvalid(ConsultationError):
    """Details that break the rules, as ``{field name: message}``."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


# --- Checks shared with the forms ------------------------------------------------------------------------


def rationale_message(*, edition: Edition, opens_on: datetime.date, closes_on: datetime.date, kind: str) -> str:
    """Why a rationale is asked for, and for what: says how long the consultation is."""
    length = describe_length(rules.length_days(opens_on, closes_on))
    minimum = weeks_text(edition.consultation_min_weeks)
    if kind == Consultation.Kind.INFORMAL:
        return _(
            "This is an informal consultation, open for %(length)s. The Compact asks for a formal written "
            "consultation of at least %(minimum)s: explain why an informal approach was chosen."
        ) % {"length": length, "minimum": minimum}
    return _(
        "This consultation is open for %(length)s. The Compact asks for at least %(minimum)s for a formal "
        "written consultation: explain why it is shorter."
    ) % {"length": length, "minimum": minimum}


def registration_problems(
    *,
    edition: Edition,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    kind: str | None,
    rationale: str,
    link: str,
    has_document: bool,
    early_notice_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """What is wrong with a consultation's details, by field name (empty when nothing is).

    Dates left out are reported by the form itself; the checks that need them are skipped.
    """
    problems: dict[str, str] = {}
    for name, day, what in (
        ("early_notice_on", early_notice_on, _("The date early notice was given")),
        ("opens_on", opens_on, _("The opening date")),
        ("closes_on", closes_on, _("The closing date")),
    ):
        if problem := date_range_problem(day, today=today, name=what):
            problems[name] = problem
    if problems:
        return problems  # the other checks would only add confusing messages about such a date
    if opens_on and closes_on and closes_on <= opens_on:
        problems["closes_on"] = _("The closing date must be after the opening date")
    if early_notice_on:
        if opens_on and early_notice_on > opens_on:
            problems["early_notice_on"] = _("The date early notice was given must be on or before the opening date")
        elif early_notice_on > today:
            problems["early_notice_on"] = _("The date early notice was given must be today or in the past")
    if not (link or "").strip() and not has_document:
        problems["link"] = _("Give a link to the consultation, or upload its document, or both")
    if (
        opens_on
        and closes_on
        and kind
        and "closes_on" not in problems
        and rules.needs_rationale(
            opens_on=opens_on,
            closes_on=closes_on,
            min_weeks=edition.consultation_min_weeks,
            formal=kind == Consultation.Kind.FORMAL,
        )
        and not (rationale or "").strip()
    ):
        problems["shorter_rationale"] = rationale_message(
            edition=edition, opens_on=opens_on, closes_on=closes_on, kind=kind
        )
    return problems


def fixed_fields(*, consultation: Consultation, by, today: datetime.date) -> set[str]:
    """The fields ``by`` may no longer change (none for a coordinator of the Compact)."""
    if is_coordinator(by, consultation.compact):
        return set()
    status = consultation_status(consultation, today)
    fixed: set[str] = set()
    if status != rules.FORTHCOMING:
        fixed.update(FIXED_ONCE_OPEN)
    if status in (rules.AWAITING_FEEDBACK, rules.FEEDBACK_PUBLISHED):
        fixed.update(FIXED_ONCE_CLOSED)
    return fixed


def _checked_file(file, field: str):
    """The uploaded file, checked by its contents and renamed to a short, safe name."""
    try:
        return checked_upload(file)
    except ValidationError as exc:
        raise ConsultationInvalid({field: " ".join(exc.messages)}) from None


def _delete_file_on_commit(field_file) -> None:
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


# --- Registering and changing a consultation ----------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *, organisation: Organisation, compact: Compact, by, today: datetime.date | None = None, **fields
) -> Consultation:
    """Register a consultation the public body runs under the Compact. It is judged by the
    parameters of the Compact's current edition at this moment, kept with it."""
    today = today or timezone.localdate()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if organisation.sector != Sector.PUBLIC:
        raise ConsultationError(_("Only a public body can register a consultation."))
    if not is_verified_public_body(organisation):
        raise ConsultationError(
            _("%(name)s cannot register a consultation until a coordinator has approved it as a public body.")
            % {"name": organisation.name}
        )
    edition = edition_current(compact=compact)
    if edition is None:
        raise ConsultationError(
            _("%(compact)s has no current edition yet, so consultations cannot be registered under it.")
            % {"compact": compact.name}
        )
    document = fields.pop("document", None)
    problems = registration_problems(
        edition=edition,
        opens_on=fields.get("opens_on"),
        closes_on=fields.get("closes_on"),
        kind=fields.get("kind", Consultation.Kind.FORMAL),
        rationale=fields.get("shorter_rationale", ""),
        link=fields.get("link", ""),
        has_document=bool(document),
        early_notice_on=fields.get("early_notice_on"),
        today=today,
    )
    if problems:
        raise ConsultationInvalid(problems)
    consultation = Consultation(organisation=organisation, compact=compact, edition=edition, created_by=by, **fields)
    if document:
        consultation.document = _checked_file(document, "document")
    consultation.save()
    return consultation


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, by, today: datetime.date | None = None, remove_document: bool = False, **fields
) -> Consultation:
    """Change a consultation's details. Its body, Compact and edition stay; what has already
    happened (see ``fixed_fields``) cannot be changed except by the Compact's coordinators."""
    today = today or timezone.localdate()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    consultation = Consultation.objects.select_for_update().select_related("compact", "edition").get(pk=consultation.pk)
    document = fields.pop("document", None)
    fixed = fixed_fields(consultation=consultation, by=by, today=today)
    changed_fixed = [name for name in fixed if name in fields and fields[name] != getattr(consultation, name)]
    if changed_fixed:
        raise ConsultationError(
            _(
                "The consultation has already opened or closed, so its dates, type and reason cannot be changed "
                "now. Ask the Compact’s coordinator if they are wrong."
            )
        )
    values = {name: fields.get(name, getattr(consultation, name)) for name in EDITABLE_FIELDS if name != "document"}
    has_document = bool(document) or (bool(consultation.document) and not remove_document)
    problems = registration_problems(
        edition=consultation.edition,
        opens_on=values["opens_on"],
        closes_on=values["closes_on"],
        kind=values["kind"],
        rationale=values["shorter_rationale"],
        link=values["link"],
        has_document=has_document,
        early_notice_on=values["early_notice_on"] if "early_notice_on" not in fixed else None,
        today=today,
    )
    # What can no longer be changed is judged by the compliance rules, not refused here.
    problems = {name: message for name, message in problems.items() if name not in fixed}
    if problems:
        raise ConsultationInvalid(problems)
    for name, value in fields.items():
        setattr(consultation, name, value)
    if document:
        _delete_file_on_commit(consultation.document)
        consultation.document = _checked_file(document, "document")
    elif remove_document:
        _delete_file_on_commit(consultation.document)
        consultation.document = ""
    consultation.save()
    return consultation


# --- Responses ---------------------------------------------------------------------------------------------


@transaction.atomic
def response_record(
    *,
    consultation: Consultation,
    organisation: Organisation,
    by,
    summary: str,
    represents: str = "",
    views_gathered: str = "",
    document=None,
    today: datetime.date | None = None,
) -> tuple[Response, bool]:
    """Record that a voluntary or community organisation responded; ``(response, created)``.

    One response per organisation: recording again replaces its summary (and its file, when a new
    one is given). Allowed from the opening day until feedback is published, so a response sent by
    post or email before the closing date can still be recorded after it. The public body's
    members are told.
    """
    today = today or timezone.localdate()
    if organisation.sector != Sector.VCS:
        raise ConsultationError(_("Only voluntary and community organisations record responses here."))
    consultation = (
        Consultation.objects.select_for_update().select_related("organisation", "compact").get(pk=consultation.pk)
    )
    status = consultation_status(consultation, today)
    if status == rules.FORTHCOMING:
        raise ConsultationError(
            _("This consultation opens on %(date)s. You can record your response from then.")
            % {"date": long_date(consultation.opens_on)}
        )
    if status == rules.FEEDBACK_PUBLISHED:
        raise ConsultationError(
            _("Feedback on this consultation has been published, so responses can no longer be recorded.")
        )
    if not (summary or "").strip():
        raise ConsultationInvalid({"summary": _("Enter a summary of your organisation’s response")})
    represents, views_gathered = (represents or "").strip(), (views_gathered or "").strip()
    errors = {}
    if len(represents) > Response._meta.get_field("represents").max_length:
        errors["represents"] = _("Whom your organisation represents must be 300 characters or fewer")
    if len(views_gathered) > Response._meta.get_field("views_gathered").max_length:
        errors["views_gathered"] = _("How you gathered their views must be 1000 characters or fewer")
    if errors:
        raise ConsultationInvalid(errors)
    checked = _checked_file(document, "document") if document else None
    fields = {"summary": summary, "represents": represents, "views_gathered": views_gathered, "submitted_by": by}
    response, created = Response.objects.get_or_create(
        consultation=consultation, organisation=organisation, defaults=fields
    )
    if not created:
        for name, value in fields.items():
            setattr(response, name, value)
    if checked:
        if not created:
            _delete_file_on_commit(response.document)
        response.document = checked
    response.save()
    owner = consultation.organisation
    notify(
        recipients=organisation_recipients(owner, owner.memberships.select_related("user")),
        kind="consultation_response",
        template="consultations/emails/response_recorded.txt",
        language=compact_default_language(consultation.compact),
        context={
            "consultation": consultation,
            "organisation": organisation,
            "response": response,
            "updated": not created,
            "late": status != rules.OPEN,
        },
        link=reverse("consultations:detail", kwargs={"pk": consultation.pk}) + "#responses",
    )
    return response, created


# --- Stopping alerts to an organisation -----------------------------------------------------------------


@transaction.atomic
def alert_stop(*, consultation: Consultation, organisation: Organisation, by, reason: str) -> AlertStop:
    """Stop this consultation's alerts to one signatory organisation, with a reason; the alert
    reminders skip it from then on. Who may do it (the running body) is checked by the caller.

    The apps above are told (``consultations.signals.alerts_stopped``): disputes raises its guard
    against retaliation when the organisation has a concern against the body.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ConsultationInvalid({"reason": _("Enter why the alerts to this organisation are stopped")})
    if len(reason) > AlertStop._meta.get_field("reason").max_length:
        raise ConsultationInvalid({"reason": _("The reason must be 1000 characters or fewer")})
    if not alertable_organisations(consultation=consultation).filter(pk=organisation.pk).exists():
        raise ConsultationInvalid({"organisation": _("Choose an organisation that is alerted about this consultation")})
    stop = AlertStop.objects.create(consultation=consultation, organisation=organisation, reason=reason, stopped_by=by)
    alerts_stopped.send(sender=AlertStop, alert_stop=stop)
    return stop


# --- Feedback: "you said, we did" ---------------------------------------------------------------------------


def _published_would_be_empty(consultation: Consultation, *, items_left: int, summary: str) -> bool:
    return consultation.feedback_published_on is not None and items_left == 0 and not summary.strip()


@transaction.atomic
def feedback_item_add(*, consultation: Consultation, by, theme: str, you_said: str, we_did: str) -> FeedbackItem:
    last = consultation.feedback_items.aggregate(last=Max("position"))["last"]
    return FeedbackItem.objects.create(
        consultation=consultation,
        position=(last or 0) + 1,
        theme=theme,
        you_said=you_said,
        we_did=we_did,
    )


@transaction.atomic
def feedback_item_update(*, item: FeedbackItem, by, theme: str, you_said: str, we_did: str) -> FeedbackItem:
    item.theme, item.you_said, item.we_did = theme, you_said, we_did
    item.save(update_fields=["theme", "you_said", "we_did"])
    return item


@transaction.atomic
def feedback_item_delete(*, item: FeedbackItem, by) -> None:
    consultation = Consultation.objects.select_for_update().get(pk=item.consultation_id)
    items_left = consultation.feedback_items.exclude(pk=item.pk).count()
    if _published_would_be_empty(consultation, items_left=items_left, summary=consultation.feedback_summary):
        raise ConsultationError(
            _("The feedback is published: keep at least one theme, or write an overall summary first.")
        )
    item.delete()


@transaction.atomic
def feedback_summary_update(*, consultation: Consultation, by, summary: str, summary_cy: str = "") -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    items_left = consultation.feedback_items.count()
    if _published_would_be_empty(consultation, items_left=items_left, summary=summary):
        raise ConsultationInvalid(
            {"feedback_summary": _("The feedback is published: it needs an overall summary or at least one theme.")}
        )
    consultation.feedback_summary = summary
    consultation.feedback_summary_cy = summary_cy
    consultation.save(update_fields=["feedback_summary", "feedback_summary_cy", "updated_at"])
    return consultation


@transaction.atomic
def feedback_publish(*, consultation: Consultation, by, today: datetime.date | None = None) -> Consultation:
    """Publish the feedback: the public sees it from now on, and the organisations that responded
    are told. Needs the consultation to have closed, and a theme or an overall summary."""
    today = today or timezone.localdate()
    consultation = (
        Consultation.objects.select_for_update().select_related("organisation", "compact").get(pk=consultation.pk)
    )
    if consultation.feedback_published_on is not None:
        raise ConsultationError(
            _("The feedback was already published on %(date)s.")
            % {"date": long_date(consultation.feedback_published_on)}
        )
    if today <= consultation.closes_on:
        raise ConsultationError(
            _("The consultation closes on %(date)s. Feedback can be published once it has closed.")
            % {"date": long_date(consultation.closes_on)}
        )
    if not consultation.feedback_items.exists() and not consultation.feedback_summary.strip():
        raise ConsultationError(
            _("Add at least one theme (what you heard and what changed), or an overall summary, before publishing.")
        )
    consultation.feedback_published_on = today
    consultation.save(update_fields=["feedback_published_on", "updated_at"])
    responses = consultation.responses.select_related("organisation").prefetch_related(
        "organisation__memberships__user"
    )
    recipients = unique_recipients(
        *(
            organisation_recipients(response.organisation, response.organisation.memberships.all())
            for response in responses
        )
    )
    notify(
        recipients=recipients,
        kind="consultation_feedback_published",
        template="consultations/emails/feedback_published.txt",
        language=compact_default_language(consultation.compact),
        context={"consultation": consultation},
        link=reverse("consultations:detail", kwargs={"pk": consultation.pk}) + "#feedback",
    )
    return consultation
