"""An undertaking's key: the same undertaking keeps it from edition to edition, however renumbered."""

import importlib

import pytest
from django.apps import apps

from commitments import services
from commitments.models import Edition
from tests.commitments.factories import EditionFactory, OutcomeFactory, UndertakingFactory, build_edition

pytestmark = pytest.mark.django_db


def keys_by_number(edition) -> dict:
    return dict(edition.undertakings.values_list("number", "key"))


def test_a_draft_started_from_the_current_edition_keeps_every_key(compact, coordinator):
    current = build_edition(compact=compact)
    draft = services.edition_start_from_current(compact=compact, name="Next", by=coordinator)
    assert keys_by_number(draft) == keys_by_number(current)


def test_renumbering_in_a_draft_keeps_the_key_through_publishing(compact, coordinator):
    current = build_edition(compact=compact)
    before = keys_by_number(current)
    draft = services.edition_start_from_current(compact=compact, name="Next", by=coordinator)
    undertaking = draft.undertakings.get(number="1.2")
    undertaking.number = "1.8"
    undertaking.save()
    services.edition_publish(edition=draft, by=coordinator)
    after = keys_by_number(draft)
    assert after["1.8"] == before["1.2"]
    assert after["1.1"] == before["1.1"]


def _fresh_draft(compact, current, rows):
    """A draft built from nothing (as an import builds one): its undertakings have new keys."""
    draft = EditionFactory(compact=compact, based_on=current)
    outcomes = {}
    for number, sector, text in rows:
        o = int(number.split(".")[0])
        if o not in outcomes:
            outcomes[o] = OutcomeFactory(edition=draft, number=o)
        UndertakingFactory(edition=draft, outcome=outcomes[o], number=number, sector=sector, text=text)
    return draft


def test_publishing_a_fresh_draft_gives_matched_undertakings_their_old_keys(compact, coordinator):
    current = build_edition(compact=compact, outcomes=1, per_sector=2)
    before = keys_by_number(current)  # 1.1, 1.2 public; 1.3, 1.4 vcs
    texts = dict(current.undertakings.values_list("number", "text"))
    draft = _fresh_draft(
        compact,
        current,
        [
            ("1.1", "public", texts["1.2"]),  # the old 1.2, moved up
            ("1.2", "public", texts["1.1"] + " Always."),  # the old 1.1, reworded
            ("1.3", "vcs", "A wholly new promise about volunteering in parks and libraries."),
            ("1.4", "vcs", texts["1.4"]),
        ],
    )
    fresh = keys_by_number(draft)
    services.edition_publish(edition=draft, by=coordinator)
    after = keys_by_number(draft)
    assert after["1.1"] == before["1.2"]
    assert after["1.2"] == before["1.1"]
    assert after["1.4"] == before["1.4"]
    assert after["1.3"] == fresh["1.3"]  # new: its own key, none of the old ones
    assert after["1.3"] not in before.values()
    assert Edition.objects.get(pk=current.pk).status == Edition.Status.SUPERSEDED


def test_an_unmatched_undertaking_holding_an_old_key_gets_a_new_one(compact, coordinator):
    """A draft copied from the current edition, where 1.1's words are replaced wholly and an added
    undertaking repeats the old 1.1: the key follows the words, and no two rows share a key."""
    current = build_edition(compact=compact, outcomes=1, per_sector=1)  # 1.1 public, 1.2 vcs
    before = keys_by_number(current)
    old_text = current.undertakings.get(number="1.1").text
    draft = services.edition_start_from_current(compact=compact, name="Next", by=coordinator)
    first = draft.undertakings.get(number="1.1")
    first.text = "Something else entirely, about premises and rent for community groups."
    first.save()
    UndertakingFactory(edition=draft, outcome=first.outcome, number="1.3", sector="public", text=old_text)
    services.edition_publish(edition=draft, by=coordinator)
    after = keys_by_number(draft)
    assert after["1.3"] == before["1.1"]
    assert after["1.1"] not in before.values()
    assert len(set(after.values())) == 3


def test_the_migration_gives_keys_along_based_on(compact):
    migration = importlib.import_module("commitments.migrations.0009_undertaking_key")
    first = build_edition(compact=compact, outcomes=1, per_sector=1, status=Edition.Status.SUPERSEDED)
    texts = dict(first.undertakings.values_list("number", "text"))
    second = _fresh_draft(compact, first, [("1.1", "vcs", texts["1.2"]), ("1.2", "public", "Brand new words here.")])
    migration.give_keys(apps, None)
    old, new = keys_by_number(first), keys_by_number(second)
    assert new["1.1"] == old["1.2"]
    assert new["1.2"] not in old.values()
