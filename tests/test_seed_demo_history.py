"""seed_demo's history (demo/history.py, demo/compacts.py): two financial years of the demo Compact
and three smaller Compacts, so that the measures, the annual review and the national view have
something to say. The figures below are what the measures page shows for the demo."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from commitments.models import Compact, Edition
from commitments.rules import DIRECTORY_ACTIVE, DIRECTORY_LAPSED, DIRECTORY_REFRESH_DUE
from consultations.models import Consultation
from disputes.models import Case
from funding.models import FundingNotice
from monitoring import indicators
from national import selectors as national_selectors
from signatories.models import Organisation, Signature

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)  # the demo's "today" (the history is in fixed dates before it)


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    started = time.monotonic()
    call_command("seed_demo")
    seconds = time.monotonic() - started
    call_command("seed_demo")  # every `make run` runs it again
    return seconds


def _figures(slug: str, year: int) -> dict[str, str]:
    compact = Compact.objects.get(slug=slug)
    values = indicators._compute([compact], year, TODAY)[compact.pk]
    return {value.indicator.key: value.display() for value in values}


def test_the_demo_compact_has_figures_for_last_year_and_this_year(seeded):
    last, this = _figures("example-borough", 2025), _figures("example-borough", 2026)
    # Consultations: some short without a reason, some without early notice, feedback late
    assert last["consultation_length"] == "60%" and this["consultation_length"] == "83%"
    assert last["early_notice"] == "60%"
    assert last["feedback_on_time"] == "60%"
    # Funding notices: one short last year (and one claiming exceptional circumstances), two this year
    assert last["funding_notice"] == "75%" and this["funding_notice"] == "33%"
    # Concerns: six closed last year, three of them beyond a stage limit; three this year, all within
    assert last["concerns_in_time"] == "50%" and this["concerns_in_time"] == "100%"
    assert last["concern_days"] != "Fewer than 3" and this["concern_days"] != "Fewer than 3"
    # Sign-ups: the refreshed edition of April 2026, re-affirmed by most; champions named
    assert this["reaffirmation"] == "62%"
    assert last["statutory_coverage"] == "80%"
    assert this["champions"] not in ("0%", "No data")


def test_sign_ups_are_spread_over_the_months_of_both_years(seeded):
    compact = Compact.objects.get(slug="example-borough")
    signed = Signature.objects.filter(edition__compact=compact, status=Signature.Status.SIGNED)
    days = list(signed.values_list("signed_on", flat=True))
    for year in (2025, 2026):
        start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 4, 1)
        assert len({day.month for day in days if start <= day < end}) >= 5


def test_closed_concerns_have_lessons_that_name_nobody(seeded):
    closed = Case.objects.filter(compact__slug="example-borough", stage=Case.Stage.CLOSED)
    assert closed.count() == 9
    names = [name.lower() for name in Organisation.objects.values_list("name", flat=True)]
    for case in closed:
        assert case.lessons_learned
        assert not any(name in case.lessons_learned.lower() for name in names)
        # its history has a row for each stage, dated when the stage began, with its due date
        changes = list(case.stage_changes.all())
        assert changes[0].at.date() == case.created_at.date() and changes[-1].new_stage == Case.Stage.CLOSED
    assert closed.filter(withhold_name=True).exists()
    assert Case.objects.filter(compact__slug="example-borough").exclude(stage=Case.Stage.CLOSED).count() == 1


def test_the_national_directory_has_an_active_a_refresh_due_and_a_lapsed_compact(seeded):
    rows = {row.compact.slug: row for row in national_selectors.directory_rows(today=TODAY)}
    assert rows["example-borough"].status == DIRECTORY_ACTIVE
    assert rows["example-valley"].status == DIRECTORY_ACTIVE
    assert rows["example-coast"].status == DIRECTORY_REFRESH_DUE
    assert rows["example-moor"].status == DIRECTORY_LAPSED
    for row in rows.values():
        assert row.compact.ons_code and row.compact.contact_email and row.signatories
    assert Compact.objects.get(slug="example-valley").welsh_first


def test_a_second_run_adds_nothing_and_the_seed_stays_quick(seeded):
    counts = (Compact.objects.count(), Edition.objects.count(), Signature.objects.count())
    more = (Consultation.objects.count(), FundingNotice.objects.count(), Case.objects.count())
    call_command("seed_demo")
    assert (Compact.objects.count(), Edition.objects.count(), Signature.objects.count()) == counts
    assert (Consultation.objects.count(), FundingNotice.objects.count(), Case.objects.count()) == more
    assert seeded < 10


def test_the_demo_plan_has_an_action_in_each_strand_with_a_target_an_overdue_a_done_and_a_dropped_one(seeded):
    from actionplans import selectors as plan_selectors
    from actionplans.models import Action, Evidence

    compact = Compact.objects.get(slug="example-borough")
    rows = plan_selectors.plan(compact, today=TODAY)
    assert all(row.actions for row in rows) and len(rows) == 4
    actions = [row for strand in rows for row in strand.actions]
    target = next(row for row in actions if row.action.target_kind == Action.Target.VCS_SIGNATORIES)
    assert (target.progress.done, target.progress.total) == (2, 10)  # two groups new since April
    assert any(row.overdue for row in actions)
    assert {row.action.status for row in actions} == set(Action.Status.values)
    dropped = next(row.action for row in actions if row.action.status == Action.Status.DROPPED)
    assert dropped.dropped_reason
    assert all(row.action.title_cy for row in actions)
    accepted = Evidence.objects.filter(compact=compact, status=Evidence.Status.ACCEPTED)
    assert set(accepted.values_list("year", flat=True)) == {2025, 2026}


def test_the_annual_review_of_last_year_has_the_lessons_and_no_complainant(seeded, client):
    response = client.get("/compacts/example-borough/annual-review/?year=2025")
    assert response.status_code == 200
    page = response.content.decode()
    closed = Case.objects.filter(compact__slug="example-borough", closed_on__lt=datetime.date(2026, 4, 1))
    for lessons in closed.values_list("lessons_learned", flat=True):
        assert lessons.replace("'", "&#x27;") in page
    assert "Canal Side Youth Project" not in page  # asked that its name be withheld
    assert "Consultations long enough" in page


def test_the_demo_notice_to_the_larder_has_its_reply_and_a_meeting_asked_for(seeded):
    from funding.models import NoticeStep

    notice = FundingNotice.objects.filter(recipient__name__icontains="larder", steps__isnull=False).distinct().get()
    assert list(notice.steps.values_list("kind", "side")) == [("reply", "recipient"), ("meeting", "recipient")]
    assert NoticeStep.objects.count() == 2  # a second run adds none


def test_the_demo_coordinator_has_a_reviewed_flag_and_one_to_review_that_the_public_sees_only_as_a_count(
    seeded, client
):
    from disputes.models import GuardFlag
    from notifications.models import Notification

    flags = GuardFlag.objects.filter(compact__slug="example-borough").order_by("raised_on")
    assert flags.count() == 2  # a second run adds none
    reviewed, waiting = flags
    assert reviewed.funding_notice.recipient.name == "Canal Side Youth Project"
    assert reviewed.review == GuardFlag.Review.NO_LINK and reviewed.reviewed_by.username == "coordinator"
    assert waiting.alert_stop.organisation.name == "Borough Deaf Club" and waiting.review == ""
    for flag in flags:  # each ties the act to a real concern of the organisation against the council
        case = flag.cases.get()
        assert (case.complainant, case.respondent) == (flag.organisation, flag.body)
    told = Notification.objects.filter(kind="guard_flag_raised", recipient__username="coordinator")
    assert told.count() == 1 and waiting.get_absolute_url() in told.get().link
    # The public sees only "fewer than 3", and no name.
    figures = client.get(reverse("disputes:figures", kwargs={"slug": "example-borough"})).content.decode()
    assert figures.split('id="figure-flagged">', 1)[1].split("<", 1)[0] == "fewer than 3"
    assert "Canal Side Youth Project" not in figures and "Borough Deaf Club" not in figures
