import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from tests.accounts.factories import PASSWORD, UserFactory
from tests.commitments.factories import CompactFactory, build_edition
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _compile_messages_if_stale() -> None:
    """Tests run against compiled messages: compile each .mo that is missing or older than its .po
    (scripts/compile_messages.py, as `make setup` does), before Django loads any translation."""
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_all(ROOT / "locale", only_stale=True)


_compile_messages_if_stale()


def _force_login_past_mfa(force_login):
    """``client.force_login`` skips the password, and so the second factor as well: coordinators and
    superusers signed in this way are taken as having entered their code (accounts/middleware.py).
    Tests of multi-factor sign-in sign in through the forms (``client.login`` or a POST)."""

    def wrapped(self, user, backend=None):
        from accounts.middleware import MFA_VERIFIED

        force_login(self, user, backend)
        session = self.session
        session[MFA_VERIFIED] = True
        session.save()

    return wrapped


Client.force_login = _force_login_past_mfa(Client.force_login)


@pytest.fixture(autouse=True)
def _welsh_first_forgotten():
    """Each process keeps which Compacts are Welsh-first (commitments/welsh_first.py); a test's
    Compacts are rolled back without a signal, so every test starts with nothing kept."""
    from commitments import welsh_first

    welsh_first.forget()
    yield
    welsh_first.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language. A request the test client makes in Welsh
    leaves Welsh active in the thread (LocaleMiddleware activates, nothing deactivates), which
    would otherwise carry into the next test's code outside a request."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def require(condition: bool, reason: str) -> None:
    """Skip when something outside the project is missing; under CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def require_executable(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"`{name}` is not installed")
    return path


@pytest.fixture
def seed_compact_path() -> Path:
    """The real County Durham Compact from ../shared/seeds, when it is there."""
    matches = sorted((SHARED / "seeds").glob("004_*.txt")) if SHARED.exists() else []
    require(bool(matches), "../shared/seeds/004_*.txt is not present")
    return matches[0]


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator")


@pytest.fixture
def compact(db, coordinator):
    return CompactFactory(name="Riverside Compact", area="Riverside", slug="riverside", coordinators=[coordinator])


@pytest.fixture
def edition(compact):
    return build_edition(compact=compact, name="First edition")


@pytest.fixture
def officer(db):
    membership = MembershipFactory(organisation=PublicBodyFactory(name="Riverside Borough Council"))
    return membership.user


@pytest.fixture
def vcs_member(db):
    membership = MembershipFactory(organisation=OrganisationFactory(name="Riverside Food Bank"))
    return membership.user


@pytest.fixture
def stranger(db):
    """Signed in, but coordinating nothing and belonging to nobody relevant."""
    return UserFactory(username="stranger")
