"""Single sign-on with the council's OpenID Connect provider (accounts/oidc.py), against a small
provider run in the test (tests/support/fake_oidc.py): no network."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from accounts.models import SignOnIdentity, User
from national.permissions import is_national
from signatories.models import Membership
from tests.accounts.factories import UserFactory, mfa_device
from tests.commitments.factories import CompactFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory
from tests.support.fake_oidc import FakeProvider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_axes_and_cache():
    from axes.utils import reset
    from django.core.cache import cache

    reset()
    cache.clear()


@pytest.fixture
def riverside():
    return PublicBodyFactory(name="Riverside Borough Council")


@pytest.fixture
def trust():
    return PublicBodyFactory(name="Riverside NHS Trust")


@pytest.fixture
def provider(settings, riverside, trust):
    fake = FakeProvider().start()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    settings.OIDC_DOMAIN_ORGANISATIONS = f"riverside.gov.uk=riverside-borough-council; nhs.net={trust.pk}"
    settings.OIDC_MFA_ACR_VALUES = ["urn:council:strong"]
    settings.PORTAL_COUNCIL_NAME = "Riverside Borough Council"
    settings.PORTAL_COUNCIL_NAME_CY = "Cyngor Bwrdeistref Glan-yr-afon"
    yield fake
    fake.stop()


def person(**claims) -> dict:
    return {
        "sub": "subject-1",
        "email": "ann.jones@riverside.gov.uk",
        "email_verified": True,
        "given_name": "Ann",
        "family_name": "Jones",
        **claims,
    }


def start(client, next_url: str | None = None) -> str:
    """Click "Sign in with …": the provider's authorisation address."""
    url = reverse("accounts:oidc_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return response.url


def at_provider(authorize_url: str) -> str:
    """The person signs in at the provider, which sends them back: the portal's callback address."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302
    back = urlsplit(response.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def sign_on(client, provider, claims: dict, next_url: str | None = None):
    provider.person = claims
    return client.get(at_provider(start(client, next_url)))


def signed_in_user(client) -> User | None:
    response = client.get(reverse("accounts:dashboard"))
    return response.wsgi_request.user if response.status_code == 200 else None


# --- The sign-in page -----------------------------------------------------------------------------


def test_the_sign_in_page_offers_the_council_in_english_and_in_welsh(client, provider):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Riverside Borough Council" in html
    assert reverse("accounts:oidc_start") in html
    client.cookies["django_language"] = "cy"
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Cyngor Bwrdeistref Glan-yr-afon" in html


def test_off_when_not_configured(client, settings):
    settings.OIDC_ISSUER = ""
    settings.OIDC_RP_CLIENT_ID = ""
    html = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:oidc_start") not in html
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback") + "?code=x&state=y").status_code == 404


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(client, provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["client_id"] == ["compact-portal"]
    assert query["state"][0] and query["nonce"][0]
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver" + reverse("accounts:oidc_callback")]


# --- Who signs in, and what they may do -----------------------------------------------------------


def test_a_new_person_becomes_an_ordinary_member_of_their_domains_organisation_and_no_other(
    client, provider, riverside, trust
):
    response = sign_on(client, provider, person(), next_url="/accounts/language/")
    assert response.status_code == 302
    assert response.url == "/accounts/language/"

    user = signed_in_user(client)
    assert user is not None and user.email == "ann.jones@riverside.gov.uk"
    assert user.get_full_name() == "Ann Jones"
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (riverside.pk, Membership.Role.MEMBER)
    ]
    # Never more than that: no admin, coordinator, national body, staff or superuser rights.
    assert not user.is_staff and not user.is_superuser
    assert not user.coordinated_compacts.exists()
    assert not is_national(user)
    assert SignOnIdentity.objects.get(user=user).subject == "subject-1"


def test_a_domain_mapped_by_id_reaches_that_organisation(client, provider, riverside, trust):
    sign_on(client, provider, person(sub="nurse", email="bo@nhs.net"))
    user = User.objects.get(email="bo@nhs.net")
    assert [m.organisation for m in user.memberships.all()] == [trust]


def test_an_unverified_email_is_refused(client, provider):
    response = sign_on(client, provider, person(email_verified=False))
    assert response.status_code == 403
    assert "did not confirm your email address" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="ann.jones@riverside.gov.uk").exists()


def test_an_email_of_a_domain_not_allowed_is_refused(client, provider):
    # A subdomain or a look-alike is not the domain.
    for email in ("eve@example.com", "eve@evil.riverside.gov.uk", "eve@riverside.gov.uk.example.com"):
        response = sign_on(client, provider, person(sub=email, email=email))
        assert response.status_code == 403, email
        assert "does not belong to an organisation" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SignOnIdentity.objects.exists()


def test_an_existing_account_is_linked_through_a_verified_email_and_keeps_its_rights(client, provider, riverside):
    existing = UserFactory(email="Ann.Jones@riverside.gov.uk")
    MembershipFactory(user=existing, organisation=riverside, role=Membership.Role.ADMIN)

    sign_on(client, provider, person())

    assert signed_in_user(client) == existing
    assert User.objects.count() == 1
    assert existing.memberships.get().role == Membership.Role.ADMIN  # not lowered, not raised
    assert SignOnIdentity.objects.get().user == existing


def test_an_existing_account_is_not_linked_through_an_unverified_email(client, provider):
    existing = UserFactory(email="ann.jones@riverside.gov.uk")
    sign_on(client, provider, person(email_verified=False))
    assert signed_in_user(client) is None
    assert not SignOnIdentity.objects.filter(user=existing).exists()


def test_a_changed_email_at_the_provider_still_finds_the_same_account(client, provider, riverside):
    sign_on(client, provider, person())
    first = signed_in_user(client)
    client.logout()

    sign_on(client, provider, person(email="ann.smith@riverside.gov.uk"))

    assert signed_in_user(client) == first
    assert User.objects.count() == 1


def test_another_subject_with_the_same_email_cannot_take_the_account_over(client, provider):
    sign_on(client, provider, person())
    owner = signed_in_user(client)
    client.logout()

    response = sign_on(client, provider, person(sub="someone-else"))

    assert response.status_code == 403
    assert "already linked" in response.content.decode()
    assert signed_in_user(client) is None
    assert list(SignOnIdentity.objects.values_list("user", "subject")) == [(owner.pk, "subject-1")]


def test_a_closed_account_is_not_signed_in(client, provider):
    UserFactory(email="ann.jones@riverside.gov.uk", is_active=False)
    response = sign_on(client, provider, person())
    assert response.status_code == 403
    assert signed_in_user(client) is None


# --- The portal's own second factor ---------------------------------------------------------------


@pytest.fixture
def coordinator(riverside, settings):
    settings.OIDC_LINK_PRIVILEGED = True  # the deployment trusts the provider with coordinators' accounts
    user = UserFactory(email="ann.jones@riverside.gov.uk")
    CompactFactory(coordinators=[user])
    mfa_device(user)
    return user


@pytest.mark.parametrize("asserted", [{"amr": ["pwd", "mfa"]}, {"acr": "urn:council:strong"}])
def test_a_second_factor_asserted_by_the_provider_is_not_asked_again(client, provider, coordinator, asserted):
    sign_on(client, provider, person(**asserted))
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == coordinator


@pytest.mark.parametrize("claims", [{}, {"amr": ["pwd"]}, {"acr": "urn:council:weak"}])
def test_without_a_second_factor_at_the_provider_the_portal_asks_its_own(client, provider, coordinator, claims):
    sign_on(client, provider, person(**claims))
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_the_userinfo_answer_cannot_claim_a_second_factor(client, provider, coordinator):
    """amr and acr are read from the signed id token only."""
    provider.userinfo_extra = {"amr": ["mfa"], "acr": "urn:council:strong"}
    sign_on(client, provider, person())
    assert client.get(reverse("accounts:dashboard")).status_code == 302


# --- Accounts with more rights than a membership (OIDC_LINK_PRIVILEGED) -------------------------------


def _privileged(kind: str) -> User:
    from national.models import NationalRole

    user = UserFactory(email="ann.jones@riverside.gov.uk")
    if kind == "coordinator":
        CompactFactory(coordinators=[user])
    elif kind == "national":
        NationalRole.objects.create(user=user)
    else:
        setattr(user, kind, True)
        user.save()
    return user


@pytest.mark.parametrize("kind", ["coordinator", "national", "is_staff", "is_superuser"])
def test_an_account_with_more_rights_is_not_linked_by_email_unless_the_setting_says_so(
    client, provider, settings, kind
):
    user = _privileged(kind)
    assert not settings.OIDC_LINK_PRIVILEGED  # off by default

    response = sign_on(client, provider, person(amr=["mfa"]))

    assert response.status_code == 403
    assert "Sign in with your user name and password instead" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SignOnIdentity.objects.exists()
    assert User.objects.get() == user  # no second account made either

    from tests.accounts.factories import PASSWORD

    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)  # the password still signs them in

    client.logout()
    settings.OIDC_LINK_PRIVILEGED = True
    sign_on(client, provider, person(amr=["mfa"]))
    assert signed_in_user(client) == user
    assert SignOnIdentity.objects.get().user == user


def test_a_revoked_national_role_is_not_a_right_that_stops_the_link(client, provider):
    from django.utils import timezone

    from national.models import NationalRole

    user = UserFactory(email="ann.jones@riverside.gov.uk")
    NationalRole.objects.create(user=user, revoked_at=timezone.now())
    sign_on(client, provider, person())
    assert signed_in_user(client) == user


def test_an_account_linked_before_it_was_given_more_rights_still_signs_on(client, provider):
    sign_on(client, provider, person())
    user = signed_in_user(client)
    client.logout()
    CompactFactory(coordinators=[user])

    sign_on(client, provider, person(amr=["mfa"]))

    assert signed_in_user(client) == user


# --- Forged and replayed callbacks ------------------------------------------------------------------


def test_a_replayed_callback_is_refused(client, provider):
    provider.person = person()
    callback = at_provider(start(client))
    assert client.get(callback).status_code == 302
    client.logout()

    again = client.get(callback)  # the same state and code again, in the same browser
    assert again.status_code == 400
    assert signed_in_user(client) is None

    other_browser = client.__class__()
    assert other_browser.get(callback).status_code == 400
    assert signed_in_user(other_browser) is None


def test_a_callback_started_in_another_browser_is_refused(client, provider):
    """Login CSRF: the attacker's own callback, opened in the victim's browser."""
    provider.person = person(sub="attacker", email="mallory@riverside.gov.uk")
    attacker = client.__class__()
    callback = at_provider(start(attacker))
    start(client)  # the victim has a sign-in of their own under way: another state

    response = client.get(callback)

    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_a_forged_state_is_refused(client, provider):
    provider.person = person()
    callback = at_provider(start(client))
    path, query = callback.split("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    response = client.get(path, {"code": params["code"], "state": "forged-state"})
    assert response.status_code == 400
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    "tamper",
    [
        {"nonce": "another-nonce"},
        {"iss": "http://127.0.0.1:1/evil"},
        {"aud": "another-client"},
        {"exp": 1_000_000_000},
        {"exp": None},
    ],
    ids=["nonce", "issuer", "audience", "expired", "no-expiry"],
)
def test_an_id_token_that_does_not_fit_is_refused(client, provider, tamper):
    provider.tamper = tamper
    response = sign_on(client, provider, person())
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_an_id_token_signed_with_another_key_is_refused(client, provider):
    provider.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sign_on(client, provider, person())
    assert response.status_code == 400
    assert signed_in_user(client) is None


def test_an_unreachable_provider_is_a_clear_page_not_an_error(client, settings, provider):
    provider.stop()
    response = client.get(reverse("accounts:oidc_start"))
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_a_password_sign_in_still_works_beside_it(client, provider):
    from tests.accounts.factories import PASSWORD

    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_user(client) == user


def test_an_organisation_slug_that_names_none_refuses_rather_than_signs_in_without_one(client, provider, settings):
    settings.OIDC_DOMAIN_ORGANISATIONS = "riverside.gov.uk=no-such-council"
    response = sign_on(client, provider, person())
    assert response.status_code == 400
    assert not User.objects.exists()


def test_organisation_slugs(riverside):
    from signatories.selectors import organisation_by_reference

    OrganisationFactory(name="Riverside Borough Council Sports Club")
    assert organisation_by_reference("riverside-borough-council") == riverside
    assert organisation_by_reference(str(riverside.pk)) == riverside
    assert organisation_by_reference("riverside") is None
    assert organisation_by_reference("Riverside Borough Council") is None
    assert organisation_by_reference("riverside-.*") is None


def test_a_userinfo_answer_about_someone_else_is_refused(client, provider):
    provider.userinfo_extra = {"sub": "someone-else", "email": "boss@riverside.gov.uk"}
    response = sign_on(client, provider, person())
    assert response.status_code == 400
    assert not User.objects.exists()


def test_an_unlinked_account_is_linked_again_by_its_verified_email(client, provider):
    from django.core.management import call_command

    sign_on(client, provider, person())
    owner = signed_in_user(client)
    client.logout()

    call_command("sign_on_unlink", "ANN.JONES@riverside.gov.uk")
    sign_on(client, provider, person(sub="new-subject"))

    assert signed_in_user(client) == owner
    assert list(SignOnIdentity.objects.values_list("subject", flat=True)) == ["new-subject"]


def test_refused_sign_ons_do_not_lock_out_password_sign_ins_or_later_sign_ons(client, provider):
    from tests.accounts.factories import PASSWORD

    for n in range(6):
        assert sign_on(client, provider, person(sub=f"x{n}", email=f"x{n}@example.com")).status_code == 403
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    client.logout()
    sign_on(client, provider, person())
    assert signed_in_user(client).email == "ann.jones@riverside.gov.uk"


def test_the_sign_in_page_passes_on_where_to_go_next(client, provider):
    html = client.get(reverse("accounts:login") + "?next=/accounts/language/").content.decode()
    assert reverse("accounts:oidc_start") + "?next=%2Faccounts%2Flanguage%2F" in html


def test_a_sign_in_cancelled_at_the_provider_says_so(client, provider):
    query = parse_qs(urlsplit(start(client)).query)
    response = client.get(reverse("accounts:oidc_callback"), {"error": "access_denied", "state": query["state"][0]})
    assert response.status_code == 403
    assert "did not finish signing in" in response.content.decode()
    assert signed_in_user(client) is None
