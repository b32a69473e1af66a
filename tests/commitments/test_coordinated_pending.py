"""The Compacts a person coordinates, each with its sign-ups awaiting approval (the account dashboard):
counted per Compact from its editions' pending sign-ups, in one query however many Compacts."""

import pytest

from commitments.selectors import compacts_coordinated_by
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, EditionFactory, PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def _pending(edition, n, status="pending"):
    for _ in range(n):
        SignatureFactory(organisation=OrganisationFactory(), edition=edition, status=status)


def test_each_compact_counts_the_pending_sign_ups_of_all_its_editions_and_nothing_else():
    coordinator = UserFactory()
    busy, quiet, not_mine = CompactFactory(name="Busy"), CompactFactory(name="Quiet"), CompactFactory(name="Other")
    for compact in (busy, quiet):
        compact.coordinators.add(coordinator)
    current = PublishedEditionFactory(compact=busy)
    draft = EditionFactory(compact=busy)
    _pending(current, 2)
    _pending(draft, 1)
    _pending(current, 3, status="signed")
    _pending(PublishedEditionFactory(compact=quiet), 2, status="withdrawn")
    _pending(PublishedEditionFactory(compact=not_mine), 4)

    counts = {compact.name: compact.pending_count for compact in compacts_coordinated_by(coordinator)}

    assert counts == {"Busy": 3, "Quiet": 0}
    everything = {
        compact.name: compact.pending_count for compact in compacts_coordinated_by(UserFactory(is_superuser=True))
    }
    assert everything == {"Busy": 3, "Quiet": 0, "Other": 4}


def test_one_query_however_many_compacts(django_assert_num_queries):
    coordinator = UserFactory()
    for index in range(6):
        compact = CompactFactory(name=f"Compact {index}")
        compact.coordinators.add(coordinator)
        _pending(PublishedEditionFactory(compact=compact), index % 3)
    with django_assert_num_queries(1):
        counts = [compact.pending_count for compact in compacts_coordinated_by(coordinator)]
    assert counts == [0, 1, 2, 0, 1, 2]
