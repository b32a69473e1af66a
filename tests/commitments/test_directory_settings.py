"""The coordinator's page for what the national directory shows: ONS code, public contact, review period."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from commitments.models import Compact

pytestmark = pytest.mark.django_db


def _url(compact):
    return reverse("commitments:compact_directory_settings", kwargs={"slug": compact.slug})


VALID = {"ons_code": " e06000047 ", "contact_email": "compact@durham.example", "contact_phone": "03000 260000",
         "review_period_years": "5"}  # fmt: skip


def test_the_coordinator_saves_the_details_and_the_manage_page_shows_them(client, coordinator, compact):
    client.force_login(coordinator)
    response = client.post(_url(compact), VALID, follow=True)
    compact.refresh_from_db()
    assert (compact.ons_code, compact.contact_email, compact.contact_phone, compact.review_period_years) == (
        "E06000047",
        "compact@durham.example",
        "03000 260000",
        5,
    )
    assert "E06000047" in response.text and "Every 5 years" in response.text


def test_a_new_compact_is_reviewed_every_three_years(compact):
    assert compact.review_period_years == 3 and compact.ons_code == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ons_code", "E10000007", "Enter an ONS code like E06000047"),  # a county council: not in the list
        ("ons_code", "W0600001", "Enter an ONS code like E06000047"),  # five digits
        ("review_period_years", "0", "at least 1 year"),
        ("review_period_years", "11", "10 years or fewer"),
        ("contact_email", "not-an-email", "Enter an email address like"),
    ],
)
def test_a_wrong_value_is_refused_with_a_message(client, coordinator, compact, field, value, message):
    client.force_login(coordinator)
    response = client.post(_url(compact), {**VALID, field: value})
    assert response.status_code == 200 and message in response.text
    compact.refresh_from_db()
    assert compact.ons_code == ""


@pytest.mark.parametrize(
    "code", ["E06000047", "E07000008", "E08000001", "E09000033", "W06000015", "S12000036", "N09000003"]
)
def test_every_kind_of_council_code_is_accepted(client, coordinator, compact, code):
    client.force_login(coordinator)
    client.post(_url(compact), {**VALID, "ons_code": code})
    compact.refresh_from_db()
    assert compact.ons_code == code


def test_the_database_refuses_a_bad_review_period_or_code(compact):
    with pytest.raises(IntegrityError), transaction.atomic():
        Compact.objects.filter(pk=compact.pk).update(review_period_years=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        Compact.objects.filter(pk=compact.pk).update(ons_code="X12345678")


def test_someone_else_is_refused(client, stranger, compact):
    client.force_login(stranger)
    assert client.post(_url(compact), VALID).status_code == 403
    compact.refresh_from_db()
    assert compact.contact_email == ""


def test_the_public_contact_is_on_the_compacts_public_page(client, compact, edition):
    page = reverse("commitments:compact_detail", kwargs={"slug": compact.slug})
    assert 'id="compact-contact"' not in client.get(page).text
    Compact.objects.filter(pk=compact.pk).update(contact_email="compact@riverside.example", contact_phone="0300 123")
    text = client.get(page).text
    assert 'href="mailto:compact@riverside.example"' in text and "0300 123" in text
