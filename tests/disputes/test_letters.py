"""The formal written challenge: asked for on the case, rendered as a PDF by the worker, filed on the
timeline, downloaded again by either side (disputes.letters, disputes.views.letters)."""

import datetime
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from compact_portal import documents
from compact_portal.tasks import requeue_lost_documents
from disputes import letters
from disputes.models import Case, ChallengeLetter, TimelineEntry
from tests.conftest import require_executable

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 4)


@pytest.fixture
def case(edition, officer, vcs_member) -> Case:
    complainant = vcs_member.memberships.get().organisation
    respondent = officer.memberships.get().organisation
    case = Case.objects.create(
        compact=edition.compact,
        edition=edition,
        complainant=complainant,
        respondent=respondent,
        summary="Our grant was cut with two weeks' notice",
        what_happened="The council ended the lunch club grant by email, giving two weeks' notice.",
        happened_on=datetime.date(2027, 1, 11),
        outcome_sought="Restore the grant until three months' notice has been given.",
        stage=Case.Stage.FORMAL,
        stage_started_on=datetime.date(2027, 2, 1),
        stage_due_on=DUE,
        raised_by=vcs_member,
    )
    case.undertakings.set(edition.undertakings.filter(number__in=["1.1", "2.2"]))
    return case


def pdf_text(letter: ChallengeLetter) -> str:
    pdftotext = require_executable("pdftotext")
    with letter.file.open("rb") as stored:
        data = stored.read()
    result = subprocess.run([pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())  # one line: quoted text may wrap


def post_letter(client, case, *, due=DUE, to="Director of Adult Services"):
    return client.post(
        reverse("disputes:letter_new", kwargs={"pk": case.pk}),
        {
            "addressed_to": to,
            "response_due_on_0": str(due.day),
            "response_due_on_1": str(due.month),
            "response_due_on_2": str(due.year),
        },
    )


@pytest.fixture
def request_letter(client, django_capture_on_commit_callbacks):
    def run(case, user) -> ChallengeLetter:
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_letter(client, case)
        assert response.status_code == 303
        letter = case.letters.get()
        assert response["Location"] == reverse(
            "disputes:letter_progress", kwargs={"pk": case.pk, "letter_pk": letter.pk}
        )
        letter.refresh_from_db()
        return letter

    return run


def test_the_letter_quotes_each_undertaking_in_full_and_asks_for_a_reply_by_the_date(case, vcs_member, request_letter):
    letter = request_letter(case, vcs_member)

    assert letter.status == ChallengeLetter.Status.READY, letter.error
    assert letter.file.name == f"disputes/letters/C-{case.pk:05d}-1.pdf"
    assert case.undertakings.count() == 2
    text = pdf_text(letter)
    for undertaking in case.undertakings.all():
        assert undertaking.number in text
        assert undertaking.text in text
    assert "Please reply by 4 March 2027" in text
    assert "investigate" in text
    assert "Director of Adult Services" in text
    assert "Riverside Borough Council" in text
    assert "Riverside Food Bank" in text  # the name is not withheld
    assert "Formal written challenge under Riverside Compact (First edition)" in text
    assert case.what_happened in text
    assert case.outcome_sought in text


def test_a_withheld_complainant_is_named_nowhere_in_the_letter(case, vcs_member, request_letter):
    case.withhold_name = True
    case.save()
    letter = request_letter(case, vcs_member)

    text = pdf_text(letter)
    assert "Riverside Food Bank" not in text
    assert vcs_member.get_full_name() not in text
    assert vcs_member.last_name not in text
    assert "through the Compact coordinator" in text
    assert "Please reply by 4 March 2027" in text


def test_the_letter_greets_the_decision_maker_by_role_gives_a_reply_address_and_dates_once(
    case, vcs_member, request_letter, settings
):
    settings.PORTAL_CONTACT_EMAIL = "compact@riverside.example"
    case.what_happened = "On 11 January 2027 the council ended the lunch club grant by email."
    case.save()
    text = pdf_text(request_letter(case, vcs_member))
    assert "Dear Director of Adult Services," in text
    assert "Dear decision maker" not in text
    assert text.count("11 January 2027") == 1  # "On 11 January 2027:" is not added in front
    assert "Where to send your reply" in text
    assert "The Compact coordinator, Riverside Compact" in text
    assert "compact@riverside.example" in text
    assert f"/concerns/{case.pk}/" in text


def test_the_date_line_is_kept_when_what_happened_does_not_say_it(case, vcs_member, request_letter):
    text = pdf_text(request_letter(case, vcs_member))
    assert "On 11 January 2027:" in text
    assert text.count("11 January 2027") == 1


def test_a_withheld_complainants_letter_reaches_the_council_once_the_coordinator_approves_it(
    case, vcs_member, officer, coordinator, client, request_letter, django_capture_on_commit_callbacks
):
    case.withhold_name = True
    case.save()
    letter = request_letter(case, vcs_member)
    text = pdf_text(letter)
    assert "The Compact coordinator" in text  # signed by the coordinator's role
    entry = letter.timeline_entry
    assert entry.check_status == "pending"
    download = reverse("disputes:letter_download", kwargs={"pk": case.pk, "letter_pk": letter.pk})
    progress = reverse("disputes:letter_progress", kwargs={"pk": case.pk, "letter_pk": letter.pk})
    client.force_login(officer)
    assert client.get(download).status_code == 404
    assert client.get(progress).status_code == 404
    assert "Formal written challenge sent" not in client.get(case.get_absolute_url()).content.decode()

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("disputes:entry_check", kwargs={"pk": case.pk, "entry_pk": entry.pk}), {"decision": "release"}
        )
    assert response.status_code == 302
    client.force_login(officer)
    response = client.get(download)
    assert response.status_code == 200
    assert f'filename="C-{case.pk:05d}-1.pdf"' in response["Content-Disposition"]


def test_the_letter_is_filed_on_the_timeline_for_both_sides(case, vcs_member, officer, client, request_letter):
    letter = request_letter(case, vcs_member)

    entry = letter.timeline_entry
    assert entry is not None
    assert entry.kind == TimelineEntry.Kind.LETTER
    assert entry.visibility == TimelineEntry.Visibility.SHARED
    assert entry.author == vcs_member
    assert entry.file.name == letter.file.name
    assert entry.file_name == f"C-{case.pk:05d}-1.pdf"
    assert entry.text.startswith("Formal written challenge sent to Director of Adult Services")

    client.force_login(officer)  # the respondent downloads it again
    response = client.get(reverse("disputes:letter_download", kwargs={"pk": case.pk, "letter_pk": letter.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_coordinator_may_request_it_too(case, coordinator, request_letter):
    letter = request_letter(case, coordinator)
    assert letter.status == ChallengeLetter.Status.READY
    assert letter.requested_by == coordinator


def test_the_form_offers_the_stage_due_date(case, vcs_member, client):
    client.force_login(vcs_member)
    response = client.get(reverse("disputes:letter_new", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="4"' in content and 'value="3"' in content and 'value="2027"' in content


def test_the_respondent_may_not_request_it_and_an_outsider_is_told_nothing(case, officer, stranger, client):
    client.force_login(officer)
    assert client.get(reverse("disputes:letter_new", kwargs={"pk": case.pk})).status_code == 403
    assert post_letter(client, case).status_code == 403
    client.force_login(stranger)
    assert client.get(reverse("disputes:letter_new", kwargs={"pk": case.pk})).status_code == 404
    assert post_letter(client, case).status_code == 404
    assert not ChallengeLetter.objects.exists()


def test_only_in_the_formal_stage(case, vcs_member, client):
    case.stage = Case.Stage.INFORMAL
    case.save()
    client.force_login(vcs_member)
    assert client.get(reverse("disputes:letter_new", kwargs={"pk": case.pk})).status_code == 403


def test_an_outsider_cannot_download_it(case, vcs_member, stranger, client, request_letter):
    letter = request_letter(case, vcs_member)
    client.force_login(stranger)
    url = reverse("disputes:letter_download", kwargs={"pk": case.pk, "letter_pk": letter.pk})
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_a_missing_date_is_reported(case, vcs_member, client):
    client.force_login(vcs_member)
    response = client.post(reverse("disputes:letter_new", kwargs={"pk": case.pk}), {"addressed_to": "Director"})
    assert response.status_code == 200
    assert "Enter the date a reply is due" in response.content.decode()
    assert not ChallengeLetter.objects.exists()


def test_the_progress_page_waits_then_offers_the_download(case, vcs_member, client, django_capture_on_commit_callbacks):
    client.force_login(vcs_member)
    post_letter(client, case)  # on_commit not run: the letter stays pending
    letter = case.letters.get()
    url = reverse("disputes:letter_progress", kwargs={"pk": case.pk, "letter_pk": letter.pk})

    page = client.get(url).content.decode()
    assert 'data-module="app-pdf-progress"' in page
    assert f'data-status-url="{url}?format=json"' in page
    assert 'http-equiv="refresh"' not in page
    assert client.get(url, {"format": "json"}).json() == {"status": "pending"}

    letters.letter_render(letter_id=letter.pk)
    assert client.get(url, {"format": "json"}).json() == {"status": "ready"}
    assert "Your letter is ready" in client.get(url).content.decode()


def test_a_failed_render_is_recorded_and_can_be_tried_again(
    case, vcs_member, client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html, **kwargs):
        raise RuntimeError("renderer fell over")

    monkeypatch.setattr(documents, "render_pdf", broken)
    client.force_login(vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        post_letter(client, case)
    letter = case.letters.get()
    assert letter.status == ChallengeLetter.Status.FAILED
    assert "renderer fell over" in letter.error
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.LETTER).exists()
    url = reverse("disputes:letter_progress", kwargs={"pk": case.pk, "letter_pk": letter.pk})
    assert "Try again" in client.get(url).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 303
    letter.refresh_from_db()
    assert letter.status == ChallengeLetter.Status.READY
    assert default_storage.exists(letter.file.name)
    assert letter.timeline_entry is not None


def test_a_letter_whose_task_was_lost_is_queued_again_when_its_page_is_asked_for(
    case, vcs_member, client, django_capture_on_commit_callbacks
):
    client.force_login(vcs_member)
    post_letter(client, case)  # on_commit not run: the task is lost
    letter = case.letters.get()
    url = reverse("disputes:letter_progress", kwargs={"pk": case.pk, "letter_pk": letter.pk})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get(url, {"format": "json"}).json() == {"status": "pending"}
    assert callbacks == []  # still fresh: a worker may be on it

    ChallengeLetter.objects.filter(pk=letter.pk).update(
        requested_at=timezone.now() - letters.LETTER_PDF.lost_after - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert "Preparing the letter" in client.get(url).content.decode()
    assert len(callbacks) == 1

    letter.refresh_from_db()
    assert letter.status == ChallengeLetter.Status.READY
    assert "Your letter is ready" in client.get(url).content.decode()
    assert "Director of Adult Services" in pdf_text(letter)
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.LETTER, letter=letter).count() == 1


def test_a_letter_whose_task_was_lost_is_made_by_the_beat_sweep_though_nobody_looks(
    case, vcs_member, client, django_capture_on_commit_callbacks
):
    client.force_login(vcs_member)
    post_letter(client, case)  # on_commit not run: the task is lost
    letter = case.letters.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_documents() == 0  # not lost yet

    ChallengeLetter.objects.filter(pk=letter.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_lost_documents() == 1

    letter.refresh_from_db()
    assert letter.status == ChallengeLetter.Status.READY
    assert letter.attempts == 1
    assert default_storage.exists(letter.file.name)
    assert letter.timeline_entry is not None
