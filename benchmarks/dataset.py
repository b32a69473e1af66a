"""A national-scale dataset for the benchmark, written straight into the database.

``generate(scale)`` makes, for ``scale=1`` (``FULL``): 200 Compacts (each with a superseded and a
published edition: principles, outcomes, undertakings), 20,000 organisations of both sectors with
their members, 40,000 signatures (two per organisation, plus the 500 signatories of the first
Compact's seed-sized edition), 100,000 consultations with responses and feedback, 50,000 funding
notices and 20,000 breach concerns with their stage changes and timelines. Smaller scales shrink
every count in proportion (with a floor, so that every page has something to show).

Rows are written with ``bulk_create`` in batches: no signals, no audit log, no emails. Dates are
relative to ``today`` (the sweep day) and chosen so that about 1% of signatures, consultations,
funding notices and concerns have a reminder due on that day and the rest have none due (nothing
falls inside the sweep's catch-up window by accident).

It runs on whatever database ``default`` is: the ``bench`` command's own database, or the test
database under pytest.
"""

import datetime
import math
import random
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from benchmarks import text
from commitments import importer
from commitments.models import Compact, Edition, EditionStatusChange, Outcome, Principle, Sector, Undertaking
from commitments.rules import add_working_days
from consultations.models import Consultation, FeedbackItem, Response
from disputes.models import Case, StageChange, TimelineEntry
from disputes.rules import due_soon_on
from funding.models import FundingNotice
from national.models import NationalRole
from notifications.models import Notification
from signatories.models import Membership, Organisation, Signature, SignatureEvent
from signatories.rules import normalise_name

FULL = {
    "compacts": 200,
    "organisations": 20_000,
    "consultations": 100_000,
    "funding_notices": 50_000,
    "cases": 20_000,
}
# Every page needs a little of everything, whatever the scale.
FLOOR = {"compacts": 2, "organisations": 60, "consultations": 200, "funding_notices": 100, "cases": 100}
PUBLIC_PER_COMPACT = 6  # council, NHS, police, fire, probation, housing partnership
PDF_SIGNATORIES = 500
BATCH = 5000
PASSWORD = "bench-only-password-2026"  # noqa: S105 - the benchmark's own throwaway accounts
DUE_EVERY = 100  # one item in this many has a reminder due on the sweep day

DAY = datetime.timedelta(days=1)

# The local authority's ONS code for the national directory: the nation's prefix, then a number.
ONS_PREFIX = {"england": "E07", "wales": "W06", "scotland": "S12", "northern_ireland": "N09"}


@dataclass(frozen=True)
class Counts:
    compacts: int
    organisations: int
    consultations: int
    funding_notices: int
    cases: int

    @classmethod
    def for_scale(cls, scale: float) -> "Counts":
        return cls(**{name: max(FLOOR[name], round(full * scale)) for name, full in FULL.items()})


@dataclass
class Dataset:
    """What was made, and the objects the benchmark visits."""

    scale: float
    today: datetime.date
    counts: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)  # role -> user pk
    compact_slug: str = ""
    compact_id: int = 0
    current_edition_id: int = 0
    old_edition_id: int = 0
    consultation_id: int = 0
    funding_notice_id: int = 0
    case_id: int = 0
    organisation_id: int = 0
    signature_id: int = 0
    pdf_source: str = ""
    pdf_signatories: int = 0
    expected_due_subjects: int = 0
    max_notification_id: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Dataset":
        data = dict(data)
        data["today"] = datetime.date.fromisoformat(data["today"])
        return cls(**data)


def seed_compact_path() -> tuple[Path, str]:
    """The County Durham Compact from ../shared/seeds when present, else the test fixture."""
    shared = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    matches = sorted(shared.glob("004_*.txt")) if shared.is_dir() else []
    if matches:
        return matches[0], f"../shared/seeds/{matches[0].name}"
    fixture = Path(settings.BASE_DIR) / "tests" / "fixtures" / "sample_compact.txt"
    return fixture, "tests/fixtures/sample_compact.txt (../shared/seeds/004_*.txt not present)"


@contextmanager
def _timestamps_as_given(*models):
    """Let bulk_create keep the created/updated times we set (auto_now and auto_now_add off)."""
    changed = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _bulk(model, objects: list, batch_size: int = BATCH) -> list:
    return model.objects.bulk_create(objects, batch_size=batch_size)


def _mix(i: int) -> int:
    """The i-th item's dice roll: spread, so that every Compact gets every kind of item."""
    return (i * 2654435761) % 4294967291


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class _Generator:
    def __init__(self, scale: float, today: datetime.date, log):
        self.scale = scale
        self.today = today
        self.counts = Counts.for_scale(scale)
        self.log = log
        self.rng = random.Random(2026)  # noqa: S311 - made-up data, not security
        self.dataset = Dataset(scale=scale, today=today)
        self.due_subjects = 0

    # --- helpers -------------------------------------------------------------------------------

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def run(self) -> Dataset:
        T = self.today
        c = self.counts
        self.log(f"Generating scale {self.scale} for {T}: {asdict(c)}")
        self._users_and_compacts()
        self._editions()  # through the project's importer too: timestamps as usual
        with _timestamps_as_given(
            Signature, SignatureEvent, Response, FundingNotice, Case, StageChange, TimelineEntry, Notification
        ):
            self._organisations()
            self._signatures()
            self._consultations()
            self._funding()
            self._cases()
            self._notifications()
        self.dataset.counts = self._table_counts()
        self.dataset.expected_due_subjects = self.due_subjects
        self.dataset.max_notification_id = (
            Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        return self.dataset

    # --- people and Compacts ---------------------------------------------------------------------

    def _users_and_compacts(self) -> None:
        now = timezone.now()
        self.password = make_password(PASSWORD)
        named = [
            User(username="coordinator", email="coordinator@bench.example", first_name="Nadia", last_name="Okoye"),
            User(username="officer", email="officer@bench.example", first_name="Tom", last_name="Reilly"),
            User(username="volunteer", email="volunteer@bench.example", first_name="Grace", last_name="Osei"),
            User(
                username="admin",
                email="admin@bench.example",
                first_name="Site",
                last_name="Admin",
                is_staff=True,
                is_superuser=True,
            ),
            User(username="national", email="national@bench.example", first_name="Owen", last_name="Price"),
        ]
        for user in named:
            user.password = self.password
        _bulk(User, named)
        self.named = {u.username: u for u in User.objects.filter(username__in=[u.username for u in named])}
        self.dataset.users = {name: user.pk for name, user in self.named.items()}
        NationalRole.objects.create(user=self.named["national"], granted_by=self.named["admin"])

        compacts, coordinators = [], []
        for i in range(self.counts.compacts):
            area = text.place(i) + ("" if i < 200 else f" {i // 200 + 1}")
            compacts.append(
                Compact(
                    name=f"The {area} Compact",
                    area=area,
                    slug=f"{area.lower().replace(' ', '-')}-{i}",
                    nation=text.pick(text.NATIONS, i),
                    ons_code=f"{ONS_PREFIX[text.pick(text.NATIONS, i)]}{i:06d}",
                    contact_email=f"compact-{i}@bench.example",
                    created_at=now,
                )
            )
            coordinators.append(
                User(
                    username=f"coordinator-{i}",
                    email=f"coordinator-{i}@bench.example",
                    first_name=text.pick(text.FIRST_NAMES, i),
                    last_name=text.pick(text.LAST_NAMES, i * 7),
                    password=self.password,
                )
            )
        self.compacts = _bulk(Compact, compacts)
        coordinators = _bulk(User, coordinators)
        through = Compact.coordinators.through
        links = [through(compact_id=k.pk, user_id=u.pk) for k, u in zip(self.compacts, coordinators, strict=True)]
        # The benchmark's coordinator coordinates every Compact: it sees what the admin sees.
        links += [through(compact_id=k.pk, user_id=self.named["coordinator"].pk) for k in self.compacts]
        _bulk(through, links)
        self.log(f"  {len(self.compacts)} Compacts")

    def _editions(self) -> None:
        T = self.today
        now = timezone.now()
        editions, self.old_editions, self.current_editions = [], [], []
        for i, compact in enumerate(self.compacts):
            old = Edition(
                compact=compact,
                name="The first Compact",
                status=Edition.Status.SUPERSEDED,
                published_on=T - datetime.timedelta(days=1500 + i % 300),
                introduction="How the public bodies and the voluntary sector in "
                f"{compact.area} agreed to work together.",
                created_at=now,
            )
            editions.append(old)
            self.old_editions.append(old)
            if i == 0:
                continue  # the first Compact's current edition is imported from the seed text
            current = Edition(
                compact=compact,
                name="The refreshed Compact",
                status=Edition.Status.PUBLISHED,
                published_on=T - datetime.timedelta(days=70 + (i * 37) % 400),
                introduction=f"The Compact for {compact.area}, refreshed after a year of conversations.",
                making_it_work="A joint group of partners meets every quarter to check progress.",
                dispute_resolution="Raise a concern first with the person who made the decision.",
                created_at=now,
            )
            editions.append(current)
            self.current_editions.append(current)
        _bulk(Edition, editions)

        principles, outcomes = [], []
        for _n, edition in enumerate(editions):
            for p, (title, description) in enumerate(text.PRINCIPLES):
                principles.append(Principle(edition=edition, position=p, title=title, description=description))
            for number, title in enumerate(text.OUTCOMES, start=1):
                outcomes.append(Outcome(edition=edition, number=number, title=title, description=""))
        _bulk(Principle, principles)
        outcomes = _bulk(Outcome, outcomes)
        undertakings = []
        for k, outcome in enumerate(outcomes):
            refreshed = outcome.edition.status == Edition.Status.PUBLISHED
            for position in range(1, 7):
                seed = k * 7 + position + (3 if refreshed and position == 2 else 0)
                undertakings.append(
                    Undertaking(
                        edition=outcome.edition,
                        outcome=outcome,
                        number=f"{outcome.number}.{position}",
                        position=position,
                        sector=Sector.PUBLIC if position <= 3 else Sector.VCS,
                        text=f"{text.pick(text.UNDERTAKING_VERBS, seed)} "
                        f"{text.pick(text.UNDERTAKING_OBJECTS, seed // 3)}{text.pick(text.UNDERTAKING_TAILS, seed)}.",
                        themes=[],
                    )
                )
        _bulk(Undertaking, undertakings)

        # The first Compact's current edition: the seed-sized text, through the project's importer.
        path, source = seed_compact_path()
        from commitments import services

        parsed = importer.parse_compact_bytes(path.read_bytes())
        first = services.edition_create_from_import(
            compact=self.compacts[0], parsed=parsed, name="The refreshed Compact", by=None
        )
        Edition.objects.filter(pk=first.pk).update(status=Edition.Status.PUBLISHED, published_on=T - 90 * DAY)
        first.refresh_from_db()
        self.current_editions.insert(0, first)
        self.dataset.pdf_source = source

        changes = []
        for edition in self.old_editions:
            changes.append(EditionStatusChange(edition=edition, old_status="draft", new_status="published"))
            changes.append(EditionStatusChange(edition=edition, old_status="published", new_status="superseded"))
        for edition in self.current_editions:
            changes.append(EditionStatusChange(edition=edition, old_status="draft", new_status="published"))
        _bulk(EditionStatusChange, changes)

        self.undertaking_ids = {}
        for edition_id, pk in Undertaking.objects.filter(edition__in=[e.pk for e in self.current_editions]).values_list(
            "edition_id", "pk"
        ):
            self.undertaking_ids.setdefault(edition_id, []).append(pk)
        d = self.dataset
        d.compact_slug, d.compact_id = self.compacts[0].slug, self.compacts[0].pk
        d.current_edition_id, d.old_edition_id = first.pk, self.old_editions[0].pk
        self.log(f"  {len(editions) + 1} editions")

    # --- organisations and signatures -------------------------------------------------------------

    def _organisations(self) -> None:
        C = self.counts.compacts
        per_compact = max(PUBLIC_PER_COMPACT + 4, self.counts.organisations // C)
        self.per_compact = per_compact
        now = timezone.now()
        organisations = []
        for i in range(per_compact * C):
            compact_index, slot = i % C, i // C
            area = self.compacts[compact_index].area
            if slot < PUBLIC_PER_COMPACT:
                pattern, kind = text.PUBLIC_BODIES[slot]
                name, sector = pattern.format(place=area), Sector.PUBLIC
            else:
                n = slot - PUBLIC_PER_COMPACT
                noun, kind = text.pick(text.VCS_NOUNS, n)
                adjective = text.pick(text.VCS_ADJECTIVES, n // len(text.VCS_NOUNS))
                name, sector = f"{adjective} {noun} {area}", Sector.VCS
                if n >= len(text.VCS_NOUNS) * len(text.VCS_ADJECTIVES):
                    name += f" ({n // (len(text.VCS_NOUNS) * len(text.VCS_ADJECTIVES)) + 1})"
            organisations.append(
                Organisation(
                    name=name,
                    normalised_name=normalise_name(name),
                    sector=sector,
                    organisation_type=kind,
                    charity_number=str(1_000_000 + i) if kind == "charity" else "",
                    company_number=f"{i:08d}" if kind == "social_enterprise" else "",
                    contact_name=text.person(i),
                    contact_email=f"contact-{i}@org.bench.example",
                    address=f"{1 + i % 90} High Street, {area}",
                    # About 1 in 20 VCS organisations asks to hear when a consultation opens.
                    wants_consultation_alerts=sector == Sector.VCS and i % 20 == 0,
                    created_at=now,
                )
            )
        self.organisations = _bulk(Organisation, organisations)
        # Index: compact -> (public organisations, VCS organisations)
        self.public_of = [[] for _ in range(C)]
        self.vcs_of = [[] for _ in range(C)]
        for i, organisation in enumerate(self.organisations):
            (self.public_of if i // C < PUBLIC_PER_COMPACT else self.vcs_of)[i % C].append(organisation)

        users = [
            User(
                username=f"member-{i}",
                email=f"member-{i}@org.bench.example",
                first_name=text.pick(text.FIRST_NAMES, i),
                last_name=text.pick(text.LAST_NAMES, i // 3),
                password=self.password,
            )
            for i in range(len(self.organisations) + len(self.organisations) // 5)
        ]
        users = _bulk(User, users)
        memberships = []
        for i, organisation in enumerate(self.organisations):
            memberships.append(Membership(user=users[i], organisation=organisation, role="admin", created_at=now))
        for j, user in enumerate(users[len(self.organisations) :]):
            organisation = self.organisations[j * 5]
            memberships.append(Membership(user=user, organisation=organisation, role="member", created_at=now))
        # The named officer and volunteer belong to the first Compact's council and first VCS group.
        council, group = self.public_of[0][0], self.vcs_of[0][0]
        memberships.append(Membership(user=self.named["officer"], organisation=council, role="admin", created_at=now))
        memberships.append(Membership(user=self.named["volunteer"], organisation=group, role="admin", created_at=now))
        _bulk(Membership, memberships)
        self.dataset.organisation_id = group.pk
        self.log(f"  {len(self.organisations)} organisations, {len(users) + 2} members")

    def _signatures(self) -> None:
        C = self.counts.compacts
        signatures, reasons = [], []
        for i, organisation in enumerate(self.organisations):
            k = i % C
            old, current = self.old_editions[k], self.current_editions[k]
            signed_old = old.published_on + datetime.timedelta(days=10 + i % 300)
            signatures.append(self._signature(organisation, old, Signature.Status.SIGNED, signed_old, i))
            reasons.append("signed")
            status, applied = self._current_status(_mix(i), current, k, first=i == 0)
            signatures.append(self._signature(organisation, current, status, applied, i))
            reasons.append(status)
        # The seed-sized edition's 500 signatories: its own organisations, then others from elsewhere.
        first = self.current_editions[0]
        own = {o.pk for o in self.organisations[::C]}
        signed = sum(1 for s in signatures if s.edition is first and s.status == Signature.Status.SIGNED)
        extra = [o for o in self.organisations if o.pk not in own][: max(0, PDF_SIGNATORIES - signed)]
        for j, organisation in enumerate(extra):
            signatures.append(self._signature(organisation, first, Signature.Status.SIGNED, first.published_on, j))
            reasons.append("signed")
        signatures = _bulk(Signature, signatures)
        events = []
        for signature, reason in zip(signatures, reasons, strict=True):
            at = signature.applied_at
            if reason in ("signed", Signature.Status.WITHDRAWN):
                events.append(SignatureEvent(signature=signature, old_status="pending", new_status="signed", at=at))
            if reason == Signature.Status.WITHDRAWN:
                events.append(
                    SignatureEvent(signature=signature, old_status="signed", new_status="withdrawn", at=at + 30 * DAY)
                )
        _bulk(SignatureEvent, events)
        self.dataset.pdf_signatories = Signature.objects.filter(edition=first, status=Signature.Status.SIGNED).count()
        self.dataset.signature_id = next(
            s.pk for s in signatures if s.edition_id == first.pk and s.status == Signature.Status.PENDING
        )
        self.log(f"  {len(signatures)} signatures")

    def _current_status(self, i: int, current: Edition, k: int, *, first: bool) -> tuple[str, datetime.date]:
        T = self.today
        S = Signature.Status
        if i % DUE_EVERY == 7:  # re-affirmation asked 14 days ago: reaffirm_2_weeks is due today
            self.due_subjects += 1
            return S.REAFFIRMATION_REQUESTED, T - 14 * DAY
        if i % DUE_EVERY == 57:  # applied 11 working days ago: approval_waiting is due today
            nation = self.compacts[k].nation
            day = T - 11 * DAY
            while add_working_days(day, 11, nation) > T:
                day -= DAY
            while add_working_days(day, 11, nation) < T:
                day += DAY
            if add_working_days(day, 11, nation) != T:  # today is not a working day: nothing due
                return S.PENDING, T - 5 * DAY
            self.due_subjects += 1
            return S.PENDING, day
        if first:
            return S.PENDING, T - 3 * DAY  # one application for the signature page
        roll = i % 20
        if roll < 15:
            return S.SIGNED, current.published_on + datetime.timedelta(days=1 + i % 60)
        if roll < 17:  # asked to re-affirm on publication, long enough ago that nothing is due
            return S.REAFFIRMATION_REQUESTED, current.published_on
        if roll == 17:  # a recent application, or one left waiting for months
            return S.PENDING, T - datetime.timedelta(days=1 + i % 9) if i % 2 else T - 200 * DAY
        if roll == 18:
            return S.WITHDRAWN, current.published_on + 5 * DAY
        return S.REJECTED, current.published_on + 8 * DAY

    def _signature(self, organisation, edition, status, applied: datetime.date, i: int) -> Signature:
        signed = status in (Signature.Status.SIGNED, Signature.Status.WITHDRAWN)
        applied_at = _at(applied, 9 + i % 8)
        return Signature(
            organisation=organisation,
            edition=edition,
            status=status,
            signatory_name=text.person(i),
            signatory_role=text.pick(text.ROLES, i),
            signed_on=applied if signed else None,
            statement=f"{organisation.name} agrees to keep the undertakings of {edition.name}.",
            applied_at=applied_at,
            decided_at=applied_at + DAY if status != Signature.Status.PENDING else None,
            reason="The organisation closed." if status == Signature.Status.WITHDRAWN else "",
            created_at=applied_at,
            updated_at=applied_at,
        )

    # --- consultations --------------------------------------------------------------------------

    def _consultations(self) -> None:
        T = self.today
        C = self.counts.compacts
        now = timezone.now()
        consultations = []
        for i in range(self.counts.consultations):
            k = i % C
            body = self.public_of[k][(i // C) % PUBLIC_PER_COMPACT]
            r = _mix(i)
            opens, closes, published = self._consultation_dates(r)
            formal = r % 10 != 9
            short = formal and r % 10 == 8
            if short and r % DUE_EVERY != 13:  # six weeks, with a reason (or without, for some)
                if self._consultation_quiet(opens, opens + 42 * DAY, published):
                    closes = opens + 42 * DAY
                else:
                    short = False
            else:
                short = False
            area = self.compacts[k].area
            service = text.pick(text.SERVICES, i // C)
            consultations.append(
                Consultation(
                    compact=self.compacts[k],
                    edition=self.current_editions[k],
                    organisation=body,
                    title=f"{text.pick(text.CONSULTATION_VERBS, i)} {service} in {area}",
                    summary=f"{body.name} wants to hear what people think about {service} before it decides.",
                    policy_area=text.pick(text.POLICY_AREAS, i // C),
                    kind=Consultation.Kind.FORMAL if formal else Consultation.Kind.INFORMAL,
                    early_notice_on=opens - 21 * DAY if i % 3 else None,
                    opens_on=opens,
                    closes_on=closes,
                    shorter_rationale="A government deadline leaves no more time."
                    if (short or not formal) and i % 4
                    else "",
                    link=f"https://consult.bench.example/{i}",
                    contact_name=text.person(i),
                    contact_email=f"consultations-{i % 997}@body.bench.example",
                    feedback_summary="Most respondents asked for the change to be phased in." if published else "",
                    feedback_published_on=published,
                    created_at=now,
                    updated_at=now,
                )
            )
        consultations = _bulk(Consultation, consultations)
        responses, items = [], []
        for i, consultation in enumerate(consultations):
            if consultation.opens_on > T:
                continue
            groups = self.vcs_of[i % C]
            for r in range(i % 3):
                organisation = groups[(i // C * 3 + r * 7) % len(groups)]
                responses.append(
                    Response(
                        consultation=consultation,
                        organisation=organisation,
                        summary=f"{organisation.name} asked for more time and for users to be involved.",
                        submitted_at=_at(min(consultation.closes_on, T) - DAY),
                    )
                )
            if consultation.feedback_published_on:
                for p in range(2):
                    items.append(
                        FeedbackItem(
                            consultation=consultation,
                            position=p,
                            theme=text.pick(text.FEEDBACK_THEMES, i + p),
                            you_said="Several groups said the change would hit people without a car hardest.",
                            we_did="We kept the Saturday service and will review it in a year.",
                        )
                    )
        _bulk(Response, responses)
        _bulk(FeedbackItem, items)
        # The detail page's consultation: the first Compact's, closed, feedback published, with responses.
        sample = next(
            c
            for i, c in enumerate(consultations)
            if c.compact_id == self.compacts[0].pk and c.feedback_published_on and i % 3 == 2
        )
        self.dataset.consultation_id = sample.pk
        self.log(f"  {len(consultations)} consultations, {len(responses)} responses, {len(items)} feedback items")

    def _consultation_dates(self, i: int):
        T = self.today
        if i % DUE_EVERY == 13:  # one reminder due today, of one of five kinds
            self.due_subjects += 1
            kind = (i // DUE_EVERY) % 5
            if kind == 0:
                return T, T + 84 * DAY, None  # opens today
            if kind == 1:
                return T - 56 * DAY, T + 28 * DAY, None  # closes in 4 weeks
            if kind == 2:
                return T - 77 * DAY, T + 7 * DAY, None  # closes in a week
            if kind == 3:
                return T - 140 * DAY, T - 56 * DAY, None  # feedback due in 4 weeks (8 weeks after closing)
            return T - 161 * DAY, T - 77 * DAY, None  # 11 weeks after closing
        for _attempt in range(50):
            roll = self.rng.random()
            if roll < 0.2:  # open now
                opens = self.days_ago(8, 80)
                closes = opens + 84 * DAY
                published = None
            elif roll < 0.3:  # coming up
                opens = T + datetime.timedelta(days=self.rng.randint(1, 120))
                closes = opens + 84 * DAY
                published = None
            else:  # closed, most with feedback published
                closes = self.days_ago(1, 1100)
                opens = closes - 84 * DAY
                recent = closes > T - 50 * DAY
                published = None if recent or self.rng.random() < 0.15 else closes + 60 * DAY
                if published and published > T:
                    published = None
            if self._consultation_quiet(opens, closes, published):
                return opens, closes, published
        raise RuntimeError("could not place a consultation outside the reminder windows")

    def _consultation_quiet(self, opens, closes, published) -> bool:
        T = self.today
        if T - 7 * DAY < opens <= T:  # opening reminder
            return False
        for days in (28, 7):  # closing reminders
            if T - 7 * DAY < closes - days * DAY <= T:
                return False
        return not (published is None and T - 110 * DAY <= closes <= T - 50 * DAY)  # feedback reminders

    # --- funding notices -------------------------------------------------------------------------

    def _funding(self) -> None:
        C = self.counts.compacts
        notices = []
        for i in range(self.counts.funding_notices):
            k = i % C
            issuer = self.public_of[k][(i // C) % PUBLIC_PER_COMPACT]
            recipient = self.vcs_of[k][(i // C * 5 + i) % len(self.vcs_of[k])]
            given, effective, recorded = self._notice_dates(_mix(i))
            exceptional = effective < given + relativedelta(months=3) and i % 2 == 0
            notices.append(
                FundingNotice(
                    compact=self.compacts[k],
                    edition=self.current_editions[k],
                    issuer=issuer,
                    recipient=recipient,
                    change=text.pick(["reduced", "ended", "terms_changed", "support_withdrawn"], i),
                    description=text.pick(text.FUNDING_DESCRIPTIONS, i // C),
                    notice_given_on=given,
                    effective_on=effective,
                    reasons=text.pick(text.FUNDING_REASONS, i),
                    impact_assessed=i % 3 != 0,
                    impact_findings="Around forty families use the service each week." if i % 3 else "",
                    discussed_before=i % 4 != 0,
                    exceptional=exceptional,
                    exceptional_reason="The building failed its fire safety inspection." if exceptional else "",
                    created_at=recorded,
                    updated_at=recorded,
                )
            )
        notices = _bulk(FundingNotice, notices)
        self.dataset.funding_notice_id = next(n.pk for n in notices if n.compact_id == self.compacts[0].pk)
        self.log(f"  {len(notices)} funding notices")

    def _notice_dates(self, i: int):
        T = self.today
        month = relativedelta(months=1)
        if i % DUE_EVERY == 23:  # recorded today: "received" (and "non-compliant" when too short)
            self.due_subjects += 1
            months = 3 if i % 2 else 1
            return T, T + relativedelta(months=months) + 60 * DAY, _at(T, 0)
        if i % DUE_EVERY == 73:  # takes effect in a month: "effective in 1 month"
            self.due_subjects += 1
            effective = T + month
            return effective - relativedelta(months=3), effective, _at(effective - relativedelta(months=3))
        for _attempt in range(50):
            given = self.days_ago(9, 1100)
            months = 1 + (i % 8) if i % 4 == 0 else 3 + i % 9
            effective = given + relativedelta(months=months) + datetime.timedelta(days=i % 20)
            quiet_from, quiet_to = T + month - 10 * DAY, T + month + 4 * DAY
            if not (quiet_from <= effective <= quiet_to):
                return given, effective, _at(given + datetime.timedelta(days=i % 3))
        raise RuntimeError("could not place a funding notice outside the reminder windows")

    # --- breach concerns -----------------------------------------------------------------------

    def _cases(self) -> None:
        T = self.today
        C = self.counts.compacts
        officer, coordinator = self.named["officer"], self.named["coordinator"]
        cases = []
        for i in range(self.counts.cases):
            k = i % C
            complainant = self.vcs_of[k][(i // C * 3 + 1) % len(self.vcs_of[k])]
            respondent = self.public_of[k][(i // C) % PUBLIC_PER_COMPACT]
            created = _at(self.days_ago(20, 1100))
            stage, due, outcome, closed = self._case_stage(_mix(i), created.date(), self.compacts[k].nation)
            cases.append(
                Case(
                    compact=self.compacts[k],
                    edition=self.current_editions[k],
                    complainant=complainant,
                    respondent=respondent,
                    summary=text.pick(text.CASE_SUMMARIES, i // C),
                    what_happened="We had a letter saying the grant would stop at the end of the month. "
                    "Nobody had talked to us about it first.",
                    happened_on=created.date() - 10 * DAY,
                    outcome_sought="Time to find other funding, and an explanation of the decision.",
                    withhold_name=i % 7 == 0,
                    stage=stage,
                    stage_started_on=min(created.date() + 30 * DAY, T) if stage != "informal" else created.date(),
                    stage_due_on=due,
                    outcome=outcome,
                    lessons_learned="Talk to groups before writing to them." if outcome else "",
                    closed_on=closed,
                    created_at=created,
                    updated_at=created,
                )
            )
        cases = _bulk(Case, cases)
        links, changes, entries = [], [], []
        through = Case.undertakings.through
        for i, case in enumerate(cases):
            options = self.undertaking_ids[case.edition_id]
            first = (i * 7) % len(options)
            second = (first + 1 + i % 5) % len(options)
            links.append(through(case_id=case.pk, undertaking_id=options[first]))
            if second != first:
                links.append(through(case_id=case.pk, undertaking_id=options[second]))
            start = case.created_at
            changes.append(StageChange(case=case, old_stage="", new_stage="informal", at=start, note="Raised."))
            if case.stage != "informal":
                changes.append(
                    StageChange(case=case, old_stage="informal", new_stage=case.stage, at=start + 30 * DAY, note="")
                )
            for n in range(4):
                entries.append(
                    TimelineEntry(
                        case=case,
                        kind="note" if n != 1 else "meeting",
                        visibility="internal" if n == 3 else "shared",
                        author=officer if n == 1 else coordinator,
                        author_organisation=case.respondent if n == 1 else None,
                        text=text.pick(text.TIMELINE_NOTES, i + n),
                        created_at=start + datetime.timedelta(days=2 + 5 * n),
                    )
                )
        _bulk(through, links)
        _bulk(StageChange, changes)
        _bulk(TimelineEntry, entries)
        first = [c for c in cases if c.compact_id == self.compacts[0].pk]
        self.dataset.case_id = next((c.pk for c in first if c.stage == "formal"), first[0].pk)
        self.log(f"  {len(cases)} concerns, {len(changes)} stage changes, {len(entries)} timeline entries")

    def _case_stage(self, i: int, created: datetime.date, nation: str):
        T = self.today
        if i % DUE_EVERY == 31:  # overdue since yesterday: "overdue" is due today
            self.due_subjects += 1
            return ("informal" if i % 2 else "formal"), T - DAY, "", None
        if i % DUE_EVERY == 81:  # due in 5 working days: "due soon" is due today
            # The latest due date whose "due soon" day is today or just before (a Friday is never
            # one: the reminder falls on the day before the fifth working day, so on Sunday).
            # due_soon_on never decreases as the due date moves on.
            self.due_subjects += 1
            due = T + DAY
            while due_soon_on(due + DAY, nation) <= T:
                due += DAY
            return "mediation", due, "", None
        roll = i % 20
        if roll < 12:
            closed = min(created + datetime.timedelta(days=20 + i % 120), T - DAY)
            return "closed", None, text.pick(["resolved", "not_upheld", "withdrawn"], i), closed
        if roll == 12:
            return "escalated", None, "", None
        stage = text.pick(["informal", "formal", "mediation"], i)
        # Due well after the "due soon" window, or overdue since before the catch-up window.
        due = T + datetime.timedelta(days=20 + i % 40) if i % 3 else T - datetime.timedelta(days=10 + i % 60)
        return stage, due, "", None

    # --- notifications ---------------------------------------------------------------------------

    def _notifications(self) -> None:
        T = self.today
        rows = []
        people = [self.named["coordinator"], self.named["officer"], self.named["volunteer"]]
        per_person = max(60, round(3000 * self.scale))
        for user in people:
            for n in range(per_person):
                rows.append(
                    Notification(
                        recipient=user,
                        email=user.email,
                        kind="consultation_closing_1_week",
                        subject=f"A consultation closes in a week ({n + 1})",
                        body="The consultation closes next week. Responses can be recorded on the portal.",
                        link="/consultations/",
                        # From yesterday back: a dataset made before 07:00 must hold nothing from
                        # later today (the load test counts what its own run emailed since it began).
                        created_at=_at(T - datetime.timedelta(days=n % 400 + 1), 7),
                        emailed_at=_at(T - datetime.timedelta(days=n % 400 + 1), 7),
                        read_at=_at(T - datetime.timedelta(days=n % 400 + 1), 12) if n > 10 else None,
                    )
                )
        _bulk(Notification, rows)
        self.log(f"  {len(rows)} notifications")

    def _table_counts(self) -> dict:
        models = {
            "compacts": Compact,
            "editions": Edition,
            "undertakings": Undertaking,
            "organisations": Organisation,
            "users": User,
            "memberships": Membership,
            "signatures": Signature,
            "consultations": Consultation,
            "responses": Response,
            "feedback_items": FeedbackItem,
            "funding_notices": FundingNotice,
            "cases": Case,
            "stage_changes": StageChange,
            "timeline_entries": TimelineEntry,
            "notifications": Notification,
        }
        return {name: model.objects.count() for name, model in models.items()}


def generate(scale: float, *, today: datetime.date | None = None, log=None) -> Dataset:
    """Fill the (empty) default database with a dataset of this scale (1 = national)."""
    if scale <= 0 or math.isnan(scale):
        raise ValueError("scale must be a positive number")
    generator = _Generator(scale, today or timezone.localdate(), log or (lambda message: None))
    with transaction.atomic():
        dataset = generator.run()
    analyse()
    # Written straight into the tables, past the saves whose signals replace what the portal keeps
    # (every Compact's figures, the directory, the calendar feeds): forget all of it.
    cache.clear()
    return dataset


def analyse() -> None:
    """Bring the tables to the state autovacuum keeps a live database in (PostgreSQL only): the
    planner's statistics, and the visibility map, without which no index-only scan is possible
    (a count from an index then reads every row it counts: the consultation list's counts took
    64 ms instead of a few on a dataset never vacuumed)."""
    from django.db import connection

    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
