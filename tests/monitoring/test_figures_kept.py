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
