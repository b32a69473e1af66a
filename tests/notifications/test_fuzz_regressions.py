"""Inputs that fuzzing found to break an email, kept as plain tests."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from consultations import services as consultation_services
from notifications.models import Notification
from signatories.models import Membership
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_a_carriage_return_typed_in_an_organisation_name_does_not_stop_its_emails(
    edition, officer, vcs_member, django_capture_on_commit_callbacks
):
    """A name with "\\r" went into the subject line, and sending the email failed (BadHeaderError)."""
    food_bank = vcs_member.organisations.get()
    Membership.objects.filter(user=vcs_member).update(role=Membership.Role.ADMIN)
    client = Client(raise_request_exception=True)
    client.force_login(vcs_member)
    response = client.post(
        reverse("signatories:organisation_edit", kwargs={"pk": food_bank.pk}),
        {"name": "Food\rBank", "sector": food_bank.sector, "organisation_type": food_bank.organisation_type},
    )
    assert response.status_code == 302
    food_bank.refresh_from_db()
    consultation = ConsultationFactory(edition=edition, organisation=officer.organisations.get())
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.response_record(
            consultation=consultation,
            organisation=food_bank,
            by=vcs_member,
            summary="We agree.",
            today=datetime.date(2027, 2, 1),
        )
    (message,) = mail.outbox
    assert message.subject == f"Food Bank has responded to ‘{consultation.title}’"
    assert Notification.objects.get(recipient=officer).emailed_at is not None
