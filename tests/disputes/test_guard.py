"""The guard against retaliation: a public body that gives a funding-change notice to, or stops a
consultation's alerts to, an organisation with a concern against it (open, or closed within a year)
raises a flag that only the Compact's coordinators see and review. The body is never told: its pages
and emails stay as they were, and a withheld complainant's name never reaches it through the flag."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from consultations import services as consultation_services
from consultations.models import AlertStop
from disputes import services
from disputes.models import Case, GuardFlag
from funding import services as funding_services
from notifications.models import Notification
from signatories.models import Signature
from tests.consultations.factories import ConsultationFactory
from tests.disputes.factories import World, open_case
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db
D = datetime.date
GIVEN = D(2027, 1, 10)


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger):
    return World(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def give_notice(world, recipient, *, given=GIVEN, capture=None):
    fields = {
        "change": "reduced",
        "description": "The lunch club grant.",
        "notice_given_on": given,
        "effective_on": given + datetime.timedelta(days=150),
        "reasons": "The budget for grants was cut.",
        "impact_assessed": False,
        "discussed_before": False,
        "exceptional": False,
    }

    def record():
        return funding_services.notice_create(
            issuer=world.council, recipient=recipient, compact=world.compact, by=world.officer, **fields
        )

    if capture is None:
        return record()
    with capture(execute=True):
        return record()


def close(case, on):
    Case.objects.filter(pk=case.pk).update(stage=Case.Stage.CLOSED, outcome=Case.Outcome.RESOLVED, closed_on=on)


def flag_emails(world):
    return [m for m in mail.outbox if "To review" in m.subject]


# --- When the flag is raised ------------------------------------------------------------------------------


def test_a_notice_to_an_organisation_with_an_open_concern_flags_it_and_tells_the_coordinators_once(
    world, django_capture_on_commit_callbacks
):
    case = world.open()
    mail.outbox.clear()
    notice = give_notice(world, world.food_bank, capture=django_capture_on_commit_callbacks)
    flag = GuardFlag.objects.get()
    assert flag.funding_notice == notice
    assert (flag.body, flag.organisation, flag.compact) == (world.council, world.food_bank, world.compact)
    assert list(flag.cases.all()) == [case]
    assert flag.review == ""
    emails = flag_emails(world)
    assert [m.to for m in emails] == [[world.coordinator.email]]
    assert case.reference in emails[0].body
    assert flag.get_absolute_url() in emails[0].body
    # Raising it again for the same notice sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.guard_check(
            compact=world.compact, body=world.council, organisation=world.food_bank, on=GIVEN, funding_notice=notice
        )
    assert GuardFlag.objects.count() == 1
    assert len(flag_emails(world)) == 1
    assert Notification.objects.filter(kind="guard_flag_raised").count() == 1


@pytest.mark.parametrize(
    ("closed_on", "flagged"),
    [
        (D(2026, 1, 10), True),  # exactly a year before the notice: still within the year
        (D(2026, 1, 11), True),
        (D(2026, 1, 9), False),  # a year and a day: no longer
    ],
)
def test_a_closed_concern_counts_for_a_year_to_the_day(world, closed_on, flagged):
    close(world.open(), closed_on)
    give_notice(world, world.food_bank)
    assert GuardFlag.objects.exists() is flagged


def test_no_flag_for_an_unrelated_organisation_or_a_concern_against_another_body(world):
    unrelated = OrganisationFactory(name="Unrelated Allotment Society")
    other_body = PublicBodyFactory(name="Riverside Fire Service")
    world.open()
    open_case(complainant=world.food_bank, respondent=other_body, edition=world.edition, by=world.vcs_member)
    give_notice(world, unrelated)
    assert not GuardFlag.objects.exists()
    assert not Notification.objects.filter(kind="guard_flag_raised").exists()


def test_no_flag_when_the_only_concern_was_raised_by_the_body_against_the_organisation(world):
    open_case(complainant=world.council, respondent=world.food_bank, edition=world.edition, by=world.officer)
    give_notice(world, world.food_bank)
    assert not GuardFlag.objects.exists()


def alerted(world, organisation):
    organisation.wants_consultation_alerts = True
    organisation.save()
    Signature.objects.create(organisation=organisation, edition=world.edition, status="signed", signed_on=GIVEN)


def test_stopping_a_consultations_alerts_to_a_complainant_flags_it(client, world, django_capture_on_commit_callbacks):
    case = world.open()
    alerted(world, world.food_bank)
    consultation = ConsultationFactory(edition=world.edition, organisation=world.council)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stop = consultation_services.alert_stop(
            consultation=consultation, organisation=world.food_bank, by=world.officer, reason="They asked us to."
        )
    flag = GuardFlag.objects.get()
    assert flag.alert_stop == stop
    assert list(flag.cases.all()) == [case]
    assert [m.to for m in flag_emails(world)] == [[world.coordinator.email]]
    assert "stopped a consultation’s alerts" in flag_emails(world)[0].body
    client.force_login(world.coordinator)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "They asked us to." in page and case.reference in page and consultation.title in page


# --- The body is never told ------------------------------------------------------------------------------


def test_the_body_never_learns_of_the_flag_nor_the_withheld_complainant(
    client, world, django_capture_on_commit_callbacks
):
    case = world.open(withhold_name=True)
    alerted(world, world.food_bank)
    consultation = ConsultationFactory(edition=world.edition, organisation=world.council)
    mail.outbox.clear()
    notice = give_notice(world, world.food_bank, capture=django_capture_on_commit_callbacks)
    client.force_login(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consultations:alerts", kwargs={"pk": consultation.pk}),
            {"organisation": world.food_bank.pk, "reason": "They asked us to."},
        )
    assert response.status_code == 302
    assert GuardFlag.objects.count() == 2  # both acts are flagged for the coordinator

    def pages(*paths):
        texts = []
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, path
            texts.append(page.content.decode())
        return texts

    # Where the body reads of what it did, nothing ties the organisation to a concern.
    about_the_acts = pages(
        reverse("funding:list"),
        reverse("funding:detail", kwargs={"pk": notice.pk}),
        reverse("consultations:detail", kwargs={"pk": consultation.pk}),
        reverse("consultations:alerts", kwargs={"pk": consultation.pk}),
        reverse("accounts:dashboard"),
    )
    tying = [case.reference, case.summary, "flag", "To review", "retaliat"]
    assert [(s, t[:100]) for s in tying for t in about_the_acts if s.lower() in t.lower()] == []
    # Where the body reads of the concern, and in every email and notification it got, the
    # complainant stays unnamed.
    about_the_concern = pages(
        reverse("disputes:list"),
        reverse("disputes:detail", kwargs={"pk": case.pk}),
        reverse("notifications:list"),
    )
    body_emails = [m for m in mail.outbox if world.officer.email in m.to]
    about_the_concern += [f"{m.subject}\n{m.body}" for m in body_emails]
    named = [world.food_bank.name, world.volunteer.last_name, world.vcs_member.last_name]
    assert [(s, t[:100]) for s in named for t in about_the_concern if s.lower() in t.lower()] == []
    assert not any("To review" in m.subject or "flag" in m.body for m in body_emails)
    assert not Notification.objects.filter(recipient=world.officer, kind="guard_flag_raised").exists()
    # The flags themselves are refused to the body.
    for path in (
        reverse("disputes:guard_flags", kwargs={"slug": world.compact.slug}),
        GuardFlag.objects.first().get_absolute_url(),
    ):
        assert client.get(path).status_code == 403
    # The coordinator does see them, with the complainant.
    client.force_login(world.coordinator)
    page = client.get(reverse("disputes:guard_flags", kwargs={"slug": world.compact.slug})).content.decode()
    assert page.count(case.reference) == 2
    assert world.food_bank.name in page
    assert "Only you see this" in client.get(case.get_absolute_url()).content.decode()
    client.force_login(world.officer)
    assert "Only you see this" not in client.get(case.get_absolute_url()).content.decode()


# --- The coordinator's review -----------------------------------------------------------------------------


def test_the_coordinator_records_a_review_with_who_and_when(client, world):
    world.open()
    give_notice(world, world.food_bank)
    flag = GuardFlag.objects.get()
    client.force_login(world.coordinator)
    url = flag.get_absolute_url()
    response = client.post(url, {"review": "", "note": ""})
    assert response.status_code == 200
    assert "Choose what your review found" in response.content.decode()
    assert "Enter a note on your review" in response.content.decode()
    response = client.post(url, {"review": "needs_explanation", "note": "Ask the council why now." + "x" * 2000})
    assert "2,000 characters or fewer" in response.content.decode()
    response = client.post(url, {"review": "needs_explanation", "note": "Ask the council why now."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.review, flag.review_note, flag.reviewed_by) == (
        "needs_explanation",
        "Ask the council why now.",
        world.coordinator,
    )
    assert flag.reviewed_at is not None
    page = client.get(url).content.decode()
    assert "Needs an explanation from the body" in page
    assert "Ask the council why now." in page
    listing = client.get(reverse("disputes:guard_flags", kwargs={"slug": world.compact.slug})).content.decode()
    assert "Needs an explanation from the body" in listing
    manage = client.get(reverse("commitments:manage", kwargs={"slug": world.compact.slug})).content.decode()
    assert reverse("disputes:guard_flags", kwargs={"slug": world.compact.slug}) in manage


def test_the_flags_list_costs_the_same_queries_for_many_flags(client, world, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    url = reverse("disputes:guard_flags", kwargs={"slug": world.compact.slug})
    world.open()

    def add_flags(n):
        for i in range(n):
            give_notice(world, world.food_bank, given=GIVEN + datetime.timedelta(days=len(GuardFlag.objects.all()) + i))
        consultation = ConsultationFactory(edition=world.edition, organisation=world.council)
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation)
        stop = AlertStop.objects.create(consultation=consultation, organisation=world.food_bank, reason="r")
        services.guard_check(
            compact=world.compact, body=world.council, organisation=world.food_bank, on=GIVEN, alert_stop=stop
        )

    add_flags(1)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    add_flags(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('<tr class="govuk-table__row">') == GuardFlag.objects.count() + 1


# --- In the public figures ---------------------------------------------------------------------------------


def test_the_public_figures_count_flags_and_hide_fewer_than_three(client, world):
    world.open()
    url = reverse("disputes:figures", kwargs={"slug": world.compact.slug})
    for n in (1, 2):
        give_notice(world, world.food_bank, given=GIVEN + datetime.timedelta(days=n))
        page = client.get(url).content.decode()
        flagged = page.split('id="figure-flagged">', 1)[1].split("<", 1)[0]
        assert flagged == "fewer than 3", n
    give_notice(world, world.food_bank, given=GIVEN + datetime.timedelta(days=3))
    page = client.get(url).content.decode()
    assert page.split('id="figure-flagged">', 1)[1].split("<", 1)[0] == "3"
    assert world.food_bank.name not in page


def test_the_coordinator_sees_the_flag_on_the_notices_own_page_and_the_body_does_not(client, world):
    world.open()
    notice = give_notice(world, world.food_bank)
    unflagged = give_notice(world, OrganisationFactory(name="Hillside Choir"))
    flag = GuardFlag.objects.get()
    detail = reverse("funding:detail", kwargs={"pk": notice.pk})
    client.force_login(world.coordinator)
    page = client.get(detail).content.decode()
    assert "For the coordinator" in page and "It has not been reviewed yet." in page
    assert flag.get_absolute_url() in page
    assert (
        "For the coordinator" not in client.get(reverse("funding:detail", kwargs={"pk": unflagged.pk})).content.decode()
    )
    client.post(flag.get_absolute_url(), {"review": "no_link", "note": "Grant round planned last year."})
    assert "Your review: No link to the concern." in client.get(detail).content.decode()
    for someone in (world.officer, world.vcs_member):
        client.force_login(someone)
        page = client.get(detail).content.decode()
        assert "For the coordinator" not in page and flag.get_absolute_url() not in page


# --- The coordinators' email -------------------------------------------------------------------------------


def test_the_flag_email_is_in_each_coordinators_language_and_says_what_to_do(world, django_capture_on_commit_callbacks):
    from tests.accounts.factories import UserFactory

    welsh = UserFactory(username="cydlynydd", first_name="Nia", last_name="Pritchard", language="cy")
    world.compact.coordinators.add(welsh)
    world.open()
    mail.outbox.clear()
    give_notice(world, world.food_bank, capture=django_capture_on_commit_callbacks)
    flag = GuardFlag.objects.get()
    flagged = [m for m in mail.outbox if flag.get_absolute_url() in m.body]
    emails = {m.to[0]: m for m in flagged}
    assert sorted(emails) == sorted([welsh.email, world.coordinator.email]) and len(flagged) == 2  # once each
    english, cymraeg = emails[world.coordinator.email], emails[welsh.email]
    assert english.body.startswith("Hello ")
    assert "10 January 2027" in english.body
    # What to do, with the three findings the review form offers and where to record it.
    assert "What to do: open the flag" in english.body
    for finding in ("no link to the concern", "needs an explanation from the body", "referred"):
        assert finding in english.body
    assert "do not name a complainant" in english.body
    assert english.body.index("Review the flag:") < english.body.index(flag.get_absolute_url())
    # The Welsh coordinator's is rendered in Welsh: the greeting and the date (the rest of the text
    # is translated with the other new strings after merging; it falls back to English until then).
    assert cymraeg.body.startswith("Helo Nia Pritchard,")
    assert "10 Ionawr 2027" in cymraeg.body and "10 January 2027" not in cymraeg.body
    assert flag.get_absolute_url() in cymraeg.body
