import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from commitments.models import Compact, Edition

pytestmark = pytest.mark.django_db


def test_home_lists_compacts(client, edition):
    html = client.get(reverse("home")).content.decode()
    assert "Riverside Compact" in html
    assert '<html lang="en"' in html
    assert 'href="#main-content"' in html  # skip link


def test_accessibility_statement(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "WCAG" in response.content.decode()


@override_settings(PORTAL_BRAND_COLOUR="#00703c", PORTAL_COUNCIL_NAME="Fernbrook District Council")
def test_council_name_and_colour_come_from_settings(client):
    assert "Fernbrook District Council" in client.get(reverse("home")).content.decode()
    css = client.get(reverse("brand_css"))
    assert css["Content-Type"].startswith("text/css")
    assert "--app-brand-colour: #00703c" in css.content.decode()


@override_settings(PORTAL_BRAND_COLOUR="red;} body {display:none")
def test_a_bad_colour_setting_cannot_inject_css(client):
    css = client.get(reverse("brand_css")).content.decode()
    assert "display:none" not in css


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_seed_demo_creates_a_published_compact_and_the_people_in_the_readme(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # run again by every `make run`: nothing is duplicated
    compact = Compact.objects.get(slug="example-borough")
    edition = compact.editions.get(status=Edition.Status.PUBLISHED)
    assert edition.status == Edition.Status.PUBLISHED
    assert edition.outcomes.count() == 5
    assert edition.undertakings.filter(sector="public").exists() and edition.undertakings.filter(sector="vcs").exists()
    assert edition.undertakings.filter(sector="joint").count() == 2
    for username in ("coordinator", "officer", "volunteer", "admin", "national"):
        assert User.objects.get(username=username).check_password("compact-demo-2026")
    assert compact.coordinators.filter(username="coordinator").exists()
    assert User.objects.get(username="officer").organisations.get().sector == "public"
    assert User.objects.get(username="volunteer").organisations.get().sector == "vcs"
    assert User.objects.get(username="national").national_roles.get(revoked_at__isnull=True).granted_by.is_superuser
    assert compact.ons_code == "E06000099"
    assert User.objects.get(username="mediator").mediator_roles.get(revoked_at__isnull=True).compacts.get() == compact


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Compact.objects.exists()


def test_seed_demo_has_a_signed_council_and_a_waiting_application(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    edition = Compact.objects.get(slug="example-borough").editions.get(status=Edition.Status.PUBLISHED)
    statuses = dict(edition.signatures.values_list("organisation__name", "status"))
    assert statuses["Example Borough Council"] == "signed"
    assert statuses["Riverside Community Larder"] == "pending"
    # and the year's history (demo/history.py): re-affirmed, new, and still asked to re-affirm
    assert statuses["Example Borough Integrated Care Board"] == "signed"
    assert statuses["Parkside Walking Group"] == "signed"
    assert statuses["Borough Deaf Club"] == "reaffirm"


def test_seed_demo_shows_each_consultation_state_and_a_short_funding_notice(settings):
    from consultations import rules as consultation_rules
    from consultations.models import Consultation
    from funding import rules as funding_rules
    from funding.models import FundingNotice

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    today = timezone.localdate()
    # The three made relative to today (the history of demo/history.py has its own test)
    recent = Consultation.objects.filter(
        title__in=["Library opening hours from next April", "Winter shelter arrangements", "Community grants scheme"]
    )
    statuses = sorted(
        consultation_rules.status(
            today=today, opens_on=c.opens_on, closes_on=c.closes_on, feedback_published_on=c.feedback_published_on
        )
        for c in recent
    )
    assert statuses == ["awaiting_feedback", "feedback_published", "open"]
    notice = FundingNotice.objects.get(recipient__name="Riverside Community Larder")
    assert not funding_rules.is_compliant(
        notice_given_on=notice.notice_given_on,
        effective_on=notice.effective_on,
        min_months=3,
        exceptional=notice.exceptional,
        exceptional_reason=notice.exceptional_reason,
    )


def test_uploaded_files_are_not_served_by_address_even_in_development(settings):
    import importlib

    from django.urls import Resolver404, resolve

    import compact_portal.urls

    settings.DEBUG = True
    development_urls = importlib.reload(compact_portal.urls)  # as imported with DEBUG on
    try:
        with pytest.raises(Resolver404):
            resolve(settings.MEDIA_URL + "disputes/files/evidence.pdf", urlconf=development_urls)
    finally:
        settings.DEBUG = False
        importlib.reload(compact_portal.urls)


def test_home_links_each_published_compact_to_its_register_concern_figures_and_calendar(client, edition):
    from tests.commitments.factories import CompactFactory

    quiet = CompactFactory(name="Quiet Compact")
    html = client.get(reverse("home")).content.decode()
    slug = edition.compact.slug
    for url in (
        reverse("signatories:register", kwargs={"slug": slug}),
        reverse("disputes:figures", kwargs={"slug": slug}),
        reverse("notifications:compact_calendar", kwargs={"slug": slug}),
    ):
        assert f'href="{url}"' in html
    assert "Who has signed" in html and "Breach concerns in figures" in html
    assert "Calendar of consultation deadlines (iCalendar)" in html
    assert "Quiet Compact" in html
    assert "No edition of this Compact has been published yet." in html
    assert html.count(f"{quiet.slug}") == 1  # its page only, no links to pages it does not have yet
