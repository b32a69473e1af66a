"""The plan's pages: what the public sees (never the notes), what the coordinator and the lead do,
and evidence from members, checked and accepted or returned."""

import datetime

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import Action, Evidence, ProgressNote
from tests.accounts.factories import UserFactory
from tests.actionplans.factories import ActionFactory, EvidenceFactory, guidance_strand
from tests.commitments.factories import build_edition
from tests.consultations.factories import PDF_BYTES, upload
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def coordinator():
    return UserFactory(username="coordinator")


@pytest.fixture
def edition(coordinator):
    edition = build_edition(published_on=D(2025, 4, 1))
    edition.compact.coordinators.set([coordinator])
    return edition


@pytest.fixture
def compact(edition):
    return edition.compact


@pytest.fixture
def lead(edition):
    organisation = OrganisationFactory(name="Riverside Food Bank")
    SignatureFactory(organisation=organisation, edition=edition, status="signed", signed_on=D(2025, 5, 1))
    return organisation


@pytest.fixture
def lead_member(lead):
    return MembershipFactory(organisation=lead, user=UserFactory(username="lead-member")).user


@pytest.fixture
def outsider(edition):
    """A member of another signed organisation: not the lead."""
    other = OrganisationFactory(name="Hill Youth Club")
    SignatureFactory(organisation=other, edition=edition, status="signed", signed_on=D(2025, 5, 1))
    return MembershipFactory(organisation=other, user=UserFactory(username="outsider")).user


@pytest.fixture
def action(compact, lead):
    action = ActionFactory(
        compact=compact,
        lead_organisation=lead,
        title="Recruit fifteen more groups",
        target_kind="vcs_signatories",
        target_number=15,
        starts_on=D(2025, 4, 1),
    )
    services.note_add(action=action, by=None, text="Secret: the chair is unhappy", written_on=D(2026, 1, 5))
    return action


def url(name, compact, **kwargs):
    return reverse(f"actionplans:{name}", kwargs={"slug": compact.slug, **kwargs})


def test_the_public_plan_shows_actions_and_progress_but_never_the_notes(client, compact, action, outsider):
    for user in (None, outsider):
        if user:
            client.force_login(user)
        page = client.get(url("plan", compact)).content.decode()
        assert "Recruit fifteen more groups" in page
        assert "Riverside Food Bank" in page
        assert "2 of 15" in page  # the lead and the youth club signed after the action began
        assert "Secret" not in page
        assert "Communication" in page and "Engagement" in page


def test_the_compact_page_links_to_the_plan(client, compact):
    page = client.get(reverse("commitments:compact_detail", kwargs={"slug": compact.slug})).content.decode()
    assert url("plan", compact) in page


def test_notes_are_for_the_coordinator_and_the_lead_only(client, compact, action, coordinator, lead_member, outsider):
    detail = url("action_detail", compact, pk=action.pk)
    for user in (coordinator, lead_member):
        client.force_login(user)
        assert "Secret: the chair is unhappy" in client.get(detail).content.decode()
    client.force_login(outsider)
    assert client.get(detail).status_code == 404
    assert client.post(url("action_note", compact, pk=action.pk), {"text": "x"}).status_code == 404
    assert client.post(url("action_status", compact, pk=action.pk), {"status": "done"}).status_code == 404
    assert ProgressNote.objects.count() == 1
    assert Action.objects.get().status == "not_started"


def test_the_lead_finds_its_actions_on_the_plan_and_others_do_not(client, compact, action, lead_member, outsider):
    client.force_login(lead_member)
    assert action.get_absolute_url() in client.get(url("plan", compact)).content.decode()
    client.force_login(outsider)
    assert action.get_absolute_url() not in client.get(url("plan", compact)).content.decode()


def test_the_lead_adds_a_note_and_sets_the_status(client, compact, action, lead_member):
    client.force_login(lead_member)
    response = client.post(
        url("action_note", compact, pk=action.pk),
        {"written_on_0": "6", "written_on_1": "1", "written_on_2": "2026", "text": "Three groups visited"},
    )
    assert response.status_code == 302
    assert client.post(url("action_status", compact, pk=action.pk), {"status": "under_way"}).status_code == 302
    page = client.get(url("action_detail", compact, pk=action.pk)).content.decode()
    assert "Three groups visited" in page
    assert Action.objects.get().status == "under_way"
    # But not change the action itself: that is the coordinator's.
    assert client.get(url("action_edit", compact, pk=action.pk)).status_code == 403


def test_dropping_without_a_reason_is_refused(client, compact, action, coordinator):
    client.force_login(coordinator)
    response = client.post(url("action_status", compact, pk=action.pk), {"status": "dropped", "reason": ""})
    assert response.status_code == 200
    assert "Enter why the action is dropped" in response.content.decode()
    client.post(url("action_status", compact, pk=action.pk), {"status": "dropped", "reason": "No money left"})
    assert Action.objects.get().status == "dropped"
    assert "Dropped: No money left" in client.get(url("plan", compact)).content.decode()


def action_post(compact, lead, **extra):
    return {
        "title": "Every signatory names a champion",
        "title_cy": "",
        "strand": str(guidance_strand(compact, "representation").pk),
        "lead_organisation": str(lead.pk),
        "lead_person": "Jo Bloggs",
        "lead_email": "",
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": "2027",
        "serves": "",
        "target_kind": "champions",
        "target_number": "",
        **extra,
    }


def test_the_coordinator_adds_an_action_with_a_target(client, compact, lead, lead_member, coordinator, edition):
    client.force_login(coordinator)
    undertaking = edition.undertakings.order_by("pk").first()
    response = client.post(
        url("action_new", compact),
        action_post(compact, lead, lead_email=lead_member.email, serves=f"u{undertaking.pk}"),
    )
    assert response.status_code == 302, response.content.decode()
    action = Action.objects.get()
    assert (action.strand.guidance, action.lead_user, action.undertaking, action.outcome) == (
        "representation",
        lead_member,
        undertaking,
        undertaking.outcome,
    )
    assert action.status_changes.get().new_status == "not_started"
    assert "0 of 1 (0%)" in client.get(url("plan", compact)).content.decode()


def test_the_lead_person_s_account_must_be_a_member_of_the_lead(client, compact, lead, coordinator, outsider):
    client.force_login(coordinator)
    response = client.post(url("action_new", compact), action_post(compact, lead, lead_email=outsider.email))
    assert response.status_code == 200
    assert not Action.objects.exists()


def test_a_due_date_before_the_start_is_refused(client, compact, lead, coordinator):
    client.force_login(coordinator)
    response = client.post(url("action_new", compact), action_post(compact, lead, due_on_2="2025"))
    assert "The due date must be the same as or after the start date" in response.content.decode()


def test_the_coordinator_adds_a_strand(client, compact, coordinator):
    client.force_login(coordinator)
    client.post(url("strand_new", compact), {"title": "Volunteering", "title_cy": "Gwirfoddoli"})
    assert "Volunteering" in client.get(url("plan", compact)).content.decode()


def test_the_management_page_is_the_coordinator_s(client, compact, lead_member):
    client.force_login(lead_member)
    assert client.get(url("manage", compact)).status_code == 403


def test_the_public_plan_lists_in_a_fixed_number_of_queries(client, compact, lead, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            ActionFactory(
                compact=compact,
                lead_organisation=lead,
                target_kind=("champions", "", "vcs_signatories")[i % 3],
                target_number=4,
            )

    add(3)
    client.get(url("plan", compact))
    with django_assert_max_num_queries(12) as small:
        client.get(url("plan", compact))
    add(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("plan", compact))


# --- Evidence -----------------------------------------------------------------------------------------


def evidence_post(lead, outcome, **extra):
    return {
        "organisation": str(lead.pk),
        "outcome": str(outcome.pk),
        "year": "2026",
        "kind": "note",
        "title": "Our lunch club was consulted",
        "text": "The council asked us first.",
        **extra,
    }


@pytest.fixture
def today_2026(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2026, 11, 1))


def test_a_member_of_a_signed_organisation_gives_evidence(client, compact, edition, lead, lead_member, today_2026):
    client.force_login(lead_member)
    outcome = edition.outcomes.get(number=1)
    response = client.post(url("evidence_new", compact), evidence_post(lead, outcome))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.organisation, evidence.submitted_by, evidence.year, evidence.status) == (
        lead,
        lead_member,
        2026,
        "submitted",
    )


def test_members_of_unsigned_organisations_give_no_evidence(client, compact):
    member = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(member)
    assert client.get(url("evidence_new", compact)).status_code == 403


def test_a_file_is_checked_by_its_contents(client, compact, edition, lead, lead_member, today_2026):
    client.force_login(lead_member)
    outcome = edition.outcomes.get(number=1)
    fake = upload("report.pdf", b"MZ this is a program", "application/pdf")
    response = client.post(url("evidence_new", compact), evidence_post(lead, outcome, kind="file", text="", file=fake))
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    real = upload("report.pdf", PDF_BYTES)
    response = client.post(url("evidence_new", compact), evidence_post(lead, outcome, kind="file", text="", file=real))
    assert response.status_code == 302
    assert Evidence.objects.get().file.name.endswith(".pdf")


def test_evidence_is_private_until_accepted_then_its_file_is_public(
    client, compact, edition, lead, lead_member, outsider, coordinator, today_2026
):
    client.force_login(lead_member)
    outcome = edition.outcomes.get(number=1)
    client.post(
        url("evidence_new", compact), evidence_post(lead, outcome, kind="file", file=upload("report.pdf", PDF_BYTES))
    )
    evidence = Evidence.objects.get()
    client.logout()
    assert client.get(url("evidence_file", compact, pk=evidence.pk)).status_code == 404
    client.force_login(outsider)
    assert client.get(url("evidence_detail", compact, pk=evidence.pk)).status_code == 404
    assert client.get(url("evidence_file", compact, pk=evidence.pk)).status_code == 404
    assert client.post(url("evidence_decide", compact, pk=evidence.pk), {"decision": "accept"}).status_code == 404
    client.force_login(lead_member)
    assert client.get(url("evidence_file", compact, pk=evidence.pk)).status_code == 200
    assert client.post(url("evidence_decide", compact, pk=evidence.pk), {"decision": "accept"}).status_code == 403
    client.force_login(coordinator)
    assert client.post(url("evidence_decide", compact, pk=evidence.pk), {"decision": "accept"}).status_code == 302
    client.logout()
    assert client.get(url("evidence_file", compact, pk=evidence.pk)).status_code == 200


def test_returning_evidence_needs_a_reason_the_members_then_see(
    client, compact, edition, lead, lead_member, coordinator
):
    evidence = EvidenceFactory(outcome=edition.outcomes.get(number=1), organisation=lead)
    client.force_login(coordinator)
    response = client.post(url("evidence_decide", compact, pk=evidence.pk), {"decision": "return", "reason": ""})
    assert "Enter why the evidence is returned" in response.content.decode()
    client.post(url("evidence_decide", compact, pk=evidence.pk), {"decision": "return", "reason": "Add the dates"})
    client.force_login(lead_member)
    page = client.get(url("evidence_detail", compact, pk=evidence.pk)).content.decode()
    assert "Add the dates" in page
    assert f'href="{url("evidence_new", compact)}">Give the evidence again, put right' in page


def test_the_coordinator_s_evidence_list_in_a_fixed_number_of_queries(
    client, compact, edition, coordinator, django_assert_max_num_queries
):
    outcome = edition.outcomes.get(number=1)
    client.force_login(coordinator)
    EvidenceFactory.create_batch(2, outcome=outcome)
    client.get(url("evidence_manage", compact))
    with django_assert_max_num_queries(15) as small:
        client.get(url("evidence_manage", compact))
    last = EvidenceFactory.create_batch(20, outcome=outcome)[-1]
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert last.title in client.get(url("evidence_manage", compact)).content.decode()


def test_the_public_plan_as_csv_without_the_notes(client, compact, action):
    import csv
    import io

    page = client.get(url("plan", compact)).content.decode()
    csv_url = url("plan_csv", compact)
    assert f'href="{csv_url}"' in page
    assert "Actions of the strand ‘Sign-up’" in page  # each table has its caption
    response = client.get(csv_url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["strand", "action", "action (Welsh)"]
    assert rows[1][:2] == ["Sign-up", "Recruit fifteen more groups"]
    assert rows[1][3] == "Riverside Food Bank"
    assert rows[1][10:12] == ["1", "15"]  # computed: the food bank signed since the action began
    assert "Secret" not in response.content.decode()
