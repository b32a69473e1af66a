"""Ended sessions and old sign-in records are deleted nightly, as the privacy notice says."""

import datetime

import pytest
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import remove_expired_records

pytestmark = pytest.mark.django_db


def test_ended_sessions_and_sign_ins_older_than_the_limit_go_the_rest_stay(settings):
    settings.PORTAL_SIGN_IN_RECORDS_KEPT_DAYS = 90
    now = timezone.now()
    Session.objects.create(session_key="ended", session_data="", expire_date=now - datetime.timedelta(minutes=1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + datetime.timedelta(hours=1))
    for days in (91, 89):
        log = AccessLog.objects.create(username=f"{days}", ip_address="127.0.0.1", user_agent="test")
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=now - datetime.timedelta(days=days))

    assert remove_expired_records() == {"sessions": 1, "sign_in_records": 1}

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["89"]


def test_the_privacy_notice_says_how_long_sign_ins_are_kept(client, settings):
    settings.PORTAL_SIGN_IN_RECORDS_KEPT_DAYS = 30
    page = client.get(reverse("privacy")).content.decode()
    assert "is deleted after 30 days" in page


def test_the_clean_up_runs_every_night(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"accounts.tasks.remove_expired_records", "commitments.tasks.prune_edition_documents"} <= tasks
    assert "notifications.tasks.deliver_unsent_notifications" in tasks
