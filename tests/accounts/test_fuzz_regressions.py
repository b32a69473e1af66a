"""Inputs that fuzzing (tests/test_fuzz_forms.py) found to cause a server error, kept as plain tests."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_user_name_too_long_for_the_record_of_failed_sign_ins_is_refused_with_a_message():
    # PostgreSQL refused it: django-axes records failed sign-ins with the name in 255 characters.
    client = Client(raise_request_exception=True)
    response = client.post(reverse("accounts:login"), {"username": "a" * 300, "password": " "})
    assert response.status_code == 200
    assert "The user name must be 150 characters or fewer" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_still_recorded_as_a_failed_sign_in(coordinator):
    response = Client().post(reverse("accounts:login"), {"username": "coordinator", "password": "wrong"})
    assert response.status_code == 200
    assert "The user name or password is not right" in response.content.decode()
    assert AccessAttempt.objects.filter(username="coordinator").exists()
