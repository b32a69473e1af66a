"""Reads of Compacts and editions. Views call these; drafts are visible to coordinators only."""

import difflib
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from commitments import importer
from commitments.models import (
    CodeOfPractice,
    Compact,
    Edition,
    ImportRule,
    Outcome,
    Principle,
    Sector,
    Undertaking,
)
from commitments.permissions import can_view_edition, is_coordinator


def compact_list_public() -> QuerySet[Compact]:
    """Every Compact, each with its current edition (if any) fetched in the same few queries."""
    return Compact.objects.prefetch_related(
        Prefetch(
            "editions",
            queryset=Edition.objects.filter(status=Edition.Status.PUBLISHED),
            to_attr="published_editions",
        )
    ).order_by("name")


def compact_get(*, slug: str) -> Compact:
    return get_object_or_404(Compact, slug=slug)


def compact_get_for_coordinator(*, user, slug: str) -> Compact:
    """The Compact if the user coordinates it; 404 if there is none, 403 if not theirs."""
    compact = compact_get(slug=slug)
    if not is_coordinator(user, compact):
        raise PermissionDenied
    return compact


def compacts_coordinated_by(user) -> QuerySet[Compact]:
    """The Compacts a user coordinates, each with ``pending_count``: sign-ups awaiting approval."""
    if not user.is_authenticated:
        return Compact.objects.none()
    compacts = Compact.objects.all() if user.is_superuser else user.coordinated_compacts.all()
    return compacts.annotate(
        pending_count=Count("editions__signatures", filter=Q(editions__signatures__status="pending"))
    ).order_by("name")


def edition_current(*, compact: Compact) -> Edition | None:
    return compact.editions.filter(status=Edition.Status.PUBLISHED).first()


def edition_get_for_user(*, user, compact: Compact, pk: int) -> Edition:
    """An edition of this Compact the user may read; a draft the user may not see is a 404."""
    edition = get_object_or_404(Edition.objects.select_related("compact"), compact=compact, pk=pk)
    if not can_view_edition(user, edition):
        raise Http404
    return edition


def editions_for_user(*, user, compact: Compact) -> QuerySet[Edition]:
    editions = compact.editions.select_related("compact")
    if not is_coordinator(user, compact):
        editions = editions.exclude(status=Edition.Status.DRAFT)
    return editions.order_by("-published_on", "-created_at")


def edition_previous(*, edition: Edition) -> Edition | None:
    """The edition this one is compared with: the one it was based on, else the last published before it."""
    if edition.based_on_id:
        return edition.based_on
    earlier = edition.compact.editions.exclude(pk=edition.pk).exclude(status=Edition.Status.DRAFT)
    if edition.published_on:
        earlier = earlier.filter(published_on__lte=edition.published_on)
    return earlier.order_by("-published_on", "-created_at").first()


@dataclass
class OutcomeContents:
    outcome: Outcome
    by_sector: list[tuple[str, str, list[Undertaking]]] = field(default_factory=list)


@dataclass
class EditionContents:
    edition: Edition
    principles: list[Principle]
    outcomes: list[OutcomeContents]
    codes: list[CodeOfPractice]
    undertaking_count: int
    count_by_sector: dict[str, int]


def edition_contents(*, edition: Edition) -> EditionContents:
    """The whole text of an edition in four queries, undertakings grouped by outcome and sector."""
    principles = list(edition.principles.all())
    codes = list(edition.codes_of_practice.all())
    outcomes = list(
        edition.outcomes.prefetch_related(Prefetch("undertakings", queryset=Undertaking.objects.order_by("position")))
    )
    sector_labels = dict(Sector.choices)
    grouped = []
    counts = {Sector.PUBLIC.value: 0, Sector.VCS.value: 0}
    for outcome in outcomes:
        item = OutcomeContents(outcome=outcome)
        for sector in (Sector.PUBLIC, Sector.VCS):
            undertakings = [u for u in outcome.undertakings.all() if u.sector == sector]
            counts[sector.value] += len(undertakings)
            if undertakings:
                item.by_sector.append((sector.value, sector_labels[sector.value], undertakings))
        grouped.append(item)
    return EditionContents(
        edition=edition,
        principles=principles,
        outcomes=grouped,
        codes=codes,
        undertaking_count=sum(counts.values()),
        count_by_sector=counts,
    )


@dataclass(frozen=True)
class UndertakingChange:
    number: str
    change: str  # "added", "removed", "changed" or "unchanged"
    old_text: str
    new_text: str
    old_sector: str
    new_sector: str

    @property
    def text_diff(self) -> SafeString:
        """Word-by-word difference, removed words in <del>, added words in <ins>; escaped."""
        old_words, new_words = self.old_text.split(), self.new_text.split()
        parts: list[str] = []
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                parts.append(escape(" ".join(old_words[a1:a2])))
                continue
            if a2 > a1:
                parts.append(f'<del class="app-diff__removed">{escape(" ".join(old_words[a1:a2]))}</del>')
            if b2 > b1:
                parts.append(f'<ins class="app-diff__added">{escape(" ".join(new_words[b1:b2]))}</ins>')
        return mark_safe(" ".join(parts))  # noqa: S308 - every piece of text above is escaped


def undertaking_number_key(number: str) -> tuple[int, ...]:
    """Sorts undertaking numbers numerically: 2.9 before 2.10."""
    return tuple(int(part) if part.isdigit() else 0 for part in number.split("."))


def compare_undertakings(old: list[tuple[str, str, str]], new: list[tuple[str, str, str]]) -> list[UndertakingChange]:
    """Compare two editions' undertakings, given as (number, sector, text), matched by number."""
    old_by_number = {number: (sector, text) for number, sector, text in old}
    new_by_number = {number: (sector, text) for number, sector, text in new}
    rows = []
    for number in sorted(old_by_number.keys() | new_by_number.keys(), key=undertaking_number_key):
        old_sector, old_text = old_by_number.get(number, ("", ""))
        new_sector, new_text = new_by_number.get(number, ("", ""))
        if number not in old_by_number:
            change = "added"
        elif number not in new_by_number:
            change = "removed"
        elif " ".join(old_text.split()) != " ".join(new_text.split()) or old_sector != new_sector:
            change = "changed"
        else:
            change = "unchanged"
        rows.append(UndertakingChange(number, change, old_text, new_text, old_sector, new_sector))
    return rows


def change_summary(changes: list[UndertakingChange]) -> dict[str, int]:
    """How many undertakings were added, removed, changed and left unchanged."""
    summary = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
    for change in changes:
        summary[change.change] += 1
    return summary


def edition_compare(*, old: Edition, new: Edition) -> list[UndertakingChange]:
    def rows(edition: Edition) -> list[tuple[str, str, str]]:
        return list(edition.undertakings.values_list("number", "sector", "text"))

    return compare_undertakings(rows(old), rows(new))


def edition_history(*, edition: Edition) -> QuerySet[LogEntry]:
    """Every recorded create, change and delete of the edition and of its parts, newest first."""
    edition_type = ContentType.objects.get_for_model(Edition)
    return (
        LogEntry.objects.filter(
            Q(content_type=edition_type, object_pk=str(edition.pk)) | Q(additional_data__edition_id=edition.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def import_rules_for_compact(*, compact: Compact) -> list[ImportRule]:
    """The reading rules a coordinator set for this Compact's imports, oldest first. The caller has
    checked that the user coordinates the Compact."""
    return list(ImportRule.objects.filter(compact=compact))


def reading_rules_for_compact(*, compact: Compact) -> list[importer.ReadingRule]:
    return [
        importer.ReadingRule(kind=rule.kind, text=rule.text, sector=rule.sector)
        for rule in import_rules_for_compact(compact=compact)
    ]
