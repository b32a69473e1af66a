"""The council's and the service's names in the reader's language."""

import pytest
from django.urls import reverse

from compact_portal.names import council_name, service_name

pytestmark = pytest.mark.django_db


def test_names_follow_the_language(settings):
    settings.PORTAL_COUNCIL_NAME, settings.PORTAL_COUNCIL_NAME_CY = "Denbighshire County Council", "Cyngor Sir Ddinbych"
    settings.PORTAL_SERVICE_NAME, settings.PORTAL_SERVICE_NAME_CY = "Compact Portal", "Porth y Compact"
    assert council_name("cy") == "Cyngor Sir Ddinbych" and council_name("en-gb") == "Denbighshire County Council"
    assert service_name("cy") == "Porth y Compact" and service_name("en-gb") == "Compact Portal"
    settings.PORTAL_COUNCIL_NAME_CY = ""  # no Welsh given: the English name
    assert council_name("cy") == "Denbighshire County Council"


def test_every_page_names_them_in_its_language(client, settings):
    settings.PORTAL_COUNCIL_NAME, settings.PORTAL_COUNCIL_NAME_CY = "Denbighshire County Council", "Cyngor Sir Ddinbych"
    settings.PORTAL_SERVICE_NAME, settings.PORTAL_SERVICE_NAME_CY = "Compact Portal", "Porth y Compact"
    welsh = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cyngor Sir Ddinbych" in welsh and "Porth y Compact" in welsh
    assert "Denbighshire County Council" not in welsh
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-gb").content.decode()
    assert "Denbighshire County Council" in english and "Cyngor Sir Ddinbych" not in english


def test_a_context_made_once_names_them_in_each_readers_language(settings):
    """A reminder's context is made once and rendered per language: the names in it are lazy."""
    from django.utils import translation

    from notifications.reminders import _context_of_the_portal

    settings.PORTAL_SERVICE_NAME, settings.PORTAL_SERVICE_NAME_CY = "Compact Portal", "Porth y Compact"
    with translation.override("en"):
        context = _context_of_the_portal()
    with translation.override("cy"):
        assert str(context["PORTAL_SERVICE_NAME"]) == "Porth y Compact"
    with translation.override("en"):
        assert str(context["PORTAL_SERVICE_NAME"]) == "Compact Portal"
