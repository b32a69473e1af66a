"""The formal written challenge: its HTML, and the request and render of its PDF.

The web process creates a PENDING ``ChallengeLetter`` and queues the render after commit; a Celery
worker renders it through the document engine (``compact_portal.documents``: PDF/UA-1, static
files only, a failure recorded, a lost task queued again), stores it and files it on the case's
timeline as a shared letter.

The letter goes to the respondent, so when the complainant asked for its name to be withheld it
names neither the complainant nor its people: it comes from "a voluntary or community
organisation, through the Compact coordinator" and is signed by the coordinator's role; when the
complainant prepared it, it reaches the respondent only once the coordinator has approved it (the
check of ``disputes.services.entry_check``). Replies go to the coordinator's address.
"""

import datetime
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact_portal import documents
from compact_portal.bilingual import WELSH, is_welsh, localised
from compact_portal.dates import date_range_problem, long_date
from disputes import permissions, rules
from disputes.models import Case, ChallengeLetter, Check, TimelineEntry
from notifications import delivery, notify

logger = logging.getLogger(__name__)

TEMPLATE = "disputes/pdf/letter.html"
STYLESHEET = "disputes/letter.css"  # relative to the static directory the HTML's URLs resolve against


class LetterError(Exception):
    """A letter that may not be requested; the message says why, for the user."""


def letter_number(letter: ChallengeLetter) -> int:
    """The letter's place among the case's letters: 1 for the first."""
    return ChallengeLetter.objects.filter(case_id=letter.case_id, pk__lte=letter.pk).count()


# The end of a letter's file name, saying its language (none for English, as before).
FILENAME_LANGUAGE = {ChallengeLetter.Language.WELSH: "-cy", ChallengeLetter.Language.BILINGUAL: "-dwyieithog-bilingual"}


def letter_filename(letter: ChallengeLetter) -> str:
    """``C-00012-1.pdf``: the case reference and the letter's number in the case (``C-00012-1-cy.pdf``
    in Welsh, ``…-dwyieithog-bilingual.pdf`` in both)."""
    return f"{letter.case.reference}-{letter_number(letter)}{FILENAME_LANGUAGE.get(letter.language, '')}.pdf"


def letter_codes(language: str) -> list[str]:
    """The Django language codes the letter is written in, in order: Welsh, English, or Welsh then English."""
    english = "en-gb"
    if language == ChallengeLetter.Language.WELSH:
        return [WELSH]
    if language == ChallengeLetter.Language.BILINGUAL:
        return [WELSH, english]
    return [english]


def default_language(user) -> str:
    """The letter's language unless the preparer chooses: theirs (``User.language``), else the page's."""
    chosen = getattr(user, "language", "") or translation.get_language() or ""
    return ChallengeLetter.Language.WELSH if is_welsh(chosen) else ChallengeLetter.Language.ENGLISH


def _signatory(letter: ChallengeLetter, case: Case) -> dict:
    """Who the letter is from and who signs it. A withheld complainant is never named."""
    compact = case.compact
    if not rules.sees_complainant_name(withhold_name=case.withhold_name, side=rules.RESPONDENT):
        return {
            "from_line": _("From a voluntary or community organisation, through the Compact coordinator"),
            "signed_name": _("The Compact coordinator"),
            "signed_role": _("Compact coordinator, %(compact)s") % {"compact": localised(compact, "name").text},
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
        "signed_role": _("Compact coordinator, %(compact)s") % {"compact": localised(compact, "name").text},
        "on_behalf": _("on behalf of %(name)s") % {"name": case.complainant.name},
    }


def letter_html(letter: ChallengeLetter, *, written_on: datetime.date | None = None) -> str:
    """The letter as one HTML document for WeasyPrint, in the letter's language (``letter.language``):
    Welsh, English, or the Welsh letter followed by the English one. Never the reader's language, so
    a letter made again reads the same."""
    case = letter.case
    if written_on is None:
        written_on = timezone.localdate(letter.created_at) if letter.created_at else timezone.localdate()
    undertakings = list(case.undertakings.select_related("outcome").order_by("outcome__number", "position", "pk"))
    codes = letter_codes(letter.language)
    # "On 10 November 2026:" only when what happened does not start from that date itself (in either language).
    dates_said = [f"{case.happened_on.day} {case.happened_on:%B %Y}"]
    for code in codes:
        with translation.override(code):
            dates_said.append(long_date(case.happened_on))
    versions = []
    for code in codes:
        with translation.override(code):
            versions.append(
                {
                    "code": code,
                    "tag": documents.language_tag(code),
                    "compact_name": localised(case.compact, "name").text,
                    "edition_name": localised(case.edition, "name").text,
                    "undertakings": [(u, localised(u, "text")) for u in undertakings],
                    **_signatory(letter, case),
                }
            )
    with translation.override(codes[0]):
        return render_to_string(
            TEMPLATE,
            {
                "versions": versions,
                "letter": letter,
                "case": case,
                "compact": case.compact,
                "edition": case.edition,
                "respondent": case.respondent,
                "undertakings": undertakings,
                "written_on": written_on,
                "stylesheet": STYLESHEET,
                "language_tag": documents.language_tag(codes[0]),
                "date_said": any(text in case.what_happened for text in dates_said),
                "reply_email": settings.PORTAL_CONTACT_EMAIL,
                "reply_url": settings.PORTAL_BASE_URL.rstrip("/") + case.get_absolute_url(),
                "postal_lines": postal_lines(letter) if letter.postal_address else [],
            },
        )


class LetterPdf(documents.DocumentKind):
    """The formal written challenge, for the document engine."""

    model = ChallengeLetter
    stylesheet = STYLESHEET

    def queryset(self):
        return ChallengeLetter.objects.select_related(
            "case__compact", "case__edition", "case__complainant", "case__respondent", "requested_by"
        )

    def html(self, document: ChallengeLetter) -> str:
        return letter_html(document)

    def filename(self, document: ChallengeLetter) -> str:
        return letter_filename(document)

    def queue_render(self, document_id: int) -> None:
        from disputes.tasks import render_challenge_letter

        render_challenge_letter.delay(document_id)

    def stored(self, document: ChallengeLetter) -> list[str]:
        """File the letter on the case's timeline, once."""
        if document.timeline_entry_id is not None:  # made again after its file was lost
            TimelineEntry.objects.filter(pk=document.timeline_entry_id).update(file=document.file.name)
            return []
        document.timeline_entry = _file_on_timeline(document)
        return ["timeline_entry", *letter_post_if_due(document)]


LETTER_PDF = documents.register(LetterPdf())


@transaction.atomic
def letter_request(
    *,
    case: Case,
    by,
    addressed_to: str,
    response_due_on: datetime.date,
    language: str = "",
    postal_address: str = "",
) -> ChallengeLetter:
    """Ask for the formal written challenge; a worker makes the PDF once this commits.

    ``language`` (a ``ChallengeLetter.Language``) is kept on the letter; without one, the preparer's
    (``default_language``)."""
    if not permissions.can_request_letter(by, case):
        raise LetterError(_("Only the complainant or the coordinator can send the formal written challenge."))
    if problem := date_range_problem(response_due_on, today=timezone.localdate(), name=_("The reply date")):
        raise LetterError(problem)
    if postal_address.strip() and not can_post_letters():
        raise LetterError(_("Letters cannot be posted from the portal: send this one yourself."))
    if problem := postal_address_problem(postal_address):
        raise LetterError(problem)
    if problem := address_block_problem(
        addressed_to=addressed_to, respondent_name=case.respondent.name, postal_address=postal_address
    ):
        raise LetterError(problem)
    if postal_address.strip() and len(addressed_to.strip()) > POSTAL_LINE_LENGTH_MAX:
        raise LetterError(
            _("To post the letter, enter who it is to in %(count)s characters or fewer")
            % {"count": POSTAL_LINE_LENGTH_MAX}
        )
    letter = ChallengeLetter.objects.create(
        case=case,
        addressed_to=addressed_to.strip(),
        response_due_on=response_due_on,
        requested_by=by,
        language=language if language in ChallengeLetter.Language.values else default_language(by),
        postal_address="\n".join(postal_address_lines(postal_address)),
    )
    documents.document_queue(LETTER_PDF, letter)
    return letter


def letter_retry(*, letter: ChallengeLetter, by) -> bool:
    """Queue a failed letter again; False when it had not failed (or was claimed by another retry)."""
    if not permissions.can_request_letter(by, letter.case):
        raise LetterError(_("Only the complainant or the coordinator can send the formal written challenge."))
    return documents.document_retry(LETTER_PDF, letter)


def letter_requeue_if_lost(letter: ChallengeLetter) -> bool:
    """Queue the letter again if it has been "being prepared" so long that its task was lost."""
    return documents.document_requeue_if_lost(LETTER_PDF, letter)


def letter_render(*, letter_id: int) -> ChallengeLetter | None:
    """Render one letter, store it and file it on the timeline (the worker's task). A READY letter
    is left alone; a failure is recorded on the letter (FAILED, with the error) so the page can
    offer a retry."""
    return documents.document_render(LETTER_PDF, document_id=letter_id)


def _file_on_timeline(letter: ChallengeLetter) -> TimelineEntry:
    """The shared timeline entry holding the letter; a withheld complainant's waits for the
    coordinator's approval before it reaches the other party."""
    case = letter.case
    author = letter.requested_by
    by_complainant = author is not None and permissions.is_complainant(author, case)
    return TimelineEntry.objects.create(
        case=case,
        kind=TimelineEntry.Kind.LETTER,
        visibility=TimelineEntry.Visibility.SHARED,
        author=author,
        author_organisation=case.complainant if by_complainant else None,
        # Prepared by a complainant whose name is withheld: the coordinator approves it first.
        check_status=Check.PENDING if by_complainant and case.withhold_name else Check.NOT_NEEDED,
        text=letter_timeline_text(
            letter,
            lambda: (
                _("Formal written challenge sent to %(to)s, %(body)s. A response is due by %(date)s.")
                % {
                    "to": letter.addressed_to,
                    "body": case.respondent.name,
                    "date": long_date(letter.response_due_on),
                }
            ),
        ),
        file=letter.file.name,
        file_name=letter_filename(letter),
    )


# --- Posting the letter (GOV.UK Notify's precompiled letters, decision 0023) -------------------------

# Notify reads the address from the first page's address block, 3 to 7 lines, the last a UK
# postcode; the role and the body's name take two, so the postal address has 1 to 5.
POSTAL_LINES_MAX = 5
POSTAL_LINE_LENGTH_MAX = 45
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$", re.IGNORECASE)


def can_post_letters() -> bool:
    """Letters are posted through GOV.UK Notify, so only when the portal has a Notify key."""
    return notify.is_configured()


def postal_address_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def postal_address_problem(text: str) -> str:
    """What is wrong with a postal address typed on the letter form ("" when nothing is)."""
    lines = postal_address_lines(text)
    if not lines:
        return ""
    if len(lines) > POSTAL_LINES_MAX:
        return _("Enter the address on %(count)s lines or fewer") % {"count": POSTAL_LINES_MAX}
    if any(len(line) > POSTAL_LINE_LENGTH_MAX for line in lines):
        return _("Each line of the address must be %(count)s characters or fewer") % {"count": POSTAL_LINE_LENGTH_MAX}
    if not UK_POSTCODE.match(lines[-1]):
        return _("Enter a UK postcode on the last line of the address, like SW1A 2AA")
    return ""


# Characters of the address block's font that fit on one of its lines (93 mm at 8.5 pt), at the least.
ADDRESS_BLOCK_LINE_CHARACTERS = 50
ADDRESS_BLOCK_LINES_MAX = 7


def address_block_problem(*, addressed_to: str, respondent_name: str, postal_address: str) -> str:
    """Whether the whole address (role, body, postal address) fits Notify's 7 lines once wrapped."""
    lines = [addressed_to.strip(), respondent_name.strip(), *postal_address_lines(postal_address)]
    printed = sum(max(1, -(-len(line) // ADDRESS_BLOCK_LINE_CHARACTERS)) for line in lines)
    if postal_address.strip() and printed > ADDRESS_BLOCK_LINES_MAX:
        return _("The address is too long to print on the envelope: use fewer lines")
    return ""


def postal_lines(letter: ChallengeLetter) -> list[str]:
    """The address block of a posted letter: the role, the body, then the postal address."""
    return [letter.addressed_to, letter.case.respondent.name, *postal_address_lines(letter.postal_address)]


def letter_timeline_text(letter: ChallengeLetter, text: Callable[[], str]) -> str:
    """A timeline text about the letter (filed, posted, each status Notify reports), in the letter's
    language, whoever or whatever writes it (a request in another language, a worker, Notify's
    receipt): Welsh, English, or the Welsh then the English for a bilingual letter (``letter_codes``).
    Not the Compact's default, which is only for a person who chose no language: the parties read
    the letter's progress in the language their correspondence is in, the same for all of them."""
    texts = []
    for code in letter_codes(letter.language):
        with translation.override(code):
            said = str(text())
        if said not in texts:
            texts.append(said)
    return "\n\n".join(texts)


def letter_post_if_due(letter: ChallengeLetter) -> list[str]:
    """Post a letter that has a postal address, once its PDF is made and it may reach the other
    party (a withheld complainant's waits for the coordinator's approval). Returns the fields set."""
    entry = letter.timeline_entry
    if not letter.postal_address or letter.posted_id is not None or not letter.file:
        return []
    if entry is None or not entry.reaches_other_party:
        return []
    with letter.file.open("rb") as handle:
        pdf = handle.read()
    letter.posted = delivery.letter_post(pdf=pdf, reference=f"{letter.case.reference}-{letter_number(letter)}")
    TimelineEntry.objects.create(
        case=letter.case,
        kind=TimelineEntry.Kind.LETTER,
        visibility=TimelineEntry.Visibility.SHARED,
        check_status=Check.NOT_NEEDED,
        text=letter_timeline_text(
            letter,
            lambda: (
                _("The formal written challenge is being sent by post to %(to)s, %(body)s.")
                % {"to": letter.addressed_to, "body": letter.case.respondent.name}
            ),
        ),
    )
    return ["posted"]


def letter_post_on_release(entry: TimelineEntry) -> None:
    """The coordinator released a letter entry: post the letter now if it has a postal address."""
    letter = ChallengeLetter.objects.filter(timeline_entry=entry).select_related("case__respondent").first()
    if letter is not None and letter_post_if_due(letter):
        letter.save(update_fields=["posted"])


# What the case's timeline says of each status GOV.UK Notify reports for a posted letter.
POSTED_STATUS_TEXTS = {
    "sending": gettext_lazy("GOV.UK Notify has taken the letter for printing and posting."),
    "accepted": gettext_lazy("The letter has been accepted for printing."),
    "received": gettext_lazy("The letter has been printed and handed to Royal Mail."),
    "rejected": gettext_lazy("GOV.UK Notify refused the letter, so it was not posted. Send it another way."),
    "cancelled": gettext_lazy("The posting of the letter was cancelled."),
    "validation-failed": gettext_lazy(
        "The letter failed GOV.UK Notify’s checks, so it was not posted. Send it another way."
    ),
    "virus-scan-failed": gettext_lazy("The letter failed GOV.UK Notify’s virus scan, so it was not posted."),
    "technical-failure": gettext_lazy(
        "The letter could not be posted because of a technical problem. Send it another way."
    ),
    "permanent-failure": gettext_lazy("Royal Mail returned the letter: it could not be delivered. Check the address."),
}


def on_posted_letter_status(sender, *, letter, **kwargs) -> None:
    """GOV.UK Notify reported a new status for a posted letter: say so on the case's timeline."""
    challenge = ChallengeLetter.objects.filter(posted=letter).select_related("case").first()
    text = POSTED_STATUS_TEXTS.get(letter.status)
    if challenge is None or text is None:
        return
    TimelineEntry.objects.create(
        case=challenge.case,
        kind=TimelineEntry.Kind.LETTER,
        visibility=TimelineEntry.Visibility.SHARED,
        check_status=Check.NOT_NEEDED,
        text=letter_timeline_text(challenge, lambda: str(text)),
    )
