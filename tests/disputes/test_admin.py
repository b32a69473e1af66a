"""The admin's page for a concern costs the same queries however long its timeline is, and lists
no organisation or undertaking in a drop-down (a national portal has tens of thousands)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import services
from disputes.models import TimelineEntry
from tests.accounts.factories import UserFactory
from tests.disputes.factories import open_case

pytestmark = pytest.mark.django_db


def test_the_admin_change_page_of_a_concern_does_not_grow_with_its_timeline(client, edition, officer, vcs_member):
    case = open_case(
        complainant=vcs_member.memberships.get().organisation,
        respondent=officer.memberships.get().organisation,
        edition=edition,
        by=vcs_member,
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:disputes_case_change", args=[case.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        services.timeline_add(case=case, by=officer, kind=TimelineEntry.Kind.NOTE, text=f"Note {n}")
    assert queries() == few
    page = client.get(url).content.decode()
    assert 'class="vManyToManyRawIdAdminField"' in page and '<select name="undertakings"' not in page
    assert 'name="respondent"' in page and '<select name="respondent"' not in page
