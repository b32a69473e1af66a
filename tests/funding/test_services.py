import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments.models import Edition
from funding import services
from funding.models import FundingNotice
from notifications.models import Notification, ReminderClaim
from notifications.reminders import reminders_sweep
from tests.commitments.factories import CompactFactory, EditionFactory
from tests.funding.factories import FundingNoticeFactory, organisation_of
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def answers(**overrides) -> dict:
    data = {
        "change": FundingNotice.Change.REDUCED,
        "description": "The lunch club grant.",
        "notice_given_on": D(2027, 1, 10),
        "effective_on": D(2027, 3, 4),
        "reasons": "The budget for grants was cut.",
        "impact_assessed": True,
        "impact_findings": "Forty older people lose a hot meal.",
        "discussed_before": False,
        "exceptional": False,
        "exceptional_reason": "",
    }
    data.update(overrides)
    return data


def record(edition, officer, vcs_member, **overrides) -> FundingNotice:
    return services.notice_create(
        issuer=organisation_of(officer),
        recipient=organisation_of(vcs_member),
        compact=edition.compact,
        by=officer,
        **answers(**overrides),
    )


def errors_of(excinfo) -> dict:
    return {name: [str(m) for m in messages] for name, messages in excinfo.value.message_dict.items()}


def test_a_notice_is_recorded_under_the_current_edition_by_the_officer(edition, officer, vcs_member):
    notice = record(edition, officer, vcs_member)
    notice.refresh_from_db()
    assert notice.edition == edition
    assert notice.compact == edition.compact
    assert notice.issuer.name == "Riverside Borough Council"
    assert notice.recipient.name == "Riverside Food Bank"
    assert notice.created_by == officer
    assert notice.impact_findings == "Forty older people lose a hot meal."


def test_a_later_edition_does_not_change_the_edition_a_notice_was_recorded_under(edition, officer, vcs_member):
    edition.funding_notice_min_months = 3
    edition.save()
    notice = record(edition, officer, vcs_member)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SUPERSEDED)
    EditionFactory(
        compact=edition.compact,
        status=Edition.Status.PUBLISHED,
        published_on=D(2027, 6, 1),
        funding_notice_min_months=1,
    )
    services.notice_update(notice=notice, by=officer, reasons="Corrected reasons.")
    notice.refresh_from_db()
    assert notice.edition == edition
    assert notice.reasons == "Corrected reasons."


def test_no_notice_is_recorded_under_a_compact_without_a_published_edition(officer, vcs_member):
    compact = CompactFactory(name="Draft Compact")
    EditionFactory(compact=compact)  # a draft only
    with pytest.raises(ValidationError) as excinfo:
        services.notice_create(
            issuer=organisation_of(officer),
            recipient=organisation_of(vcs_member),
            compact=compact,
            by=officer,
            **answers(),
        )
    assert errors_of(excinfo) == {
        "compact": ["Draft Compact has no published edition yet, so a notice cannot be recorded under it"]
    }
    assert not FundingNotice.objects.exists()


def test_notice_is_given_by_a_public_body_to_a_voluntary_organisation(edition, officer):
    group = OrganisationFactory(name="Riverside Food Bank")
    council = PublicBodyFactory(name="Hillside Council")
    with pytest.raises(ValidationError) as excinfo:
        services.notice_create(issuer=group, recipient=council, compact=edition.compact, by=officer, **answers())
    assert errors_of(excinfo) == {
        "issuer": ["Notice can only be recorded for a public body: Riverside Food Bank is not one"],
        "recipient": [
            "Notice can only be recorded to a voluntary or community organisation: Hillside Council is not one"
        ],
    }
    assert not FundingNotice.objects.exists()


def test_the_change_must_take_effect_after_notice_was_given(edition, officer, vcs_member):
    for effective in (D(2027, 1, 10), D(2027, 1, 9)):
        with pytest.raises(ValidationError) as excinfo:
            record(edition, officer, vcs_member, effective_on=effective)
        assert errors_of(excinfo) == {
            "effective_on": ["The date the change takes effect must be after the date notice was given"]
        }


def test_findings_and_exceptional_circumstances_need_words_when_claimed(edition, officer, vcs_member):
    with pytest.raises(ValidationError) as excinfo:
        record(edition, officer, vcs_member, impact_findings="  ", exceptional=True, exceptional_reason="\n")
    assert errors_of(excinfo) == {
        "impact_findings": ["Enter what the impact assessment found"],
        "exceptional_reason": ["Enter the exceptional circumstances"],
    }


def test_answers_that_no_longer_apply_are_not_kept(edition, officer, vcs_member):
    notice = record(
        edition,
        officer,
        vcs_member,
        impact_assessed=False,
        impact_findings="Left over from a first answer",
        exceptional=False,
        exceptional_reason="Left over too",
    )
    notice.refresh_from_db()
    assert (notice.impact_findings, notice.exceptional_reason) == ("", "")


def test_a_date_out_of_range_is_refused_by_the_service(edition, officer, vcs_member):
    limit_year = timezone.localdate().year + 11
    with pytest.raises(ValidationError) as refused:
        record(edition, officer, vcs_member, notice_given_on=D(1989, 5, 1), effective_on=D(9999, 12, 31))
    assert errors_of(refused) == {
        "notice_given_on": ["The date written notice was given must be on or after 1 January 1990"],
        "effective_on": [f"The date the change takes effect must be before 1 January {limit_year}"],
    }
    assert not FundingNotice.objects.exists()


def test_a_short_notice_is_recorded_as_it_was(edition, officer, vcs_member):
    """Too little notice is a fact: it is recorded, and the portal says it does not meet the Compact."""
    notice = record(edition, officer, vcs_member, notice_given_on=D(2027, 1, 10), effective_on=D(2027, 2, 21))
    assert FundingNotice.objects.filter(pk=notice.pk).exists()


def emailed() -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def test_recording_a_notice_tells_the_organisation_and_the_coordinators_at_once_and_only_once(
    edition, officer, vcs_member, coordinator, django_capture_on_commit_callbacks
):
    """Not at the next 07:00 sweep: as soon as it is saved, through the sweep's own claims."""
    with django_capture_on_commit_callbacks(execute=True):
        notice = record(edition, officer, vcs_member, effective_on=D(2027, 2, 1))  # three weeks' notice
    told = emailed()
    assert [to for to, _subject in told] == sorted([vcs_member.email, coordinator.email])
    assert {n.kind for n in Notification.objects.all()} == {"funding_notice_received", "funding_notice_non_compliant"}
    assert ReminderClaim.objects.filter(subject_key=f"funding:{notice.pk}", sent_at__isnull=False).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        result = reminders_sweep(today=timezone.localdate())
    assert result.sent == 0 and emailed() == told
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_update(notice=notice, by=officer, reasons="The budget for grants was cut again.")
    assert emailed() == told and Notification.objects.count() == 2


def test_a_notice_that_meets_the_compact_tells_only_the_organisation(
    edition, officer, vcs_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(edition, officer, vcs_member, notice_given_on=D(2027, 1, 10), effective_on=D(2027, 6, 1))
    assert [to for to, _subject in emailed()] == [vcs_member.email]


def test_nothing_is_sent_when_recording_fails(edition, officer, vcs_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        record(edition, officer, vcs_member, reasons="")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_update_changes_the_answers_and_checks_them(edition, officer, vcs_member):
    notice = FundingNoticeFactory(
        compact=edition.compact, edition=edition, issuer=organisation_of(officer), recipient=organisation_of(vcs_member)
    )
    services.notice_update(
        notice=notice,
        by=officer,
        **answers(effective_on=D(2027, 2, 1), exceptional=True, exceptional_reason="Our own grant was withdrawn."),
    )
    notice.refresh_from_db()
    assert notice.effective_on == D(2027, 2, 1)
    assert notice.exceptional_reason == "Our own grant was withdrawn."
    with pytest.raises(ValidationError):
        services.notice_update(notice=notice, by=officer, effective_on=D(2026, 12, 1))
    notice.refresh_from_db()
    assert notice.effective_on == D(2027, 2, 1)


def test_the_parties_and_the_edition_cannot_be_changed_by_an_update(edition, officer, vcs_member):
    notice = FundingNoticeFactory(compact=edition.compact, edition=edition)
    for field in ("issuer", "recipient", "compact", "edition"):
        with pytest.raises(TypeError):
            services.notice_update(notice=notice, by=officer, **{field: None})
