"""Which consultation reminders are due on a day, and to whom (consultations.reminders)."""

import datetime

import pytest
from django.core import mail
from django.template.loader import render_to_string

from commitments.models import Edition, Sector
from consultations.models import Consultation, PolicyArea
from consultations.reminders import due_reminders
from consultations.rules import feedback_due_on
from notifications.models import Notification, ReminderClaim
from notifications.reminders import CATCH_UP_DAYS, reminders_sweep
from signatories.models import Membership, Organisation, Signature
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
OPENS = D(2027, 3, 1)  # a Monday
CLOSES = D(2027, 5, 23)  # 12 weeks, both ends counted
FOUR_WEEKS_BEFORE = D(2027, 4, 25)
ONE_WEEK_BEFORE = D(2027, 5, 16)
EIGHT_WEEKS_AFTER = D(2027, 7, 18)
ELEVEN_WEEKS_AFTER = D(2027, 8, 8)
DEADLINE = D(2027, 8, 16)  # 12 weeks after closing is Sunday 15 August: the next working day
DAY_AFTER_DEADLINE = D(2027, 8, 17)


def day_before(day: D) -> D:
    return day - datetime.timedelta(days=1)


# --- Helpers (the consultations app's own factories are written elsewhere) ------------------------


@pytest.fixture
def current(compact) -> Edition:
    return PublishedEditionFactory(compact=compact, name="Refreshed Compact 2027")


@pytest.fixture
def body() -> Organisation:
    """The council running the consultation, with two officers on the portal."""
    council = PublicBodyFactory(name="Riverside Borough Council", contact_email="compact@riverside.gov.example")
    for _ in range(2):
        MembershipFactory(organisation=council)
    return council


def consultation(*, edition: Edition, body: Organisation, opens_on=OPENS, closes_on=CLOSES, **fields) -> Consultation:
    fields.setdefault("title", "Library opening hours")
    return Consultation.objects.create(
        compact=edition.compact,
        edition=edition,
        organisation=body,
        summary="How long should our libraries open?",
        policy_area=PolicyArea.CULTURE_LEISURE,
        opens_on=opens_on,
        closes_on=closes_on,
        contact_name="Jo Officer",
        contact_email="jo.officer@riverside.gov.example",
        **fields,
    )


def signatory(
    edition: Edition,
    *,
    alerts: bool = True,
    members: int = 1,
    status: str = Signature.Status.SIGNED,
    contact_email: str = "",
    public: bool = False,
) -> Organisation:
    """An organisation with a signature of ``edition`` (signed unless told), its alerts on or off."""
    factory = PublicBodyFactory if public else OrganisationFactory
    organisation = factory(wants_consultation_alerts=alerts, contact_email=contact_email)
    for n in range(members):
        MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN if n == 0 else Membership.Role.MEMBER)
    Signature.objects.create(organisation=organisation, edition=edition, status=status, signed_on=D(2026, 5, 1))
    return organisation


def member_emails(*organisations: Organisation) -> list[str]:
    return sorted(
        Membership.objects.filter(organisation__in=organisations).values_list("user__email", flat=True).distinct()
    )


def due(today: D, kind: str | None = None) -> list:
    return [r for r in due_reminders(today) if kind is None or r.kind == kind]


def emails(reminders) -> list[str]:
    return sorted({r.email for reminder in reminders for r in reminder.recipients})


OWNER_CONTACT = "jo.officer@riverside.gov.example"


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(today: D):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(today=today)

    return run


# --- Opening ------------------------------------------------------------------------------------


def test_the_opening_alert_goes_to_signatory_groups_that_asked_for_alerts_on_the_opening_day(current, body):
    wanted = signatory(current, members=2)
    no_members = signatory(current, members=0, contact_email="hello@youth.example")
    signatory(current, alerts=False)  # signed, but did not ask
    signatory(current, status=Signature.Status.PENDING)  # asked, but not signed yet
    signatory(current, status=Signature.Status.REAFFIRMATION_REQUESTED)  # has not re-affirmed
    signatory(current, public=True)  # a public body, not the voluntary sector
    old = PublishedEditionFactory(compact=current.compact, status=Edition.Status.SUPERSEDED)
    signatory(old)  # signed only the old edition
    signatory(PublishedEditionFactory(compact=CompactFactory()))  # signed another Compact
    item = consultation(edition=current, body=body)

    assert due(day_before(OPENS)) == []
    reminders = due(OPENS)

    assert {r.kind for r in reminders} == {"consultation_opened"}
    assert {r.subject_key for r in reminders} == {f"consultation:{item.pk}"}
    assert {r.due_on for r in reminders} == {OPENS}
    assert {r.link for r in reminders} == {item.get_absolute_url()}
    assert emails(reminders) == sorted([*member_emails(wanted), "hello@youth.example"])
    assert sorted(r.reason for r in reminders) == [
        f"You are told because {organisation.name} signed the Compact and asked to hear when a consultation opens. "
        "An admin of the organisation can change this on its page."
        for organisation in sorted([wanted, no_members], key=lambda o: o.name)
    ]
    # The message is the same for both: one context, rendered once.
    assert len({id(r.context) for r in reminders}) == 1


def test_a_missed_opening_alert_is_caught_up_for_a_week_while_the_consultation_is_open(current, body):
    signatory(current)
    long = consultation(edition=current, body=body)
    consultation(edition=current, body=body, closes_on=OPENS + datetime.timedelta(days=2), title="Short")

    assert len(due(OPENS + datetime.timedelta(days=2))) == 2
    # The short one has closed; the long one is caught up until 6 days after opening.
    assert [r.subject_key for r in due(OPENS + datetime.timedelta(days=3))] == [f"consultation:{long.pk}"]
    assert [r.due_on for r in due(OPENS + datetime.timedelta(days=6))] == [OPENS]
    assert due(OPENS + datetime.timedelta(days=7)) == []


def test_no_opening_alert_without_a_signatory_that_asked(current, body):
    signatory(current, alerts=False)
    consultation(edition=current, body=body)

    assert due(OPENS) == []


# --- Closing in 4 weeks and in 1 week ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "due_on"),
    [("consultation_closing_4_weeks", FOUR_WEEKS_BEFORE), ("consultation_closing_1_week", ONE_WEEK_BEFORE)],
)
def test_closing_reminders_go_to_the_body_its_contact_and_the_alerted_signatories(current, body, kind, due_on):
    wanted = signatory(current, members=2)
    signatory(current, alerts=False)
    item = consultation(edition=current, body=body)

    assert due(day_before(due_on), kind) == []
    reminders = due(due_on, kind)

    assert {r.due_on for r in reminders} == {due_on}
    assert {r.subject_key for r in reminders} == {f"consultation:{item.pk}"}
    assert emails(reminders) == sorted([*member_emails(body, wanted), OWNER_CONTACT])
    owner = [r for r in reminders if r.context["audience"] == "owner"]
    assert emails(owner) == sorted([*member_emails(body), OWNER_CONTACT])


def test_a_body_without_members_is_told_through_its_contact_email(current):
    lonely = PublicBodyFactory(contact_email="consult@fire.gov.example")
    consultation(edition=current, body=lonely)

    assert emails(due(FOUR_WEEKS_BEFORE)) == sorted(["consult@fire.gov.example", OWNER_CONTACT])


def test_a_consultation_shorter_than_4_weeks_has_no_4_week_reminder(current, body):
    opens = D(2027, 5, 1)  # open for 23 days
    consultation(edition=current, body=body, opens_on=opens)

    assert due(FOUR_WEEKS_BEFORE) == []
    assert [r.kind for r in due(ONE_WEEK_BEFORE)] == ["consultation_closing_1_week"]


def test_closing_reminders_stop_when_the_consultation_is_deleted(current, body):
    signatory(current)
    consultation(edition=current, body=body).delete()

    assert due(OPENS) == due(FOUR_WEEKS_BEFORE) == due(ONE_WEEK_BEFORE) == []


# --- Feedback --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "due_on"),
    [
        ("consultation_feedback_8_weeks", EIGHT_WEEKS_AFTER),
        ("consultation_feedback_11_weeks", ELEVEN_WEEKS_AFTER),
        ("consultation_feedback_overdue", DAY_AFTER_DEADLINE),
    ],
)
def test_feedback_reminders_go_to_the_body_and_the_coordinators(current, body, coordinator, kind, due_on):
    other_coordinator = UserFactory()
    current.compact.coordinators.add(other_coordinator)
    signatory(current)  # respondents are not reminded of the body's feedback
    item = consultation(edition=current, body=body)

    assert due(day_before(due_on)) == []
    reminders = due(due_on)

    assert {r.kind for r in reminders} == {kind}
    assert {r.due_on for r in reminders} == {due_on}
    assert {r.subject_key for r in reminders} == {f"consultation:{item.pk}"}
    assert {r.context["deadline"] for r in reminders} == {DEADLINE}
    assert emails(reminders) == sorted(
        [*member_emails(body), OWNER_CONTACT, coordinator.email, other_coordinator.email]
    )
    coordinators = [r for r in reminders if r.context["audience"] == "coordinator"]
    assert emails(coordinators) == sorted([coordinator.email, other_coordinator.email])


def test_the_overdue_reminder_follows_the_bank_holidays_of_the_compacts_nation(body):
    # Closing Monday 11 October 2027 + 12 weeks = Monday 3 January 2028, a bank holiday everywhere;
    # Tuesday 4 January is one only in Scotland. Feedback is due on the 4th in England, the 5th there.
    england = PublishedEditionFactory(compact=CompactFactory(nation="england"))
    scotland = PublishedEditionFactory(compact=CompactFactory(nation="scotland"))
    closes = D(2027, 10, 11)
    consultation(edition=england, body=body, opens_on=D(2027, 7, 1), closes_on=closes, title="In England")
    consultation(edition=scotland, body=body, opens_on=D(2027, 7, 1), closes_on=closes, title="In Scotland")

    def overdue(day):
        return {r.context["consultation"].title: r.due_on for r in due(day, "consultation_feedback_overdue")}

    assert overdue(D(2028, 1, 4)) == {}
    assert overdue(D(2028, 1, 5)) == {"In England": D(2028, 1, 5)}
    assert overdue(D(2028, 1, 6)) == {"In England": D(2028, 1, 5), "In Scotland": D(2028, 1, 6)}


def test_no_feedback_reminder_once_feedback_is_published(current, body):
    consultation(edition=current, body=body, feedback_published_on=D(2027, 7, 1))

    assert due(EIGHT_WEEKS_AFTER) == due(ELEVEN_WEEKS_AFTER) == due(DAY_AFTER_DEADLINE) == []


def test_feedback_published_late_stops_the_overdue_reminder_still_being_caught_up(current, body):
    item = consultation(edition=current, body=body)
    assert len(due(DAY_AFTER_DEADLINE + datetime.timedelta(days=2))) == 2  # body and coordinator

    item.feedback_published_on = DAY_AFTER_DEADLINE + datetime.timedelta(days=1)
    item.save()

    assert due(DAY_AFTER_DEADLINE + datetime.timedelta(days=2)) == []


def test_when_feedback_is_due_sooner_only_the_reminders_before_the_deadline_are_sent(compact, body):
    six_weeks = PublishedEditionFactory(compact=compact, feedback_due_weeks=6)
    consultation(edition=six_weeks, body=body)
    deadline = D(2027, 7, 5)  # Sunday 4 July + 1 day

    for day in (EIGHT_WEEKS_AFTER, ELEVEN_WEEKS_AFTER):
        assert [r.kind for r in due(day)] == []
    assert {r.kind for r in due(deadline + datetime.timedelta(days=1))} == {"consultation_feedback_overdue"}


@pytest.mark.parametrize("weeks", [1, 5, 26, 52])
def test_the_overdue_reminder_is_found_every_day_of_its_catch_up_week_whatever_the_deadline(compact, body, weeks):
    """Only a week or so of closing dates is read per deadline length: each day must still find it.

    Closing on Saturday 18 December 2027, each deadline falls on a weekend or bank holiday and moves:
    1 week on is Christmas Day, so feedback is due on Wednesday the 29th, after the bank holidays.
    """
    edition = PublishedEditionFactory(compact=compact, feedback_due_weeks=weeks)
    closes = D(2027, 12, 18)
    consultation(edition=edition, body=body, opens_on=D(2027, 9, 1), closes_on=closes)
    deadline = feedback_due_on(closes, weeks, compact.nation)
    assert deadline > closes + datetime.timedelta(weeks=weeks)
    overdue_on = deadline + datetime.timedelta(days=1)

    found = {
        day: {r.kind for r in due(day, "consultation_feedback_overdue")}
        for day in (overdue_on + datetime.timedelta(days=n) for n in range(-1, 8))
    }

    assert [day for day, kinds in found.items() if kinds] == [
        overdue_on + datetime.timedelta(days=n) for n in range(CATCH_UP_DAYS)
    ]


def test_the_edition_in_force_when_it_was_registered_sets_the_deadline(compact, body):
    """A later edition with other parameters does not move an earlier consultation's deadline."""
    old = PublishedEditionFactory(compact=compact, feedback_due_weeks=12)
    consultation(edition=old, body=body)
    old.status = Edition.Status.SUPERSEDED
    old.save()
    PublishedEditionFactory(compact=compact, feedback_due_weeks=4)

    assert {r.kind for r in due(DAY_AFTER_DEADLINE)} == {"consultation_feedback_overdue"}


# --- Through the sweep: once each, and a moved date -------------------------------------------------


def test_each_reminder_is_emailed_once_across_two_sweeps(current, body, sweep):
    wanted = signatory(current, members=2)
    consultation(edition=current, body=body)
    expected = len([*member_emails(body, wanted), OWNER_CONTACT])

    first = sweep(FOUR_WEEKS_BEFORE)
    second = sweep(FOUR_WEEKS_BEFORE)
    third = sweep(FOUR_WEEKS_BEFORE + datetime.timedelta(days=1))  # still in the catch-up week

    assert (first.sent, second.sent, third.sent) == (expected, 0, 0)
    assert (second.skipped, third.skipped) == (expected, expected)
    assert len(mail.outbox) == expected
    assert len({m.to[0] for m in mail.outbox}) == expected
    assert ReminderClaim.objects.filter(kind="consultation_closing_4_weeks").count() == expected


def test_a_moved_closing_date_does_not_send_a_sent_reminder_again_and_moves_those_not_yet_sent(current, body, sweep):
    signatory(current)
    item = consultation(edition=current, body=body)
    sweep(FOUR_WEEKS_BEFORE)
    sent = len(mail.outbox)
    assert sent == 4  # two officers, the contact, the signatory's member

    # The body extends the consultation by two weeks, after the 4-week reminder went out.
    item.closes_on = CLOSES + datetime.timedelta(weeks=2)
    item.save()
    new_four_weeks_before = FOUR_WEEKS_BEFORE + datetime.timedelta(weeks=2)
    assert [r.due_on for r in due(new_four_weeks_before, "consultation_closing_4_weeks")] == [new_four_weeks_before] * 2
    again = sweep(new_four_weeks_before)
    assert (again.sent, again.skipped) == (0, 4)
    assert len(mail.outbox) == sent

    # The 1-week reminder, not sent yet, follows the new date.
    assert sweep(ONE_WEEK_BEFORE).sent == 0
    assert sweep(ONE_WEEK_BEFORE + datetime.timedelta(weeks=2)).sent == 4
    assert len(mail.outbox) == 8
    assert {c.due_on for c in ReminderClaim.objects.filter(kind="consultation_closing_1_week")} == {
        ONE_WEEK_BEFORE + datetime.timedelta(weeks=2)
    }
    assert Notification.objects.filter(kind="consultation_closing_4_weeks").count() == 4


def test_the_emails_say_what_is_due_and_link_to_the_consultation(current, body, sweep, coordinator):
    wanted = signatory(current)
    wanted.name = "Riverside Food Bank & Friends"
    wanted.save()
    item = consultation(edition=current, body=body, title="Library hours: ‘what matters’")
    member = member_emails(wanted)[0]
    url = f"http://127.0.0.1:8000/consultations/{item.pk}/"

    def email(to, day):
        mail.outbox.clear()
        sweep(day)
        [message] = [m for m in mail.outbox if m.to == [to]]
        assert url in message.body
        return message

    opened = email(member, OPENS)
    assert opened.subject == "New consultation: Library hours: ‘what matters’"
    assert "Riverside Borough Council opened a consultation under Riverside Compact on 1 March 2027" in opened.body
    assert "It closes on 23 May 2027." in opened.body
    assert "Riverside Food Bank & Friends signed the Compact and asked to hear" in opened.body  # not escaped
    # Greeting, message, link, why they are told, then the footer every reminder ends with.
    assert opened.body.startswith("Hello ")
    order = [url, "You are told because Riverside Food Bank", "--\nAn automatic reminder from", "sent only once."]
    assert [opened.body.index(text) for text in order] == sorted(opened.body.index(text) for text in order)
    assert opened.body.endswith("It is sent only once.")

    assert email(member, FOUR_WEEKS_BEFORE).subject == "4 weeks left to respond: Library hours: ‘what matters’"
    one_week = email(OWNER_CONTACT, ONE_WEEK_BEFORE)
    assert one_week.subject == "Your consultation closes in 1 week: Library hours: ‘what matters’"
    assert "closes on 23 May 2027, in 1 week" in one_week.body
    assert "You are told because" not in one_week.body  # the body running it is told why in the text
    assert one_week.body.endswith("It is sent only once.")

    eight = email(OWNER_CONTACT, EIGHT_WEEKS_AFTER)
    assert eight.subject == "Feedback due by 16 August 2027: Library hours: ‘what matters’"
    assert "closed on 23 May 2027, 8 weeks ago" in eight.body
    assert "due within 12 weeks of closing: by 16 August 2027" in eight.body
    assert "Please publish the feedback" in eight.body
    assert "11 weeks ago" in email(coordinator.email, ELEVEN_WEEKS_AFTER).body

    overdue = email(coordinator.email, DAY_AFTER_DEADLINE)
    assert overdue.subject == "Feedback overdue: Library hours: ‘what matters’"
    assert "was due by 16 August 2027 and has not been published" in overdue.body
    assert "You are told as a coordinator of Riverside Compact" in overdue.body


# --- Queries ----------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_reminders(current, body, django_assert_num_queries):
    """Six queries for everything the emails need, whether 2 or 20 reminders are due, and whatever
    feedback deadlines the editions set."""

    def render_all(today):
        reminders = due(today)
        for reminder in reminders:
            for recipient in reminder.recipients:
                render_to_string(reminder.template, {**reminder.context, "recipient": recipient, "link": "x"})
        return reminders

    closed = {"opens_on": D(2026, 12, 1), "closes_on": D(2027, 2, 28)}  # 8 weeks after: FOUR_WEEKS_BEFORE
    signatory(current)
    consultation(edition=current, body=body)  # its 4-week reminder: to the body and the signatory
    consultation(edition=current, body=body, **closed)  # its 8-week one: to the body and the coordinator
    # The editions' feedback deadlines, consultations, their bodies' members, coordinators,
    # signatories, their members.
    with django_assert_num_queries(7):  # with the alerts each body stopped
        assert len(render_all(FOUR_WEEKS_BEFORE)) == 4

    for weeks in range(9, 13):
        signatory(current, members=2)
        other = PublishedEditionFactory(compact=CompactFactory(coordinators=[UserFactory()]), feedback_due_weeks=weeks)
        signatory(other)
        consultation(edition=other, body=PublicBodyFactory())
        consultation(edition=other, body=body, **closed)
    with django_assert_num_queries(7):
        assert len(render_all(FOUR_WEEKS_BEFORE)) == 4 + 4 + 8 + 8


def test_a_public_body_is_not_alerted_as_a_signatory_but_is_told_as_the_body_running_it(current, body):
    body.wants_consultation_alerts = True
    body.save()
    Signature.objects.create(organisation=body, edition=current, status=Signature.Status.SIGNED)
    signatory(current, public=True)
    consultation(edition=current, body=body)

    assert body.sector == Sector.PUBLIC
    assert due(OPENS) == []
    assert {r.context["audience"] for r in due(FOUR_WEEKS_BEFORE)} == {"owner"}
