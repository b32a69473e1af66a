"""Reads of Compacts and editions. Views call these; drafts are visible to coordinators only."""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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
from compact_portal import bilingual
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
    # Counted for each Compact in a subquery, which reads only its editions' pending sign-ups (the
    # index on edition and status); a join counted every signature of every Compact (20 ms against
    # 4 ms for a coordinator of 200, national scale).
    pending = (
        Edition.objects.filter(compact=OuterRef("pk"), signatures__status="pending")
        .order_by()
        .values("compact")
        .annotate(n=Count("signatures__pk"))
        .values("n")
    )
    return compacts.annotate(pending_count=Coalesce(Subquery(pending, output_field=IntegerField()), 0)).order_by("name")


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


# --- Welsh text ---------------------------------------------------------------------------------------

# The texts of each part that a Welsh version should have, English field names.
WELSH_PART_FIELDS = {
    "principles": ("title", "description"),
    "outcomes": ("title", "description"),
    "undertakings": ("text",),
    "codes": ("title", "body"),
}
WELSH_EDITION_FIELDS = ("name", "foreword", "introduction", "making_it_work", "dispute_resolution")


@dataclass(frozen=True)
class LacksWelsh:
    """One part of an edition with English text and no Welsh: ``part`` and ``pk`` name its edit
    page (``part`` is None for the edition's own name and texts: its settings page)."""

    label: str
    part: str | None
    pk: int | None
    anchor: str


@dataclass(frozen=True)
class WelshCoverage:
    total: int
    lacking: list[LacksWelsh]

    @property
    def with_welsh(self) -> int:
        return self.total - len(self.lacking)


def edition_welsh_coverage(*, edition: Edition) -> WelshCoverage:
    """How many parts of ``edition`` have Welsh, and which do not, in four queries.

    A part counts once: an outcome lacks Welsh when its title or its description has none. The
    edition's name and each of its written texts count as a part each."""
    lacking: list[LacksWelsh] = []
    total = 0
    for name in WELSH_EDITION_FIELDS:
        if (getattr(edition, name) or "").strip():
            total += 1
            if not bilingual.has_welsh(edition, name):
                label = str(Edition._meta.get_field(name).verbose_name)
                lacking.append(LacksWelsh(label[:1].upper() + label[1:], None, None, name.replace("_", "-")))
    parts = {
        "principles": edition.principles.order_by("position", "pk"),
        "outcomes": edition.outcomes.order_by("number"),
        "undertakings": edition.undertakings.order_by("position", "pk"),
        "codes": edition.codes_of_practice.order_by("position", "pk"),
    }
    for part, queryset in parts.items():
        fields = WELSH_PART_FIELDS[part]
        for obj in queryset:
            total += 1
            if bilingual.missing_welsh(obj, fields):
                lacking.append(LacksWelsh(_welsh_label(part, obj), part, obj.pk, getattr(obj, "anchor", "")))
    return WelshCoverage(total=total, lacking=lacking)


def _welsh_label(part: str, obj) -> str:
    if part == "principles":
        return _("Principle: %(title)s") % {"title": obj.title}
    if part == "outcomes":
        return _("Outcome %(number)s: %(title)s") % {"number": obj.number, "title": obj.title}
    if part == "undertakings":
        return _("Undertaking %(number)s") % {"number": obj.number}
    return _("Code of practice: %(title)s") % {"title": obj.title}


def edition_compare_welsh(*, old: Edition, new: Edition) -> Comparison:
    """What changed in the Welsh text between two editions, the way ``edition_compare`` compares
    the English (and within the same bounds): a part that gained Welsh shows as added."""

    def undertakings(edition: Edition) -> list[tuple[str, str, str]]:
        rows = edition.undertakings.exclude(text_cy="").order_by("position", "pk")
        return list(rows.values_list("number", "sector", "text_cy"))

    def titled(queryset) -> list[tuple[str, str]]:
        return [
            (title, text)
            for title, text in queryset.order_by("position", "pk").values_list("title_cy", "_text_cy")
            if title.strip() or text.strip()
        ]

    def principles(edition: Edition) -> list[tuple[str, str]]:
        return titled(edition.principles.annotate(_text_cy=F("description_cy")))

    def codes(edition: Edition) -> list[tuple[str, str]]:
        return titled(edition.codes_of_practice.annotate(_text_cy=F("body_cy")))

    return Comparison(
        undertakings=compare_undertakings(undertakings(old), undertakings(new)),
        principles=compare_parts(principles(old), principles(new)),
        codes=compare_parts(codes(old), codes(new)),
        texts=[
            compare_text(
                str(Edition._meta.get_field(f"{name}_cy").verbose_name),
                getattr(old, f"{name}_cy"),
                getattr(new, f"{name}_cy"),
            )
            for name in EDITION_TEXT_FIELDS
        ],
        limits=[],
    )
