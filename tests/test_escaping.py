"""Text with HTML and script in it is shown as text: in pages, emails, PDFs, CSV and calendars.

Every free-text field a user writes and the portal shows back gets ``PAYLOAD``. Pages must show
it escaped (never a live ``<script>`` or a ``<b>`` element made from it); plain-text emails must
read it exactly as typed (no ``&amp;``), in a one-line subject; the PDFs print it literally; the
CSV download cannot start a formula; the calendar feeds escape it.
"""

import csv
import datetime
import io
import subprocess

import lxml.html
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from commitments import pdf
from compact_portal import documents
from consultations import services as consultation_services
from disputes import letters
from disputes import services as dispute_services
from disputes.models import ChallengeLetter, TimelineEntry
from funding import reminders as funding_reminders
from notifications.models import Notification
from notifications.reminders import reminders_sweep
from signatories import services as signatory_services
from signatories.models import Signature
from tests.conftest import require_executable
from tests.fuzz.world import CASE_TODAY, CONSULTATION_TODAY, build_fuzz_world

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><b>bold</b> & "quotes"'
ESCAPED = "&lt;script&gt;alert("
RAW = "<script>alert"


def assert_shown_as_text(response, *, times: int = 1) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert RAW not in page
    assert page.count(ESCAPED) >= times, "the text should be on the page, escaped"
    document = lxml.html.fromstring(page)
    assert not [b for b in document.iter("b") if b.text_content() == "bold"], "a <b> element was made from text"
    assert not [s for s in document.iter("script") if "alert(" in s.text_content()]
    assert PAYLOAD in document.text_content()


@pytest.fixture
def world(compact, edition, coordinator, officer, vcs_member, monkeypatch):
    monkeypatch.setattr("consultations.views.today", lambda: CONSULTATION_TODAY)
    monkeypatch.setattr("disputes.views.cases.today", lambda: CASE_TODAY)
    return build_fuzz_world(
        compact=compact, edition=edition, coordinator=coordinator, officer=officer, vcs_member=vcs_member
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- (a) pages ------------------------------------------------------------------------------------


def test_organisation_and_people_names_are_text_on_every_page(world):
    food_bank = world.food_bank
    food_bank.name = "Food bank " + PAYLOAD
    food_bank.address = PAYLOAD
    food_bank.save()
    world.colleague.first_name = PAYLOAD[:150]
    world.colleague.save()
    world.council.name = "Council " + PAYLOAD
    world.council.save()
    world.signed.signatory_name = PAYLOAD
    world.signed.signatory_role = PAYLOAD
    world.signed.save()
    member = client_for(world.vcs_member)
    pk = food_bank.pk
    assert_shown_as_text(member.get(reverse("signatories:organisation_detail", kwargs={"pk": pk})), times=2)
    assert_shown_as_text(member.get(reverse("signatories:organisation_edit", kwargs={"pk": pk})))
    assert_shown_as_text(member.get(reverse("signatories:champion", kwargs={"pk": pk})), times=2)
    assert_shown_as_text(
        member.get(
            reverse("signatories:membership_role", kwargs={"pk": pk, "membership_pk": world.colleague_membership.pk})
        ),
        times=2,
    )
    assert_shown_as_text(member.get(reverse("signatories:sign_up", kwargs={"slug": world.compact.slug})))
    assert_shown_as_text(
        member.get(reverse("signatories:sign_up", kwargs={"slug": world.compact.slug}) + f"?organisation={pk}")
    )
    public = client_for(None)
    assert_shown_as_text(public.get(reverse("signatories:register", kwargs={"slug": world.compact.slug})))
    assert_shown_as_text(client_for(world.officer).get(world.signed.get_absolute_url()), times=2)
    assert_shown_as_text(public.get(reverse("signatories:invitation_accept", kwargs={"token": world.invitation_token})))


def test_consultation_response_and_feedback_text_is_text(world):
    consultation = world.closed_consultation
    consultation.title = PAYLOAD
    consultation.summary = PAYLOAD
    consultation.feedback_summary = PAYLOAD
    consultation.save()
    item = world.feedback_item
    item.theme, item.you_said, item.we_did = PAYLOAD, PAYLOAD, PAYLOAD
    item.save()
    world.food_bank.name = "Food bank " + PAYLOAD
    world.food_bank.save()
    consultation.responses.create(organisation=world.food_bank, summary=PAYLOAD)
    officer, public = client_for(world.officer), client_for(None)
    pk = consultation.pk
    assert_shown_as_text(officer.get(reverse("consultations:detail", kwargs={"pk": pk})), times=5)
    assert_shown_as_text(officer.get(reverse("consultations:feedback", kwargs={"pk": pk})), times=3)
    assert_shown_as_text(officer.get(reverse("consultations:edit", kwargs={"pk": pk})), times=2)
    assert_shown_as_text(public.get(reverse("consultations:list") + "?status=awaiting_feedback"))
    consultation.feedback_published_on = CONSULTATION_TODAY
    consultation.save()
    assert_shown_as_text(public.get(reverse("consultations:detail", kwargs={"pk": pk})), times=4)


def test_funding_notice_text_is_text(world):
    notice = world.notice
    notice.description = notice.reasons = notice.impact_findings = PAYLOAD
    notice.save()
    world.food_bank.name = "Food bank " + PAYLOAD  # the list shows who received notice
    world.food_bank.save()
    for user in (world.officer, world.vcs_member):
        client = client_for(user)
        assert_shown_as_text(client.get(notice.get_absolute_url()), times=3)
        assert_shown_as_text(client.get(reverse("funding:list")))
    assert_shown_as_text(client_for(world.officer).get(reverse("funding:edit", kwargs={"pk": notice.pk})), times=3)


def test_concern_and_timeline_text_is_text(world):
    case = world.informal_case
    case.summary = PAYLOAD[:200]
    case.what_happened = case.outcome_sought = PAYLOAD
    case.save()
    dispute_services.timeline_add(case=case, by=world.vcs_member, kind=TimelineEntry.Kind.NOTE, text=PAYLOAD)
    for user in (world.vcs_member, world.officer, world.coordinator):
        client = client_for(user)
        assert_shown_as_text(client.get(case.get_absolute_url()), times=4)
        assert_shown_as_text(client.get(reverse("disputes:list")))


def test_undertaking_text_imported_from_a_file_is_text(world):
    from tests.conftest import ROOT

    text = (ROOT / "tests" / "fixtures" / "sample_compact.txt").read_text(encoding="utf-8")
    text = text.replace("1.3 Fund a small advice service", f"1.3 {PAYLOAD} Fund a small advice service")
    client = client_for(world.coordinator)
    slug = world.compact.slug
    upload = io.BytesIO(text.encode())
    upload.name = "compact.txt"
    response = client.post(
        reverse("commitments:import_upload", kwargs={"slug": slug}), {"name": PAYLOAD, "text_file": upload}
    )
    assert response.status_code == 302
    assert_shown_as_text(client.get(reverse("commitments:import_preview", kwargs={"slug": slug})), times=2)
    response = client.post(reverse("commitments:import_preview", kwargs={"slug": slug}))
    assert response.status_code == 302
    assert_shown_as_text(client.get(response["Location"]), times=2)


def test_edition_text_is_text_on_the_public_pages(world):
    edition = world.edition
    edition.introduction = edition.making_it_work = PAYLOAD
    edition.save()
    undertaking = edition.undertakings.first()
    undertaking.text = PAYLOAD
    undertaking.save()
    edition.principles.update(title=PAYLOAD)
    response = client_for(None).get(reverse("commitments:compact_detail", kwargs={"slug": world.compact.slug}))
    assert_shown_as_text(response, times=3)


# --- (b) emails -----------------------------------------------------------------------------------


def assert_plain_email(message, *, in_subject: bool = False) -> None:
    assert "\n" not in message.subject and "\r" not in message.subject
    assert PAYLOAD in message.body, message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body and "&quot;" not in message.body
    if in_subject:
        assert PAYLOAD in message.subject
    assert "&amp;" not in message.subject
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            assert RAW not in content and ESCAPED in content
    message.message().as_bytes()  # the headers can be written


def test_emails_about_a_response_read_the_text_as_typed(world, django_capture_on_commit_callbacks):
    world.food_bank.name = PAYLOAD
    world.food_bank.save()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.response_record(
            consultation=world.open_consultation,
            organisation=world.food_bank,
            by=world.vcs_member,
            summary=PAYLOAD,
            today=CONSULTATION_TODAY,
        )
    assert mail.outbox
    for message in mail.outbox:
        assert_plain_email(message, in_subject=True)
    notification = Notification.objects.filter(recipient=world.officer).latest("pk")
    assert PAYLOAD in notification.subject and PAYLOAD in notification.body
    assert_shown_as_text(client_for(world.officer).get(reverse("notifications:list")), times=2)


def test_emails_about_a_concern_read_the_text_as_typed(world, django_capture_on_commit_callbacks):
    world.food_bank.name = PAYLOAD
    world.food_bank.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = dispute_services.case_open(
            complainant=world.food_bank,
            respondent=world.council,
            edition=world.edition,
            undertakings=list(world.edition.undertakings.all()[:1]),
            by=world.vcs_member,
            summary=PAYLOAD,
            what_happened=PAYLOAD,
            happened_on=datetime.date(2026, 5, 1),
            outcome_sought=PAYLOAD,
            today=CASE_TODAY,
        )
    assert mail.outbox
    for message in mail.outbox:
        assert_plain_email(message)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dispute_services.timeline_add(case=case, by=world.officer, kind=TimelineEntry.Kind.NOTE, text=PAYLOAD)
    assert mail.outbox
    for message in mail.outbox:
        assert_plain_email(message)


def test_sign_up_invitation_and_password_emails_read_names_as_typed(world, django_capture_on_commit_callbacks):
    world.food_bank.name = PAYLOAD
    world.food_bank.save()
    world.vcs_member.first_name = PAYLOAD
    world.vcs_member.save()
    with django_capture_on_commit_callbacks(execute=True):
        signatory_services.signature_apply(
            organisation=world.food_bank,
            edition=world.edition,
            by=world.vcs_member,
            signatory_name=PAYLOAD,
            signatory_role=PAYLOAD,
            signed_on=datetime.date(2026, 5, 1),
        )
        signatory_services.invitation_send(
            organisation=world.food_bank, email="friend@example.org", role="member", by=world.vcs_member
        )
    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        assert_plain_email(message)
    mail.outbox.clear()
    response = client_for(None).post(reverse("accounts:password_reset"), {"email": world.vcs_member.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_plain_email(message)


def test_a_funding_reminder_reads_the_names_as_typed(world, django_capture_on_commit_callbacks):
    world.council.name = PAYLOAD
    world.council.save()
    with django_capture_on_commit_callbacks(execute=True):
        # "Notice received", on the day it was recorded. Only the funding reminders: on some days a
        # consultation of the same council has one due too (its name is in the text, not the subject).
        reminders_sweep(today=timezone.localdate(world.notice.created_at), sources=[funding_reminders.due_reminders])
    sent = [m for m in mail.outbox if PAYLOAD in m.body]
    assert sent, [m.subject for m in mail.outbox]
    for message in sent:
        assert_plain_email(message, in_subject=True)


@pytest.mark.parametrize("breaker", ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_line_break_in_a_name_cannot_add_an_email_header(world, breaker, django_capture_on_commit_callbacks):
    world.food_bank.name = f"Food bank{breaker}Bcc: victim@example.org"
    world.food_bank.save()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_services.response_record(
            consultation=world.open_consultation,
            organisation=world.food_bank,
            by=world.vcs_member,
            summary="We agree.",
            today=CONSULTATION_TODAY,
        )
    assert mail.outbox
    for message in mail.outbox:
        # The subject is the template's first line: a "\n" in the name ends it there.
        expected = "Food bank" if "\n" in breaker else "Food bank Bcc: victim@example.org has responded"
        assert message.subject.startswith(expected)
        headers = message.message().as_bytes().split(b"\n\n", 1)[0]
        assert b"\nBcc:" not in headers
        assert message.bcc == []


# --- (c) PDFs -------------------------------------------------------------------------------------


def pdf_words(data: bytes) -> str:
    pdftotext = require_executable("pdftotext")
    result = subprocess.run([pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_the_compact_pdf_prints_the_text_literally(world):
    edition = world.edition
    edition.introduction = PAYLOAD
    edition.save()
    undertaking = edition.undertakings.first()
    undertaking.text = PAYLOAD
    undertaking.save()
    world.council.name = PAYLOAD
    world.council.save()
    html = pdf.edition_pdf_html(edition)
    assert RAW not in html and "<b>bold</b>" not in html
    text = pdf_words(documents.render_pdf(html, stylesheet=pdf.STYLESHEET))
    assert text.count(" ".join(PAYLOAD.split())) >= 2, text
    # The signatories' annex is a table: the name wraps within its cell.
    assert text.count('<script>alert("x")</script><b>bold</b>') >= 3, text


def test_the_challenge_letter_prints_the_text_literally(world, django_capture_on_commit_callbacks):
    case = world.formal_case
    case.summary = case.what_happened = case.outcome_sought = PAYLOAD
    case.save()
    undertaking = case.undertakings.first()
    undertaking.text = PAYLOAD
    undertaking.save()
    world.food_bank.name = PAYLOAD
    world.food_bank.save()
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters.letter_request(
            case=case, by=world.vcs_member, addressed_to=PAYLOAD, response_due_on=datetime.date(2026, 7, 1)
        )
    letter.refresh_from_db()
    assert letter.status == ChallengeLetter.Status.READY, letter.error
    html = letters.letter_html(letter)
    assert RAW not in html and "<b>bold</b>" not in html
    with letter.file.open("rb") as stored:
        text = pdf_words(stored.read())
    assert text.count(" ".join(PAYLOAD.split())) >= 4, text


# --- (d) CSV and calendars ------------------------------------------------------------------------


FORMULAS = ['=HYPERLINK("http://evil.example")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def test_the_register_csv_cannot_start_a_formula(world):
    signature = world.signed
    for index, formula in enumerate(FORMULAS):
        organisation = (
            world.council
            if index == 0
            else type(world.council).objects.create(
                name=f"{formula} {index}",
                sector=world.council.sector,
                organisation_type=world.council.organisation_type,
            )
        )
        if index == 0:
            organisation.name = formula
            organisation.save()
        else:
            Signature.objects.create(
                organisation=organisation,
                edition=world.edition,
                status=Signature.Status.SIGNED,
                signatory_name=formula,
                signatory_role=formula,
                signed_on=datetime.date(2026, 4, 1),
            )
    signature.signatory_name = signature.signatory_role = PAYLOAD
    signature.save()
    response = client_for(None).get(reverse("signatories:register_csv", kwargs={"slug": world.compact.slug}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert PAYLOAD in cells  # text stays text, unchanged
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_the_calendar_feeds_escape_the_text(world):
    title = PAYLOAD + "; a, b\\c\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected"
    world.open_consultation.title = title
    world.open_consultation.save()
    world.food_bank.name = PAYLOAD
    world.food_bank.save()
    world.notice.description = title
    world.notice.save()
    public = client_for(None)
    feeds = [public.get(reverse("notifications:compact_calendar", kwargs={"slug": world.compact.slug}))]
    member = client_for(world.vcs_member)
    page = member.get(reverse("notifications:organisation_calendar_page", kwargs={"pk": world.food_bank.pk}))
    token = world.food_bank.__class__.objects.get(pk=world.food_bank.pk).calendar_token
    assert page.status_code == 200 and token
    feeds.append(public.get(reverse("notifications:organisation_calendar", kwargs={"token": token})))
    for feed in feeds:
        assert feed.status_code == 200
        content = feed.content.decode()
        assert "\nSUMMARY:injected" not in content.replace("\r\n", "\n")
        calendar = Calendar.from_ical(feed.content)
        summaries = [str(event.get("summary")) for event in calendar.walk("VEVENT")]
        assert any(title in summary or summary.endswith(PAYLOAD) for summary in summaries), summaries
        assert not any(summary.startswith("injected") for summary in summaries)
    public_summaries = [str(e.get("summary")) for e in Calendar.from_ical(feeds[0].content).walk("VEVENT")]
    assert any(title in summary for summary in public_summaries), public_summaries
