"""The formal written challenge: its HTML, and the request and render of its PDF.

The web process creates a PENDING ``ChallengeLetter`` and queues the render after commit; a Celery
worker renders it with :func:`commitments.pdf.render_pdf` (PDF/UA-1, static files only), stores
it and files it on the case's timeline as a shared letter.

The letter goes to the respondent, so when the complainant asked for its name to be withheld it
names neither the complainant nor its people: it comes from "a voluntary or community
organisation, through the Compact coordinator" and is signed by the coordinator's role; when the
complainant prepared it, it reaches the respondent only once the coordinator has approved it (the
check of ``disputes.services.entry_check``). Replies go to the coordinator's address.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commitments.pdf import _language_tag, render_pdf
from compact_portal.dates import date_range_problem, long_date
from disputes import permissions, rules
from disputes.models import Case, ChallengeLetter, Check, TimelineEntry

logger = logging.getLogger(__name__)

TEMPLATE = "disputes/pdf/letter.html"
STYLESHEET = "disputes/letter.css"  # relative to the static root render_pdf resolves against


class LetterError(Exception):
    """A letter that may not be requested; the message says why, for the user."""


def letter_number(letter: ChallengeLetter) -> int:
    """The letter's place among the case's letters: 1 for the first."""
    return ChallengeLetter.objects.filter(case_id=letter.case_id, pk__lte=letter.pk).count()


def letter_filename(letter: ChallengeLetter) -> str:
    """``C-00012-1.pdf``: the case reference and the letter's number in the case."""
    return f"{letter.case.reference}-{letter_number(letter)}.pdf"


def _signatory(letter: ChallengeLetter, case: Case) -> dict:
    """Who the letter is from and who signs it. A withheld complainant is never named."""
    compact = case.compact
    if not rules.sees_complainant_name(withhold_name=case.withhold_name, side=rules.RESPONDENT):
        return {
            "from_line": _("From a voluntary or community organisation, through the Compact coordinator"),
            "signed_name": _("The Compact coordinator"),
            "signed_role": _("Compact coordinator, %(compact)s") % {"compact": compact.name},
            "on_behalf": _("on behalf of a voluntary or community organisation that asked not to be named"),
        }
    user = letter.requested_by
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    if user is not None and permissions.is_complainant(user, case):
        return {
            "from_line": case.complainant.name,
            "signed_name": name,
            "signed_role": case.complainant.name,
            "on_behalf": "",
        }
    return {
        "from_line": case.complainant.name,
        "signed_name": name or _("The Compact coordinator"),
        "signed_role": _("Compact coordinator, %(compact)s") % {"compact": compact.name},
        "on_behalf": _("on behalf of %(name)s") % {"name": case.complainant.name},
    }


def letter_html(letter: ChallengeLetter, *, written_on: datetime.date | None = None) -> str:
    """The letter as one HTML document for WeasyPrint, in the site's language."""
    case = letter.case
    if written_on is None:
        written_on = timezone.localdate(letter.created_at) if letter.created_at else timezone.localdate()
    undertakings = list(case.undertakings.select_related("outcome").order_by("outcome__number", "position", "pk"))
    date_text = f"{case.happened_on.day} {case.happened_on:%B %Y}"
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            TEMPLATE,
            {
                "letter": letter,
                "case": case,
                "compact": case.compact,
                "edition": case.edition,
                "respondent": case.respondent,
                "undertakings": undertakings,
                "written_on": written_on,
                "stylesheet": STYLESHEET,
                "language_tag": _language_tag(settings.LANGUAGE_CODE),
                # "On 10 November 2026:" only when what happened does not start from that date itself.
                "date_said": date_text in case.what_happened,
                "reply_email": settings.PORTAL_CONTACT_EMAIL,
                "reply_url": settings.PORTAL_BASE_URL.rstrip("/") + case.get_absolute_url(),
                **_signatory(letter, case),
            },
        )


def _enqueue_render(letter_id: int) -> None:
    from disputes.tasks import render_challenge_letter

    transaction.on_commit(lambda: render_challenge_letter.delay(letter_id))


@transaction.atomic
def letter_request(*, case: Case, by, addressed_to: str, response_due_on: datetime.date) -> ChallengeLetter:
    """Ask for the formal written challenge; a worker makes the PDF once this commits."""
    if not permissions.can_request_letter(by, case):
        raise LetterError(_("Only the complainant or the coordinator can send the formal written challenge."))
    if problem := date_range_problem(response_due_on, today=timezone.localdate(), name=_("The reply date")):
        raise LetterError(problem)
    letter = ChallengeLetter.objects.create(
        case=case,
        addressed_to=addressed_to.strip(),
        response_due_on=response_due_on,
        requested_by=by,
    )
    _enqueue_render(letter.pk)
    return letter


@transaction.atomic
def letter_retry(*, letter: ChallengeLetter, by) -> bool:
    """Queue a failed letter again; False when it had not failed (or was claimed by another retry)."""
    if not permissions.can_request_letter(by, letter.case):
        raise LetterError(_("Only the complainant or the coordinator can send the formal written challenge."))
    claimed = ChallengeLetter.objects.filter(pk=letter.pk, status=ChallengeLetter.Status.FAILED).update(
        status=ChallengeLetter.Status.PENDING, error=""
    )
    if claimed:
        _enqueue_render(letter.pk)
    return bool(claimed)


def letter_render(*, letter_id: int) -> ChallengeLetter | None:
    """Render one letter, store it and file it on the timeline. A READY letter is left alone;
    a failure is recorded on the letter (FAILED, with the error) so the page can offer a retry."""
    letter = (
        ChallengeLetter.objects.select_related(
            "case__compact", "case__edition", "case__complainant", "case__respondent", "requested_by"
        )
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or letter.status == ChallengeLetter.Status.READY:
        return letter
    case = letter.case
    try:
        data = render_pdf(letter_html(letter))
        filename = letter_filename(letter)
        name = letter.file.field.generate_filename(letter, filename)
        if letter.file.storage.exists(name):  # left by an earlier attempt that died
            letter.file.storage.delete(name)
        letter.file.save(filename, ContentFile(data), save=False)
    except Exception as error:
        logger.exception("Could not render challenge letter %s of case %s", letter.pk, case.pk)
        letter.status = ChallengeLetter.Status.FAILED
        letter.error = f"{type(error).__name__}: {error}"[:2000]
        letter.save(update_fields=["status", "error"])
        return letter
    with transaction.atomic():
        author = letter.requested_by
        by_complainant = author is not None and permissions.is_complainant(author, case)
        entry = TimelineEntry.objects.create(
            case=case,
            kind=TimelineEntry.Kind.LETTER,
            visibility=TimelineEntry.Visibility.SHARED,
            author=author,
            author_organisation=case.complainant if by_complainant else None,
            # Prepared by a complainant whose name is withheld: the coordinator approves it first.
            check_status=Check.PENDING if by_complainant and case.withhold_name else Check.NOT_NEEDED,
            text=_("Formal written challenge sent to %(to)s, %(body)s. A response is due by %(date)s.")
            % {
                "to": letter.addressed_to,
                "body": case.respondent.name,
                "date": long_date(letter.response_due_on),
            },
            file=letter.file.name,
            file_name=filename,
        )
        letter.status = ChallengeLetter.Status.READY
        letter.error = ""
        letter.rendered_at = timezone.now()
        letter.timeline_entry = entry
        letter.save(update_fields=["status", "file", "error", "rendered_at", "timeline_entry"])
    return letter
