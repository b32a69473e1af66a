"""The coordinator's check of what a complainant whose name is withheld shares, and the limits on
how fast concerns and entries can be added (disputes.services.entry_check / case_check, the views)."""

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from disputes import services
from disputes.models import Case, Check, TimelineEntry
from tests.disputes.factories import TODAY, World, upload
from tests.funding.factories import FundingNoticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger, monkeypatch):
    monkeypatch.setattr("disputes.views.cases.today", lambda: TODAY)
    return World(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def url(name: str, **kwargs) -> str:
    return reverse(f"disputes:{name}", kwargs=kwargs)


def emails_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def test_a_withheld_complainants_note_waits_for_the_coordinator_then_reaches_the_council(
    client, world, django_capture_on_commit_callbacks
):
    case = world.open(withhold_name=True)
    mail.outbox.clear()
    client.force_login(world.vcs_member)
    page = client.get(url("add_entry", pk=case.pk)).content.decode()
    assert "what you write or upload can still name you" in page  # the warning on the form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("add_entry", pk=case.pk), {"kind": "note", "text": "We rang twice."})
    assert response.status_code == 302
    entry = case.timeline.get(kind=TimelineEntry.Kind.NOTE)
    assert entry.check_status == Check.PENDING
    assert not emails_to(world.officer)  # the council is not told yet
    assert "check it, and release it to the other party or return it" in emails_to(world.coordinator)[0].body
    client.force_login(world.officer)
    assert "We rang twice." not in client.get(url("detail", pk=case.pk)).content.decode()

    client.force_login(world.coordinator)
    detail = client.get(url("detail", pk=case.pk)).content.decode()
    assert "Waiting for the coordinator’s check" in detail
    assert "1 entry</a> waits for your check before the other party sees it." in detail
    assert url("entry_check", pk=case.pk, entry_pk=entry.pk) in detail
    # Returning it needs a reason; the form says so, and nothing changes.
    response = client.post(url("entry_check", pk=case.pk, entry_pk=entry.pk), {"decision": "return", "reason": ""})
    assert response.status_code == 200
    assert "Enter the reason it goes back to the complainant" in response.content.decode()
    response = client.post(url("entry_check", pk=case.pk, entry_pk=entry.pk), {})
    assert "Choose whether to release it or return it" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("entry_check", pk=case.pk, entry_pk=entry.pk), {"decision": "release"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.check_status, entry.checked_by) == (Check.RELEASED, world.coordinator)
    client.force_login(world.officer)
    assert "We rang twice." in client.get(url("detail", pk=case.pk)).content.decode()
    assert len(emails_to(world.officer)) == 1
    # Checked once: the page is gone.
    client.force_login(world.coordinator)
    assert client.get(url("entry_check", pk=case.pk, entry_pk=entry.pk)).status_code == 404


def test_a_returned_entry_never_reaches_the_council_and_the_complainant_is_told_why(
    client, world, django_capture_on_commit_callbacks
):
    case = world.open(withhold_name=True)
    entry = services.timeline_add(case=case, by=world.vcs_member, kind="note", text="From the food bank team")
    mail.outbox.clear()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("entry_check", pk=case.pk, entry_pk=entry.pk),
            {"decision": "return", "reason": "It says who you are."},
        )
    entry.refresh_from_db()
    assert entry.check_status == Check.RETURNED
    assert not emails_to(world.officer)
    told = emails_to(world.vcs_member)
    assert len(told) == 1 and "It says who you are." in told[0].body
    client.force_login(world.vcs_member)
    assert "It says who you are." in client.get(url("detail", pk=case.pk)).content.decode()
    client.force_login(world.officer)
    assert "From the food bank team" not in client.get(url("detail", pk=case.pk)).content.decode()


def test_without_a_withheld_name_nothing_waits_and_the_council_does_not_check(client, world):
    case = world.open(withhold_name=False)
    entry = services.timeline_add(case=case, by=world.vcs_member, kind="note", text="We rang twice.")
    assert entry.check_status == Check.NOT_NEEDED
    client.force_login(world.coordinator)
    assert client.get(url("entry_check", pk=case.pk, entry_pk=entry.pk)).status_code == 404
    # The council's own entries never wait, withheld or not.
    withheld = world.open(withhold_name=True, summary="Another")
    assert services.timeline_add(case=withheld, by=world.officer, kind="note", text="Our side").check_status == ""
    with pytest.raises(services.CaseError, match="Only the coordinator"):
        services.entry_check(entry=entry, by=world.officer, release=True)


def test_a_concern_drawn_from_a_funding_notice_reaches_the_council_once_released_reworded(
    client, world, django_capture_on_commit_callbacks
):
    notice = FundingNoticeFactory(
        compact=world.compact, edition=world.edition, issuer=world.council, recipient=world.food_bank
    )
    client.force_login(world.vcs_member)
    undertaking = world.edition.undertakings.get(number="1.3")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("create") + f"?funding={notice.pk}",
            {
                f"undertakings_{world.edition.pk}_{undertaking.sector}": [str(undertaking.pk)],
                "summary": "The change to our funding did not keep to the Compact.",
                "what_happened": "Two weeks' notice.",
                "happened_on_0": "15",
                "happened_on_1": "5",
                "happened_on_2": "2026",
                "outcome_sought": "Three months' notice.",
                "withhold_name": "on",
            },
        )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.check_status == Check.PENDING
    assert not emails_to(world.officer)
    assert "once you have checked it and released it" in emails_to(world.coordinator)[0].body
    client.force_login(world.officer)
    assert client.get(url("detail", pk=case.pk)).status_code == 404
    assert case.summary not in client.get(url("list")).content.decode()

    client.force_login(world.coordinator)
    assert url("case_check", pk=case.pk) in client.get(url("detail", pk=case.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("case_check", pk=case.pk), {"decision": "release", "summary": "Notice of a funding change was short."}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.check_status, case.summary) == (Check.RELEASED, "Notice of a funding change was short.")
    client.force_login(world.officer)
    page = client.get(url("detail", pk=case.pk)).content.decode()
    assert "Notice of a funding change was short." in page
    assert world.food_bank.name not in page
    assert len(emails_to(world.officer)) == 1


def test_the_coordinator_can_return_a_concern_drawn_from_a_notice(client, world, django_capture_on_commit_callbacks):
    notice = FundingNoticeFactory(
        compact=world.compact, edition=world.edition, issuer=world.council, recipient=world.food_bank
    )
    case = world.open(withhold_name=True, source_funding_notice=notice)
    mail.outbox.clear()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("case_check", pk=case.pk), {"decision": "return", "reason": "Only you got that notice."})
    case.refresh_from_db()
    assert case.check_status == Check.RETURNED
    assert "Only you got that notice." in emails_to(world.vcs_member)[0].body
    assert not emails_to(world.officer)
    client.force_login(world.officer)
    assert client.get(url("detail", pk=case.pk)).status_code == 404


# --- Raising with files: one action, one email each ------------------------------------------------


def test_raising_a_concern_with_files_tells_each_person_once(world, django_capture_on_commit_callbacks):
    from compact_portal.uploads import cleaned_upload

    with django_capture_on_commit_callbacks(execute=True):
        case = world.open(
            withhold_name=False, evidence=[cleaned_upload(upload("a.pdf")), cleaned_upload(upload("b.pdf"))]
        )
    assert case.timeline.filter(kind=TimelineEntry.Kind.DOCUMENT).count() == 2
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        [world.vcs_member.email, world.volunteer.email, world.officer.email, world.coordinator.email]
    )
    assert all("It comes with 2 files of evidence." in m.body for m in mail.outbox)


def test_a_person_on_two_sides_gets_one_email_without_the_withheld_name(world, django_capture_on_commit_callbacks):
    from tests.signatories.factories import MembershipFactory

    MembershipFactory(user=world.coordinator, organisation=world.council)  # the coordinator works for the council
    with django_capture_on_commit_callbacks(execute=True):
        world.open(withhold_name=True)
    mine = emails_to(world.coordinator)
    assert len(mine) == 1
    assert world.food_bank.name not in mine[0].body


# --- Throttles ---------------------------------------------------------------------------------------


@pytest.fixture
def throttles():
    with override_settings(PORTAL_THROTTLE_CACHE="default"):
        caches["default"].clear()
        yield
        caches["default"].clear()


def test_adding_to_the_timeline_is_limited_per_person(client, world, throttles):
    case = world.open()
    client.force_login(world.vcs_member)
    for n in range(30):
        assert client.post(url("add_entry", pk=case.pk), {"kind": "note", "text": f"Note {n}"}).status_code == 302
    response = client.post(url("add_entry", pk=case.pk), {"kind": "note", "text": "One too many"})
    assert response.status_code == 429
    assert not case.timeline.filter(text="One too many").exists()
    client.force_login(world.officer)  # someone else is not held back
    assert client.post(url("add_entry", pk=case.pk), {"kind": "note", "text": "Our reply"}).status_code == 302


def test_raising_concerns_is_limited_per_person(client, world, throttles):
    client.force_login(world.vcs_member)
    undertaking = world.edition.undertakings.get(number="1.3")
    data = {
        f"undertakings_{world.edition.pk}_{undertaking.sector}": [str(undertaking.pk)],
        "summary": "A concern",
        "what_happened": "It happened.",
        "happened_on_0": "15",
        "happened_on_1": "5",
        "happened_on_2": "2026",
        "outcome_sought": "Put it right.",
    }
    address = url("create") + f"?respondent={world.council.pk}"
    for _ in range(10):
        assert client.post(address, data).status_code == 302
    assert client.post(address, data).status_code == 429
    assert Case.objects.count() == 10
