"""Every Compact's figures are kept (issue 17: the national comparison took seconds at national scale),
and any change to what they count is seen at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.indicators import every_compact_values, values_for_compacts
from tests.commitments.factories import CompactFactory
from tests.consultations.factories import ConsultationFactory
from tests.monitoring.factories import edition
from tests.signatories.factories import OrganisationFactory, SignatureFactory

D = datetime.date
TODAY = D(2027, 6, 1)
YEAR = 2026
pytestmark = pytest.mark.django_db


def figures(values):
    return {
        pk: [(v.indicator.key, v.value, v.numerator, v.denominator, v.suppressed) for v in row]
        for pk, row in values.items()
    }


def fresh():
    from commitments.models import Compact

    return figures(values_for_compacts(Compact.objects.order_by("pk"), YEAR, today=TODAY))


def length_share(compact_pk):
    return every_compact_values(YEAR, today=TODAY)[compact_pk][0].value


def test_kept_figures_are_the_computed_ones_and_cost_two_queries():
    first = edition()
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    computed = every_compact_values(YEAR, today=TODAY)

    with CaptureQueriesContext(connection) as kept_queries:
        kept = every_compact_values(YEAR, today=TODAY)

    assert figures(kept) == figures(computed) == fresh()
    assert len(kept_queries) <= 2  # the version of the Compacts, nothing else
    assert [v.display() for v in kept[first.compact.pk]] == [v.display() for v in computed[first.compact.pk]]


@pytest.mark.parametrize("change", ["edit", "add", "delete", "sign", "new Compact", "another day"])
def test_any_change_is_counted_at_once(change):
    first = edition()
    compact = first.compact
    short = ConsultationFactory(edition=first, opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    assert length_share(compact.pk) == 50
    today = TODAY
    if change == "edit":
        short.shorter_rationale = "Urgent: the budget is set in April."
        short.save()
    elif change == "add":
        ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 29))
    elif change == "delete":
        short.delete()
    elif change == "sign":
        SignatureFactory(organisation=OrganisationFactory(), edition=first, status="signed")
    elif change == "new Compact":
        CompactFactory()
    else:
        today = TODAY + datetime.timedelta(days=1)

    kept = figures(every_compact_values(YEAR, today=today))

    from commitments.models import Compact

    assert kept == figures(values_for_compacts(Compact.objects.order_by("pk"), YEAR, today=today))
    if change in ("edit", "delete"):
        assert kept[compact.pk][0][1] == 100
    if change == "add":
        assert round(kept[compact.pk][0][1]) == 67


# --- Computed by one process at a time (make load: every worker computed them at once after a publish)


def _threads(count, target):
    import threading

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


@pytest.fixture
def shared_cache(settings):
    # One cache every thread sees, as Redis is for every web worker.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"}}
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_figures_asked_for_at_once_are_computed_once_and_the_others_wait_for_them(shared_cache):
    import threading
    import time

    from monitoring import indicators

    calls, answers = [], []
    started = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return ["figures"]

    def ask():
        answers.append(indicators._computed_once("figures:test", "monitoring:test:v1", slow))

    _threads(4, ask)
    assert calls == [1]
    assert answers == [["figures"]] * 4
    assert shared_cache.get("monitoring:computing:figures:test") is None  # the mark is gone


def test_a_newer_version_waits_for_the_older_one_being_computed(shared_cache, monkeypatch):
    """The mark is per name, whatever the version: after a publish the version changed once a batch,
    and each version's figures were computed side by side."""
    import threading
    import time

    from monitoring import indicators

    order = []
    first_running = threading.Event()

    def older():
        order.append("older starts")
        first_running.set()
        time.sleep(0.3)
        order.append("older ends")
        return ["old"]

    def newer():
        order.append("newer starts")
        return ["new"]

    results = {}
    thread = threading.Thread(target=lambda: results.update(old=indicators._computed_once("n", "k:v1", older)))
    thread.start()
    first_running.wait(5)
    results["new"] = indicators._computed_once("n", "k:v2", newer)
    thread.join(5)
    assert order == ["older starts", "older ends", "newer starts"]
    assert results == {"old": ["old"], "new": ["new"]}


def test_a_waiter_computes_the_figures_itself_when_the_one_computing_fails_or_takes_too_long(shared_cache, monkeypatch):
    from monitoring import indicators

    # Held by a process that died (or is slow): the waiter gives up after WAIT_SECONDS.
    monkeypatch.setattr(indicators, "WAIT_SECONDS", 0.2)
    shared_cache.add("monitoring:computing:held", 1, 60)
    assert indicators._computed_once("held", "monitoring:held:v1", lambda: ["mine"]) == ["mine"]
    # Not its mark: left for its holder.
    assert shared_cache.get("monitoring:computing:held") == 1

    # One that fails takes its mark away, so the next one computes at once.
    def broken():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        indicators._computed_once("broken", "monitoring:broken:v1", broken)
    assert shared_cache.get("monitoring:computing:broken") is None
    assert indicators._computed_once("broken", "monitoring:broken:v1", lambda: ["again"]) == ["again"]


def test_many_compacts_figures_and_the_kept_reads_are_computed_one_at_a_time(monkeypatch):
    from monitoring import indicators

    names = []
    real_by_one, real_once = indicators._computed_by_one, indicators._computed_once

    def by_one(name, done, compute):
        names.append(name)
        return real_by_one(name, done, compute)

    def once(name, key, compute):
        names.append(name)
        return real_once(name, key, compute)

    monkeypatch.setattr(indicators, "_computed_by_one", by_one)
    monkeypatch.setattr(indicators, "_computed_once", once)
    monkeypatch.setattr(indicators, "MANY_MISSING", 2)
    edition(), edition()
    every_compact_values(YEAR, today=TODAY)  # two missing: one process at a time
    assert names == [f"figures:{YEAR}:{TODAY.isoformat()}"]
    indicators.kept_while_unchanged("signed-counts", lambda: {})
    assert names[-1] == "signed-counts"


def _asked_for(monkeypatch):
    """The Compacts whose figures are computed, call by call."""
    from monitoring import indicators

    asked = []
    real = indicators.values_for_compacts

    def recording(compacts, year, *, today=None):
        compacts = list(compacts)
        asked.append(sorted(compact.pk for compact in compacts))
        return real(compacts, year, today=today)

    monkeypatch.setattr(indicators, "values_for_compacts", recording)
    return asked


@pytest.mark.parametrize("change", ["consultation", "signature", "edition", "concern"])
def test_a_change_to_one_compact_computes_that_compacts_figures_alone(monkeypatch, change):
    """With 200 Compacts at work, a change anywhere computed every Compact's figures again (0.8 s)."""
    from tests.monitoring.factories import concern

    first, second, third = edition(), edition(), edition()
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    asked = _asked_for(monkeypatch)
    every_compact_values(YEAR, today=TODAY)
    assert asked == [sorted([first.compact.pk, second.compact.pk, third.compact.pk])]
    if change == "consultation":
        ConsultationFactory(edition=second, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 29))
    elif change == "signature":
        SignatureFactory(organisation=OrganisationFactory(), edition=second, status="signed")
    elif change == "edition":
        second.name = "Renamed"
        second.save()
    else:
        concern(edition=second, stages=[("informal", D(2026, 6, 1), D(2026, 6, 15))], closed_on=D(2026, 6, 16))

    kept = figures(every_compact_values(YEAR, today=TODAY))

    assert asked[1:] == [[second.compact.pk]]
    assert kept == fresh()


def test_an_organisations_change_computes_every_compacts_figures(monkeypatch):
    first, second = edition(), edition()
    organisation = OrganisationFactory()
    SignatureFactory(organisation=organisation, edition=first, status="signed")
    asked = _asked_for(monkeypatch)
    every_compact_values(YEAR, today=TODAY)
    organisation.organisation_type = "health"
    organisation.save()
    every_compact_values(YEAR, today=TODAY)
    assert asked == [sorted([first.compact.pk, second.compact.pk])] * 2


def test_a_compacts_version_evicted_from_the_cache_is_started_afresh(monkeypatch):
    from django.core.cache import cache

    from monitoring import indicators

    first, _second = edition(), edition()
    asked = _asked_for(monkeypatch)
    every_compact_values(YEAR, today=TODAY)
    # Evicted with the version of every Compact's figures read as one (else that one is used).
    cache.delete_many([indicators._compact_version_key(first.compact.pk), indicators._VERSION_KEY])
    every_compact_values(YEAR, today=TODAY)
    assert asked[1:] == [[first.compact.pk]]


def _no_computing_or_reading_apart(monkeypatch):
    from monitoring import indicators

    def refused(*args, **kwargs):
        raise AssertionError("read apart, or computed")

    monkeypatch.setattr(indicators, "_every_compact_rows", refused)


def test_while_nothing_changes_every_compacts_figures_are_read_as_one(monkeypatch):
    """200 Compacts' figures kept apart, and built into 2,000 values on each read, took most of the
    measures side by side (make bench): while nothing changes they are one entry in the cache, and
    built once in each process."""
    from monitoring import indicators

    first = edition()
    edition()
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    computed = figures(every_compact_values(YEAR, today=TODAY))
    _no_computing_or_reading_apart(monkeypatch)

    assert figures(every_compact_values(YEAR, today=TODAY)) == computed  # built in this process
    indicators._BUILT.clear()  # another process: the shared entry
    assert figures(every_compact_values(YEAR, today=TODAY)) == computed == fresh()


def test_figures_built_in_a_process_are_not_used_after_a_change_or_once_the_shared_entry_expires(monkeypatch):
    from django.core.cache import cache

    from monitoring import indicators

    first = edition()
    ConsultationFactory(edition=first, opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    assert length_share(first.compact.pk) == 50
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 5), closes_on=D(2027, 3, 30))
    assert length_share(first.compact.pk) == pytest.approx(200 / 3)  # a change: not the built ones

    # Once the shared entry would have expired, the built ones are not used either.
    asked = _asked_for(monkeypatch)
    later = indicators.time.monotonic() + indicators.CACHE_SECONDS + 1
    monkeypatch.setattr(indicators.time, "monotonic", lambda: later)
    whole = f"monitoring:every-compact-figures:{cache.get(indicators._VERSION_KEY)}:{YEAR}:{TODAY.isoformat()}"
    cache.delete_many([whole, indicators._compact_version_key(first.compact.pk)])  # expired, evicted
    assert length_share(first.compact.pk) == pytest.approx(200 / 3)
    assert asked == [[first.compact.pk]]


def test_the_figures_a_caller_gets_are_its_own_and_few_are_built_in_a_process():
    from monitoring import indicators

    first = edition()
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    got = every_compact_values(YEAR, today=TODAY)
    got[first.compact.pk].clear()
    got.clear()
    assert figures(every_compact_values(YEAR, today=TODAY)) == fresh()
    for days in range(indicators.BUILT_ENTRIES + 3):
        every_compact_values(YEAR, today=TODAY + datetime.timedelta(days=days))
    assert len(indicators._BUILT) <= indicators.BUILT_ENTRIES


def _waiting_bumps():
    """The figures' bumps this transaction will make when it commits."""
    from django.db import connection

    from monitoring import indicators

    return [
        func.args[0]
        for _s, func, _r in connection.run_on_commit
        if getattr(func, "func", None) is indicators._new_version
    ]


def test_a_change_drops_the_figures_at_once_and_again_when_it_commits():
    """Figures another process computes between the save and the commit read the data before it; kept
    under the save's version they would be shown for CACHE_SECONDS. The commit starts another, once
    for every Compact the transaction changed."""
    from django.core.cache import cache
    from django.db import connection

    from monitoring import indicators

    first, second = edition(), edition()

    def version(compact):
        return cache.get(indicators._compact_version_key(compact.pk))

    versions = [version(first.compact)]
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    versions.append(version(first.compact))
    ConsultationFactory(edition=second, opens_on=D(2027, 1, 5), closes_on=D(2027, 3, 29))
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 6), closes_on=D(2027, 3, 29))
    versions.append(version(first.compact))
    [waiting] = _waiting_bumps()  # one, for every save of the transaction (the test's)
    assert waiting >= {first.compact.pk, second.compact.pk}
    [bump] = [f for _s, f, _r in connection.run_on_commit if getattr(f, "func", None) is indicators._new_version]
    bump()  # as the commit would
    versions.append(version(first.compact))
    assert len(set(versions)) == 4  # each save at once, and the commit after them


def test_an_organisations_change_drops_every_compacts_figures_once_when_it_commits():
    first = edition()
    organisation = OrganisationFactory()  # new: it has signed nothing
    assert None not in _waiting_bumps()
    ConsultationFactory(edition=first, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    organisation.organisation_type = "health"
    organisation.save()
    organisation.save()
    assert _waiting_bumps().count(None) == 1  # once, however many saves


def test_the_memory_cache_has_room_for_every_compacts_figures(monkeypatch):
    """Without Redis (make run, make bench) each process keeps them in its memory: at Django's default
    of 300 entries a third was dropped whenever it filled, and every Compact's figures were computed
    again on each request for the national pages."""
    import runpy

    from compact_portal.settings import base

    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    caches = runpy.run_path(base.__file__)["CACHES"]
    assert caches["default"]["BACKEND"].endswith("LocMemCache")
    assert caches["default"]["OPTIONS"]["MAX_ENTRIES"] >= 2 * 200 * 2 * 2  # 200 Compacts, two years, two days
