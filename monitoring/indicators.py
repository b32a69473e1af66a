"""The standard outcome measures every Compact is judged by, per financial year (1 April to 31 March).

Each figure is computed from the portal's own records by the app that owns them (the rules and
``year_counts`` selectors of consultations, funding, disputes and signatories); this module only
names the measures, says what each counts, and turns the counts into values to show. Figures about
breach concerns are drawn from few cases: any drawn from fewer than three is suppressed, as on the
public figures page (``disputes.rules.MINIMUM_CASES_FOR_A_FIGURE``).
"""

import datetime
import functools
import statistics
import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from commitments.models import Compact, Theme
from compact_portal.dates import financial_year_bounds
from consultations import selectors as consultation_selectors
from disputes import rules as dispute_rules
from disputes import selectors as dispute_selectors
from funding import selectors as funding_selectors
from signatories import rules as signatory_rules
from signatories import selectors as signatory_selectors

PERCENT = "percent"
DAYS = "days"
COUNT = "count"


@dataclass(frozen=True)
class Indicator:
    key: str  # stable, e.g. "consultation_length"
    title: str  # lazy translated
    definition: str  # lazy translated: exactly what is counted, numerator and denominator
    theme: str  # the outcome/undertaking theme it serves (commitments.models.Theme value)
    unit: str  # PERCENT, DAYS or COUNT
    higher_is_better: bool
    disclosive: bool  # counts breach concerns: fewer than 3 cases are suppressed


# The count that chooses a fraction's plural form (see Value.display).
FRACTION_PLURAL = 5


@dataclass(frozen=True)
class Value:
    indicator: Indicator
    year: int
    value: float | None  # None when there is nothing to count (an empty year) or suppressed
    numerator: int | None
    denominator: int | None
    suppressed: bool  # fewer than 3 cases of a disclosive indicator (as the public figures page)

    def display(self) -> str:
        """'83%', '12 days', '4', 'No data' or 'Fewer than 3'."""
        if self.suppressed:
            return gettext("Fewer than 3")
        if self.value is None:
            return gettext("No data")
        if self.indicator.unit == PERCENT:
            return gettext("%(percent)s%%") % {"percent": number_format(round(self.value))}
        if self.indicator.unit == DAYS:
            days = self.value if self.value != int(self.value) else int(self.value)
            # gettext chooses the form by a whole number (a float has been deprecated since Python
            # 3.7): a fraction ("7.5 days", "7.5 diwrnod") takes the form of a whole number other
            # than 0, 1, 2, 3 or 6, in English and in Welsh.
            count = days if isinstance(days, int) else FRACTION_PLURAL
            return ngettext("%(days)s day", "%(days)s days", count) % {"days": number_format(days)}
        return number_format(int(self.value))

    def __str__(self) -> str:
        return self.display()


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="consultation_length",
        title=_("Consultations long enough"),
        definition=_(
            "Of the formal consultations that closed in the year, the share that ran for at least the "
            "Compact's minimum length, or recorded a reason for being shorter."
        ),
        theme=Theme.CONSULTATION,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="early_notice",
        title=_("Early notice of consultations"),
        definition=_(
            "Of the formal consultations that closed in the year, the share whose early notice was given "
            "before the consultation opened."
        ),
        theme=Theme.CONSULTATION,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="feedback_on_time",
        title=_("Consultation feedback on time"),
        definition=_(
            "Of the consultations whose feedback fell due in the year, the share that published their "
            "feedback by the due date. One whose feedback is not yet due and not yet published is not counted."
        ),
        theme=Theme.CONSULTATION,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="funding_notice",
        title=_("Notice of funding changes"),
        definition=_(
            "Of the funding-change notices given in the year, the share that gave at least the Compact's "
            "minimum notice, or claimed exceptional circumstances and said what they were."
        ),
        theme=Theme.FUNDING,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="concerns_in_time",
        title=_("Concerns settled within the time limits"),
        definition=_(
            "Of the breach concerns closed in the year, the share that kept to the time limit of every "
            "stage they went through. Not shown when fewer than 3 concerns were closed."
        ),
        theme=Theme.INDEPENDENCE,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=True,
    ),
    Indicator(
        key="concern_days",
        title=_("Time to settle a concern"),
        definition=_(
            "The median number of working days from raising a breach concern to closing it, for the "
            "concerns closed in the year, leaving out weekends and the bank holidays of the Compact's "
            "nation. Not shown when fewer than 3 concerns were closed."
        ),
        theme=Theme.INDEPENDENCE,
        unit=DAYS,
        higher_is_better=False,
        disclosive=True,
    ),
    Indicator(
        key="statutory_coverage",
        title=_("Statutory partners signed up"),
        definition=_(
            "Of the five statutory partners every area has (council, NHS, police, fire and rescue, "
            "probation), the share with at least one approved organisation signed up to the edition of "
            "the Compact in force at the end of the year."
        ),
        theme=Theme.INFORMATION,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="vcs_signatories",
        title=_("Voluntary and community organisations signed up"),
        definition=_(
            "The number of voluntary and community organisations signed up to the edition of the Compact "
            "in force at the end of the year."
        ),
        theme=Theme.INDEPENDENCE,
        unit=COUNT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="champions",
        title=_("Signatories with a Compact champion"),
        definition=_(
            "Of the organisations signed up to the edition in force at the end of the year, the share that "
            "name a Compact champion (as recorded now)."
        ),
        theme=Theme.INFORMATION,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
    Indicator(
        key="reaffirmation",
        title=_("Signatories who re-affirmed"),
        definition=_(
            "Of the organisations that signed the previous edition of the Compact, the share that also "
            "signed the edition in force at the end of the year. No data when there is no previous edition."
        ),
        theme=Theme.INFORMATION,
        unit=PERCENT,
        higher_is_better=True,
        disclosive=False,
    ),
)

_BY_KEY = {item.key: item for item in INDICATORS}


def indicator(key: str) -> Indicator:
    """The standard indicator with this key (KeyError if there is none)."""
    return _BY_KEY[key]


def _too_few(count: int | None) -> bool:
    return count is not None and 0 < count < dispute_rules.MINIMUM_CASES_FOR_A_FIGURE


def _share(key: str, year: int, met: int, counted: int) -> Value:
    """A percentage of ``counted``; None when nothing was counted. A disclosive share is suppressed
    when it is drawn from fewer than 3 cases, or when the cases that met it, or those that did not,
    number 1 or 2 (with the total on the public figures page, either would name so few cases)."""
    item = indicator(key)
    if item.disclosive and (_too_few(counted) or _too_few(met) or _too_few(counted - met)):
        return Value(item, year, None, None, None, suppressed=True)
    value = 100 * met / counted if counted else None
    return Value(item, year, value, met, counted, suppressed=False)


def _compute(compacts: list, year: int, today: datetime.date) -> dict[int, list[Value]]:
    start, end = financial_year_bounds(year)
    ids = [compact.pk for compact in compacts]
    consultations = consultation_selectors.year_counts(compact_ids=ids, start=start, end=end, today=today)
    funding = funding_selectors.year_counts(compact_ids=ids, start=start, end=end)
    concerns = dispute_selectors.year_counts(compacts=compacts, start=start, end=end)
    signatories = signatory_selectors.year_counts(compact_ids=ids, end=end)
    values = {}
    for pk in ids:
        held = consultations[pk]
        in_time, closed, days = concerns[pk]
        signed = signatories[pk]
        if _too_few(closed):
            median = Value(indicator("concern_days"), year, None, None, None, suppressed=True)
        else:
            median = Value(indicator("concern_days"), year, dispute_rules.median_of(days), None, closed, False)
        if signed.has_edition:
            vcs = Value(indicator("vcs_signatories"), year, signed.vcs_signed, signed.vcs_signed, None, False)
        else:
            vcs = Value(indicator("vcs_signatories"), year, None, None, None, False)
        statutory = len(signatory_rules.STATUTORY_PARTNER_TYPES) if signed.has_edition else 0
        values[pk] = [
            _share("consultation_length", year, *held.length),
            _share("early_notice", year, *held.early_notice),
            _share("feedback_on_time", year, *held.feedback),
            _share("funding_notice", year, *funding[pk]),
            _share("concerns_in_time", year, in_time, closed),
            median,
            _share("statutory_coverage", year, signed.statutory_types_signed, statutory),
            vcs,
            _share("champions", year, signed.with_champion, signed.signed),
            _share("reaffirmation", year, signed.reaffirmed, signed.previous_signed or 0),
        ]
    return values


def values_for_compacts(compacts, year: int, *, today: datetime.date | None = None) -> dict[int, list[Value]]:
    """Each Compact's values for the financial year ``year`` (keyed by its first calendar year), by
    the Compact's pk, in ``INDICATORS`` order. A fixed number of queries (six) whatever the
    number of Compacts. ``today`` decides which feedback has fallen due (default: today)."""
    compacts = list(compacts)
    if not compacts:
        return {}
    return _compute(compacts, year, today or timezone.localdate())


# --- Every Compact's figures, kept (the national comparison and every medians) ------------------------------

# How long every Compact's figures for a year are kept. The portal's own changes to what they count
# replace them at once (``figures_changed``); a change made around the portal (a bulk load) shows
# within this time.
CACHE_SECONDS = 10 * 60
_VERSION_KEY = "monitoring:figures-version"
# What the figures are computed from: a save or delete of any of these starts a new version.
COUNTED_MODELS = (
    ("commitments", "Compact"),
    ("commitments", "Edition"),
    ("consultations", "Consultation"),
    ("funding", "FundingNotice"),
    ("disputes", "Case"),
    ("disputes", "StageChange"),
    ("signatories", "Signature"),
    ("signatories", "Organisation"),
)


# Figures missing from the cache are computed by one process at a time for each name (many
# Compacts' figures for a year and day, the signed counts, the national table's rows): the others
# asking meanwhile wait for them, polling the cache, up to WAIT_SECONDS, then compute them
# themselves. After a publish, every web worker asking for the measures computed every Compact's
# figures at once (0.8 s alone, seconds each side by side): the servers fell behind for seconds
# (make load). The mark that a name is being computed lasts at most COMPUTING_SECONDS (a process
# killed meanwhile).
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
COMPUTING_SECONDS = 60


def _computed_by_one(name: str, done, compute) -> None:
    """``compute()``, by one process at a time for ``name``: while another computes, wait (polling
    ``done()``, which says whether what it computes is there to take) up to ``WAIT_SECONDS``, then
    compute. A process computing an older version holds the newer one back, so the figures are never
    computed twice side by side."""
    computing = f"monitoring:computing:{name}"
    mine = cache.add(computing, 1, COMPUTING_SECONDS)
    deadline = time.monotonic() + WAIT_SECONDS
    while not mine and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if done():
            return
        mine = cache.add(computing, 1, COMPUTING_SECONDS)
    try:
        compute()
    finally:
        if mine:
            cache.delete(computing)


def _computed_once(name: str, key: str, compute):
    """The value kept under ``key``, or ``compute()`` kept there for ``CACHE_SECONDS``, computed by
    one process at a time for ``name`` (the key without its version)."""
    value = cache.get(key)
    if value is not None:
        return value
    found = {}

    def done() -> bool:
        found["value"] = cache.get(key)
        return found["value"] is not None

    def work() -> None:
        found["value"] = compute()
        cache.set(key, found["value"], CACHE_SECONDS)

    _computed_by_one(name, done, work)
    return found["value"]


# Every Compact's figures are kept one Compact at a time, each under a version of its own that a
# change to that Compact's records replaces, and a version for changes that may touch any Compact
# (an organisation's sector or type, its champion; a change whose Compact cannot be told). A change
# to one Compact recomputes that Compact's figures alone (a few milliseconds), not every Compact's:
# with 200 Compacts at work, every Compact's figures were computed again after each change anywhere.
_EVERY_KEY = "monitoring:figures-version:every"
# Computing this many Compacts' figures or more waits for (or holds) the mark of ``_computed_once``:
# after a restart, or a change to every Compact, each web worker would compute all of them at once.
MANY_MISSING = 20


def _compact_version_key(pk) -> str:
    return f"monitoring:figures-version:compact:{pk}"


def _new_version(compacts=None) -> None:
    """A new version of the kept reads (``kept_while_unchanged``), and of the figures of these
    Compacts (a set of pks), or of every Compact's (None)."""
    versions = {_VERSION_KEY: uuid.uuid4().hex}
    if compacts is None:
        versions[_EVERY_KEY] = uuid.uuid4().hex
    else:
        versions.update({_compact_version_key(pk): uuid.uuid4().hex for pk in compacts})
    cache.set_many(versions, None)


def _compacts_of(instance, created: bool = False) -> set[int] | None:
    """The Compacts whose figures a change to ``instance`` may change; None for any of them."""
    try:
        if isinstance(instance, Compact):
            return {instance.pk}
        model = instance._meta.model_name
        if model == "organisation":
            # Its sector, type and champion count in every Compact it signed; a new one has signed
            # nothing yet (its signatures, when they come, name their Compact).
            return set() if created else None
        if model == "signature":
            return {instance.edition.compact_id}
        if model == "stagechange":
            return {instance.case.compact_id}
        compact_id = instance.compact_id
    except Exception:  # noqa: BLE001 - a row already gone (a cascade), or a model without a Compact
        return None
    return {compact_id} if compact_id is not None else None


def figures_changed(instance=None, created: bool = False, **_kwargs) -> None:
    """A receiver of post_save and post_delete for ``COUNTED_MODELS`` (monitoring/apps.py): the kept
    figures of the Compact the row belongs to (or every Compact's) are no longer used, at once (for
    what this transaction reads next) and again once the transaction commits (once, however many
    rows it saved): figures another process computed from the data before the commit, and kept under
    the version of the save, are not used after it."""
    compacts = _compacts_of(instance, created) if instance is not None else None
    _new_version(compacts)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    waiting = [
        func
        for _s, func, _r in connection.run_on_commit
        if isinstance(func, functools.partial) and func.func is _new_version
    ]
    if any(func.args[0] is None for func in waiting):
        return  # every Compact's already, once it commits
    if compacts is None:
        transaction.on_commit(functools.partial(_new_version, None))
    elif waiting:
        waiting[0].args[0].update(compacts)
    else:
        transaction.on_commit(functools.partial(_new_version, set(compacts)))


def _signalled_version(key: str = _VERSION_KEY) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def _compact_versions(pks: list[int]) -> dict[int, str]:
    """The version of each Compact's figures (one round trip to the cache; a version missing, never
    set or evicted, is started afresh, so nothing kept before it is used)."""
    keys = {pk: _compact_version_key(pk) for pk in pks}
    found = cache.get_many(list(keys.values()))
    versions = {}
    for pk, key in keys.items():
        version = found.get(key)
        if version is None:
            cache.add(key, uuid.uuid4().hex, None)
            version = cache.get(key)
        versions[pk] = version
    return versions


def kept_while_unchanged(name: str, compute):
    """``compute()``, kept for ``CACHE_SECONDS`` under ``name`` and the version ``figures_changed``
    replaces: for other reads of the same records, keyed by Compact (the national directory's
    counts of signatories, where a Compact with none is simply absent)."""
    return _computed_once(name, f"monitoring:{name}:{_signalled_version()}", compute)


# The last few versions' figures as ``Value`` objects, in this process: building 2,000 of them took
# most of a read when nothing had changed (3.6 of 4.6 ms). Keyed as the shared entry, so a change
# anywhere (a new version) or a new day leaves them unused; held no longer than the shared entry.
_BUILT: dict[str, tuple[float, tuple, dict]] = {}
_BUILT_LOCK = threading.Lock()
BUILT_ENTRIES = 8


def every_compact_values(year: int, *, today: datetime.date | None = None) -> dict[int, list[Value]]:
    """``values_for_compacts`` of every Compact for ``year``, each Compact's kept for
    ``CACHE_SECONDS`` under its own version, which a change to what they count replaces
    (``figures_changed``), and under the day (what is due depends on it). Only the Compacts whose
    figures are not kept are computed: all of them take 0.8 s at national scale, one a few ms. One
    query (the Compacts) and one read of the cache when nothing has changed."""
    today = today or timezone.localdate()
    pks = tuple(Compact.objects.order_by("pk").values_list("pk", flat=True))
    # While nothing has changed anywhere, every Compact's figures are one entry (and, built, one in
    # this process): reading 200 kept apart and building them took twice as long as the rest of the
    # measures side by side (make bench). The version is read before the figures, so an entry never
    # holds figures older than its key.
    whole_key = f"monitoring:every-compact-figures:{_signalled_version()}:{year}:{today.isoformat()}"
    built = _BUILT.get(whole_key)
    if built is None or built[0] < time.monotonic() or built[1] != pks:
        whole = cache.get(whole_key)
        if whole is None or whole[0] != pks:
            whole = (pks, _every_compact_rows(pks, year, today))
            cache.set(whole_key, whole, CACHE_SECONDS)
        values = {
            pk: [Value(item, year, *fields) for item, fields in zip(INDICATORS, row, strict=True)]
            for pk, row in whole[1].items()
        }
        built = (time.monotonic() + CACHE_SECONDS, pks, values)
        with _BUILT_LOCK:
            _BUILT[whole_key] = built
            while len(_BUILT) > BUILT_ENTRIES:
                _BUILT.pop(next(iter(_BUILT)))
    # The caller's own lists (the Values themselves are frozen).
    return {pk: list(row) for pk, row in built[2].items()}


def _every_compact_rows(pks: tuple, year: int, today: datetime.date) -> dict[int, list[tuple]]:
    """Each Compact's figures (the fields of each ``Value``), kept per Compact as
    ``every_compact_values`` says; a Compact whose figures could not be had is left out."""
    every = _signalled_version(_EVERY_KEY)
    versions = _compact_versions(pks)
    keys = {pk: f"monitoring:compact-figures:{every}:{versions[pk]}:{pk}:{year}:{today.isoformat()}" for pk in pks}
    kept = cache.get_many(list(keys.values()))
    missing = [pk for pk in pks if keys[pk] not in kept]

    def done() -> bool:
        kept.update(cache.get_many([keys[pk] for pk in missing]))
        return all(keys[pk] in kept for pk in missing)

    def compute() -> None:
        chosen = [pk for pk in missing if keys[pk] not in kept]
        values = values_for_compacts(Compact.objects.filter(pk__in=chosen).order_by("pk"), year, today=today)
        rows = {
            keys[pk]: [(v.value, v.numerator, v.denominator, v.suppressed) for v in row] for pk, row in values.items()
        }
        cache.set_many(rows, CACHE_SECONDS)
        kept.update(rows)

    if len(missing) >= MANY_MISSING:
        # Many at once: one process at a time computes them; the others wait and take what it kept.
        _computed_by_one(f"figures:{year}:{today.isoformat()}", done, lambda: done() or compute())
    elif missing:
        compute()
    return {pk: kept[keys[pk]] for pk in pks if keys[pk] in kept}


def compact_values(compact, year: int, *, today: datetime.date | None = None) -> list[Value]:
    """One Compact's values for the financial year ``year``, one per indicator in ``INDICATORS`` order."""
    return values_for_compacts([compact], year, today=today)[compact.pk]


# --- Against the national median (issue 15: the national view) ------------------------------------------------

ABOVE = "better"
BELOW = "worse"
LEVEL = "level"


def national_medians(values_by_compact: dict[int, list[Value]], year: int) -> list[Value]:
    """Per indicator (``INDICATORS`` order), the median of the Compacts' values, as a Value to show.

    Only Compacts with a figure count: an empty year ("No data") and a suppressed figure ("Fewer than
    3") are left out, so a median is never drawn from a suppressed figure. None when no Compact has one.
    """
    medians = []
    for position, item in enumerate(INDICATORS):
        figures = [values[position].value for values in values_by_compact.values()]
        known = [figure for figure in figures if figure is not None]
        median = statistics.median(known) if known else None
        medians.append(Value(item, year, median, None, len(known) or None, suppressed=False))
    return medians


def standing(value: Value, median: Value) -> str | None:
    """Whether a Compact's value is better or worse than the national median, or level with it
    (as the measure judges: fewer days to close a concern is better). None when either is missing."""
    if value.value is None or median.value is None:
        return None
    if round(value.value, 1) == round(median.value, 1):
        return LEVEL
    higher = value.value > median.value
    return ABOVE if higher == value.indicator.higher_is_better else BELOW


def standing_label(standing_key: str | None) -> str:
    return {
        ABOVE: gettext("Better than the national median"),
        BELOW: gettext("Worse than the national median"),
        LEVEL: gettext("Level with the national median"),
    }.get(standing_key, "")
