"""Choosing the language: the English / Cymraeg switch in every page's header, the cookie that keeps
a visitor's choice, the profile that keeps a signed-in person's, Welsh-first Compacts, and the
``lang`` attribute and Content-Language of every page (commitments/middleware.py)."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tests.accounts.factories import PASSWORD, UserFactory
from tests.commitments.factories import CompactFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
HTML_LANG = re.compile(r'<html lang="([a-z-]+)"')
WELSH_LINK = re.compile(
    r'<a class="[^"]*app-language-switch__link"\s+href="(?P<href>[^"]*)"\s+lang="cy"\s+hreflang="cy"[^>]*>Cymraeg</a>'
)
ENGLISH_LINK = re.compile(
    r'<a class="[^"]*app-language-switch__link"\s+href="(?P<href>[^"]*)"\s+lang="en"\s+hreflang="en"[^>]*>English</a>'
)


def page_language(response) -> str:
    """The language a page was written in, as its <html lang> says; checked against Content-Language."""
    html_lang = HTML_LANG.search(response.content.decode()).group(1)
    assert response["Content-Language"].split("-")[0] == html_lang
    return html_lang


def compact_url(compact) -> str:
    return reverse("commitments:compact_detail", kwargs={"slug": compact.slug})


# --- The switch --------------------------------------------------------------------------------


def test_the_switch_keeps_the_path_and_query_string_and_drops_lang(client, compact):
    response = client.get(compact_url(compact) + "?page=2&q=food+bank&lang=cy")

    assert response.status_code == 303
    assert response["Location"] == compact_url(compact) + "?page=2&q=food+bank"
    assert response.cookies[COOKIE].value == "cy"
    assert response["Cache-Control"] == "private, no-store"

    assert page_language(client.get(response["Location"])) == "cy"


def test_switching_back_to_english(client, compact):
    client.cookies[COOKIE] = "cy"
    response = client.get(compact_url(compact) + "?lang=en-gb")

    assert response.status_code == 303
    assert response["Location"] == compact_url(compact)
    assert response.cookies[COOKIE].value == "en-gb"
    assert page_language(client.get(compact_url(compact))) == "en"


@pytest.mark.parametrize("value", ["fr", "", "cy-evil", "en-us", "<script>"])
def test_an_unknown_language_is_ignored(client, compact, value):
    response = client.get(compact_url(compact), {"lang": value})

    assert response.status_code == 200
    assert COOKIE not in response.cookies
    assert page_language(response) == "en"


def test_a_form_posted_with_lang_in_its_address_is_not_switched(client):
    response = client.post(reverse("accounts:login") + "?lang=cy", {"username": "nobody", "password": "x"})

    assert response.status_code == 200
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/", "/\\evil.example/", "/\\/evil.example"])
def test_the_switch_never_sends_a_person_to_another_site(client, path):
    response = client.get("/", {"lang": "cy"}, PATH_INFO=path)

    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith("/")
    assert not location.startswith("//") and not location.startswith("/\\")
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})
    assert location == "/" + path.lstrip("/\\")


def test_the_switch_link_is_the_same_page_with_lang(client, compact):
    response = client.get(compact_url(compact) + "?page=2")

    href = WELSH_LINK.search(response.content.decode()).group("href")
    assert href == compact_url(compact) + "?page=2&amp;lang=cy"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda compact: reverse("home"), id="home"),
        pytest.param(compact_url, id="compact"),
        pytest.param(lambda compact: reverse("accounts:login"), id="sign-in"),
        pytest.param(lambda compact: "/no-such-page/", id="404"),
        pytest.param(lambda compact: reverse("privacy"), id="privacy"),
    ],
)
def test_every_page_has_the_switch_in_its_header(client, compact, url):
    english = client.get(url(compact)).content.decode()
    header = english.split("</header>")[0]
    assert WELSH_LINK.search(header)
    assert '<span aria-current="true" lang="en">English</span>' in header
    assert not ENGLISH_LINK.search(header)

    client.cookies[COOKIE] = "cy"
    welsh = client.get(url(compact)).content.decode()
    header = welsh.split("</header>")[0]
    assert ENGLISH_LINK.search(header)
    assert '<span aria-current="true" lang="cy">Cymraeg</span>' in header
    assert not WELSH_LINK.search(header)


def test_the_server_error_page_has_the_switch_and_its_language(db):
    from django.utils import translation

    from compact_portal.views import server_error

    request = RequestFactory().get("/compacts/?q=x")
    with translation.override("cy"):
        response = server_error(request)
    content = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="cy"' in content
    assert ENGLISH_LINK.search(content).group("href") == "/compacts/?q=x&amp;lang=en-gb"


# --- Remembering the choice --------------------------------------------------------------------


def test_a_visitors_choice_is_kept_in_the_cookie(client, compact):
    client.get(reverse("home") + "?lang=cy")
    assert client.cookies[COOKIE].value == "cy"
    assert page_language(client.get(reverse("home"))) == "cy"
    assert page_language(client.get(compact_url(compact))) == "cy"


def test_the_language_cookie_has_the_cookie_settings(client):
    response = client.get(reverse("home") + "?lang=cy")
    morsel = response.cookies[COOKIE]
    assert morsel["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert morsel["path"] == settings.LANGUAGE_COOKIE_PATH
    assert bool(morsel["httponly"]) == bool(settings.LANGUAGE_COOKIE_HTTPONLY)


def test_a_signed_in_persons_choice_is_saved_in_their_profile(client):
    person = UserFactory(username="nia")
    client.force_login(person)

    response = client.get(reverse("accounts:dashboard") + "?lang=cy")

    assert response.status_code == 303
    person.refresh_from_db()
    assert person.language == "cy"
    assert response.cookies[COOKIE].value == "cy"


def test_at_sign_in_a_persons_saved_language_wins_and_goes_in_the_cookie(client):
    UserFactory(username="nia", language="cy")
    client.cookies[COOKIE] = "en-gb"

    response = client.post(reverse("accounts:login"), {"username": "nia", "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "cy"
    assert page_language(client.get(reverse("accounts:dashboard"))) == "cy"


def test_a_visitor_who_chose_and_then_signs_in_keeps_the_choice_and_it_is_saved(client):
    person = UserFactory(username="nia", language="")
    client.get(reverse("home") + "?lang=cy")

    client.post(reverse("accounts:login"), {"username": "nia", "password": PASSWORD})

    person.refresh_from_db()
    assert person.language == "cy"
    assert page_language(client.get(reverse("accounts:dashboard"))) == "cy"


def test_a_saved_language_follows_the_person_to_a_new_browser(client):
    person = UserFactory(username="nia", language="cy")
    client.force_login(person)

    response = client.get(reverse("accounts:dashboard"))

    assert page_language(response) == "cy"
    assert response.cookies[COOKIE].value == "cy"


def test_the_account_language_page_saves_the_choice(client):
    person = UserFactory(username="nia")
    client.force_login(person)

    form = client.get(reverse("accounts:language")).content.decode()
    assert "Language for pages and emails" in form
    assert 'type="radio"' in form and 'value="cy"' in form and 'value="en-gb"' in form
    assert '<span lang="cy">Cymraeg</span>' in form and '<span lang="en">English</span>' in form
    assert reverse("accounts:language") in client.get(reverse("accounts:dashboard")).content.decode()

    response = client.post(reverse("accounts:language"), {"language": "cy"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert response.cookies[COOKIE].value == "cy"
    person.refresh_from_db()
    assert person.language == "cy"
    assert page_language(client.get(reverse("accounts:dashboard"))) == "cy"


def test_the_account_language_page_asks_again_when_nothing_is_chosen(client):
    person = UserFactory(username="nia")
    client.force_login(person)

    response = client.post(reverse("accounts:language"), {"language": "fr"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    person.refresh_from_db()
    assert person.language == ""


def test_the_account_language_page_is_for_signed_in_people(client):
    response = client.get(reverse("accounts:language"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Precedence --------------------------------------------------------------------------------


def test_a_saved_language_comes_before_the_cookie(client):
    client.force_login(UserFactory(username="nia", language="en-gb"))
    client.cookies[COOKIE] = "cy"

    response = client.get(reverse("accounts:dashboard"))

    assert page_language(response) == "en"
    assert response.cookies[COOKIE].value == "en-gb"


def test_the_cookie_comes_before_a_welsh_first_compact(client):
    compact = CompactFactory(welsh_first=True)
    client.cookies[COOKIE] = "en-gb"

    assert page_language(client.get(compact_url(compact))) == "en"
    assert page_language(client.get(reverse("home"))) == "en"


def test_a_welsh_first_compact_comes_before_the_browsers_language(client):
    compact = CompactFactory(welsh_first=True)

    response = client.get(compact_url(compact), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert page_language(response) == "cy"


def test_the_browsers_language_comes_before_english(client, compact):
    assert page_language(client.get(compact_url(compact), HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")) == "cy"
    assert page_language(client.get(compact_url(compact), HTTP_ACCEPT_LANGUAGE="fr")) == "en"
    assert page_language(client.get(compact_url(compact))) == "en"


def test_a_signed_in_person_with_no_choice_gets_welsh_first_too(client):
    compact = CompactFactory(welsh_first=True)
    client.force_login(UserFactory(username="nia", language=""))

    assert page_language(client.get(compact_url(compact))) == "cy"


# --- Welsh-first -------------------------------------------------------------------------------


def test_when_every_compact_is_welsh_first_every_page_is_in_welsh(client):
    CompactFactory(welsh_first=True)

    for url in (reverse("home"), reverse("accounts:login"), reverse("privacy"), "/no-such-page/"):
        assert page_language(client.get(url)) == "cy", url


def test_with_one_welsh_first_compact_among_others_only_its_pages_are_in_welsh(client):
    welsh = CompactFactory(welsh_first=True)
    english = CompactFactory(welsh_first=False)

    assert page_language(client.get(compact_url(welsh))) == "cy"
    assert page_language(client.get(reverse("commitments:edition_list", kwargs={"slug": welsh.slug}))) == "cy"
    assert page_language(client.get(reverse("signatories:register", kwargs={"slug": welsh.slug}))) == "cy"
    assert page_language(client.get(compact_url(english))) == "en"
    assert page_language(client.get(reverse("home"))) == "en"


def test_a_deployment_with_no_compacts_is_in_english(client, db):
    assert page_language(client.get(reverse("home"))) == "en"


def test_making_a_compact_welsh_first_takes_effect_at_once(client):
    compact = CompactFactory(welsh_first=False)
    assert page_language(client.get(compact_url(compact))) == "en"

    compact.welsh_first = True
    compact.save()

    assert page_language(client.get(compact_url(compact))) == "cy"


def _welsh_first_queries(queries) -> list[str]:
    """The lookup of commitments/welsh_first.py: slug and flag of every Compact, nothing else."""
    return [q["sql"] for q in queries.captured_queries if "welsh_first" in q["sql"] and '"name"' not in q["sql"]]


def test_the_welsh_first_lookup_costs_at_most_one_small_query(client):
    from commitments import welsh_first

    compact = CompactFactory(welsh_first=True)
    CompactFactory.create_batch(3)
    welsh_first.forget()  # a process that has not read it yet

    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            client.get(reverse("brand_css"))
            client.get(compact_url(compact))
    assert len(_welsh_first_queries(queries)) == 1

    # Saving a Compact reads the flags again at once (in the saving process), not on each request.
    with CaptureQueriesContext(connection) as queries:
        compact.name = "Renamed"
        compact.save()
        client.get(compact_url(compact))
        client.get(reverse("home"))
    assert len(_welsh_first_queries(queries)) == 1


def test_once_kept_too_long_the_flags_are_read_again_once_per_request_at_most(client, settings):
    settings.PORTAL_WELSH_FIRST_CACHE_SECONDS = 0
    compact = CompactFactory(welsh_first=True)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(compact_url(compact))
    assert len(_welsh_first_queries(queries)) == 1
    assert page_language(response) == "cy"


def test_a_person_who_chose_costs_no_welsh_first_query(client, compact):
    client.cookies[COOKIE] = "en-gb"
    with CaptureQueriesContext(connection) as queries:
        client.get(compact_url(compact))
    assert _welsh_first_queries(queries) == []


# --- Headers -----------------------------------------------------------------------------------


def test_english_and_welsh_pages_say_their_language(client, compact):
    english = client.get(compact_url(compact))
    assert '<html lang="en"' in english.content.decode()
    assert english["Content-Language"] == "en-gb"

    client.cookies[COOKIE] = "cy"
    welsh = client.get(compact_url(compact))
    assert '<html lang="cy"' in welsh.content.decode()
    assert welsh["Content-Language"] == "cy"


def test_pages_vary_on_the_cookie_and_the_browsers_language(client, compact):
    response = client.get(compact_url(compact))
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary


def test_a_public_page_is_never_stored_after_a_switch(client, compact):
    response = client.get(compact_url(compact) + "?lang=cy")
    assert response["Cache-Control"] == "private, no-store"
    # The page in Welsh may be kept by a cache only under its own cookie (Vary: Cookie).
    page = client.get(compact_url(compact))
    assert "cookie" in page["Vary"].lower()


# --- What the portal says about it -------------------------------------------------------------


def test_the_privacy_notice_declares_the_language_cookie(client):
    content = client.get(reverse("privacy")).content.decode()
    cookies = content.split('id="cookies"')[1].split('id="your-rights"')[0]
    assert f"<code>{settings.LANGUAGE_COOKIE_NAME}</code>" in cookies
    assert "remembers the language you chose" in cookies
    assert "365 days" in cookies


def test_the_accessibility_statement_says_the_service_is_in_welsh_and_english(client):
    content = client.get(reverse("accessibility")).content.decode()
    assert "The service is in Welsh and English." in content


def test_the_switch_keeps_an_escaped_path_escaped(client):
    response = client.get("/compacts/caf%C3%A9%3Fx/?lang=cy")
    assert response["Location"] == "/compacts/caf%C3%A9%3Fx/"
