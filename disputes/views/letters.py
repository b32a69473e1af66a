"""The formal written challenge (request, wait for it, download it) and the public figures.

The letter form lives here rather than in disputes/forms.py, which is being written alongside.
"""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments import selectors as commitments_selectors
from compact_portal import documents
from compact_portal.forms import DateField, GdsForm, posted_data
from disputes import letters, permissions, selectors
from disputes.models import Case, ChallengeLetter
from disputes.selectors import case_get_for_user

# What the progress page (documents/progress.html) says.
PROGRESS_TEXTS = {
    "pending": _("Preparing the letter"),
    "pending_body": _("We are making the letter as a PDF. This usually takes a few seconds."),
    "ready": _("Your letter is ready"),
    "ready_status": _("Your letter is ready. Use the button below to download it."),
    "download": _("Download the letter (PDF)"),
    "failed": _("The letter could not be made"),
    "failed_body": _(
        "Something went wrong while the letter was being prepared. You can try again now. "
        "If it fails again, contact the Compact team."
    ),
}


HttpResponseSeeOther = documents.HttpResponseSeeOther


class LetterForm(GdsForm, forms.Form):
    submit_label = _("Prepare the letter")

    addressed_to = forms.CharField(
        label=_("Who is the letter to?"),
        help_text=_("The decision maker’s role, for example Director of Adult Services"),
        max_length=200,
        error_messages={"required": _("Enter who the letter is to, like Director of Adult Services")},
    )
    response_due_on = DateField(
        label=_("Date a reply is due"),
        help_text=_("For example, 4 3 2027"),
        required_message=_("Enter the date a reply is due"),
    )

    language = forms.ChoiceField(
        label=_("Language of the letter"),
        help_text=_("Write it in the language the other side works in, or in both."),
        choices=[
            (ChallengeLetter.Language.WELSH, _("Welsh")),
            (ChallengeLetter.Language.ENGLISH, _("English")),
            (ChallengeLetter.Language.BILINGUAL, _("Both: Welsh, then English")),
        ],
        widget=forms.RadioSelect,
        required=False,  # none chosen (a form without script, say): the preparer's own language
    )

    postal_address = forms.CharField(
        label=_("Postal address (if they have no email address)"),
        help_text=_(
            "We will post the letter to this address. Leave it empty if you will send the letter yourself. "
            "Put each part of the address on its own line, with the postcode on the last line."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=300,
        required=False,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.helper.layout = Layout(
            Field.text("addressed_to"),
            Field("response_due_on", context={"size": Size.MEDIUM}),
            Field.radios("language", legend_size=Size.SMALL),
            Field.textarea("postal_address", rows=5),
        )
        if not letters.can_post_letters():  # posting needs GOV.UK Notify (decision 0023)
            del self.fields["postal_address"]
            self.helper.layout.fields.pop()

    def clean(self):
        cleaned = super().clean()
        to = cleaned.get("addressed_to", "")
        if cleaned.get("postal_address") and len(to.strip()) > letters.POSTAL_LINE_LENGTH_MAX:
            self.add_error(
                "addressed_to",
                _("To post the letter, enter who it is to in %(count)s characters or fewer")
                % {"count": letters.POSTAL_LINE_LENGTH_MAX},
            )
        elif problem := letters.address_block_problem(
            addressed_to=to, respondent_name=self.case.respondent.name, postal_address=cleaned.get("postal_address", "")
        ):
            self.add_error("postal_address", problem)
        return cleaned

    def clean_postal_address(self):
        address = self.cleaned_data.get("postal_address", "")
        if problem := letters.postal_address_problem(address):
            raise forms.ValidationError(problem)
        return address

    def clean_response_due_on(self):
        due = self.cleaned_data["response_due_on"]
        if due and due < self.case.stage_started_on:
            raise forms.ValidationError(_("The reply date must be after the formal challenge started"))
        return due


def _letter(case: Case, letter_pk: int, user) -> ChallengeLetter:
    """The letter, if this user may see it: the other party of a withheld complainant only once
    the coordinator has approved it (404 before, as for a letter that does not exist)."""
    letter = get_object_or_404(ChallengeLetter.objects.select_related("timeline_entry"), case=case, pk=letter_pk)
    if not permissions.sees_complainant_name(user, case) and (
        letter.timeline_entry is None or not letter.timeline_entry.reaches_other_party
    ):
        raise Http404
    return letter


def _progress_url(letter: ChallengeLetter) -> str:
    return reverse("disputes:letter_progress", kwargs={"pk": letter.case_id, "letter_pk": letter.pk})


def _download_url(letter: ChallengeLetter) -> str:
    return reverse("disputes:letter_download", kwargs={"pk": letter.case_id, "letter_pk": letter.pk})


@require_http_methods(["GET", "POST"])
@login_required
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the formal written challenge: to whom, and by when a reply is due."""
    case = case_get_for_user(user=request.user, pk=pk)
    if not permissions.can_request_letter(request.user, case):
        raise PermissionDenied
    form = LetterForm(
        posted_data(request),
        case=case,
        initial={
            "addressed_to": "",
            "response_due_on": case.stage_due_on,
            "language": letters.default_language(request.user),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.letter_request(case=case, by=request.user, **form.cleaned_data)
        except letters.LetterError as error:
            form.add_error(None, str(error))
        else:
            return HttpResponseSeeOther(_progress_url(letter))
    return render(request, "disputes/letter_new.html", {"case": case, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def letter_progress(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    """'Preparing the letter'. The page's script asks again (``?format=json``) and offers the
    download once it is ready; without script, a link checks again (no automatic refresh).
    POST asks for another attempt after the render failed."""
    case = case_get_for_user(user=request.user, pk=pk, log_read=False)
    letter = _letter(case, letter_pk, request.user)
    may_request = permissions.can_request_letter(request.user, case)
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        letters.letter_retry(letter=letter, by=request.user)
        return HttpResponseSeeOther(_progress_url(letter))
    letters.letter_requeue_if_lost(letter)  # "being prepared" for ever otherwise
    if request.GET.get("format") == "json":
        return documents.progress_json(letter)
    response = render(
        request,
        "disputes/letter_progress.html",
        {
            "case": case,
            "letter": letter,
            "texts": PROGRESS_TEXTS,
            "title_suffix": case.reference,
            "show_error": permissions.is_case_coordinator(request.user, case),
            "retry_url": _progress_url(letter) if may_request else "",
            **documents.progress_context(letter, status_url=_progress_url(letter), download_url=_download_url(letter)),
        },
    )
    add_never_cache_headers(response)
    return response


@require_GET
@login_required
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    """The letter's PDF, for anyone who may see the case (it is a shared document)."""
    case = case_get_for_user(user=request.user, pk=pk)
    letter = _letter(case, letter_pk, request.user)
    if not letter.is_ready or not letter.file:
        return HttpResponseSeeOther(_progress_url(letter))
    response = documents.document_response(
        request, letter, filename=letter.file.name.rsplit("/", 1)[-1], confidential=True
    )
    if response is None:
        raise Http404
    return response


# --- Public figures ---------------------------------------------------------------------------------


@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    """Anonymised counts of the Compact's breach concerns, for anyone: no names, nothing below 3."""
    compact = commitments_selectors.compact_get(slug=slug)
    return render(
        request, "disputes/figures.html", {"compact": compact, "figures": selectors.compact_figures(compact=compact)}
    )
