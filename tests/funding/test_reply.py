"""The right of reply on a funding notice (issue 16): the organisation replies, asks for a meeting or
proposes a timetable; the public body records its consideration and decision; each party is told once."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from funding import selectors, services
from funding.models import NoticeStep
from notifications.models import Notification
from tests.consultations.factories import EXE_BYTES, PDF_BYTES
from tests.funding.factories import FundingNoticeFactory
from tests.funding.test_views import errors, text
from tests.funding.test_views import world as world  # noqa: F401 (the fixture)
from tests.signatories.factories import MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def reply_url(notice) -> str:
    return reverse("funding:reply", kwargs={"pk": notice.pk})


def respond_url(notice) -> str:
    return reverse("funding:respond", kwargs={"pk": notice.pk})


def in_a_month() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=40)


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_organisation_replies_with_a_file_and_the_body_and_coordinator_are_told_once(
    client, world, django_capture_on_commit_callbacks
):
    notice = world.to_food_bank
    # Someone in the council who also coordinates the Compact is told once, not twice.
    MembershipFactory(organisation=world.council, user=world.coordinator)
    client.force_login(world.vcs_member)
    page = client.get(reply_url(notice))
    assert page.status_code == 200 and "Reply to the notice" in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reply_url(notice),
            {
                "kind": "reply",
                "text": "The lunch club feeds forty people: please think again.",
                "file": SimpleUploadedFile("Our reply.pdf", PDF_BYTES, content_type="application/pdf"),
            },
        )
    assert response.status_code == 302
    step = NoticeStep.objects.get()
    assert (step.side, step.organisation, step.author, step.file_name) == (
        "recipient",
        world.food_bank,
        world.vcs_member,
        "Our reply.pdf",
    )
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted([world.officer.email, world.coordinator.email])
    assert all("Riverside Food Bank on a funding-change notice: Reply" in m.subject for m in mail.outbox)
    assert world.vcs_member.email not in told  # the author is not told what they did

    # The timeline shows it to the body, with its file; a stranger gets a 404 for the file.
    client.force_login(world.officer)
    page = client.get(notice.get_absolute_url())
    assert "The lunch club feeds forty people: please think again." in text(page)
    file_url = reverse("funding:step_file", kwargs={"pk": notice.pk, "step_pk": step.pk})
    assert file_url in page.content.decode()
    assert client.get(file_url).status_code == 200
    client.force_login(world.stranger)
    assert client.get(file_url).status_code == 404
    client.force_login(world.other_coordinator)
    assert client.get(file_url).status_code == 404


def test_a_refused_file_is_a_form_error(client, world):
    client.force_login(world.vcs_member)
    response = client.post(
        reply_url(world.to_food_bank),
        {"kind": "reply", "text": "See attached.", "file": SimpleUploadedFile("reply.pdf", EXE_BYTES)},
    )
    assert response.status_code == 200
    assert errors(response) and not NoticeStep.objects.exists()


def test_a_timetable_is_proposed_and_the_body_records_its_consideration_and_decision(
    client, world, django_capture_on_commit_callbacks
):
    notice = FundingNoticeFactory(
        compact=world.to_food_bank.compact,
        edition=world.to_food_bank.edition,
        issuer=world.council,
        recipient=world.food_bank,
        notice_given_on=timezone.localdate(),
        effective_on=timezone.localdate() + datetime.timedelta(days=60),
        ended_for_performance=True,
    )
    assert selectors.notice_parts(notice).timetable is None  # still to be offered
    client.force_login(world.vcs_member)
    first, second = in_a_month(), in_a_month() - datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reply_url(notice),
            {
                "kind": "timetable",
                "text": "How we will get the numbers back up.",
                "action_1": "Recruit two volunteer drivers",
                **date_fields("due_1", first),
                "action_2": "Open on Saturdays",
                **date_fields("due_2", second),
            },
        )
    assert response.status_code == 302
    step = NoticeStep.objects.get()
    assert [(i.action, i.due_on) for i in step.timetable.all()] == [
        ("Open on Saturdays", second),
        ("Recruit two volunteer drivers", first),
    ]
    # The organisation's proposal is its reply; the Compact asks the body to offer a timetable.
    assert selectors.notice_parts(notice).timetable is None
    assert selectors.notice_parts(notice).response is None  # replied; the body has still to consider it

    mail.outbox.clear()
    client.force_login(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(respond_url(notice), {"kind": "consideration", "text": "We considered the timetable."})
        client.post(respond_url(notice), {"kind": "decision", "text": "Funding continues for six months."})
    # The food bank's member and the coordinator, once for each of the two steps.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.vcs_member.email, world.coordinator.email] * 2)
    assert selectors.notice_parts(notice).response is True
    assert selectors.notice_parts(notice).timetable is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            respond_url(notice),
            {
                "kind": "timetable",
                "text": "We agree the organisation's timetable.",
                "action_1": "Recruit two volunteer drivers",
                **date_fields("due_1", first),
            },
        )
    assert selectors.notice_parts(notice).timetable is True
    page = text(client.get(notice.get_absolute_url()))
    assert (
        page.index("Improvement timetable proposed")
        < page.index("Consideration recorded")
        < page.index("Decision recorded")
    )
    assert "Chance to respond before the change took effect Met" in page


def test_timetable_rows_say_what_to_fix(client, world):
    client.force_login(world.vcs_member)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reply_url(world.to_food_bank),
        {
            "kind": "timetable",
            "text": "Our plan.",
            "action_1": "Recruit drivers",
            "action_2": "",
            **date_fields("due_2", in_a_month()),
            "action_3": "Too late",
            **date_fields("due_3", yesterday),
        },
    )
    assert errors(response) == [
        "Enter the date step 1 is due by",
        "Enter what will be done in step 2",
        "The date step 3 is due by must be today or later",
    ]
    response = client.post(reply_url(world.to_food_bank), {"kind": "timetable", "text": "Our plan."})
    assert errors(response) == ["Enter at least one step of the timetable, with its date"]
    response = client.post(
        reply_url(world.to_food_bank),
        {"kind": "reply", "text": "A reply.", "action_1": "Recruit", **date_fields("due_1", in_a_month())},
    )
    assert errors(response) == ["Only an improvement timetable has steps with dates: choose it, or remove them"]
    assert not NoticeStep.objects.exists()


def test_each_side_records_only_its_own_kinds(client, world):
    client.force_login(world.vcs_member)
    response = client.post(reply_url(world.to_food_bank), {"kind": "decision", "text": "We decide."})
    assert errors(response) == ["Choose one of the options"]
    client.force_login(world.officer)
    assert client.get(reply_url(world.to_food_bank)).status_code == 403
    response = client.post(respond_url(world.to_food_bank), {"kind": "meeting", "text": "Meet?"})
    assert errors(response) == ["Choose one of the options"]
    client.force_login(world.vcs_member)
    assert client.get(respond_url(world.to_food_bank)).status_code == 403
    with pytest.raises(services.StepError):
        services.step_record(notice=world.to_food_bank, by=world.vcs_member, kind="decision", text="No.")
    assert not NoticeStep.objects.exists()


def test_a_person_without_an_account_hears_through_the_organisations_contact(world, django_capture_on_commit_callbacks):
    notice = world.to_food_bank
    world.council.memberships.all().delete()
    world.council.contact_email = "grants@riverside.example"
    world.council.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.step_record(notice=notice, by=world.vcs_member, kind="meeting", text="Could we meet next week?")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["grants@riverside.example", world.coordinator.email])
    assert Notification.objects.filter(kind="funding_recipient_replied").count() == 2


def test_the_notice_page_shows_each_part(client, world):
    notice = world.to_food_bank
    notice.discussed_before = False
    notice.save()
    client.force_login(world.coordinator)
    page = text(client.get(notice.get_absolute_url()))
    assert "Minimum notice given (or exceptional circumstances) Met" in page
    assert "Impact assessed, with its findings written Met" in page
    assert "Discussed with the organisation before the decision Not met" in page
    assert "Improvement timetable offered" not in page  # not about performance
    assert "Reply to the notice" not in page  # the coordinator reads, does not reply


def test_the_notice_page_asks_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    notice = world.to_food_bank
    client.force_login(world.officer)

    def add_steps(n):
        for i in range(n):
            services.step_record(
                notice=notice,
                by=world.vcs_member,
                kind="timetable",
                text=f"Plan {i}",
                timetable=[("Recruit", in_a_month()), ("Open", in_a_month())],
            )

    add_steps(1)
    with django_assert_max_num_queries(30) as small:
        client.get(notice.get_absolute_url())
    add_steps(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(notice.get_absolute_url())
    assert len(re.findall("Improvement timetable proposed", response.content.decode())) == 11


def test_part_counts_over_notices_in_a_constant_number_of_queries(world, django_assert_num_queries):
    notice = world.to_food_bank
    notices = selectors.notices_visible_to(world.coordinator)
    with django_assert_num_queries(2):
        counts = {c.part: c for c in selectors.part_counts(notices, today=D(2027, 3, 1))}
    assert counts["notice_length"].applies_to == notices.count()
    assert counts["timetable"].applies_to == 0
    services.step_record(
        notice=notice, by=world.vcs_member, kind="reply", text="Please think again.", today=D(2027, 2, 1)
    )
    counts = {c.part: c for c in selectors.part_counts(notices, today=D(2027, 3, 1))}
    # Replied, and not considered: still open before the effective date (1 June 2027).
    assert counts["response"].pending == 1
    FundingNoticeFactory.create_batch(
        5, compact=notice.compact, edition=notice.edition, issuer=world.council, recipient=world.food_bank
    )
    notices = selectors.notices_visible_to(world.coordinator)  # one query: the coordinator's reach
    with django_assert_num_queries(2):
        selectors.part_counts(notices, today=D(2027, 3, 1))


def test_each_person_is_written_to_in_their_own_language(world, django_capture_on_commit_callbacks):
    welsh = MembershipFactory(organisation=world.council, user__language="cy").user
    with django_capture_on_commit_callbacks(execute=True):
        services.step_record(notice=world.to_food_bank, by=world.vcs_member, kind="reply", text="Please think again.")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies[welsh.email].startswith("Helo ")
    assert bodies[world.officer.email].startswith("Hello ")
    assert len(mail.outbox) == 3  # the two council members and the coordinator, once each


def test_part_counts_are_kept_until_a_notice_or_step_changes(world, django_assert_num_queries):
    """The counts over every notice a coordinator sees are kept for the same notices and day (no
    query), and worked out again once a step or a notice is saved."""
    notices = selectors.notices_visible_to(world.coordinator)
    day = D(2027, 3, 1)
    first = selectors.part_counts(notices, today=day)
    again = selectors.notices_visible_to(world.coordinator)  # one query: the coordinator's reach
    with django_assert_num_queries(0):
        assert selectors.part_counts(again, today=day) == first
    with django_assert_num_queries(2):  # another day: the parts that depend on today may differ
        selectors.part_counts(notices, today=D(2027, 3, 2))
    services.step_record(
        notice=world.to_food_bank, by=world.vcs_member, kind="reply", text="Please think again.", today=D(2027, 2, 1)
    )
    with django_assert_num_queries(2):
        counts = {c.part: c for c in selectors.part_counts(notices, today=day)}
    assert counts["response"].pending == 1
    world.to_food_bank.delete()
    after = {c.part: c for c in selectors.part_counts(notices, today=day)}
    assert after["notice_length"].applies_to == counts["notice_length"].applies_to - 1


def test_part_counts_are_kept_through_a_publish_and_dropped_when_what_they_read_changes(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """A publish writes the status of two editions, which no notice's parts read: the national
    coordinator's counts (more than a second at national scale) are not worked out again. A change
    to what they read (the edition's minimum notice, the Compact's nation) still drops them."""
    from commitments import services as commitments_services

    notices = selectors.notices_visible_to(world.coordinator)
    day = D(2027, 3, 1)
    first = selectors.part_counts(notices, today=day)
    compact = world.to_food_bank.compact
    draft = commitments_services.edition_start_from_current(compact=compact, name="Refreshed", by=world.coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        commitments_services.edition_publish(edition=draft, by=world.coordinator, today=D(2027, 2, 1))
    compact.save(update_fields=["area"])
    with django_assert_num_queries(0):
        assert selectors.part_counts(notices, today=day) == first

    edition = world.to_food_bank.edition
    edition.funding_notice_min_months = 6
    edition.save(update_fields=["funding_notice_min_months"])
    with django_assert_num_queries(2):
        selectors.part_counts(notices, today=day)
    compact.nation = "wales"
    compact.save()
    with django_assert_num_queries(2):
        selectors.part_counts(notices, today=day)


def test_what_drops_the_kept_counts_names_every_field_a_notices_parts_read():
    """A field of the edition or Compact that the parts read (``_PART_FACTS``) but a save of it does
    not drop the counts would leave them wrong for up to ``PART_COUNTS_SECONDS``."""
    read = {"edition": set(), "compact": set()}
    for path in selectors._PART_FACTS.values():
        model, _, field = path.partition("__")
        if model in read and field:
            read[model].add(field)
    assert read["edition"] and read["compact"]
    for model, fields in read.items():
        assert fields <= selectors._COUNTED_FIELDS[model], model
