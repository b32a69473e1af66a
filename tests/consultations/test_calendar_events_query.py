"""An organisation's calendar feed names the Compacts it signed by id (consultations/calendar_events.py):
as a subquery inside the OR, PostgreSQL read every consultation for each feed a calendar app asked
for (26 ms at national scale, in three processes); by id, each side of the OR uses its index."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.calendar_events import organisation_consultations, organisation_version
from tests.consultations.factories import ConsultationFactory
from tests.monitoring.factories import edition
from tests.signatories.factories import OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db
SINCE = datetime.date(2026, 1, 1)


def test_the_feed_names_the_signed_compacts_by_id_and_finds_the_same_consultations():
    signed, other = edition(), edition()
    organisation = OrganisationFactory()
    SignatureFactory(organisation=organisation, edition=signed, status="signed")
    SignatureFactory(organisation=organisation, edition=other, status="pending")
    mine = ConsultationFactory(edition=signed, opens_on=datetime.date(2026, 2, 1), closes_on=datetime.date(2026, 5, 1))
    runs = ConsultationFactory(
        edition=other,
        organisation=organisation,
        opens_on=datetime.date(2026, 2, 1),
        closes_on=datetime.date(2026, 5, 1),
    )
    ConsultationFactory(edition=other, opens_on=datetime.date(2026, 2, 1), closes_on=datetime.date(2026, 5, 1))
    ConsultationFactory(edition=signed, opens_on=datetime.date(2025, 9, 1), closes_on=datetime.date(2025, 12, 1))

    with CaptureQueriesContext(connection) as queries:
        version = organisation_version(organisation, SINCE)

    assert version[1] == 2
    assert set(organisation_consultations(organisation, SINCE)) == {mine, runs}
    consultation_query = next(q["sql"] for q in queries if 'FROM "consultations_consultation"' in q["sql"])
    assert consultation_query.upper().count("SELECT") == 1  # no subquery inside the OR
