"""Reads of organisations and signatures, checked per user: what is not theirs is a 404."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from commitments.models import Compact, Edition, Sector
from notifications.models import BouncingAddress
from signatories import rules
from signatories.models import Invitation, Membership, Organisation, SectorStatus, Signature, verified_public_q
from signatories.permissions import can_view_signature, is_member
from signatories.rules import normalise_name, normalise_number, token_hash


def signature_get_for_user(*, user, pk: int) -> Signature:
    """A signature the user may see (its organisation's members, the coordinator, the applicant)."""
    signature = get_object_or_404(
        Signature.objects.select_related("organisation", "edition__compact", "applied_by", "decided_by"), pk=pk
    )
    if not can_view_signature(user, signature):
        raise Http404
    return signature


def organisation_get_for_member(*, user, pk: int) -> Organisation:
    """An organisation's own page is for its members (and superusers) only."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not (user.is_authenticated and (user.is_superuser or is_member(user, organisation))):
        raise Http404
    return organisation


@dataclass(frozen=True)
class Reach:
    """What a person's records are reached through: the organisations they belong to and the
    Compacts they coordinate (ids)."""

    organisation_ids: list[int]
    compact_ids: list[int]

    def __bool__(self) -> bool:
        return bool(self.organisation_ids or self.compact_ids)


def reach_of(user) -> Reach:
    """The ids of the user's organisations and coordinated Compacts, in one query.

    For lists filtered by "of my organisations, or of a Compact I coordinate": literal ids let
    PostgreSQL combine the indexes on each column, where subqueries in an OR make it read every
    row of the table (every funding notice, every concern).
    """
    if not user.is_authenticated:
        return Reach([], [])
    memberships = Membership.objects.filter(user=user).values_list("organisation_id", Value(0))
    coordinated = Compact.coordinators.through.objects.filter(user=user).values_list("compact_id", Value(1))
    rows = list(memberships.union(coordinated, all=True))
    return Reach(
        organisation_ids=[pk for pk, kind in rows if kind == 0], compact_ids=[pk for pk, kind in rows if kind == 1]
    )


def organisations_of(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def verified_public_bodies_of(user) -> QuerySet[Organisation]:
    """The approved public bodies the user belongs to: those they act for as a public-body officer."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(verified_public_q(), memberships__user=user).order_by("name")


def compacts_for_officer(*, user) -> QuerySet[Compact]:
    """Compacts with a current edition that the user's approved public bodies signed or applied to sign
    (every Compact with a current edition when they have none yet), by name."""
    compacts = Compact.objects.filter(editions__status=Edition.Status.PUBLISHED)
    mine = compacts.filter(editions__signatures__organisation__in=verified_public_bodies_of(user))
    return (mine if mine.exists() else compacts).distinct().order_by("name")


def organisations_awaiting_approval() -> QuerySet[Organisation]:
    """Organisations whose sector or type waits for a coordinator, oldest request first."""
    return (
        Organisation.objects.filter(sector_status=SectorStatus.PENDING)
        .select_related("sector_requested_by")
        .order_by("created_at", "pk")
    )


def likely_duplicates(*, name: str, charity_number: str = "", company_number: str = "") -> QuerySet[Organisation]:
    """Organisations that are probably the one described: same charity or company number, or the
    same name once case, punctuation, "Ltd", "The" and "&"/"and" are set aside."""
    query = Q()
    if normalise_name(name):
        query |= Q(normalised_name=normalise_name(name))
    if normalise_number(charity_number):
        query |= Q(charity_number__iexact=normalise_number(charity_number))
    if normalise_number(company_number):
        query |= Q(company_number__iexact=normalise_number(company_number))
    if not query:
        return Organisation.objects.none()
    return Organisation.objects.filter(query).order_by("name")


SEARCH_LIMIT = 50  # the most results a search for an organisation shows


def organisations_matching(
    query: str, *, exclude: Iterable[int] = (), sector: str | None = None, limit: int | None = None
) -> QuerySet[Organisation]:
    """Organisations whose name contains ``query`` (ignoring case, or punctuation, "Ltd", "The" and
    "&"/"and"), or whose charity or company number it is, by name. ``exclude``: primary keys to
    leave out (the user's own organisations); ``sector``: only that sector. An empty query matches
    nothing. The one search for an organisation by name that every "find the organisation" step uses.
    """
    query = query.replace("\x00", "").strip()  # PostgreSQL refuses NUL characters
    if not query:
        return Organisation.objects.none()
    match = Q(name__icontains=query)
    if normalise_name(query):
        match |= Q(normalised_name__contains=normalise_name(query))
    if normalise_number(query):
        match |= Q(charity_number__iexact=normalise_number(query)) | Q(company_number__iexact=normalise_number(query))
    organisations = Organisation.objects.filter(match)
    if sector is not None:
        organisations = organisations.filter(sector=sector)
    exclude = list(exclude)
    if exclude:
        organisations = organisations.exclude(pk__in=exclude)
    organisations = organisations.order_by("name", "pk")
    return organisations[:limit] if limit is not None else organisations


def organisation_search(*, query: str, edition: Edition) -> QuerySet[Organisation]:
    """``organisations_matching``, each with the state of its signature of the edition
    (``current_status``) in the same query."""
    current = Signature.objects.filter(organisation=OuterRef("pk"), edition=edition)
    return organisations_matching(query).annotate(current_status=Subquery(current.values("status")[:1]))


def signatures_pending(*, compact: Compact) -> QuerySet[Signature]:
    """Applications to sign any edition of the Compact that wait for the coordinator, oldest first."""
    return (
        Signature.objects.filter(edition__compact=compact, status=Signature.Status.PENDING)
        .select_related("organisation", "edition", "applied_by")
        .order_by("applied_at", "pk")
    )


def editions_to_sign(*, organisation: Organisation) -> QuerySet[Edition]:
    """Current editions of any Compact that the organisation has not signed or applied to sign,
    each with its Compact's slug and names only (what a sign-up button shows): an edition's long
    texts in two languages, for every Compact of the country, were most of the organisation page's
    database reading."""
    live = Signature.objects.filter(
        edition=OuterRef("pk"), organisation=organisation, status__in=Signature.LIVE_STATUSES
    )
    return (
        Edition.objects.filter(status=Edition.Status.PUBLISHED)
        .exclude(Exists(live))
        .select_related("compact")
        .only("id", "compact__id", "compact__slug", "compact__name", "compact__name_cy")
        .order_by("compact__name")
    )


def invitations_open(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its state (used, expired or open)."""
    return Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token)).first()


@dataclass
class YearCounts:
    """One Compact's signatories on the edition in force at a financial year's end."""

    statutory_types_signed: int = 0  # of rules.STATUTORY_PARTNER_TYPES
    vcs_signed: int = 0
    signed: int = 0
    with_champion: int = 0
    previous_signed: int | None = None  # None when there was no previous edition
    reaffirmed: int = 0
    has_edition: bool = False


def year_counts(*, compact_ids: list[int], end: datetime.date) -> dict[int, YearCounts]:
    """For each Compact, the organisations signed (and signed before ``end``) on the edition in force
    on the year's last day, and on the one before it. Two queries whatever the number of Compacts.

    A public body's type counts once a coordinator has approved it (``verified_type``); the champion
    is the one named now (the portal keeps no history of champions), and a signature withdrawn since
    the year's end is no longer counted for it."""
    published: dict[int, list[tuple[int, datetime.date]]] = {pk: [] for pk in compact_ids}
    editions = Edition.objects.filter(
        compact_id__in=compact_ids,
        status__in=[Edition.Status.PUBLISHED, Edition.Status.SUPERSEDED],
        published_on__lt=end,
    ).values_list("compact_id", "pk", "published_on")
    for compact_id, pk, published_on in editions:
        published[compact_id].append((pk, published_on))
    in_force = {pk: rules.editions_in_force(rows, end) for pk, rows in published.items()}
    wanted = {edition for pair in in_force.values() for edition in pair if edition is not None}
    signed: dict[int, dict[int, tuple]] = {edition: {} for edition in wanted}
    rows = Signature.objects.filter(
        edition_id__in=wanted, status=Signature.Status.SIGNED, signed_on__lt=end
    ).values_list(
        "edition_id",
        "organisation_id",
        "organisation__sector",
        "organisation__verified_sector",
        "organisation__verified_type",
        "organisation__champion_id",
    )
    for edition, organisation, sector, verified_sector, verified_type, champion in rows:
        signed[edition][organisation] = (sector, verified_sector, verified_type, champion)
    counts = {}
    for compact_id, (current, previous) in in_force.items():
        year = counts[compact_id] = YearCounts(has_edition=current is not None)
        now = signed.get(current, {})
        year.signed = len(now)
        year.with_champion = sum(1 for *_rest, champion in now.values() if champion is not None)
        year.vcs_signed = sum(1 for sector, *_rest in now.values() if sector == Sector.VCS)
        year.statutory_types_signed = len(
            {
                verified_type
                for sector, verified_sector, verified_type, _champion in now.values()
                if sector == verified_sector == Sector.PUBLIC and verified_type in rules.STATUTORY_PARTNER_TYPES
            }
        )
        if previous is not None:
            before = signed[previous]
            year.previous_signed = len(before)
            year.reaffirmed = len(before.keys() & now.keys())
    return counts


def organisation_by_reference(reference: str) -> Organisation | None:
    """The organisation a deployment setting names (OIDC_DOMAIN_ORGANISATIONS): by its id, or by the
    slug of its name ("riverside-borough-council" for "Riverside Borough Council"). None when none, or
    when the slug fits more than one."""
    from django.utils.text import slugify

    reference = reference.strip()
    if reference.isdigit():
        return Organisation.objects.filter(pk=int(reference)).first()
    words = [re.escape(word) for word in reference.lower().split("-") if word]
    if not words or slugify(reference) != reference.lower():
        return None
    pattern = r"^\W*" + r"\W+".join(words) + r"\W*$"
    candidates = Organisation.objects.filter(name__iregex=pattern)[:2]
    found = [org for org in candidates if slugify(org.name) == reference.lower()]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class BouncingContact:
    """An address of a Compact's signatory that GOV.UK Notify could not deliver to for good."""

    organisation: Organisation
    email: str
    since: datetime.datetime
    status: str  # Notify's status of the email that bounced ("permanent-failure")
    person: object | None = None  # the member whose account's address it is; None: the organisation's contact


def bouncing_contacts(*, compact: Compact) -> list[BouncingContact]:
    """The people's and the contact addresses of the organisations that signed (or are signing) one
    of the Compact's editions, whose emails bounce for good: two queries, whatever the numbers.
    For its coordinator only: the caller checks (``compact_get_for_coordinator``)."""
    signatories = Signature.objects.filter(edition__compact=compact, status__in=Signature.LIVE_STATUSES).values(
        "organisation_id"
    )
    bounce = BouncingAddress.objects.filter(email=OuterRef("bounce_email"))
    details = {
        "bounce_since": Subquery(bounce.values("since")[:1]),
        "bounce_status": Subquery(bounce.values("notification__delivery_status")[:1]),
    }
    members = (
        Membership.objects.filter(organisation__in=signatories, user__is_active=True)
        .annotate(bounce_email=Lower("user__email"))
        .filter(Exists(bounce))
        .annotate(**details)
        .select_related("organisation", "user")
    )
    contacts = (
        Organisation.objects.filter(pk__in=signatories)
        .exclude(contact_email="")
        .annotate(bounce_email=Lower("contact_email"))
        .filter(Exists(bounce))
        .annotate(**details)
    )
    found = [
        BouncingContact(
            organisation=m.organisation,
            email=m.user.email,
            since=m.bounce_since,
            status=m.bounce_status or "",
            person=m.user,
        )
        for m in members
    ] + [
        BouncingContact(organisation=o, email=o.contact_email, since=o.bounce_since, status=o.bounce_status or "")
        for o in contacts
    ]
    return sorted(found, key=lambda c: (c.organisation.name.lower(), c.person is not None, c.email.lower()))


# What telling a member needs (``notifications.services.Recipient.for_user``, and the organisation
# the membership joins on): a reminder sweep reads thousands of members, and a whole user row each
# (password, dates…) costs more than the rest of the reminder.
MEMBER_TO_TELL_FIELDS = (
    "organisation",
    "user",
    "role",
    "user__email",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__is_active",
    "user__language",
)


def members_to_tell(*, admins_only: bool = False) -> QuerySet:
    """Memberships with only what telling their people needs, in the order they were made; for a
    ``Prefetch`` onto organisations (``organisation_recipients`` turns them into recipients)."""
    members = Membership.objects.select_related("user").only(*MEMBER_TO_TELL_FIELDS).order_by("pk")
    return members.filter(role=Membership.Role.ADMIN) if admins_only else members
