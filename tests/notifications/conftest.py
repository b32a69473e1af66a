import pytest

from tests.support import fake_notify as fake


@pytest.fixture
def fake_notify(settings):
    """The portal pointed at a fake GOV.UK Notify (tests/support/fake_notify.py)."""
    server = fake.start()
    settings.NOTIFY_API_KEY = fake.API_KEY
    settings.NOTIFY_BASE_URL = server.url
    settings.NOTIFY_EMAIL_TEMPLATE_ID = fake.TEMPLATE_ID
    settings.NOTIFY_CALLBACK_TOKEN = "a-callback-token-of-some-length"  # noqa: S105 - a test value
    settings.EMAIL_BACKEND = "notifications.backends.NotifyEmailBackend"
    yield server
    fake.stop(server)
