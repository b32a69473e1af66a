"""Coordinators' pages for importing a Compact from a text file: upload, check, then create a draft.

The text is read once, on upload; what was read waits in the session (as plain data, with the
text's SHA-256) between the two pages, so the check page does not read the text again on each
load, and the draft is made from exactly what the coordinator checked. Nothing is saved until
they confirm.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commitments import forms, importer, selectors, services
from commitments.models import Compact, UndertakingSector

# Listing hundreds of line errors helps nobody; the first ones show what to fix.
MAX_ERRORS_SHOWN = 50


def _session_key(compact: Compact) -> str:
    return f"commitments:import:{compact.pk}"


def _read_upload(form: forms.ImportUploadForm) -> tuple[str, importer.ParsedCompact] | None:
    """The decoded text of the uploaded file and what was read in it, or None after adding the
    reasons to the form."""
    upload = form.cleaned_data["text_file"]
    limit = settings.COMPACT_IMPORT_MAX_BYTES
    if upload.size > limit:
        form.add_error(
            "text_file",
            _("The file must be %(size)s KB or smaller. Check that it is the plain-text version of the Compact.")
            % {"size": limit // 1024},
        )
        return None
    data = upload.read(limit + 1)
    try:
        text = importer.decode_compact_bytes(data)
        parsed = importer.parse_compact_text(text)
    except importer.CompactTextError as exc:
        for error in exc.errors[:MAX_ERRORS_SHOWN]:
            form.add_error("text_file", str(error))
        if len(exc.errors) > MAX_ERRORS_SHOWN:
            form.add_error(
                "text_file",
                _("There are %(count)s more problems. Fix these and choose the file again.")
                % {"count": len(exc.errors) - MAX_ERRORS_SHOWN},
            )
        return None
    return text, parsed


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    pending = request.session.get(_session_key(compact)) or {}
    form = forms.ImportUploadForm(
        request.POST or None, request.FILES or None, initial={"name": pending.get("name", "")}
    )
    if request.method == "POST" and form.is_valid():
        read = _read_upload(form)
        if read is not None:
            text, parsed = read
            request.session[_session_key(compact)] = {
                "name": form.cleaned_data["name"],
                "filename": form.cleaned_data["text_file"].name,
                "parsed": parsed.to_data(),
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            }
            return redirect("commitments:import_preview", slug=compact.slug)
    return render(
        request,
        "commitments/import_upload.html",
        {"compact": compact, "form": form, "max_kb": settings.COMPACT_IMPORT_MAX_BYTES // 1024},
    )


def _pending_import(request: HttpRequest, compact: Compact) -> tuple[dict, importer.ParsedCompact] | None:
    """What is waiting to be imported, as read on upload; None (and the session cleared) if nothing usable."""
    pending = request.session.get(_session_key(compact))
    if not pending:
        messages.info(request, _("Choose the text file of the Compact to import."))
        return None
    try:
        parsed = importer.ParsedCompact.from_data(pending["parsed"])
    except (KeyError, ValueError):
        parsed = None  # kept by an older version of the portal, or damaged
    if parsed is None:
        request.session.pop(_session_key(compact), None)
        messages.error(request, _("The file you chose could not be read again. Choose it again."))
        return None
    return pending, parsed


@require_http_methods(["GET", "POST"])
@login_required
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    found = _pending_import(request, compact)
    if found is None:
        return redirect("commitments:import_upload", slug=compact.slug)
    pending, parsed = found
    # Bound on any POST: the form has no fields, so an empty POST is still a confirmation.
    form = forms.ConfirmForm(
        request.POST if request.method == "POST" else None, submit_label=_("Create the draft edition")
    )
    if request.method == "POST" and form.is_valid():
        draft = services.edition_create_from_import(
            compact=compact, parsed=parsed, name=pending["name"], by=request.user
        )
        request.session.pop(_session_key(compact), None)
        counts = parsed.count_by_sector()
        messages.success(
            request,
            _(
                "The draft edition ‘%(name)s’ has been created with %(outcomes)s outcomes and %(total)s "
                "undertakings. Check it before publishing."
            )
            % {"name": draft.name, "outcomes": len(parsed.outcomes), "total": sum(counts.values())},
        )
        return redirect("commitments:edition_edit", slug=compact.slug, pk=draft.pk)
    sector_labels = dict(UndertakingSector.choices)
    outcomes = [
        {
            "outcome": outcome,
            "counts": outcome.count_by_sector(),
            "undertakings": [(u, sector_labels[u.sector]) for u in outcome.undertakings],
        }
        for outcome in parsed.outcomes
    ]
    counts = parsed.count_by_sector()
    return render(
        request,
        "commitments/import_preview.html",
        {
            "compact": compact,
            "parsed": parsed,
            "pending": pending,
            "outcomes": outcomes,
            "counts": counts,
            "total": sum(counts.values()),
            "form": form,
        },
    )
