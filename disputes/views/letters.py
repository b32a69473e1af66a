"""The formal written challenge (request, wait for it, download it) and the public figures.

The letter form lives here rather than in disputes/forms.py, which is being written alongside.
"""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from commitments import selectors as commitments_selectors
from compact_portal.forms import DateField, GdsForm, posted_data
from disputes import letters, permissions, selectors
from disputes.models import Case, ChallengeLetter
from disputes.selectors import case_get_for_user

POLL_SECONDS = 2


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


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

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.helper.layout = Layout(Field.text("addressed_to"), Field("response_due_on", context={"size": Size.MEDIUM}))

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
        initial={"addressed_to": "", "response_due_on": case.stage_due_on},
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
    if request.GET.get("format") == "json":
        response = JsonResponse({"status": letter.status})
        add_never_cache_headers(response)
        return response
    response = render(
        request,
        "disputes/letter_progress.html",
        {
            "case": case,
            "letter": letter,
            "is_pending": letter.status == ChallengeLetter.Status.PENDING,
            "is_ready": letter.status == ChallengeLetter.Status.READY,
            "is_failed": letter.status == ChallengeLetter.Status.FAILED,
            "may_retry": may_request,
            "is_coordinator": permissions.is_case_coordinator(request.user, case),
            "poll_seconds": POLL_SECONDS,
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
    if letter.status != ChallengeLetter.Status.READY or not letter.file:
        return HttpResponseSeeOther(_progress_url(letter))
    try:
        stored = letter.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=letter.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Public figures ---------------------------------------------------------------------------------


@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    """Anonymised counts of the Compact's breach concerns, for anyone: no names, nothing below 3."""
    compact = commitments_selectors.compact_get(slug=slug)
    return render(
        request, "disputes/figures.html", {"compact": compact, "figures": selectors.compact_figures(compact=compact)}
    )
