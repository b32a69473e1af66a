"""Writes about consultations: registering, responding, and publishing feedback."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from commitments.models import Edition
from consultations import services
from consultations.models import Consultation, FeedbackItem, PolicyArea, Response
from notifications.models import Notification
from tests.commitments.factories import CompactFactory, PublishedEditionFactory, build_edition
from tests.consultations.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ConsultationFactory,
    FeedbackItemFactory,
    ResponseFactory,
    upload,
)
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DURING = D(2027, 2, 1)
AFTER = D(2027, 4, 12)


@pytest.fixture
def council(officer):
    return officer.organisations.get()


@pytest.fixture
def food_bank(vcs_member):
    return vcs_member.organisations.get()


@pytest.fixture
def consultation(edition, council):
    return ConsultationFactory(edition=edition, organisation=council, title="Future of the Riverside library")


def fields(**overrides) -> dict:
    values = {
        "title": "Changes to day centres",
        "summary": "We propose to merge two day centres.",
        "policy_area": PolicyArea.ADULT_SOCIAL_CARE,
        "kind": Consultation.Kind.FORMAL,
        "early_notice_on": D(2026, 12, 1),
        "opens_on": D(2027, 1, 4),
        "closes_on": D(2027, 3, 28),
        "link": "https://www.example.gov.uk/day-centres",
        "contact_name": "Adult Services",
        "contact_email": "adults@example.gov.uk",
    }
    values.update(overrides)
    return values


# --- Registering ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on": D(9999, 12, 31)}, "closes_on", "The closing date must be before 1 January 2038"),
        ({"opens_on": D(1989, 12, 31)}, "opens_on", "The opening date must be on or after 1 January 1990"),
        ({"early_notice_on": D(1, 1, 1)}, "early_notice_on", "The date early notice was given must be on or after"),
    ],
)
def test_a_date_out_of_range_is_refused_by_the_service_too(edition, council, officer, overrides, field, message):
    with pytest.raises(services.ConsultationInvalid) as refused:
        services.consultation_create(
            organisation=council, compact=edition.compact, by=officer, today=DURING, **fields(**overrides)
        )
    assert refused.value.errors[field].startswith(message)
    assert not Consultation.objects.exists()


def test_a_far_future_closing_date_cannot_be_saved_by_a_change_either(consultation, coordinator):
    with pytest.raises(services.ConsultationInvalid) as refused:
        services.consultation_update(consultation=consultation, by=coordinator, today=DURING, closes_on=D(9999, 12, 31))
    assert refused.value.errors == {"closes_on": "The closing date must be before 1 January 2038"}
    consultation.refresh_from_db()
    assert consultation.closes_on == D(2027, 3, 28)


def test_a_consultation_keeps_the_edition_current_when_it_was_registered(compact, council, officer):
    first = PublishedEditionFactory(compact=compact, name="First")
    consultation = services.consultation_create(
        organisation=council, compact=compact, by=officer, today=D(2026, 12, 15), **fields()
    )
    assert consultation.edition == first and consultation.created_by == officer
    first.status = Edition.Status.SUPERSEDED
    first.save()
    second = PublishedEditionFactory(compact=compact, name="Second")
    consultation.refresh_from_db()
    assert consultation.edition == first
    later = services.consultation_create(
        organisation=council, compact=compact, by=officer, today=D(2026, 12, 15), **fields(title="Later")
    )
    assert later.edition == second


def test_registering_is_refused_without_a_current_edition(council, officer):
    compact = CompactFactory(name="Draft Compact")
    build_edition(compact=compact, status=Edition.Status.DRAFT)
    with pytest.raises(services.ConsultationError, match="Draft Compact has no current edition yet"):
        services.consultation_create(organisation=council, compact=compact, by=officer, today=DURING, **fields())
    assert not Consultation.objects.exists()


def test_only_a_public_body_registers(edition, food_bank, vcs_member):
    with pytest.raises(services.ConsultationError, match="Only a public body"):
        services.consultation_create(
            organisation=food_bank, compact=edition.compact, by=vcs_member, today=DURING, **fields()
        )


def test_the_service_keeps_the_rules_whoever_calls_it(edition, council, officer):
    """An admin action or a command gets the same checks as the form."""
    with pytest.raises(services.ConsultationInvalid) as caught:
        services.consultation_create(
            organisation=council,
            compact=edition.compact,
            by=officer,
            today=DURING,
            **fields(closes_on=D(2027, 2, 14), link=""),
        )
    assert set(caught.value.errors) == {"shorter_rationale", "link"}
    assert "6 weeks (42 days)" in caught.value.errors["shorter_rationale"]
    assert not Consultation.objects.exists()


def test_a_document_is_checked_and_renamed(edition, council, officer):
    consultation = services.consultation_create(
        organisation=council,
        compact=edition.compact,
        by=officer,
        today=DURING,
        document=upload("A very long name for a proposal that goes on and on and on and on and on.PDF", PDF_BYTES),
        **fields(link=""),
    )
    assert consultation.document.name.startswith("consultations/documents/a-very-long-name")
    assert consultation.document.name.endswith(".pdf") and len(consultation.document.name) <= 100
    with pytest.raises(services.ConsultationInvalid) as caught:
        services.consultation_create(
            organisation=council,
            compact=edition.compact,
            by=officer,
            today=DURING,
            document=upload("photo.pdf", PNG_BYTES),
            **fields(link=""),
        )
    assert "but it is a PNG file" in caught.value.errors["document"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on": D(2027, 1, 4)}, "closes_on", "The closing date must be after the opening date"),
        ({"early_notice_on": D(2027, 1, 5)}, "early_notice_on", "must be on or before the opening date"),
        ({"early_notice_on": D(2027, 1, 3)}, "early_notice_on", "must be today or in the past"),
        ({"link": "", "closes_on": D(2027, 5, 1)}, "link", "Give a link to the consultation"),
        (
            {"kind": Consultation.Kind.INFORMAL},
            "shorter_rationale",
            "This is an informal consultation, open for 12 weeks (84 days). The Compact asks for a formal written "
            "consultation of at least 12 weeks: explain why an informal approach was chosen.",
        ),
        (
            {"closes_on": D(2027, 3, 27)},
            "shorter_rationale",
            "This consultation is open for 11 weeks and 6 days (83 days). The Compact asks for at least 12 weeks",
        ),
    ],
)
def test_registration_problems(edition, overrides, field, message):
    values = fields(**overrides)
    problems = services.registration_problems(
        edition=edition,
        opens_on=values["opens_on"],
        closes_on=values["closes_on"],
        kind=values["kind"],
        rationale="",
        link=values["link"],
        has_document=False,
        early_notice_on=values["early_notice_on"],
        today=D(2027, 1, 2),
    )
    assert message in problems[field]


def test_twelve_weeks_formal_needs_no_reason(edition):
    values = fields()
    assert (
        services.registration_problems(
            edition=edition,
            opens_on=values["opens_on"],
            closes_on=values["closes_on"],
            kind=values["kind"],
            rationale="",
            link=values["link"],
            has_document=False,
            early_notice_on=None,
            today=DURING,
        )
        == {}
    )


# --- Changing -------------------------------------------------------------------------------------------------


def test_what_has_happened_cannot_be_rewritten_by_the_body(consultation, officer, coordinator):
    assert services.fixed_fields(consultation=consultation, by=officer, today=D(2026, 12, 20)) == set()
    assert services.fixed_fields(consultation=consultation, by=officer, today=DURING) == {
        "opens_on",
        "early_notice_on",
        "kind",
    }
    assert services.fixed_fields(consultation=consultation, by=officer, today=AFTER) == {
        "opens_on",
        "early_notice_on",
        "kind",
        "closes_on",
        "shorter_rationale",
    }
    assert services.fixed_fields(consultation=consultation, by=coordinator, today=AFTER) == set()
    with pytest.raises(services.ConsultationError, match="cannot be changed now"):
        services.consultation_update(consultation=consultation, by=officer, today=AFTER, closes_on=D(2027, 4, 30))
    updated = services.consultation_update(consultation=consultation, by=officer, today=AFTER, title="New title")
    assert updated.title == "New title"
    corrected = services.consultation_update(
        consultation=consultation, by=coordinator, today=AFTER, closes_on=D(2027, 4, 4)
    )
    assert corrected.closes_on == D(2027, 4, 4)


def test_a_closed_consultation_without_a_reason_can_still_be_retitled(edition, council, officer):
    """The missing reason is not the editor's to fix any more: the page shows it as not met."""
    short = ConsultationFactory(edition=edition, organisation=council, closes_on=D(2027, 2, 14))
    updated = services.consultation_update(consultation=short, by=officer, today=AFTER, title="Renamed")
    assert updated.title == "Renamed" and updated.shorter_rationale == ""


def test_a_change_is_checked_like_a_registration(consultation, officer):
    with pytest.raises(services.ConsultationInvalid) as caught:
        services.consultation_update(
            consultation=consultation, by=officer, today=D(2026, 12, 20), closes_on=D(2027, 2, 14)
        )
    assert "6 weeks (42 days)" in caught.value.errors["shorter_rationale"]


# --- Responses ------------------------------------------------------------------------------------------------


def test_a_response_is_recorded_once_per_organisation_and_the_body_is_told(
    consultation, food_bank, vcs_member, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, created = services.response_record(
            consultation=consultation, organisation=food_bank, by=vcs_member, summary="First.", today=DURING
        )
    assert created
    assert mail.outbox[-1].to == [officer.email]
    assert "has responded to" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        again, created = services.response_record(
            consultation=consultation,
            organisation=food_bank,
            by=vcs_member,
            summary="Second.",
            document=upload("ours.pdf"),
            today=AFTER,
        )
    assert not created and again.pk == response.pk
    assert Response.objects.get().summary == "Second."
    assert "has updated its response" in mail.outbox[-1].subject
    assert "this was recorded after the closing date" in mail.outbox[-1].body
    assert Notification.objects.filter(kind="consultation_response").count() == 2


def test_the_database_allows_one_response_per_organisation(consultation, food_bank):
    ResponseFactory(consultation=consultation, organisation=food_bank)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(consultation=consultation, organisation=food_bank, summary="Again")


def test_a_body_without_members_is_told_through_its_contact(
    edition, food_bank, vcs_member, django_capture_on_commit_callbacks
):
    body = PublicBodyFactory(name="Quiet Council", contact_email="contact@quiet.gov.uk", contact_name="Quiet")
    consultation = ConsultationFactory(edition=edition, organisation=body)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_record(
            consultation=consultation, organisation=food_bank, by=vcs_member, summary="Ours.", today=DURING
        )
    assert mail.outbox[-1].to == ["contact@quiet.gov.uk"]


@pytest.mark.parametrize(
    ("day", "published", "message"),
    [
        (D(2027, 1, 3), None, "opens on 4 January 2027"),
        (AFTER, AFTER, "responses can no longer be recorded"),
    ],
)
def test_responses_are_refused_before_opening_and_after_feedback(
    consultation, food_bank, vcs_member, day, published, message
):
    consultation.feedback_published_on = published
    consultation.save()
    with pytest.raises(services.ConsultationError, match=message):
        services.response_record(
            consultation=consultation, organisation=food_bank, by=vcs_member, summary="Ours.", today=day
        )
    assert not Response.objects.exists()


def test_a_public_body_does_not_record_a_response(consultation, council, officer):
    with pytest.raises(services.ConsultationError, match="Only voluntary and community organisations"):
        services.response_record(consultation=consultation, organisation=council, by=officer, summary="x", today=DURING)


# --- Feedback ---------------------------------------------------------------------------------------------------


def test_themes_are_added_in_order(consultation, officer):
    first = services.feedback_item_add(consultation=consultation, by=officer, theme="A", you_said="a", we_did="a")
    second = services.feedback_item_add(consultation=consultation, by=officer, theme="B", you_said="b", we_did="b")
    assert second.position > first.position
    assert [item.theme for item in consultation.feedback_items.all()] == ["A", "B"]


def test_feedback_is_published_after_closing_with_content_and_respondents_are_told(
    consultation, officer, food_bank, vcs_member, django_capture_on_commit_callbacks
):
    other_member = MembershipFactory(organisation=food_bank).user
    larder = OrganisationFactory(name="Larder", contact_email="larder@example.org")  # no members: its contact
    ResponseFactory(consultation=consultation, organisation=food_bank)
    ResponseFactory(consultation=consultation, organisation=larder)
    with pytest.raises(services.ConsultationError, match="Feedback can be published once it has closed"):
        services.feedback_publish(consultation=consultation, by=officer, today=D(2027, 3, 28))
    with pytest.raises(services.ConsultationError, match="Add at least one theme"):
        services.feedback_publish(consultation=consultation, by=officer, today=AFTER)
    FeedbackItemFactory(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.feedback_publish(consultation=consultation, by=officer, today=D(2027, 3, 29))
    assert published.feedback_published_on == D(2027, 3, 29)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [vcs_member.email, other_member.email, "larder@example.org"]
    )
    assert set(Notification.objects.values_list("kind", flat=True)) == {"consultation_feedback_published"}
    with pytest.raises(services.ConsultationError, match="already published"):
        services.feedback_publish(consultation=consultation, by=officer, today=AFTER)


def test_a_summary_alone_is_enough_to_publish(consultation, officer):
    services.feedback_summary_update(consultation=consultation, by=officer, summary="Nobody asked for changes.")
    published = services.feedback_publish(consultation=consultation, by=officer, today=AFTER)
    assert published.feedback_published_on == AFTER


def test_published_feedback_cannot_be_emptied(consultation, officer):
    item = FeedbackItemFactory(consultation=consultation)
    services.feedback_publish(consultation=consultation, by=officer, today=AFTER)
    with pytest.raises(services.ConsultationError, match="keep at least one theme"):
        services.feedback_item_delete(item=item, by=officer)
    services.feedback_summary_update(consultation=consultation, by=officer, summary="Overall, we changed a lot.")
    services.feedback_item_delete(item=item, by=officer)
    assert not FeedbackItem.objects.exists()
    with pytest.raises(services.ConsultationInvalid):
        services.feedback_summary_update(consultation=consultation, by=officer, summary="  ")
