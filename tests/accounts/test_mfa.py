"""Multi-factor sign-in for coordinators and superusers (who can see withheld identities), and the
idle timeout that signs them out after 30 minutes without a request."""

import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import middleware
from accounts.models import RecoveryCode
from tests.accounts.factories import PASSWORD, UserFactory, mfa_code, mfa_device
from tests.commitments.factories import CompactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_axes():
    from axes.utils import reset

    reset()


@pytest.fixture
def no_code_throttle(settings):
    """django-otp makes each code after a wrong one wait (1, 2, 4 … seconds): off, to type fast."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def sign_in(client, user, **extra):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, **extra)


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def coordinator_user():
    user = UserFactory(username="priya")
    CompactFactory(coordinators=[user])
    return user


def test_a_coordinator_must_set_up_an_app_before_reaching_anything_else(client, coordinator_user):
    sign_in(client, coordinator_user)

    for url in (reverse("accounts:dashboard"), reverse("home"), reverse("disputes:list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:mfa_setup")), url

    # Every page's stylesheet of the council's colour still loads (it is the same for everyone).
    assert client.get(reverse("brand_css")).status_code == 200

    setup = client.get(reverse("accounts:mfa_setup"))
    html = page(setup)
    # Reloading the page (or opening it twice) shows the same key: the app set up from it still works.
    assert re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', page(client.get(reverse("accounts:mfa_setup")))).group(
        1
    ) == re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', html).group(1)
    assert "Set up your authenticator app" in html
    assert re.search(r'<img class="app-qr-code" src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="QR code', html)
    secret = re.search(r'<code class="app-secret" id="mfa-secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=coordinator_user, confirmed=False)
    from base64 import b32encode

    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()

    wrong = client.post(reverse("accounts:mfa_setup"), {"code": "000000" if mfa_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "The code is not right. Enter the 6-digit code your authenticator app shows now" in page(wrong)
    assert client.get(reverse("accounts:dashboard")).status_code == 302

    device.throttle_reset()
    done = client.post(reverse("accounts:mfa_setup"), {"code": mfa_code(device)}, follow=True)
    html = page(done)
    assert "Your authenticator app is set up" in html
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html)
    assert len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=coordinator_user).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & set(stored)
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)

    # Shown once only.
    assert client.get(reverse("accounts:mfa_recovery_codes")).url == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_the_setup_page_takes_the_person_on_to_the_page_they_asked_for(client, coordinator_user):
    sign_in(client, coordinator_user)
    wanted = reverse("disputes:list")
    response = client.get(wanted)
    setup_url = response.url
    client.get(setup_url)
    device = TOTPDevice.objects.get(user=coordinator_user, confirmed=False)
    response = client.post(setup_url, {"code": mfa_code(device)}, follow=True)
    assert re.search(rf'<a class="govuk-button"[^>]* href="{wanted}"', page(response))


def test_at_each_sign_in_a_coordinator_enters_a_code(client, coordinator_user, no_code_throttle):
    device = mfa_device(coordinator_user)
    response = sign_in(client, coordinator_user)
    assert client.get(response.url).url.startswith(reverse("accounts:mfa_verify"))
    # Having the password is not enough to set up another app.
    assert client.get(reverse("accounts:mfa_setup")).url.startswith(reverse("accounts:mfa_verify"))
    assert client.get(reverse("commitments:compact_list")).status_code == 302

    html = page(client.get(reverse("accounts:mfa_verify")))
    assert "Enter the code from your authenticator app" in html
    wrong = client.post(reverse("accounts:mfa_verify"), {"code": "12345x"})
    assert "The code is not right" in page(wrong)
    empty = client.post(reverse("accounts:mfa_verify"), {"code": ""})
    assert "Enter the 6-digit code from your authenticator app" in page(empty)

    elsewhere = client.post(f"{reverse('accounts:mfa_verify')}?next=https://evil.example/", {"code": mfa_code(device)})
    assert elsewhere.url == reverse("accounts:dashboard")  # never sent to another site
    client.post(reverse("accounts:logout"))
    sign_in(client, coordinator_user)
    response = client.post(f"{reverse('accounts:mfa_verify')}?next=/concerns/", {"code": mfa_code(device)})
    assert response.status_code == 302 and response.url == "/concerns/"
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_a_code_is_taken_only_once(client, coordinator_user, no_code_throttle):
    device = mfa_device(coordinator_user)
    code = mfa_code(device)
    sign_in(client, coordinator_user)
    assert client.post(reverse("accounts:mfa_verify"), {"code": code}).status_code == 302

    other = type(client)()
    sign_in(other, coordinator_user)
    response = other.post(reverse("accounts:mfa_verify"), {"code": code})
    assert "The code is not right" in page(response)


def test_a_recovery_code_signs_in_once(client, coordinator_user, no_code_throttle):
    from accounts.services import recovery_codes_make

    mfa_device(coordinator_user)
    codes = recovery_codes_make(user=coordinator_user)
    sign_in(client, coordinator_user)
    response = client.post(reverse("accounts:mfa_verify"), {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302 and response.url == reverse("accounts:dashboard")

    again = type(client)()
    sign_in(again, coordinator_user)
    assert "The code is not right" in page(again.post(reverse("accounts:mfa_verify"), {"code": codes[3]}))
    assert again.post(reverse("accounts:mfa_verify"), {"code": codes[4]}).status_code == 302


def test_a_wrong_code_makes_the_next_one_wait(client, coordinator_user):
    device = mfa_device(coordinator_user)
    sign_in(client, coordinator_user)
    client.post(reverse("accounts:mfa_verify"), {"code": "000001"})
    client.post(reverse("accounts:mfa_verify"), {"code": "000002"})
    response = client.post(reverse("accounts:mfa_verify"), {"code": mfa_code(device)})
    assert response.status_code == 200
    assert "You have entered too many wrong codes. Wait" in page(response)
    assert client.get(reverse("accounts:dashboard")).status_code == 302


def test_five_wrong_codes_lock_the_sign_in_and_sign_the_person_out(client, coordinator_user, no_code_throttle):
    device = mfa_device(coordinator_user)
    sign_in(client, coordinator_user, REMOTE_ADDR="10.0.0.9")
    answers = [
        client.post(reverse("accounts:mfa_verify"), {"code": f"00000{n}"}, REMOTE_ADDR="10.0.0.9").status_code
        for n in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]
    assert "_auth_user_id" not in client.session
    response = sign_in(client, coordinator_user, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in page(response)
    assert device.pk  # the app is kept: the lock passes after an hour


def test_superusers_need_a_second_factor_too_even_for_the_admin(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    sign_in(client, admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:mfa_setup"))


def test_other_people_sign_in_with_their_password_alone(client):
    officer = UserFactory(username="tom")
    response = sign_in(client, officer)
    assert response.url == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.get(reverse("accounts:mfa_setup")).url == reverse("accounts:dashboard")


def test_someone_made_a_coordinator_while_signed_in_is_asked_for_a_code_within_minutes(client):
    person = UserFactory(username="newco")
    sign_in(client, person)
    clock = mock.patch.object(middleware, "now", return_value=middleware.now())
    with clock as now:
        assert client.get(reverse("accounts:dashboard")).status_code == 200
        CompactFactory(coordinators=[person])
        now.return_value += middleware.RECHECK_SECONDS
        response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:mfa_setup"))


# --- idle timeout ------------------------------------------------------------------------------------


def test_a_coordinator_idle_for_30_minutes_is_signed_out_and_told_why(client, coordinator_user):
    device = mfa_device(coordinator_user)
    start = middleware.now()
    with mock.patch.object(middleware, "now", return_value=start) as now:
        sign_in(client, coordinator_user)
        client.post(reverse("accounts:mfa_verify"), {"code": mfa_code(device)})
        now.return_value = start + 29 * 60
        assert client.get(reverse("accounts:dashboard")).status_code == 200
        now.return_value = start + 58 * 60  # 29 minutes after the last request
        assert client.get(reverse("accounts:dashboard")).status_code == 200
        now.return_value = start + 88 * 60 + 1  # 30 minutes and a second after it
        response = client.get(reverse("disputes:list"))
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next=%2Fconcerns%2F"
        assert "_auth_user_id" not in client.session
        login = client.get(response.url)
    assert "You were signed out because you did nothing on the portal for 30 minutes" in page(login)


def test_other_people_are_not_signed_out_after_30_minutes(client):
    officer = UserFactory(username="tom")
    start = middleware.now()
    with mock.patch.object(middleware, "now", return_value=start) as now:
        sign_in(client, officer)
        now.return_value = start + 3 * 60 * 60
        assert client.get(reverse("accounts:dashboard")).status_code == 200


# --- the demo ----------------------------------------------------------------------------------------


def test_the_demo_coordinator_signs_in_with_the_code_mfa_code_prints(client, settings, capsys):
    from demo.management.commands.seed_demo import DEMO_PASSWORD

    call_command("seed_demo", "--force")
    assert "mfa_code coordinator" in capsys.readouterr().out
    settings.DEBUG = True
    call_command("mfa_code", "coordinator")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)

    client.post(reverse("accounts:login"), {"username": "coordinator", "password": DEMO_PASSWORD})
    response = client.post(reverse("accounts:mfa_verify"), {"code": code})
    assert response.status_code == 302
    assert "Manage Example Borough Compact" in page(client.get(reverse("accounts:dashboard")))


def test_mfa_code_refuses_to_run_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs when DEBUG is on"):
        call_command("mfa_code", "coordinator")


def test_mfa_reset_lets_a_person_set_up_a_new_app(client, coordinator_user):
    mfa_device(coordinator_user)
    call_command("mfa_reset", "priya")
    assert not TOTPDevice.objects.filter(user=coordinator_user).exists()
    sign_in(client, coordinator_user)
    assert client.get(reverse("accounts:dashboard")).url.startswith(reverse("accounts:mfa_setup"))
