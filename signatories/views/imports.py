"""The coordinator's pages for importing an existing list of signatories: upload, check, confirm.

Like the Compact text importer (commitments/views/imports.py): the decoded text waits in the
session between the two pages, with its SHA-256 and the edition it was checked against, so what
is saved is exactly what the coordinator checked. Nothing is saved until they confirm, and
nothing at all if any row has a problem.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from commitments import selectors as compact_selectors
from commitments.models import Compact, Edition
from compact_portal.forms import GdsForm
from signatories import csv_import, import_services

# The error summary shows this many problems; the page lists every one below the form.
MAX_ERRORS_SHOWN = 50


class SignatoryImportForm(GdsForm, forms.Form):
    submit_label = gettext_lazy("Check the file")

    csv_file = forms.FileField(
        label=gettext_lazy("The list of signatories, as a CSV file"),
        # Interpolated when shown, in the reader's language (a lazy string with % is translated at import).
        help_text=lazy(
            lambda: (
                _("A .csv file saved from your spreadsheet, up to %(size)s.")
                % {"size": filesizeformat(csv_import.MAX_BYTES)}
            ),
            str,
        )(),
        error_messages={
            "required": gettext_lazy("Choose the CSV file of signatories"),
            "empty": gettext_lazy("The file you chose is empty"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImportConfirmForm(GdsForm, forms.Form):
    """The button that imports; when the file would sign organisations already in the portal, also a
    box the coordinator must tick to say they checked them (those of another Compact named above it)."""

    existing_checked = forms.BooleanField(required=False)

    def __init__(self, *args, plan: import_services.ImportPlan, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        field = self.fields["existing_checked"]
        if not plan.needs_confirmation:
            del self.fields["existing_checked"]
            return
        field.required = True
        others = len(plan.of_other_compacts)
        field.label = ngettext(
            "I have checked the organisation already in the portal listed above: it is the one this file means, "
            "and may be signed",
            "I have checked the %(count)s organisations already in the portal listed above: they are the ones "
            "this file means, and may be signed",
            len(plan.existing_to_sign),
        ) % {"count": len(plan.existing_to_sign)}
        if others:
            field.help_text = ngettext(
                "%(count)s of them belongs to another Compact.",
                "%(count)s of them belong to another Compact.",
                others,
            ) % {"count": others}
        field.error_messages["required"] = _(
            "Confirm that you have checked the organisations already in the portal, or remove them from the file"
        )


def today():
    """The date the signed dates are checked against (a function, so tests can set it)."""
    return timezone.localdate()


def _session_key(compact: Compact) -> str:
    return f"signatories:import:{compact.pk}"


def _problems(form: SignatoryImportForm, errors: list) -> list:
    """Put the problems on the form (the first ones, for the error summary); return them all."""
    for error in errors[:MAX_ERRORS_SHOWN]:
        form.add_error("csv_file", str(error))
    if len(errors) > MAX_ERRORS_SHOWN:
        form.add_error(
            "csv_file",
            _("There are %(count)s more problems, listed below. Fix them all and choose the file again.")
            % {"count": len(errors) - MAX_ERRORS_SHOWN},
        )
    return errors


def _check_upload(form: SignatoryImportForm, edition: Edition) -> tuple[str | None, list]:
    """The file's text if it can be imported as it is, else None and every problem found."""
    upload = form.cleaned_data["csv_file"]
    if upload.size > csv_import.MAX_BYTES:
        message = _("The file must be %(size)s or smaller. Split the list into smaller files.") % {
            "size": filesizeformat(csv_import.MAX_BYTES)
        }
        return None, _problems(form, [message])
    try:
        text = csv_import.decode_csv_bytes(upload.read(csv_import.MAX_BYTES + 1))
        parsed = csv_import.parse_signatory_csv(text, today=today())
    except csv_import.CsvImportError as exc:
        return None, _problems(form, exc.errors)
    plan = import_services.signatories_import_plan(edition=edition, rows=parsed.rows)
    if plan.errors:
        return None, _problems(form, plan.errors)
    return text, []


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    edition = compact_selectors.edition_current(compact=compact)
    form = None
    if edition is not None:
        form = SignatoryImportForm(request.POST, request.FILES) if request.method == "POST" else SignatoryImportForm()
    problems: list = []
    if form is not None and request.method == "POST" and form.is_valid():
        text, problems = _check_upload(form, edition)
        if text is not None:
            request.session[_session_key(compact)] = {
                "filename": form.cleaned_data["csv_file"].name,
                "text": text,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "edition_id": edition.pk,
            }
            return redirect("signatories:import_preview", slug=compact.slug)
    return render(
        request,
        "signatories/import_upload.html",
        {
            "compact": compact,
            "edition": edition,
            "form": form,
            "problems": problems if len(problems) > MAX_ERRORS_SHOWN else [],
            "max_rows": csv_import.MAX_ROWS,
            "types": csv_import.type_examples(),
        },
    )


def _pending_import(request: HttpRequest, compact: Compact, edition: Edition | None):
    """The checked file and its plan, worked out again; None (and the session cleared) if unusable."""
    pending = request.session.get(_session_key(compact))
    if not pending:
        messages.info(request, _("Choose the CSV file of signatories to import."))
        return None
    text = pending.get("text", "")
    plan = parsed = None
    if (
        edition is not None
        and pending.get("edition_id") == edition.pk
        and hashlib.sha256(text.encode("utf-8")).hexdigest() == pending.get("sha256")
    ):
        try:
            parsed = csv_import.parse_signatory_csv(text, today=today())
        except csv_import.CsvImportError:
            parsed = None
        if parsed is not None:
            plan = import_services.signatories_import_plan(edition=edition, rows=parsed.rows)
    if plan is None or plan.errors:
        request.session.pop(_session_key(compact), None)
        messages.error(
            request,
            _("The file could not be checked again: the Compact or its organisations have changed. Choose it again."),
        )
        return None
    return pending, parsed, plan


@require_http_methods(["GET", "POST"])
@login_required
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    compact = compact_selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    edition = compact_selectors.edition_current(compact=compact)
    found = _pending_import(request, compact, edition)
    if found is None:
        return redirect("signatories:import_upload", slug=compact.slug)
    pending, parsed, plan = found
    form = ImportConfirmForm(
        request.POST if request.method == "POST" else None,
        plan=plan,
        submit_label=_("Import %(count)s signatures") % {"count": plan.signatures_to_create},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = import_services.signatories_import(
                edition=edition,
                rows=parsed.rows,
                by=request.user,
                filename=pending["filename"],
                existing_confirmed=bool(form.cleaned_data.get("existing_checked")),
            )
        except import_services.SignatoryImportError as exc:
            request.session.pop(_session_key(compact), None)
            messages.error(request, " ".join(str(error) for error in exc.errors[:5]))
            return redirect("signatories:import_upload", slug=compact.slug)
        request.session.pop(_session_key(compact), None)
        messages.success(
            request,
            _(
                "Imported from %(filename)s: %(organisations)s new organisations and %(signatures)s signatures "
                "of %(edition)s. %(unchanged)s organisations already on this edition were left as they were."
            )
            % {
                "filename": pending["filename"],
                "organisations": result.organisations_created,
                "signatures": result.signatures_created,
                "edition": edition.name,
                "unchanged": result.unchanged,
            },
        )
        return redirect("signatories:register", slug=compact.slug)
    return render(
        request,
        "signatories/import_preview.html",
        {"compact": compact, "edition": edition, "pending": pending, "parsed": parsed, "plan": plan, "form": form},
    )
