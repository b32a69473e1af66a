"""Coordinators' pages for importing a Compact: upload (a file or pasted text), check the structure
and correct its reading with rules in plain words, then create a draft.

Each upload goes through commitments.import_sources.read_source and is read once; the text, what
each line was read as and what was found wait in the session, so the check page does not read the
text again on each load. Adding or removing a rule reads the kept text again, once, and so does the
first load in another language than the reading's (its messages are written in the reader's
language). The draft is made from exactly what the coordinator checked, and nothing is saved while
any problem is left.
"""

import hashlib
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commitments import forms, import_sources, importer, selectors, services
from commitments.models import Compact, Edition, UndertakingSector

# Listing hundreds of line errors helps nobody; the first ones show what to fix.
MAX_ERRORS_SHOWN = 50
# The structure is shown line by line up to this many lines.
MAX_LINES_SHOWN = 3000


def _session_key(compact: Compact) -> str:
    return f"commitments:import:{compact.pk}"


def _reading_data(reading: importer.Reading) -> dict:
    return {
        "parsed": reading.parsed.to_data() if reading.parsed is not None else None,
        "errors": [asdict(error) for error in reading.errors],
        # Only the lines the page shows: the session stays small for a long document.
        "kinds": reading.kinds[:MAX_LINES_SHOWN],
        "line_count": len(reading.kinds),
    }


def _read(compact: Compact, text: str, language: str = importer.LANGUAGE_EN) -> dict:
    """One reading of the text with this Compact's rules, as plain data for the session.

    A Welsh text keeps its reading as "parsed_cy" (and "parsed" stays empty: there is no English to
    make a draft from); a bilingual one keeps both, with the pairing's errors and warnings."""
    rules = selectors.reading_rules_for_compact(compact=compact)
    if language == importer.LANGUAGE_EN:
        return {
            **_reading_data(importer.read_compact_text(text, rules)),
            "language": language,
            "read_in": get_language(),
        }
    reading = importer.read_bilingual_text(text, rules, language=language)
    english = reading.english.parsed if reading.english is not None else None
    welsh = reading.welsh.parsed
    usable = not reading.errors
    return {
        "language": language,
        "read_in": get_language(),
        "parsed": english.to_data() if usable and english is not None else None,
        "parsed_cy": welsh.to_data() if usable and welsh is not None else None,
        "errors": [asdict(error) for error in reading.errors],
        "warnings": [asdict(warning) for warning in reading.warnings],
        "kinds": reading.kinds[:MAX_LINES_SHOWN],
        "languages": reading.languages[:MAX_LINES_SHOWN],
        "line_count": len(reading.kinds),
    }


def _welsh_target(compact: Compact):
    """The draft edition a Welsh document is added to: the newest draft, or None."""
    return compact.editions.filter(status=Edition.Status.DRAFT).order_by("-created_at", "-pk").first()


def _source_from_form(form: forms.ImportUploadForm) -> import_sources.SourceText | None:
    """The text of the upload or of the pasted text, or None after adding the reason to the form."""
    limit = settings.COMPACT_IMPORT_MAX_BYTES
    upload = form.cleaned_data.get("text_file")
    if upload:
        field, name = "text_file", upload.name
        if upload.size > limit:
            form.add_error(
                field,
                _("The file must be %(size)s KB or smaller. Check that it is the file of the Compact.")
                % {"size": limit // 1024},
            )
            return None
        data = upload.read(limit + 1)
    else:
        field, name = "pasted_text", "pasted.txt"
        data = form.cleaned_data["pasted_text"].encode("utf-8", "replace")
    try:
        return import_sources.read_source(name=name, data=data, max_bytes=limit)
    except import_sources.SourceError as exc:
        form.add_error(field, str(exc))
        return None


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    pending = request.session.get(_session_key(compact)) or {}
    form = forms.ImportUploadForm(
        request.POST or None, request.FILES or None, initial={"name": pending.get("name", "")}
    )
    if request.method == "POST" and form.is_valid():
        source = _source_from_form(form)
        language = form.cleaned_data["language"]
        if source is not None and language == "auto":
            language = importer.document_language(source.text)
        target = _welsh_target(compact) if language == importer.LANGUAGE_CY else None
        if source is not None and language == importer.LANGUAGE_CY and target is None:
            form.add_error(
                "language",
                _(
                    "The document is in Welsh, and this Compact has no draft edition to add the Welsh to. Import "
                    "the English text first (or a bilingual document), then import the Welsh."
                ),
            )
        elif source is not None and language != importer.LANGUAGE_CY and not form.cleaned_data["name"].strip():
            form.add_error("name", _("Enter a name for the new edition"))
        elif source is not None:
            upload = form.cleaned_data.get("text_file")
            request.session[_session_key(compact)] = {
                "name": form.cleaned_data["name"] if target is None else target.name,
                "language": language,
                "target": target.pk if target is not None else None,
                "filename": upload.name if upload else _("Pasted text"),
                "source_kind": source.kind,
                "text": source.text,
                "changes": [asdict(change) for change in source.changes],
                "source_warnings": list(source.warnings),
                "reading": _read(compact, source.text, language),
                "sha256": hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
            }
            return redirect("commitments:import_preview", slug=compact.slug)
    return render(
        request,
        "commitments/import_upload.html",
        {"compact": compact, "form": form, "max_kb": settings.COMPACT_IMPORT_MAX_BYTES // 1024},
    )


def _pending_import(request: HttpRequest, compact: Compact) -> tuple[dict, importer.ParsedCompact | None] | None:
    """What is waiting to be imported, as read last; None (and the session cleared) if nothing usable."""
    pending = request.session.get(_session_key(compact))
    if not pending:
        messages.info(request, _("Choose the file of the Compact to import."))
        return None
    try:
        reading = pending["reading"]
        parsed = importer.ParsedCompact.from_data(reading["parsed"]) if reading["parsed"] is not None else None
        if reading.get("parsed_cy") is not None:
            importer.ParsedCompact.from_data(reading["parsed_cy"])
        [importer.LineError(**error) for error in [*reading["errors"], *reading.get("warnings", [])]]
        usable = isinstance(pending["text"], str) and isinstance(reading["kinds"], list)
    except (KeyError, TypeError, ValueError):
        usable = False  # kept by an older version of the portal, or damaged
    if not usable:
        request.session.pop(_session_key(compact), None)
        messages.error(request, _("The file you chose could not be read again. Choose it again."))
        return None
    return pending, parsed


def _render_preview(
    request: HttpRequest,
    compact: Compact,
    pending: dict,
    parsed: importer.ParsedCompact | None,
    *,
    rule_form: forms.ImportRuleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rule_form = rule_form or forms.ImportRuleForm()
    rule_form.helper.form_action = reverse("commitments:import_rule_add", kwargs={"slug": compact.slug})
    reading = pending["reading"]
    errors = [importer.LineError(**error) for error in reading["errors"]]
    error_lines = {error.line for error in errors}
    labels = importer.kind_labels()
    kinds = reading["kinds"]
    lines = [
        {"number": number, "text": text, "kind": kinds[number - 1], "label": labels.get(kinds[number - 1], "")}
        for number, text in enumerate(importer.split_lines(pending["text"])[:MAX_LINES_SHOWN], start=1)
        if number <= len(kinds) and (text.strip() or number in error_lines)
    ]
    languages = reading.get("languages")
    language_names = {importer.LANGUAGE_CY: _("Welsh"), importer.LANGUAGE_EN: _("English")}
    for line in lines:
        line["error"] = line["number"] in error_lines
        if languages and line["label"] and line["number"] <= len(languages):
            line["label"] = _("%(kind)s, in %(language)s") % {
                "kind": line["label"],
                "language": language_names[languages[line["number"] - 1]],
            }
    language = pending.get("language", importer.LANGUAGE_EN)
    welsh = importer.ParsedCompact.from_data(reading["parsed_cy"]) if reading.get("parsed_cy") else None
    shown = welsh if language == importer.LANGUAGE_CY else parsed
    context = {
        "compact": compact,
        "pending": pending,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "more_errors": max(0, len(errors) - MAX_ERRORS_SHOWN),
        "lines": lines,
        "lines_cut": reading.get("line_count", 0) > MAX_LINES_SHOWN,
        "max_lines": MAX_LINES_SHOWN,
        "rules": selectors.import_rules_for_compact(compact=compact),
        "rule_form": rule_form,
        "changes": pending.get("changes", []),
        "source_warnings": pending.get("source_warnings", []),
        "language": language,
        "language_label": {
            importer.LANGUAGE_EN: _("English"),
            importer.LANGUAGE_CY: _("Welsh"),
            importer.LANGUAGE_BOTH: _("Welsh and English"),
        }[language],
        "parsed": shown,
        "warnings": (
            [importer.LineError(**warning) for warning in reading.get("warnings", [])]
            if language != importer.LANGUAGE_EN
            else (parsed.warnings if parsed is not None else [])
        ),
    }
    if language == importer.LANGUAGE_BOTH and parsed is not None and welsh is not None:
        context["welsh_found"] = {
            "undertakings": len(welsh.undertakings),
            "total": len(parsed.undertakings),
        }
    parsed = shown
    if parsed is not None:
        label = (
            _("Add the Welsh text to the draft") if language == importer.LANGUAGE_CY else _("Create the draft edition")
        )
        confirm = forms.ConfirmForm(submit_label=label)
        confirm.helper.form_action = reverse("commitments:import_preview", kwargs={"slug": compact.slug})
        labels_by_sector = dict(UndertakingSector.choices)
        context.update(
            outcomes=[
                {
                    "outcome": outcome,
                    "counts": outcome.count_by_sector(),
                    "undertakings": [(u, labels_by_sector.get(u.sector, u.sector)) for u in outcome.undertakings],
                }
                for outcome in parsed.outcomes
            ],
            counts=parsed.count_by_sector(),
            total=len(parsed.undertakings),
            form=confirm,
        )
    return render(request, "commitments/import_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    found = _pending_import(request, compact)
    if found is None:
        return redirect("commitments:import_upload", slug=compact.slug)
    pending, parsed = found
    if request.method == "POST":
        # The confirmation has no fields, so an empty POST is still a confirmation.
        language = pending.get("language", importer.LANGUAGE_EN)
        reading = pending["reading"]
        welsh = importer.ParsedCompact.from_data(reading["parsed_cy"]) if reading.get("parsed_cy") else None
        if (welsh is None if language == importer.LANGUAGE_CY else parsed is None) or (
            language == importer.LANGUAGE_BOTH and welsh is None
        ):
            messages.error(request, _("Nothing can be saved until every problem listed is fixed."))
            return _render_preview(request, compact, pending, parsed)
        if language == importer.LANGUAGE_CY:
            return _add_welsh(request, compact, pending, welsh)
        try:
            draft = services.edition_create_from_import(
                compact=compact, parsed=parsed, name=pending["name"], by=request.user, welsh=welsh
            )
        except services.EditionError as exc:
            messages.error(request, str(exc))
            return _render_preview(request, compact, pending, parsed)
        request.session.pop(_session_key(compact), None)
        messages.success(
            request,
            _(
                "The draft edition ‘%(name)s’ has been created with %(outcomes)s outcomes and %(total)s "
                "undertakings. Check it before publishing."
            )
            % {"name": draft.name, "outcomes": len(parsed.outcomes), "total": len(parsed.undertakings)},
        )
        return redirect("commitments:edition_edit", slug=compact.slug, pk=draft.pk)
    if pending["reading"].get("read_in") != get_language():
        # Read in another language: its problems and warnings are read again, once, in this one.
        pending["reading"] = _read(compact, pending["text"], pending.get("language", importer.LANGUAGE_EN))
        request.session[_session_key(compact)] = pending
        reading = pending["reading"]
        parsed = importer.ParsedCompact.from_data(reading["parsed"]) if reading["parsed"] is not None else None
    return _render_preview(request, compact, pending, parsed)


def _add_welsh(request: HttpRequest, compact: Compact, pending: dict, welsh: importer.ParsedCompact) -> HttpResponse:
    """Add a checked Welsh reading to the draft edition chosen at upload, all or nothing."""
    edition = compact.editions.filter(pk=pending.get("target"), status=Edition.Status.DRAFT).first()
    if edition is None:
        request.session.pop(_session_key(compact), None)
        messages.error(
            request,
            _("The draft edition the Welsh was for has been published or deleted. Choose the file again."),
        )
        return redirect("commitments:import_upload", slug=compact.slug)
    try:
        counts = services.edition_add_welsh_from_import(edition=edition, welsh=welsh)
    except services.EditionError as exc:
        messages.error(request, str(exc))
        return _render_preview(request, compact, pending, None)
    request.session.pop(_session_key(compact), None)
    messages.success(
        request,
        _(
            "The Welsh text has been added to the draft edition ‘%(name)s’: %(outcomes)s outcomes and "
            "%(undertakings)s undertakings. Check it before publishing."
        )
        % {"name": edition.name, "outcomes": counts["outcomes"], "undertakings": counts["undertakings"]},
    )
    return redirect("commitments:edition_edit", slug=compact.slug, pk=edition.pk)


def _read_again(request: HttpRequest, compact: Compact, pending: dict) -> None:
    pending["reading"] = _read(compact, pending["text"], pending.get("language", importer.LANGUAGE_EN))
    request.session[_session_key(compact)] = pending


@require_http_methods(["GET", "POST"])
@login_required
def import_rule_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a reading rule for this Compact and read the kept text again; the check page shows the result
    (on GET, the check page itself)."""
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    found = _pending_import(request, compact)
    if found is None:
        return redirect("commitments:import_upload", slug=compact.slug)
    pending, parsed = found
    if request.method == "GET":
        return _render_preview(request, compact, pending, parsed)
    form = forms.ImportRuleForm(request.POST)
    if not form.is_valid():
        return _render_preview(request, compact, pending, parsed, rule_form=form)
    rule = services.import_rule_add(
        compact=compact,
        kind=form.cleaned_data["kind"],
        text=form.cleaned_data["text"],
        sector=form.cleaned_data.get("sector") or "",
        by=request.user,
    )
    _read_again(request, compact, pending)
    messages.success(
        request,
        _("Rule added: %(rule)s. The text has been read again with it.") % {"rule": rule.describe()},
    )
    return redirect("commitments:import_preview", slug=compact.slug)


@require_POST
@login_required
def import_rule_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = selectors.compact_get_for_coordinator(user=request.user, slug=slug)
    found = _pending_import(request, compact)
    if found is None:
        return redirect("commitments:import_upload", slug=compact.slug)
    services.import_rule_remove(compact=compact, rule_id=pk)
    _read_again(request, compact, found[0])
    messages.success(request, _("Rule removed. The text has been read again without it."))
    return redirect("commitments:import_preview", slug=compact.slug)
