"""Reads for the national body: the directory of every Compact, where each stands, in one query.

Public information only: a Compact's area, nation, ONS code, public contact, its current edition and
how many signed it. Concerns and funding notices are confidential; only the date of the latest one
goes into the status (as "something happened this year"), never a count, a name or a page.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, DateTimeField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from commitments import rules
from commitments.models import Compact, Edition, Nation, Sector
from consultations.models import Consultation
from disputes.models import Case
from funding.models import FundingNotice
from signatories.models import Signature

# What each status is called and what it means (for {% status_tag %}), in the order the filter offers them.
STATUS_LABELS = {
    rules.DIRECTORY_ACTIVE: _("Active"),
    rules.DIRECTORY_REFRESH_DUE: _("Refresh due"),
    rules.DIRECTORY_LAPSED: _("Lapsed"),
    rules.DIRECTORY_NO_EDITION: _("No edition"),
}
STATUS_MEANINGS = {
    rules.DIRECTORY_ACTIVE: "positive",
    rules.DIRECTORY_REFRESH_DUE: "warning",
    rules.DIRECTORY_LAPSED: "negative",
    rules.DIRECTORY_NO_EDITION: "neutral",
}


@dataclass(frozen=True)
class DirectoryRow:
    compact: Compact
    current_name: str
    current_published_on: datetime.date | None
    last_activity_on: datetime.date | None
    public_signatories: int
    vcs_signatories: int
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_meaning(self) -> str:
        return STATUS_MEANINGS[self.status]

    @property
    def nation_label(self) -> str:
        return str(Nation(self.compact.nation).label)

    @property
    def signatories(self) -> int:
        return self.public_signatories + self.vcs_signatories


def _latest(queryset: QuerySet, field: str) -> Subquery:
    """The latest ``field`` among ``queryset``'s rows (a datetime is cut to its date in Europe/London)."""
    rows = queryset.order_by()
    if isinstance(queryset.model._meta.get_field(field), DateTimeField):
        rows = rows.annotate(latest_day=TruncDate(field))
    else:
        rows = rows.annotate(latest_day=F(field))
    return Subquery(rows.order_by(f"-{field}").values("latest_day")[:1], output_field=DateField())


def signed_counts() -> dict[int, dict[str, int]]:
    """How many organisations of each sector have signed each Compact's current edition, by the
    Compact's pk: one grouped query over every signature (a count per Compact, each looking up its
    signatories' sectors, took a quarter of a second at national scale), kept while no signature,
    organisation, edition or Compact changes (``monitoring.indicators.kept_while_unchanged``)."""
    from monitoring.indicators import kept_while_unchanged

    return kept_while_unchanged("signed-counts", _signed_counts)


def _signed_counts() -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Signature.objects.filter(edition__status=Edition.Status.PUBLISHED, status=Signature.Status.SIGNED)
        .order_by()
        .values_list("edition__compact_id", "organisation__sector")
        .annotate(n=Count("pk"))
    )
    for compact_id, sector, n in rows:
        counts.setdefault(compact_id, {})[sector] = n
    return counts


def _last_signup() -> Subquery:
    """The day of the latest sign-up to any edition of the Compact: the latest of each edition's
    (index ``signature_edition_made_idx``), not a sort of every signature of the Compact."""
    latest_of_edition = Subquery(
        Signature.objects.filter(edition=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    )
    editions = (
        Edition.objects.filter(compact=OuterRef("pk"))
        .order_by()
        .annotate(latest=latest_of_edition)
        .filter(latest__isnull=False)
        .annotate(latest_day=TruncDate("latest"))
        .order_by("-latest")
        .values("latest_day")[:1]
    )
    return Subquery(editions, output_field=DateField())


def directory_compacts() -> QuerySet[Compact]:
    """Every Compact with what the directory shows, in one query whatever their number (the counts
    of signatories come from ``signed_counts``). Each latest date is one step down an index."""
    of_compact = {"compact": OuterRef("pk")}
    current = Edition.objects.filter(compact=OuterRef("pk"), status=Edition.Status.PUBLISHED).order_by()
    return Compact.objects.annotate(
        current_name=Subquery(current.values("name")[:1]),
        current_published_on=Subquery(current.values("published_on")[:1]),
        last_edition_created=_latest(Edition.objects.filter(**of_compact), "created_at"),
        last_edition_published=_latest(
            Edition.objects.filter(**of_compact, published_on__isnull=False), "published_on"
        ),
        last_signup=_last_signup(),
        last_consultation=_latest(Consultation.objects.filter(**of_compact), "created_at"),
        last_notice=_latest(FundingNotice.objects.filter(**of_compact), "created_at"),
        last_concern=_latest(Case.objects.filter(**of_compact), "created_at"),
    ).order_by("name", "pk")


ACTIVITY_FIELDS = (
    "last_edition_created",
    "last_edition_published",
    "last_signup",
    "last_consultation",
    "last_notice",
    "last_concern",
)


def directory_row(compact: Compact, *, today: datetime.date, signed: dict[int, dict[str, int]]) -> DirectoryRow:
    """The row of an annotated Compact (from ``directory_compacts``), its status computed; ``signed``
    is ``signed_counts()``."""
    counts = signed.get(compact.pk, {})
    days = [getattr(compact, name) for name in ACTIVITY_FIELDS]
    last_activity_on = max((day for day in days if day is not None), default=None)
    return DirectoryRow(
        compact=compact,
        current_name=compact.current_name or "",
        current_published_on=compact.current_published_on,
        last_activity_on=last_activity_on,
        public_signatories=counts.get(Sector.PUBLIC, 0),
        vcs_signatories=counts.get(Sector.VCS, 0),
        status=rules.compact_directory_status(
            today=today,
            current_published_on=compact.current_published_on,
            review_period_years=compact.review_period_years,
            last_activity_on=last_activity_on,
        ),
    )


def directory_compacts_kept() -> list[Compact]:
    """``directory_compacts()``, kept while nothing it reads changes (every model it reads is one of
    ``monitoring.indicators.COUNTED_MODELS``, whose saves and deletes start a new version)."""
    from monitoring.indicators import kept_while_unchanged

    return kept_while_unchanged("directory-compacts", lambda: list(directory_compacts()))


def directory_rows(*, today: datetime.date) -> list[DirectoryRow]:
    signed = signed_counts()
    return [directory_row(compact, today=today, signed=signed) for compact in directory_compacts()]


# --- Sorting, server-side: each sortable column, its heading and how its rows compare ---------------------


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    sort_key: object  # DirectoryRow -> a value that sorts (None never reaches it: see sort_rows)
    numeric: bool = False


def _text(value: str) -> str:
    return value.casefold()


COLUMNS = (
    Column("name", _("Compact"), lambda row: _text(str(row.compact.name))),
    Column("area", _("Area"), lambda row: _text(row.compact.area)),
    Column("nation", _("Nation"), lambda row: _text(row.nation_label)),
    Column("ons", _("ONS code"), lambda row: row.compact.ons_code or None),
    Column("status", _("Status"), lambda row: list(STATUS_LABELS).index(row.status)),
    Column("edition", _("Current edition published"), lambda row: row.current_published_on),
    Column("public", _("Public bodies signed"), lambda row: row.public_signatories, numeric=True),
    Column("vcs", _("Voluntary organisations signed"), lambda row: row.vcs_signatories, numeric=True),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_SORT = "name"


def sort_rows(rows: list[DirectoryRow], *, key: str, descending: bool) -> list[DirectoryRow]:
    """Sorted by the column, ties by name; rows without a value (no ONS code, no edition) always last."""
    column = COLUMNS_BY_KEY.get(key, COLUMNS_BY_KEY[DEFAULT_SORT])
    by_name = sorted(rows, key=lambda row: (_text(str(row.compact.name)), row.compact.pk))
    present = [row for row in by_name if column.sort_key(row) is not None]
    missing = [row for row in by_name if column.sort_key(row) is None]
    return sorted(present, key=column.sort_key, reverse=descending) + missing


# --- The measures side by side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    row: DirectoryRow
    values: list  # monitoring.indicators.Value, in INDICATORS order


def comparison(rows: list[DirectoryRow], *, year: int, today: datetime.date) -> tuple[list[ComparisonRow], list]:
    """Each row's measures for the financial year, and the national medians (of every Compact, whatever
    the filters). A fixed number of queries: the measures of every Compact are computed together."""
    from monitoring.indicators import every_compact_values, national_medians

    every = every_compact_values(year, today=today)
    medians = national_medians(every, year) if every else national_medians({}, year)
    return [ComparisonRow(row, every[row.compact.pk]) for row in rows], medians


def sort_comparison(rows: list[ComparisonRow], *, key: str, descending: bool) -> list[ComparisonRow]:
    """By a measure (its position in INDICATORS) or by a directory column; no figure always last."""
    from monitoring.indicators import INDICATORS

    positions = {item.key: position for position, item in enumerate(INDICATORS)}
    if key not in positions:
        order = sort_rows([row.row for row in rows], key=key, descending=descending)
        by_pk = {row.row.compact.pk: row for row in rows}
        return [by_pk[row.compact.pk] for row in order]
    position = positions[key]
    by_name = sorted(rows, key=lambda row: (_text(str(row.row.compact.name)), row.row.compact.pk))
    present = [row for row in by_name if row.values[position].value is not None]
    missing = [row for row in by_name if row.values[position].value is None]
    return sorted(present, key=lambda row: row.values[position].value, reverse=descending) + missing
