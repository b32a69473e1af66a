"""Reads of Compacts and editions. Views call these; drafts are visible to coordinators only."""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from commitments import importer
from commitments.compare import (
    Comparison,
    LimitChange,
    MissingPart,
    compare_parts,
    compare_text,
    compare_undertakings,
    missing_parts,
    undertaking_number_key,  # noqa: F401 - disputes sorts by it from here
)
from commitments.models import (
    CodeOfPractice,
    Compact,
    Edition,
    ImportRule,
    Outcome,
    Principle,
    Undertaking,
    UndertakingSector,
)
from commitments.permissions import can_view_edition, is_coordinator
from compact_portal.bilingual import WELSH

# The edition's own texts and time limits, in the order the comparison shows them.
EDITION_TEXT_FIELDS = ("introduction", "making_it_work", "dispute_resolution")
EDITION_LIMIT_FIELDS = (
    "consultation_min_weeks",
    "feedback_due_weeks",
    "funding_notice_min_months",
    "dispute_informal_days",
    "dispute_formal_days",
    "dispute_mediation_days",
)


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
    sector_labels = dict(UndertakingSector.choices)
    grouped = []
    counts = {sector.value: 0 for sector in UndertakingSector}
    for outcome in outcomes:
        item = OutcomeContents(outcome=outcome)
        for sector in UndertakingSector:  # public, VCS, then the joint ones
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


def edition_compare(*, old: Edition, new: Edition) -> Comparison:
    """Everything that differs between two editions, in six queries however long they are."""

    def undertakings(edition: Edition) -> list[tuple[str, str, str]]:
        return list(edition.undertakings.order_by("position", "pk").values_list("number", "sector", "text"))

    def principles(edition: Edition) -> list[tuple[str, str]]:
        return list(edition.principles.order_by("position", "pk").values_list("title", "description"))

    def codes(edition: Edition) -> list[tuple[str, str]]:
        return list(edition.codes_of_practice.order_by("position", "pk").values_list("title", "body"))

    return Comparison(
        undertakings=compare_undertakings(undertakings(old), undertakings(new)),
        principles=compare_parts(principles(old), principles(new)),
        codes=compare_parts(codes(old), codes(new)),
        texts=[
            compare_text(str(Edition._meta.get_field(name).verbose_name), getattr(old, name), getattr(new, name))
            for name in EDITION_TEXT_FIELDS
        ],
        limits=[
            LimitChange(str(Edition._meta.get_field(name).verbose_name), getattr(old, name), getattr(new, name))
            for name in EDITION_LIMIT_FIELDS
        ],
    )


def edition_part_counts(*, edition: Edition) -> dict[str, int]:
    """How many of each carried-over part an edition has (a text counts 1 when it is written)."""
    counts = Edition.objects.filter(pk=edition.pk).aggregate(
        principles=Count("principles", distinct=True), codes=Count("codes_of_practice", distinct=True)
    )
    for name in EDITION_TEXT_FIELDS:
        counts[name] = 1 if getattr(edition, name).strip() else 0
    return counts


def edition_missing_parts(*, current: Edition, draft: Edition) -> list[MissingPart]:
    """The parts the current edition has that publishing the draft would drop."""
    labels = {
        "principles": _("principles"),
        "codes": _("codes of practice"),
        **{name: str(Edition._meta.get_field(name).verbose_name) for name in EDITION_TEXT_FIELDS},
    }
    return missing_parts(
        current=edition_part_counts(edition=current), draft=edition_part_counts(edition=draft), labels=labels
    )


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


def compact_default_language(compact: Compact) -> str:
    """The language to write to someone about this Compact when they have not chosen one: Welsh for
    a Welsh-first Compact, else "" (the portal's default). Given to notifications as ``language``."""
    return WELSH if compact.welsh_first else ""
