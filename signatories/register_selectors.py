"""Public reads about who has signed a Compact: the register, its CSV, the coverage summary.

Everything here is public (no user to check): pending and rejected applications never appear.
Each function costs a fixed number of queries whatever the number of organisations: the
register is one query (plus the paginator's count), built from correlated subqueries.

"Signed" below means a signature that is SIGNED, or that was signed and later WITHDRAWN (its
history has a step to SIGNED). A withdrawn *application* that was never approved is not public.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from commitments.models import Compact, Edition, Sector
from signatories.models import PUBLIC_TYPES, OrganisationType, Signature, SignatureEvent

S = Signature.Status


class RegisterStatus(models.TextChoices):
    """Where an organisation on the register stands against the Compact's current edition.

    CURRENT: SIGNED on the current edition. WITHDRAWN: its signature of the current edition is
    WITHDRAWN (it declined to re-affirm, or withdrew after signing), or it withdrew from the
    last edition it signed. EARLIER: anything else (asked to re-affirm, re-applying, no row yet).
    """

    CURRENT = "current", _("Signed the current edition")
    EARLIER = "earlier", _("Signed an earlier edition: asked to re-affirm")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def was_signed() -> Q:
    """Signatures that are, or once were, signed (a withdrawal after signing stays on the record)."""
    once_signed = Exists(SignatureEvent.objects.filter(signature=OuterRef("pk"), new_status=S.SIGNED))
    return Q(status=S.SIGNED) | (Q(status=S.WITHDRAWN) & Q(once_signed))


def _signed_on_compact(compact: Compact) -> QuerySet[Signature]:
    return (
        Signature.objects.filter(edition__compact=compact)
        .exclude(edition__status=Edition.Status.DRAFT)
        .filter(was_signed())
    )


def organisation_public_signatures(*, organisation) -> QuerySet[Signature]:
    """The organisation's signatures that are on a public register (signed, or withdrawn after signing),
    most recent first: what its public page shows. None at all: it has no public page."""
    return (
        Signature.objects.filter(organisation=organisation)
        .exclude(edition__status=Edition.Status.DRAFT)
        .filter(was_signed())
        .select_related("edition__compact")
        .order_by("edition__compact__name", "-edition__published_on", "-pk")
    )


def register_signatures(*, compact: Compact, current: Edition | None) -> QuerySet[Signature]:
    """Every signed signature of the Compact's editions (several per organisation), annotated with:

    - ``latest_signed_id``: the organisation's most recent signed signature on this Compact;
    - ``current_status``: its signature's status on the current edition (None if it has none);
    - ``register_status``: a ``RegisterStatus`` value.

    ``latest_only`` keeps one row per organisation; the register's filters build on this.
    """
    latest = _signed_on_compact(compact).filter(organisation=OuterRef("organisation_id"))
    latest = latest.order_by(F("edition__published_on").desc(nulls_last=True), "-edition_id")
    if current is not None:
        current_status = Subquery(
            Signature.objects.filter(organisation=OuterRef("organisation_id"), edition=current)
            .order_by()
            .values("status")[:1]
        )
    else:
        current_status = Value(None, output_field=models.CharField())
    return (
        _signed_on_compact(compact)
        .select_related("organisation", "edition")
        .annotate(
            latest_signed_id=Subquery(latest.values("pk")[:1]),
            latest_signed_status=Subquery(latest.values("status")[:1]),
            current_status=current_status,
        )
        .annotate(
            register_status=Case(
                When(current_status=S.SIGNED, then=Value(RegisterStatus.CURRENT.value)),
                When(current_status=S.WITHDRAWN, then=Value(RegisterStatus.WITHDRAWN.value)),
                When(latest_signed_status=S.WITHDRAWN, then=Value(RegisterStatus.WITHDRAWN.value)),
                default=Value(RegisterStatus.EARLIER.value),
                output_field=models.CharField(),
            )
        )
        .order_by(Lower("organisation__name"), "organisation_id", "-edition_id")
    )


def latest_only(signatures: QuerySet[Signature]) -> QuerySet[Signature]:
    """One row per organisation: the edition it signed most recently."""
    return signatures.filter(pk=F("latest_signed_id"))


def register_editions(*, compact: Compact) -> QuerySet[Edition]:
    """The editions anyone can have signed: published and superseded, newest first."""
    return compact.editions.exclude(status=Edition.Status.DRAFT).order_by(
        F("published_on").desc(nulls_last=True), "-pk"
    )


@dataclass(frozen=True)
class RegisterRow:
    """One organisation on the register, as the page and the CSV show it."""

    organisation_id: int
    organisation: str
    sector: str
    organisation_type: str
    charity_number: str
    company_number: str
    edition: str
    signed_on: datetime.date | None
    signatory_name: str
    signatory_role: str
    status: str  # a RegisterStatus value
    status_label: str


def register_row(signature: Signature) -> RegisterRow:
    """A row from a signature of ``register_signatures`` (no further queries)."""
    organisation = signature.organisation
    return RegisterRow(
        organisation_id=organisation.pk,
        organisation=organisation.name,
        sector=organisation.get_sector_display(),
        organisation_type=organisation.get_organisation_type_display(),
        charity_number=organisation.charity_number,
        company_number=organisation.company_number,
        edition=signature.edition.name,
        signed_on=signature.signed_on,
        signatory_name=signature.signatory_name,
        signatory_role=signature.signatory_role,
        status=signature.register_status,
        status_label=str(RegisterStatus(signature.register_status).label),
    )


# --- Coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeCount:
    organisation_type: str
    label: str
    count: int


@dataclass(frozen=True)
class Lapsed:
    """An organisation that signed the previous edition but has not signed the current one."""

    organisation: str
    sector: str
    organisation_type: str
    signed_previous_on: datetime.date | None
    current_status: str  # a Signature.Status value, or "" when it has no row for the current edition
    current_status_label: str


@dataclass
class Coverage:
    current: Edition | None
    previous: Edition | None
    public_by_type: list[TypeCount] = field(default_factory=list)
    vcs_by_type: list[TypeCount] = field(default_factory=list)
    lapsed: list[Lapsed] = field(default_factory=list)

    @property
    def public_total(self) -> int:
        return sum(item.count for item in self.public_by_type)

    @property
    def vcs_total(self) -> int:
        return sum(item.count for item in self.vcs_by_type)


def coverage(*, compact: Compact, current: Edition | None) -> Coverage:
    """Who has signed the current edition, by type, and who signed the previous one but not this.

    Three queries at most (the previous edition, the counts, the list), whatever the numbers.
    """
    from commitments.selectors import edition_previous

    result = Coverage(current=current, previous=None)
    if current is None:
        return result
    counts = dict(
        Signature.objects.filter(edition=current, status=S.SIGNED)
        .order_by()
        .values_list("organisation__organisation_type")
        .annotate(n=Count("pk"))
        .values_list("organisation__organisation_type", "n")
    )
    for organisation_type in OrganisationType:
        item = TypeCount(organisation_type.value, str(organisation_type.label), counts.get(organisation_type.value, 0))
        (result.public_by_type if organisation_type in PUBLIC_TYPES else result.vcs_by_type).append(item)

    result.previous = edition_previous(edition=current)
    if result.previous is None or result.previous.is_draft:
        result.previous = None
        return result
    status_now = Subquery(
        Signature.objects.filter(organisation=OuterRef("organisation_id"), edition=current)
        .order_by()
        .values("status")[:1]
    )
    lapsed = (
        Signature.objects.filter(edition=result.previous, status=S.SIGNED)
        .exclude(
            Exists(Signature.objects.filter(organisation=OuterRef("organisation_id"), edition=current, status=S.SIGNED))
        )
        .select_related("organisation")
        .annotate(status_now=status_now)
        .order_by(Lower("organisation__name"), "organisation_id")
    )
    labels = dict(S.choices)
    for signature in lapsed:
        result.lapsed.append(
            Lapsed(
                organisation=signature.organisation.name,
                sector=signature.organisation.get_sector_display(),
                organisation_type=signature.organisation.get_organisation_type_display(),
                signed_previous_on=signature.signed_on,
                current_status=signature.status_now or "",
                current_status_label=str(labels.get(signature.status_now, _("Not asked to sign this edition"))),
            )
        )
    return result


# --- The PDF's annex -------------------------------------------------------------------------------


def edition_signatory_values(edition: Edition) -> list[tuple]:
    """The edition's signatories as its PDF annex prints them (commitments.pdf.SignatoryValues):
    its standing signatures ("signed"), then, for the current edition, the organisations that
    signed the edition before it and have not yet re-affirmed this one ("pending"). Two queries."""
    from commitments.selectors import edition_previous

    # The type names translated once, in the active language, not once per signatory.
    types = {value: str(label) for value, label in OrganisationType.choices}
    fields = ("organisation__name", "organisation__sector", "organisation__organisation_type")
    values = [
        (name, sector, types.get(kind, ""), signed_by, role, signed_on, "signed")
        for name, sector, kind, signed_by, role, signed_on in edition_signed_signatures(edition=edition).values_list(
            *fields, "signatory_name", "signatory_role", "signed_on"
        )
    ]
    previous = edition_previous(edition=edition) if edition.is_current else None
    if previous is not None and not previous.is_draft:
        # Asked to re-affirm, re-applying, or not asked yet; not those that declined (withdrew).
        settled = Signature.objects.filter(
            organisation=OuterRef("organisation_id"), edition=edition, status__in=[S.SIGNED, S.WITHDRAWN, S.REJECTED]
        )
        pending = (
            edition_signed_signatures(edition=previous)
            .exclude(Exists(settled))
            .values_list(*fields, "signatory_name", "signatory_role", "signed_on")
        )
        values += [
            (name, sector, types.get(kind, ""), signed_by, role, signed_on, "pending")
            for name, sector, kind, signed_by, role, signed_on in pending
        ]
    return values


def edition_signed_signatures(*, edition: Edition) -> QuerySet[Signature]:
    """The signatures that stand on an edition (SIGNED now): public bodies first, then VCS, by name."""
    sector_order = Case(When(organisation__sector=Sector.PUBLIC, then=Value(0)), default=Value(1))
    return (
        Signature.objects.filter(edition=edition, status=S.SIGNED)
        .select_related("organisation")
        .order_by(sector_order, Lower("organisation__name"), "organisation_id")
    )
