"""Nobody can make themselves a public body: a new public body, and any change of sector or type, waits
for a coordinator; until then the organisation has none of a public body's rights."""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from consultations import permissions as consultation_permissions
from consultations import selectors as consultation_selectors
from consultations import services as consultation_services
from funding import selectors as funding_selectors
from signatories import permissions, services
from signatories.models import Organisation, OrganisationEvent, SectorStatus
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory, SignatureFactory

pytestmark = pytest.mark.django_db

# "Еxample Borough Council" with a Cyrillic "Е" (U+0415): it looks like the real council.
LOOKALIKE = "\u0415xample Borough Council"


def url(name: str, **kwargs) -> str:
    return reverse(f"signatories:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def real_council(db):
    return PublicBodyFactory(name="Example Borough Council")


@pytest.fixture
def pretender(vcs_member, client):
    """A VCS member who adds a public body and becomes its admin (pending approval)."""
    client.force_login(vcs_member)
    return vcs_member


def _add_public_body(client, name=LOOKALIKE, **extra):
    return client.post(
        url("organisation_new"),
        {"name": name, "sector": "public", "organisation_type": "council", **extra},
        follow=True,
    )


def test_a_lookalike_name_is_caught_as_a_duplicate(client, pretender, real_council):
    response = _add_public_body(client)
    text = html(response)
    assert "This organisation may already be on the portal" in text
    assert "Example Borough Council" in text
    assert not Organisation.objects.filter(name=LOOKALIKE).exists()


def test_a_new_public_body_has_no_rights_until_a_coordinator_approves_it(
    client, pretender, edition, coordinator, django_capture_on_commit_callbacks
):
    response = _add_public_body(client, name="Pretend Borough Council")
    text = html(response)
    body = Organisation.objects.get(name="Pretend Borough Council")
    assert body.sector_status == SectorStatus.PENDING and not body.is_verified_public
    assert "A coordinator has to approve Pretend Borough Council as: Public sector, Council." in text
    assert "Until then it cannot register consultations" in text

    # None of a public body's rights: consultations, funding notices, recording sign-ups for others.
    assert client.get(reverse("consultations:create")).status_code == 403
    assert client.get(reverse("funding:create")).status_code == 403
    assert client.get(url("record_on_behalf", slug=edition.compact.slug)).status_code == 403
    assert not consultation_permissions.can_register_for(pretender, body)
    assert list(funding_selectors.public_bodies_of(pretender)) == []
    assert list(consultation_selectors.public_bodies_of(pretender)) == []
    with pytest.raises(consultation_services.ConsultationError, match="until a coordinator has approved it"):
        consultation_services.consultation_create(organisation=body, compact=edition.compact, by=pretender)

    # The coordinator is told on their dashboard, sees it with its history, and approves it.
    client.force_login(coordinator)
    assert "1 organisation awaiting approval of its sector" in html(client.get(reverse("accounts:dashboard")))
    listing = html(client.get(url("organisation_pending_list", slug=edition.compact.slug)))
    assert "Pretend Borough Council" in listing and "Never approved (new)" in listing
    approve = url("organisation_approve", slug=edition.compact.slug, pk=body.pk)
    assert approve in listing
    page = html(client.get(approve))
    assert "Awaiting a coordinator’s approval (Public sector: Council)" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve, follow=True)
    assert "Pretend Borough Council is approved as: Public sector, Council." in html(response)
    assert "No organisations are awaiting approval." in html(response)
    body.refresh_from_db()
    assert body.is_verified_public and body.sector_status == SectorStatus.VERIFIED
    assert [(e.old_status, e.new_status, e.by) for e in body.sector_events.all()] == [
        ("", "pending", pretender),
        ("pending", "verified", coordinator),
    ]
    # The requester is told.
    assert [m.to for m in mail.outbox] == [[pretender.email]]
    assert "Pretend Borough Council has been approved" in mail.outbox[0].subject + mail.outbox[0].body

    client.force_login(pretender)
    assert client.get(reverse("consultations:create")).status_code == 200
    assert client.get(reverse("funding:create")).status_code == 200
    assert client.get(url("record_on_behalf", slug=edition.compact.slug)).status_code == 200


def test_a_rejected_public_body_is_told_why_and_keeps_no_rights(
    client, pretender, edition, coordinator, django_capture_on_commit_callbacks
):
    _add_public_body(client, name="Pretend Borough Council")
    body = Organisation.objects.get(name="Pretend Borough Council")
    client.force_login(coordinator)
    reject = url("organisation_reject", slug=edition.compact.slug, pk=body.pk)
    response = client.post(reject, {"reason": ""})
    assert "Enter the reason it is not approved" in html(response)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reject, {"reason": "This is a food bank, not a council."}, follow=True)
    assert "Pretend Borough Council was not approved. We have told its admins why." in html(response)
    body.refresh_from_db()
    assert body.sector_status == SectorStatus.REJECTED and not body.is_verified_public
    assert len(mail.outbox) == 1 and "This is a food bank, not a council." in mail.outbox[0].body
    client.force_login(pretender)
    text = html(client.get(url("organisation_detail", pk=body.pk)))
    assert (
        "A coordinator did not approve the organisation’s sector or type: This is a food bank, not a council." in text
    )
    assert client.get(reverse("consultations:create")).status_code == 403


def test_an_admin_switching_a_vcs_group_to_public_waits_for_approval(client, edition, coordinator):
    group = OrganisationFactory(name="Riverside Youth Club")
    admin = MembershipFactory(organisation=group, role="admin").user
    client.force_login(admin)
    response = client.post(
        url("organisation_edit", pk=group.pk),
        {"name": "Riverside Youth Club", "sector": "public", "organisation_type": "council"},
        follow=True,
    )
    assert "A coordinator has to approve Riverside Youth Club as: Public sector, Council." in html(response)
    group.refresh_from_db()
    assert (group.sector, group.verified_sector, group.sector_status) == ("public", "vcs", "pending")
    assert not permissions.is_public_officer(admin)
    assert client.get(reverse("funding:create")).status_code == 403

    # Rejected: back to what was approved.
    services.organisation_sector_reject(organisation=group, by=coordinator, reason="Not a council")
    group.refresh_from_db()
    assert (group.sector, group.organisation_type, group.sector_status) == ("vcs", "community_group", "rejected")


def test_changing_the_type_of_an_approved_body_waits_but_changing_other_details_does_not(client, officer):
    council = officer.organisations.get()
    services.organisation_update(organisation=council, by=officer, contact_name="Tom Reilly")
    council.refresh_from_db()
    assert council.sector_status == SectorStatus.VERIFIED and council.contact_name == "Tom Reilly"
    services.organisation_update(organisation=council, by=officer, organisation_type="nhs")
    council.refresh_from_db()
    assert council.sector_status == SectorStatus.PENDING
    assert council.is_verified_public  # still the public body it was approved as, while the change waits
    # Asked back to what was approved: nothing is waiting any more.
    services.organisation_update(organisation=council, by=officer, organisation_type="council")
    council.refresh_from_db()
    assert council.sector_status == SectorStatus.VERIFIED
    assert OrganisationEvent.objects.filter(organisation=council).count() == 2


def test_only_coordinators_see_and_decide(client, vcs_member, officer, edition):
    body = services.organisation_create(
        by=vcs_member, name="Pretend Council", sector="public", organisation_type="council"
    )
    slug = edition.compact.slug
    for user in (vcs_member, officer):
        client.force_login(user)
        assert client.get(url("organisation_pending_list", slug=slug)).status_code == 403
        assert client.post(url("organisation_approve", slug=slug, pk=body.pk)).status_code == 403
    body.refresh_from_db()
    assert body.sector_status == SectorStatus.PENDING


def test_an_officer_recording_a_new_public_body_does_not_make_it_approved(client, officer, edition):
    client.force_login(officer)
    here = url("record_on_behalf", slug=edition.compact.slug)
    client.post(
        here + "?new=1", {"name": "Hillside Parish Council", "sector": "public", "organisation_type": "council"}
    )
    body = Organisation.objects.get(name="Hillside Parish Council")
    assert body.sector_status == SectorStatus.PENDING and body.sector_requested_by == officer
    assert not body.memberships.exists()


def test_the_migration_approves_only_public_bodies_a_coordinator_has_accepted(edition):
    migration = importlib.import_module("signatories.migrations.0005_approve_existing_sectors_and_fold_lookalike_names")
    signed = PublicBodyFactory(name="Signed Council")
    SignatureFactory(organisation=signed, edition=edition, status="signed")
    unvetted = PublicBodyFactory(name="\u0415xample Council")
    group = OrganisationFactory(name="A Group")
    Organisation.objects.update(sector_status="pending", verified_sector="", verified_type="", normalised_name="")
    migration.approve_existing(apps, None)
    signed.refresh_from_db()
    unvetted.refresh_from_db()
    group.refresh_from_db()
    assert (signed.sector_status, signed.verified_sector) == ("verified", "public")
    assert (group.sector_status, group.verified_sector) == ("verified", "vcs")
    assert (unvetted.sector_status, unvetted.verified_sector) == ("pending", "")
    assert unvetted.normalised_name == "example council"


def test_a_change_of_sector_in_the_admin_also_waits(admin_client, edition):
    group = OrganisationFactory(name="Riverside Choir")
    page = reverse("admin:signatories_organisation_change", args=[group.pk])
    response = admin_client.post(
        page,
        {
            "name": "Riverside Choir",
            "sector": "public",
            "organisation_type": "council",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group.refresh_from_db()
    assert (group.sector, group.sector_status, group.is_verified_public) == ("public", "pending", False)


def test_a_rejected_body_changing_its_address_does_not_ask_again_but_a_new_type_does(vcs_member, coordinator):
    body = services.organisation_create(
        by=vcs_member, name="Pretend Council", sector="public", organisation_type="council"
    )
    services.organisation_sector_reject(organisation=body, by=coordinator, reason="Not a council")
    services.organisation_update(organisation=body, by=vcs_member, address="1 High Street")
    body.refresh_from_db()
    assert body.sector_status == SectorStatus.REJECTED and body.address == "1 High Street"
    services.organisation_update(organisation=body, by=vcs_member, organisation_type="other_public")
    body.refresh_from_db()
    assert body.sector_status == SectorStatus.PENDING


@pytest.mark.parametrize("count", [2, 20])
def test_the_pending_organisations_page_costs_the_same_queries_for_2_or_20(
    client, coordinator, edition, count, django_assert_max_num_queries
):
    for n in range(count):
        requester = MembershipFactory().user
        services.organisation_create(
            by=requester, name=f"Pending Council {n}", sector="public", organisation_type="council"
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(6):  # session, user, compact, coordinator check, the organisations
        response = client.get(url("organisation_pending_list", slug=edition.compact.slug))
    assert f"{count} organisations, oldest first" in html(response)
