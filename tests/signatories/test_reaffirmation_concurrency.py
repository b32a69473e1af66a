"""Two workers running the same re-affirmation task at once against PostgreSQL (the task delivered
twice, acks_late): each organisation is asked once. Each run is a thread, with its own connection."""

import os
import time
from collections import Counter

import pytest
from django.core import mail

from notifications.models import Notification
from signatories import services
from signatories.models import Signature, SignatureEvent
from signatories.tasks import request_reaffirmation
from tests.commitments.factories import CompactFactory, build_edition
from tests.conftest import require
from tests.signatories.test_reaffirmation import publish_without_the_task, signatories
from tests.support.threads import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require(os.environ.get("DATABASE_URL", "").startswith("postgres"), "needs PostgreSQL (DATABASE_URL=postgresql://…)")


def test_two_workers_at_once_ask_each_organisation_once(monkeypatch, coordinator):
    compact = CompactFactory(coordinators=[coordinator])
    first = build_edition(compact=compact, name="First edition")
    signatories(first, 9)
    with monkeypatch.context() as patch:  # published and committed; the task it queues is lost
        patch.setattr(request_reaffirmation, "delay", lambda *args: None)
        new, _callbacks = publish_without_the_task(compact, coordinator)
    assert not Signature.objects.filter(edition=new).exists()
    monkeypatch.setattr(services, "REAFFIRMATION_BATCH", 2)
    real_notify_many = services.notify_many

    def slow_notify_many(messages):  # each batch holds its lock a while: the runs overlap
        time.sleep(0.05)
        return real_notify_many(messages)

    monkeypatch.setattr(services, "notify_many", slow_notify_many)
    asked = at_once(lambda: request_reaffirmation(first.pk, new.pk, coordinator.pk), 2)

    assert sum(asked) == 9 and len(asked) == 2
    assert Signature.objects.filter(edition=new).count() == 9
    assert SignatureEvent.objects.filter(signature__edition=new).count() == 9
    assert Notification.objects.filter(kind="reaffirmation_requested").count() == 9
    assert set(Counter(m.to[0] for m in mail.outbox).values()) == {1} and len(mail.outbox) == 9
