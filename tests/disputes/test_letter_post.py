# ruff: noqa: F811 (the fixtures imported below are parameters of the tests)
"""The formal written challenge posted through GOV.UK Notify's precompiled letters (decision 0023),
against the fake Notify of tests/support: the same PDF, the address in Notify's address block,
posted once, its status on the case's timeline."""

import base64
import subprocess
import uuid

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from disputes import letters
from disputes.models import ChallengeLetter, TimelineEntry
from notifications.models import PostedLetter
from tests.conftest import require_executable
from tests.disputes.test_letters import DUE, case  # noqa: F401 (the case fixture)
from tests.notifications.conftest import fake_notify  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ADDRESS = "Town Hall\n1 Market Square\nRiverside\nRV1 1AA"
TOKEN = "a-callback-token-of-some-length"  # noqa: S105 - the fake's


def post_form(client, case, *, address=ADDRESS):
    return client.post(
        reverse("disputes:letter_new", kwargs={"pk": case.pk}),
        {
            "addressed_to": "Director of Adult Services",
            "response_due_on_0": str(DUE.day),
            "response_due_on_1": str(DUE.month),
            "response_due_on_2": str(DUE.year),
            "postal_address": address,
        },
    )


def text_in(pdf: bytes, *, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> str:
    """The text of the first page inside a rectangle (millimetres from the top left)."""
    pdftotext = require_executable("pdftotext")
    pt = 72 / 25.4
    args = ["-f", "1", "-l", "1", "-x", str(round(x_mm * pt)), "-y", str(round(y_mm * pt))]
    args += ["-W", str(round(w_mm * pt)), "-H", str(round(h_mm * pt))]
    result = subprocess.run([pdftotext, *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def receipt(client, notify_id, status):
    return client.post(
        "/notify/callback/",
        data={"id": notify_id, "status": status, "reference": "C-1", "notification_type": "letter"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


def test_the_letter_is_posted_once_with_the_address_in_notifys_address_block(
    case,
    vcs_member,
    client,
    fake_notify,
    django_capture_on_commit_callbacks,
):
    client.force_login(vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_form(client, case).status_code == 303
    letter = ChallengeLetter.objects.get(case=case)
    assert letter.is_ready
    [sent] = fake_notify.letters()
    assert sent["reference"] == f"{case.reference}-1"
    assert sent["postage"] == "second"
    pdf = base64.b64decode(sent["content"])
    with letter.file.open("rb") as stored:
        assert stored.read() == pdf  # the same PDF as on the timeline

    # Notify's address block: 24.6 to 120 mm from the left, 40 to 66.2 mm from the top.
    block = text_in(pdf, x_mm=24.6, y_mm=40, w_mm=120 - 24.6, h_mm=66.2 - 40)
    assert block == "Director of Adult Services Riverside Borough Council Town Hall 1 Market Square Riverside RV1 1AA"
    # Nothing else beside it on the left, and the letter's body starts below 95 mm.
    assert text_in(pdf, x_mm=15, y_mm=30, w_mm=110, h_mm=65 - 30 + 30) == block
    assert "Formal written challenge" in text_in(pdf, x_mm=15, y_mm=95, w_mm=180, h_mm=40)

    posted = PostedLetter.objects.get()
    assert letter.posted_id == posted.pk and posted.status == "sending"
    assert TimelineEntry.objects.filter(case=case, text__contains="being sent by post").count() == 1

    # A receipt: the status goes on the timeline, seen on the case page.
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, posted.notify_id, "received").status_code == 204
    page = client.get(case.get_absolute_url()).content.decode()
    assert "The letter has been printed and handed to Royal Mail." in page
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, posted.notify_id, "received").status_code == 204  # told twice, said once
    assert TimelineEntry.objects.filter(case=case, text__contains="handed to Royal Mail").count() == 1
    assert receipt(client, str(uuid.uuid4()), "received").status_code == 204
    assert len(fake_notify.letters()) == 1


def test_a_letter_without_an_address_is_not_posted(
    case, vcs_member, client, fake_notify, django_capture_on_commit_callbacks
):
    client.force_login(vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_form(client, case, address="").status_code == 303
    assert ChallengeLetter.objects.get(case=case).is_ready
    assert fake_notify.requests == []
    assert not PostedLetter.objects.exists()


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("Town Hall\nRiverside", "Enter a UK postcode on the last line"),
        ("1\n2\n3\n4\n5\nRV1 1AA", "on 5 lines or fewer"),
        ("A" * 46 + "\nRV1 1AA", "45 characters or fewer"),
    ],
)
def test_an_address_notify_would_refuse_is_a_form_error(case, vcs_member, client, fake_notify, address, error):
    client.force_login(vcs_member)
    response = post_form(client, case, address=address)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ChallengeLetter.objects.exists()


def test_a_withheld_complainants_letter_is_posted_only_once_the_coordinator_releases_it(
    case,
    vcs_member,
    coordinator,
    client,
    fake_notify,
    django_capture_on_commit_callbacks,
):
    case.withhold_name = True
    case.save()
    client.force_login(vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, case)
    letter = ChallengeLetter.objects.get(case=case)
    assert letter.is_ready and fake_notify.letters() == []

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("disputes:entry_check", kwargs={"pk": case.pk, "entry_pk": letter.timeline_entry_id}),
            {"decision": "release"},
        )
    assert len(fake_notify.letters()) == 1
    letter.refresh_from_db()
    assert letter.posted.status == "sending"


def test_a_letter_notify_refuses_is_said_on_the_timeline_and_not_sent_again(
    case,
    vcs_member,
    client,
    fake_notify,
    django_capture_on_commit_callbacks,
):
    fake_notify.fail_next(400)
    client.force_login(vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, case)
    posted = PostedLetter.objects.get()
    assert posted.status == "rejected"
    assert "GOV.UK Notify refused the letter" in client.get(case.get_absolute_url()).content.decode()
    from notifications.delivery import letter_deliver

    assert letter_deliver(letter_id=posted.pk) == "skipped"
    assert len(fake_notify.requests) == 1


def test_without_notify_the_form_asks_for_no_postal_address(case, vcs_member, client):
    client.force_login(vcs_member)
    page = client.get(reverse("disputes:letter_new", kwargs={"pk": case.pk})).content.decode()
    assert "Prepare the letter" in page
    assert 'name="postal_address"' not in page
    with pytest.raises(letters.LetterError):
        letters.letter_request(
            case=case, by=vcs_member, addressed_to="Director", response_due_on=DUE, postal_address=ADDRESS
        )


def test_with_notify_the_form_asks_for_it(case, vcs_member, client, fake_notify):
    client.force_login(vcs_member)
    page = client.get(reverse("disputes:letter_new", kwargs={"pk": case.pk})).content.decode()
    assert 'name="postal_address"' in page


def test_a_posted_letter_needs_a_short_addressee(case, vcs_member, client, fake_notify):
    client.force_login(vcs_member)
    response = client.post(
        reverse("disputes:letter_new", kwargs={"pk": case.pk}),
        {
            "addressed_to": "Director of Adult Services and of Everything Else Besides",
            "response_due_on_0": str(DUE.day),
            "response_due_on_1": str(DUE.month),
            "response_due_on_2": str(DUE.year),
            "postal_address": ADDRESS,
        },
    )
    assert response.status_code == 200
    assert "To post the letter, enter who it is to in 45 characters or fewer" in response.content.decode()
    assert not ChallengeLetter.objects.exists()


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_address_gets_an_answer_not_an_error(text):
    problem = letters.postal_address_problem(text)
    assert isinstance(problem, str)
    if not problem and text.strip():
        assert 1 <= len(letters.postal_address_lines(text)) <= letters.POSTAL_LINES_MAX


def test_an_address_too_long_for_the_envelope_is_a_form_error(case, vcs_member, client, fake_notify):
    case.respondent.name = "The Borough Council of Riverside, Hillside and the Villages of the Valley"  # 2 lines
    case.respondent.save()
    client.force_login(vcs_member)
    response = post_form(client, case, address="1 Market Square\nTown Hall\nHigh Street\nRiverside\nRV1 1AA")
    assert response.status_code == 200
    assert "The address is too long to print on the envelope" in response.content.decode()
    assert post_form(client, case, address="Town Hall\nRiverside\nRV1 1AA").status_code == 303


# --- The posted letter's timeline texts, in the letter's language -------------------------------------


def _post_in(client, case, user, language, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            reverse("disputes:letter_new", kwargs={"pk": case.pk}),
            {
                "addressed_to": "Director of Adult Services",
                "response_due_on_0": str(DUE.day),
                "response_due_on_1": str(DUE.month),
                "response_due_on_2": str(DUE.year),
                "postal_address": ADDRESS,
                "language": language,
            },
        )
    assert response.status_code == 303
    return PostedLetter.objects.get()


def _letter_texts(case) -> list[str]:
    return list(
        TimelineEntry.objects.filter(case=case, kind=TimelineEntry.Kind.LETTER)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_an_english_letter_of_a_welsh_first_compact_is_followed_in_english(
    case, vcs_member, client, fake_notify, django_capture_on_commit_callbacks
):
    case.compact.welsh_first = True
    case.compact.save(update_fields=["welsh_first"])
    posted = _post_in(client, case, vcs_member, "en", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, posted.notify_id, "received").status_code == 204

    filed, sending, taken, received = _letter_texts(case)
    assert filed.startswith("Formal written challenge sent to Director of Adult Services")
    assert sending.startswith("The formal written challenge is being sent by post")
    assert taken == "GOV.UK Notify has taken the letter for printing and posting."
    assert received == "The letter has been printed and handed to Royal Mail."


def test_a_welsh_letter_is_followed_in_welsh_whatever_the_page_or_the_compact(
    case, vcs_member, client, fake_notify, django_capture_on_commit_callbacks
):
    assert not case.compact.welsh_first
    posted = _post_in(client, case, vcs_member, "cy", django_capture_on_commit_callbacks)  # from an English page
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, posted.notify_id, "received").status_code == 204

    filed, sending, taken, received = _letter_texts(case)
    assert taken == "Mae GOV.UK Notify wedi cymryd y llythyr i'w argraffu a'i bostio."
    assert filed.startswith("Her ysgrifenedig ffurfiol wedi'i hanfon at Director of Adult Services")
    assert sending.startswith("Mae'r her ysgrifenedig ffurfiol yn cael ei hanfon drwy'r post")
    assert received == "Mae'r llythyr wedi'i argraffu a'i roi i'r Post Brenhinol."


def test_a_bilingual_letter_is_followed_in_welsh_then_english(
    case, vcs_member, client, fake_notify, django_capture_on_commit_callbacks
):
    posted = _post_in(client, case, vcs_member, "bilingual", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt(client, posted.notify_id, "accepted").status_code == 204

    accepted = _letter_texts(case)[-1]
    assert accepted == "Mae'r llythyr wedi'i dderbyn i'w argraffu.\n\nThe letter has been accepted for printing."
    page = client.get(case.get_absolute_url()).content.decode()
    assert (
        "Mae&#x27;r llythyr wedi&#x27;i dderbyn i&#x27;w argraffu.<br><br>The letter has been accepted for printing."
        in page
    )
