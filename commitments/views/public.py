"""Public pages: anyone can read a Compact's current and earlier editions."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commitments import selectors
from commitments.permissions import is_coordinator

# How long the Compact list keeps its written rows (under a hash of what they show).
COMPACT_LIST_CACHE_SECONDS = 60 * 60


def welsh_context(edition, welsh_changes) -> dict:
    """The "Welsh text" section's context (templates/commitments/includes/welsh_text.html)."""
    return {
        "welsh": selectors.edition_welsh_coverage(edition=edition),
        "welsh_changes": welsh_changes,
        "welsh_changed_undertakings": [c for c in welsh_changes.undertakings if c.change != "unchanged"]
        if welsh_changes
        else [],
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: the Compacts anyone can read (at /, see ``commitments.home_urls``)."""
    return render(request, "home.html", {"compacts": selectors.compact_list_public()})


@require_GET
def compact_list(request: HttpRequest) -> HttpResponse:
    """Every Compact. Its rows are kept, written, under a hash of everything they show (so a change
    to any is a new key, with nothing to invalidate): writing 200 rows was most of the page's time."""
    compacts = list(selectors.compact_list_public())
    language = translation.get_language() or ""
    shown = [
        (
            c.pk,
            c.slug,
            c.name,
            c.name_cy,
            c.area,
            [(e.pk, e.name, e.name_cy, e.published_on) for e in c.published_editions],
        )
        for c in compacts
    ]
    key = "compact-list-rows:" + hashlib.sha256(repr((language, shown)).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        rows = render_to_string("commitments/compact_list_rows.html", {"compacts": compacts}, request)
        cache.set(key, rows, COMPACT_LIST_CACHE_SECONDS)
    return render(request, "commitments/compact_list.html", {"compacts": compacts, "rows": mark_safe(rows)})  # noqa: S308 - written by the template above


@require_GET
def compact_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The Compact as it stands: its current edition, or a note that none is published yet."""
    compact = selectors.compact_get(slug=slug)
    edition = selectors.edition_current(compact=compact)
    if edition is None:
        return render(
            request,
            "commitments/compact_unpublished.html",
            {"compact": compact, "is_coordinator": is_coordinator(request.user, compact)},
        )
    return _render_edition(request, edition)


@require_GET
def edition_list(request: HttpRequest, slug: str) -> HttpResponse:
    compact = selectors.compact_get(slug=slug)
    return render(
        request,
        "commitments/edition_list.html",
        {
            "compact": compact,
            "editions": selectors.editions_for_user(user=request.user, compact=compact),
            "is_coordinator": is_coordinator(request.user, compact),
        },
    )


@require_GET
def edition_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    compact = selectors.compact_get(slug=slug)
    edition = selectors.edition_get_for_user(user=request.user, compact=compact, pk=pk)
    if edition.is_current:
        return redirect("commitments:compact_detail", slug=compact.slug)
    return _render_edition(request, edition)


def _render_edition(request: HttpRequest, edition) -> HttpResponse:
    return render(
        request,
        "commitments/edition_detail.html",
        {
            "compact": edition.compact,
            "edition": edition,
            "contents": selectors.edition_contents(edition=edition),
            "previous": selectors.edition_previous(edition=edition),
            "is_coordinator": is_coordinator(request.user, edition.compact),
        },
    )


@require_GET
def edition_compare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """What this edition added, removed and changed, undertaking by undertaking."""
    compact = selectors.compact_get(slug=slug)
    edition = selectors.edition_get_for_user(user=request.user, compact=compact, pk=pk)
    previous = selectors.edition_previous(edition=edition)
    comparison = selectors.edition_compare(old=previous, new=edition) if previous else None
    show_unchanged = request.GET.get("show") == "all"
    undertakings = comparison.undertakings if comparison else []
    welsh_changes = selectors.edition_compare_welsh(old=previous, new=edition) if previous else None
    part_tables = []
    if comparison:
        part_tables = [
            (
                _("Principles"),
                comparison.principles if show_unchanged else comparison.changed_principles,
                _("The principles are the same."),
            ),
            (
                _("Codes of practice"),
                comparison.codes if show_unchanged else comparison.changed_codes,
                _("The codes of practice are the same."),
            ),
        ]
    return render(
        request,
        "commitments/edition_compare.html",
        {
            "compact": compact,
            "edition": edition,
            "previous": previous,
            "comparison": comparison,
            "part_tables": part_tables,
            "changes": undertakings if show_unchanged else [c for c in undertakings if c.change != "unchanged"],
            "summary": comparison.summary if comparison else {},
            "show_unchanged": show_unchanged,
            **welsh_context(edition, welsh_changes),
        },
    )
