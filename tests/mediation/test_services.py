"""Mediation: who is proposed, who may be appointed, what the mediator does, what each side learns."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from disputes.models import Case
from mediation import services
from mediation.models import Mediation, Side
from notifications import services as notification_services
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory
from tests.mediation.factories import accredit, case_in_mediation
from tests.signatories.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(officer, vcs_member):
    return vcs_member.memberships.get().organisation, officer.memberships.get().organisation


@pytest.fixture
def mediator(compact, coordinator):
    return accredit(compact=compact, by=coordinator, username="morag")


def _mediation(parties, edition, vcs_member, **kwargs) -> Mediation:
    food_bank, council = parties
    case = case_in_mediation(complainant=food_bank, respondent=council, edition=edition, by=vcs_member, **kwargs)
    return case.mediation


# --- The pool ------------------------------------------------------------------------------------------


def test_a_coordinator_accredits_only_for_their_own_compact_and_never_for_every_one(compact, coordinator):
    other = CompactFactory(name="Hillside Compact", slug="hillside")
    person = UserFactory(username="would-be")
    with pytest.raises(services.MediationError):
        services.mediator_accredit(email=person.email, compacts=[other], by=coordinator)
    with pytest.raises(services.MediationError):
        services.mediator_accredit(email=person.email, compacts=[], every_compact=True, by=coordinator)
    stranger = UserFactory(username="stranger-2")
    with pytest.raises(services.MediationError):
        services.mediator_accredit(email=person.email, compacts=[compact], by=stranger)
    assert not person.mediator_roles.exists()


def test_the_national_body_accredits_for_every_compact(compact):
    from national.services import national_role_grant

    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    national = UserFactory(username="national")
    national_role_grant(email=national.email, by=superuser)
    person = UserFactory(username="everywhere")
    mediator = services.mediator_accredit(email=person.email, compacts=[], every_compact=True, by=national)
    assert mediator.every_compact


def test_revoking_keeps_the_row_and_the_mediator_is_no_longer_proposed(
    compact, coordinator, mediator, parties, edition, vcs_member
):
    services.mediator_revoke(mediator=mediator, by=coordinator)
    mediator.refresh_from_db()
    assert mediator.revoked_at is not None and mediator.revoked_by == coordinator
    mediation = _mediation(parties, edition, vcs_member)
    assert not mediation.proposals.exists()


# --- Proposals and appointment -------------------------------------------------------------------------


def test_moving_to_mediation_proposes_mediators_without_conflicts(compact, coordinator, parties, edition, vcs_member):
    food_bank, council = parties
    free = accredit(compact=compact, by=coordinator, username="free")
    conflicted = accredit(compact=compact, by=coordinator, username="conflicted")
    services.conflict_declare(mediator=conflicted, organisation=council, note="I advise its board", by=conflicted.user)
    elsewhere = accredit(
        compact=CompactFactory(slug="hillside", coordinators=[coordinator]), by=coordinator, username="far"
    )
    member = accredit(compact=compact, by=coordinator, username="member")
    MembershipFactory(user=member.user, organisation=food_bank)
    mediation = _mediation(parties, edition, vcs_member)
    assert [p.mediator for p in mediation.proposals.all()] == [free]
    assert services.permissions.has_conflict(member, mediation.case)
    assert elsewhere not in [p.mediator for p in mediation.proposals.all()]


def test_a_compact_that_asks_for_it_gets_mediators_from_another_area(
    compact, coordinator, parties, edition, vcs_member
):
    local = accredit(compact=compact, by=coordinator, username="local")
    far = accredit(compact=CompactFactory(slug="hillside", coordinators=[coordinator]), by=coordinator, username="far")
    services.compact_setting_save(compact=compact, mediator_from_other_area=True, by=coordinator)
    mediation = _mediation(parties, edition, vcs_member)
    proposed = [p.mediator for p in mediation.proposals.all()]
    assert far in proposed and local not in proposed


def test_a_mediator_with_a_declared_conflict_cannot_be_appointed(
    compact, coordinator, mediator, parties, edition, vcs_member
):
    food_bank, council = parties
    mediation = _mediation(parties, edition, vcs_member)
    assert mediation.proposals.filter(mediator=mediator).exists()
    # Declared after being proposed: the appointment is still refused.
    services.conflict_declare(mediator=mediator, organisation=food_bank, by=mediator.user)
    with pytest.raises(services.MediationError, match="conflict"):
        services.mediator_appoint(mediation=mediation, mediator=mediator, by=coordinator)
    mediation.refresh_from_db()
    assert mediation.mediator is None


def test_a_declined_mediator_cannot_be_appointed_and_only_the_coordinator_appoints(
    compact, coordinator, mediator, parties, edition, vcs_member, officer
):
    mediation = _mediation(parties, edition, vcs_member)
    proposal = mediation.proposals.get(mediator=mediator)
    with pytest.raises(services.MediationError):
        services.mediator_appoint(mediation=mediation, mediator=mediator, by=vcs_member)
    with pytest.raises(services.MediationError):
        services.proposal_decline(proposal=proposal, by=officer, reason="  ")
    services.proposal_decline(proposal=proposal, by=officer, reason="They audited us last year.")
    proposal.refresh_from_db()
    assert proposal.declined_side == Side.RESPONDENT
    with pytest.raises(services.MediationError, match="declined"):
        services.mediator_appoint(mediation=mediation, mediator=mediator, by=coordinator)


# --- The appointed mediator ----------------------------------------------------------------------------


@pytest.fixture
def in_mediation(mediator, parties, edition, vcs_member):
    return _mediation(parties, edition, vcs_member, withhold_name=True)


@pytest.fixture
def appointed(in_mediation, coordinator, mediator):
    return services.mediator_appoint(mediation=in_mediation, mediator=mediator, by=coordinator)


def test_private_notes_are_the_mediator_s_alone(client, appointed, mediator, coordinator, vcs_member, officer):
    services.note_add(mediation=appointed, by=mediator.user, text="The council seems willing to talk.")
    with pytest.raises(services.MediationError):
        services.note_add(mediation=appointed, by=coordinator, text="Mine")
    url = reverse("mediation:case", kwargs={"pk": appointed.case_id})
    client.force_login(mediator.user)
    assert "The council seems willing to talk." in client.get(url).content.decode()
    for person in (coordinator, vcs_member, officer):
        client.force_login(person)
        page = client.get(url)
        assert page.status_code == 200
        assert "The council seems willing to talk." not in page.content.decode()


def test_the_mediator_sees_the_shared_timeline_but_not_internal_entries(client, appointed, mediator, coordinator):
    from disputes import services as dispute_services
    from disputes.models import TimelineEntry

    dispute_services.timeline_add(
        case=appointed.case,
        by=coordinator,
        kind="note",
        text="Internal thought",
        visibility=TimelineEntry.Visibility.INTERNAL,
    )
    dispute_services.timeline_add(case=appointed.case, by=coordinator, kind="note", text="Shared with both")
    client.force_login(mediator.user)
    page = client.get(reverse("mediation:case", kwargs={"pk": appointed.case_id})).content.decode()
    assert "Shared with both" in page and "Internal thought" not in page


def test_no_agreement_refers_the_concern_to_the_next_stage(appointed, mediator):
    services.no_agreement_record(mediation=appointed, by=mediator.user, summary="The council would not move.")
    appointed.case.refresh_from_db()
    assert appointed.case.stage == Case.Stage.ESCALATED
    assert appointed.outcome == Mediation.Outcome.NO_AGREEMENT


def test_an_agreement_is_confirmed_by_a_member_of_each_party(appointed, mediator, vcs_member, officer, coordinator):
    due = timezone.localdate() + datetime.timedelta(days=60)
    services.agreement_record(
        mediation=appointed,
        by=mediator.user,
        summary="Notice will be given properly.",
        actions=[("Restore the grant for three months", Side.RESPONDENT, due)],
    )
    with pytest.raises(services.MediationError):
        services.agreement_confirm(mediation=appointed, by=coordinator)
    services.agreement_confirm(mediation=appointed, by=vcs_member)
    with pytest.raises(services.MediationError):
        services.agreement_confirm(mediation=appointed, by=vcs_member)
    assert not services.is_confirmed(appointed)
    services.agreement_confirm(mediation=appointed, by=officer)
    assert services.is_confirmed(appointed)


# --- A withheld name stays withheld from the other party -----------------------------------------------


def test_the_withheld_name_never_reaches_the_respondent(
    client, coordinator, mediator, parties, edition, officer, vcs_member, django_capture_on_commit_callbacks
):
    food_bank, council = parties
    secret = food_bank.name
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        in_mediation = _mediation(parties, edition, vcs_member, withhold_name=True)
        services.mediation_start(case=in_mediation.case)  # a second start changes nothing, tells nobody
        appointed = services.mediator_appoint(mediation=in_mediation, mediator=mediator, by=coordinator)
        services.meeting_schedule(
            mediation=appointed,
            by=mediator.user,
            starts_at=timezone.now() + datetime.timedelta(days=7),
            online=False,
            place="Riverside Library, room 2",
        )
        services.agreement_record(
            mediation=appointed,
            by=mediator.user,
            summary="Notice will be given properly.",
            actions=[
                ("Restore the grant", Side.RESPONDENT, timezone.localdate() + datetime.timedelta(days=30)),
                ("Send the accounts", Side.COMPLAINANT, timezone.localdate() + datetime.timedelta(days=30)),
            ],
        )
        services.agreement_confirm(mediation=appointed, by=vcs_member)
        services.agreement_confirm(mediation=appointed, by=officer)
    to_officer = [m for m in mail.outbox if officer.email in m.to]
    reference = appointed.case.reference
    mediation_subjects = [
        f"Mediators proposed for concern {reference}",
        f"A mediator is appointed for concern {reference}",
        f"An agreement to confirm for concern {reference}",
        f"The agreement for concern {reference} is confirmed",
    ]
    subjects = [m.subject for m in to_officer]
    assert all(subjects.count(subject) == 1 for subject in mediation_subjects), subjects
    assert sum(subject.startswith("Mediation meeting for concern") for subject in subjects) == 1
    to_member = [m for m in mail.outbox if vcs_member.email in m.to]
    assert all(secret not in m.subject + m.body for m in to_officer)
    assert any(secret in m.body for m in to_member)  # so that this test can fail
    mediator_mail = [m for m in mail.outbox if mediator.user.email in m.to]
    assert any(secret in m.body for m in mediator_mail)  # the mediator is told the name

    url = reverse("mediation:case", kwargs={"pk": appointed.case_id})
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "Restore the grant" in page and secret not in page
    timeline = client.get(reverse("disputes:detail", kwargs={"pk": appointed.case_id})).content.decode()
    assert "Mediation meeting on" in timeline and "Agreement confirmed by both parties" in timeline
    assert secret not in timeline
    client.force_login(mediator.user)
    assert secret in client.get(url).content.decode()
    client.force_login(vcs_member)
    assert "The mediator is told your organisation’s name" in client.get(url).content.decode()

    token = notification_services.organisation_calendar_token(organisation=council)
    ics = client.get(reverse("notifications:organisation_calendar", kwargs={"token": token})).content.decode()
    assert "Mediation meeting" in ics and secret not in ics


def test_once_the_complainant_reveals_it_the_respondent_is_told_the_name(
    client, appointed, parties, officer, vcs_member
):
    food_bank, _council = parties
    with pytest.raises(services.MediationError):
        services.name_reveal(mediation=appointed, by=officer)
    services.name_reveal(mediation=appointed, by=vcs_member)
    appointed.refresh_from_db()
    assert appointed.name_revealed_by == vcs_member and appointed.name_revealed_at is not None
    client.force_login(officer)
    assert food_bank.name in client.get(reverse("mediation:case", kwargs={"pk": appointed.case_id})).content.decode()


# --- Who reaches a mediation ---------------------------------------------------------------------------


def test_only_the_appointed_mediator_reaches_the_case(client, compact, coordinator, mediator, appointed):
    other = accredit(compact=compact, by=coordinator, username="other-mediator")
    url = reverse("mediation:case", kwargs={"pk": appointed.case_id})
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("disputes:detail", kwargs={"pk": appointed.case_id})).status_code == 404
    client.force_login(mediator.user)
    assert client.get(url).status_code == 200
    services.mediator_revoke(mediator=mediator, by=coordinator)
    assert client.get(url).status_code == 404


# --- The pool page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_the_pool_takes_the_same_queries_however_many_mediators(
    client, compact, coordinator, officer, size, django_assert_max_num_queries
):
    council = officer.memberships.get().organisation
    for n in range(size):
        mediator = accredit(compact=compact, by=coordinator, username=f"pool-{n}")
        services.conflict_declare(mediator=mediator, organisation=council, by=mediator.user)
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("mediation:pool"))
    assert page.status_code == 200
    assert page.content.decode().count("Riverside Borough Council") == size


# --- Telling people, and the shared timeline ----------------------------------------------------------


def _to(person) -> list:
    return [m for m in mail.outbox if person.email in m.to]


def test_moving_to_mediation_tells_the_parties_the_coordinator_and_each_proposed_mediator_once(
    compact, coordinator, mediator, parties, edition, officer, vcs_member, django_capture_on_commit_callbacks
):
    food_bank, _council = parties
    other = accredit(compact=compact, by=coordinator, username="other-mediator", first_name="Owen")
    MembershipFactory(user=coordinator, organisation=food_bank)  # on two sides: told once all the same
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _mediation(parties, edition, vcs_member, withhold_name=True)
    started = [m for m in mail.outbox if "Mediators proposed" in m.subject]
    for person in (vcs_member, officer, coordinator):
        mine = [m for m in started if person.email in m.to]
        assert len(mine) == 1, person
        assert "may decline one" in mine[0].body
        assert str(mediator) in mine[0].body and str(other) in mine[0].body
    reference = food_bank.cases_raised.get().reference
    for proposed in (mediator, other):
        told = [m for m in mail.outbox if proposed.user.email in m.to]
        assert [m.subject for m in told] == [f"You are proposed to mediate concern {reference}"]
        assert reverse("mediation:mine") in told[0].body
        assert food_bank.name not in told[0].body  # a mediator only proposed is not told a withheld name
    assert food_bank.name in _to(vcs_member)[-1].body  # so that the checks below can fail
    assert all(food_bank.name not in m.subject + m.body for m in _to(officer))


def test_the_timeline_and_both_parties_confirming(
    client, appointed, mediator, coordinator, parties, officer, vcs_member, django_capture_on_commit_callbacks
):
    food_bank, _council = parties
    starts = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(14, 30)))
    starts += datetime.timedelta(days=7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(mediation=appointed, by=mediator.user, starts_at=starts, online=True, place="A link")
        services.agreement_record(
            mediation=appointed,
            by=mediator.user,
            summary="Notice will be given properly.",
            actions=[("Restore the grant", Side.RESPONDENT, timezone.localdate() + datetime.timedelta(days=30))],
        )
        services.agreement_confirm(mediation=appointed, by=vcs_member)
        assert not [m for m in mail.outbox if "is confirmed" in m.subject]  # one side is not both
        services.agreement_confirm(mediation=appointed, by=officer)
    confirmed = [m for m in mail.outbox if "is confirmed" in m.subject]
    assert sorted(address for m in confirmed for address in m.to) == sorted(
        [vcs_member.email, officer.email, coordinator.email, mediator.user.email]
    )
    assert food_bank.name not in next(m for m in confirmed if officer.email in m.to).body
    assert food_bank.name in next(m for m in confirmed if vcs_member.email in m.to).body

    when = f"{starts.day} {starts:%B %Y} at 2:30pm"
    client.force_login(officer)
    page = client.get(reverse("disputes:detail", kwargs={"pk": appointed.case_id})).content.decode()
    for text in (f"Mediation meeting on {when}", "Agreement recorded", "Agreement confirmed by both parties"):
        assert text in page
    assert food_bank.name not in page
    client.force_login(mediator.user)
    assert (
        "Agreement confirmed by both parties"
        in client.get(reverse("mediation:case", kwargs={"pk": appointed.case_id})).content.decode()
    )


def test_no_agreement_is_on_the_timeline_of_both_parties(client, appointed, mediator, officer, vcs_member):
    services.no_agreement_record(mediation=appointed, by=mediator.user, summary="The council would not move.")
    for person in (officer, vcs_member):
        client.force_login(person)
        page = client.get(reverse("disputes:detail", kwargs={"pk": appointed.case_id})).content.decode()
        assert "No agreement: referred on" in page


def test_the_appointed_mediator_opens_the_shared_files_never_the_original_nor_anyone_else_s(
    client, compact, coordinator, appointed, mediator, officer, vcs_member
):
    from django.core.files.base import ContentFile

    from disputes import services as dispute_services
    from disputes.models import TimelineEntry
    from tests.consultations.factories import PDF_BYTES, upload

    case = appointed.case
    shared = dispute_services.timeline_add(
        case=case,
        by=officer,
        kind="document",
        text="Our reply",
        file=upload("council-reply.pdf"),
        original=ContentFile(PDF_BYTES + b"%author: J. Smith", name="council-reply.pdf"),
    )
    internal = dispute_services.timeline_add(
        case=case,
        by=coordinator,
        kind="note",
        text="Mine",
        visibility=TimelineEntry.Visibility.INTERNAL,
        file=upload("internal.pdf"),
    )
    held = dispute_services.timeline_add(
        case=case, by=vcs_member, kind="document", text="Ours", file=upload("ours.pdf")
    )

    def url(entry, pk=case.pk):
        return reverse("mediation:entry_file", kwargs={"pk": pk, "entry_pk": entry.pk})

    client.force_login(mediator.user)
    page = client.get(reverse("mediation:case", kwargs={"pk": case.pk})).content.decode()
    assert url(shared) in page and url(internal) not in page and url(held) not in page
    response = client.get(url(shared))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == PDF_BYTES and b"J. Smith" not in body
    assert "council-reply" not in response["Content-Disposition"]  # a neutral name
    assert "no-store" in response["Cache-Control"]
    assert client.get(url(internal)).status_code == 404
    assert client.get(url(held)).status_code == 404
    dispute_services.entry_check(entry=held, by=coordinator, release=True)
    assert client.get(url(held)).status_code == 200

    other = accredit(compact=compact, by=coordinator, username="other-mediator")  # proposed for other_case
    other_case = case_in_mediation(
        complainant=vcs_member.memberships.get().organisation,
        respondent=officer.memberships.get().organisation,
        edition=case.edition,
        by=vcs_member,
    )
    assert client.get(url(shared, pk=other_case.pk)).status_code == 404
    assert other_case.mediation.proposals.filter(mediator=other).exists()
    for person in (other.user, officer, vcs_member, coordinator):
        client.force_login(person)
        assert client.get(url(shared)).status_code == 404
