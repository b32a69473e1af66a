"""A complainant who asks for its name to be withheld: nothing the other party can reach names it.

The same story is played with the name withheld and not withheld. Every page the respondent's member
can open, every file they can download (its name, its bytes, the details saved inside it, every
header it comes with), the challenge letter, every notification and email sent to them is
collected; with the name withheld none of it contains the complainant's name or the names of its
people, and without (so that this test can fail) the same content does name them.

The files carry the name in each place a name hides: the file's own name, a PDF's Author, Title
and XMP, a JPEG's EXIF Artist and GPS, a PNG's text chunks, a Word file's docProps/core.xml creator
and an OpenDocument file's meta.xml. With the name withheld, what the complainant shares reaches
the other party only once the coordinator has checked it: before, the other party can reach none
of it; what the coordinator returns, it never reaches.
"""

import io
import subprocess
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.text import slugify

from disputes import services
from disputes.models import Check
from tests.conftest import require_executable
from tests.disputes.factories import (
    TODAY,
    World,
    docx_naming,
    jpeg_naming,
    odt_naming,
    pdf_naming,
    png_naming,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger, monkeypatch):
    monkeypatch.setattr("disputes.views.cases.today", lambda: TODAY)
    return World(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def secrets(world) -> list[str]:
    names = [
        world.food_bank.name,
        world.volunteer.get_full_name(),
        world.volunteer.last_name,
        world.vcs_member.get_full_name(),
        world.vcs_member.last_name,
        world.volunteer.email,
        world.vcs_member.email,
    ]
    # As a stored file name would spell them, too: riverside-food-bank.
    return names + [slugify(name) for name in names if " " in name]


def naming(world) -> str:
    return f"{world.food_bank.name}, {world.volunteer.get_full_name()}"


def post_entry(client, case, **data):
    return client.post(reverse("disputes:add_entry", kwargs={"pk": case.pk}), data)


def check(client, case, entry, decision, reason=""):
    client.force_login(case_coordinator(case))
    response = client.post(
        reverse("disputes:entry_check", kwargs={"pk": case.pk, "entry_pk": entry.pk}),
        {"decision": decision, "reason": reason},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def case_coordinator(case):
    return case.compact.coordinators.get()


def play_the_case(world, client, *, withhold: bool, capture):
    """A concern raised with evidence that names the complainant in every place a name hides,
    talked about by both parties and the coordinator, moved on, and its formal challenge letter."""
    name = naming(world)
    with capture(execute=True):
        client.force_login(world.volunteer)
        undertaking = world.edition.undertakings.get(number="1.3")
        response = client.post(
            reverse("disputes:create") + f"?respondent={world.council.pk}",
            {
                "organisation": str(world.food_bank.pk),
                f"undertakings_{world.edition.pk}_{undertaking.sector}": [str(undertaking.pk)],
                "summary": "The grant was cut without notice",
                "what_happened": "A letter ended the grant over a weekend.",
                "happened_on_0": "15",
                "happened_on_1": "5",
                "happened_on_2": "2026",
                "outcome_sought": "Three months' notice.",
                "withhold_name": "on" if withhold else "",
                "evidence_1": upload(f"{world.food_bank.name} evidence.pdf", pdf_naming(name)),
                "evidence_2": upload(f"{world.volunteer.get_full_name()} photo.jpg", jpeg_naming(name), "image/jpeg"),
                "evidence_3": upload("Notes from Riverside Food Bank.docx", docx_naming(name)),
            },
        )
        assert response.status_code == 302
        case = world.food_bank.cases_raised.get()
        client.force_login(world.vcs_member)
        post_entry(client, case, kind="note", text="We tried to call.")
        post_entry(
            client, case, kind="document", text="Minutes", file=upload("food-bank-minutes.odt", odt_naming(name))
        )
        post_entry(client, case, kind="document", text="Poster", file=upload("poster.png", png_naming(name)))
        post_entry(client, case, kind="note", text=f"Signed, {world.vcs_member.get_full_name()}")
        client.post(reverse("disputes:move", kwargs={"pk": case.pk}) + "?to=formal", {"note": "No answer came."})
        services.timeline_add(case=case, by=world.coordinator, kind="meeting", text="Met both parties separately.")
        services.timeline_add(case=case, by=world.officer, kind="letter", text="Our reply.", file=upload("reply.pdf"))
        client.force_login(world.vcs_member)
        response = client.post(
            reverse("disputes:letter_new", kwargs={"pk": case.pk}),
            {
                "addressed_to": "Director of Adult Services",
                "response_due_on_0": "4",
                "response_due_on_1": "3",
                "response_due_on_2": "2027",
            },
        )
        assert response.status_code == 303
    assert case.withhold_name is withhold
    return case


def release_all_but_the_signed_note(world, client, case, capture):
    """The coordinator releases what the complainant shared, and returns the note it signed."""
    pending = list(case.timeline.filter(check_status=Check.PENDING).order_by("pk"))
    assert len(pending) == 9  # 3 evidence files, 2 notes, 2 files, the stage note, the letter
    with capture(execute=True):
        for entry in pending:
            if entry.text.startswith("Signed"):
                check(client, case, entry, "return", "Your note is signed with a name.")
            else:
                check(client, case, entry, "release")


def readable(data: bytes) -> str:
    """A downloaded file as text, with every member of a Word or OpenDocument file unpacked."""
    parts = [data.decode("latin-1")]
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if data.startswith(b"%PDF"):
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            parts.append(repr(dict(pdf.docinfo)))
            parts.extend(obj.read_bytes().decode("latin-1") for obj in pdf.objects if isinstance(obj, pikepdf.Stream))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    result = subprocess.run([require_executable("pdftotext"), "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def download(client, path) -> tuple[int, str, bytes]:
    response = client.get(path)
    if response.status_code != 200:
        return response.status_code, "", b""
    headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
    return 200, headers, b"".join(response.streaming_content)


def respondent_sees(world, client, case) -> list[str]:
    """Everything the respondent's member can reach about the case, as text."""
    client.force_login(world.officer)
    seen = []
    for path in (
        reverse("disputes:list"),
        reverse("disputes:detail", kwargs={"pk": case.pk}),
        reverse("disputes:add_entry", kwargs={"pk": case.pk}),
        reverse("notifications:list"),
        reverse("accounts:dashboard"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        seen.append(response.content.decode())
    for move in ("formal", "mediation", "closed:resolved", "closed:withdrawn", "closed:not_upheld"):
        response = client.get(reverse("disputes:move", kwargs={"pk": case.pk}) + f"?to={move}")
        assert response.status_code == 404  # the respondent has no moves to make
    reached = []
    for entry in case.timeline.exclude(file=""):
        status, headers, data = download(client, reverse("disputes:file", kwargs={"pk": case.pk, "entry_pk": entry.pk}))
        original = client.get(reverse("disputes:file_original", kwargs={"pk": case.pk, "entry_pk": entry.pk}))
        assert original.status_code == 404  # the file as uploaded is for the coordinator alone
        if status == 200:
            reached.append(entry)
            seen.extend([headers, readable(data)])
            if data.startswith(b"%PDF"):
                seen.append(pdf_text(data))
    for letter in case.letters.all():
        base = {"pk": case.pk, "letter_pk": letter.pk}
        status, headers, data = download(client, reverse("disputes:letter_download", kwargs=base))
        if status == 200:
            seen.extend([headers, readable(data), pdf_text(data)])
    emails = [m for m in mail.outbox if world.officer.email in m.to]
    seen.extend(f"{m.subject}\n{m.body}\n{m.alternatives}\n{m.extra_headers}" for m in emails)
    return seen, reached


def leaks(world, seen) -> list[tuple[str, str]]:
    return [
        (secret, content[:200]) for secret in secrets(world) for content in seen if secret.lower() in content.lower()
    ]


def test_the_withheld_name_reaches_the_other_party_nowhere(client, world, django_capture_on_commit_callbacks):
    case = play_the_case(world, client, withhold=True, capture=django_capture_on_commit_callbacks)

    # Before the coordinator's check the council reaches nothing the complainant shared: only its
    # own reply is a file it can download, and no email told it of the rest.
    seen, reached = respondent_sees(world, client, case)
    assert [entry.file_name for entry in reached] == ["reply.pdf"]
    assert not leaks(world, seen)
    assert "We tried to call." not in seen[1]
    letter = case.letters.get()
    assert (
        client.get(reverse("disputes:letter_download", kwargs={"pk": case.pk, "letter_pk": letter.pk})).status_code
        == 404
    )

    release_all_but_the_signed_note(world, client, case, django_capture_on_commit_callbacks)
    seen, reached = respondent_sees(world, client, case)
    assert len(reached) == 7  # 3 evidence files, 2 files on the timeline, the reply, the letter
    assert not leaks(world, seen), leaks(world, seen)
    detail = seen[1]
    assert "A voluntary or community organisation (name withheld)" in detail
    assert "The complainant" in detail
    assert "We tried to call." in detail  # released
    assert "Signed," not in detail  # returned: never reaches the council
    for number in range(1, 6):
        assert f"evidence-{number}." in detail
    dispositions = [content for content in seen if content.startswith("Content-Type")]
    assert any('filename="evidence-1.pdf"' in headers for headers in dispositions)
    assert any('filename="evidence-2.jpg"' in headers for headers in dispositions)
    assert any('filename="evidence-3.docx"' in headers for headers in dispositions)
    assert any(f'filename="{case.reference}-1.pdf"' in headers for headers in dispositions)  # the letter
    letter_text = next(content for content in seen if "Dear Director of Adult Services," in content)
    assert "The Compact coordinator" in letter_text

    # The complainant is told why its note went back.
    returned = [m for m in mail.outbox if world.vcs_member.email in m.to and "returned" in m.subject]
    assert returned and "Your note is signed with a name." in returned[0].body


def test_the_same_content_names_the_complainant_when_not_withheld(client, world, django_capture_on_commit_callbacks):
    case = play_the_case(world, client, withhold=False, capture=django_capture_on_commit_callbacks)
    assert not case.timeline.filter(check_status=Check.PENDING).exists()  # no check needed
    seen, reached = respondent_sees(world, client, case)
    assert len(reached) == 7
    assert world.food_bank.name in seen[0]  # the list
    assert world.food_bank.name in seen[1]  # the case page
    assert world.volunteer.get_full_name() in seen[1]  # the evidence's author
    assert world.vcs_member.get_full_name() in seen[1]  # the note's author
    emails = [m for m in mail.outbox if world.officer.email in m.to]
    assert any(world.food_bank.name in m.body for m in emails)
    # Even so, the files reach the council under neutral names and without the details inside them.
    assert "riverside-food-bank" not in "\n".join(seen)
    assert not [part[:200] for part in seen[5:] if naming(world) in part]  # files, headers and emails


def test_the_files_carry_the_name_for_the_coordinator_and_the_uploader(
    client, world, django_capture_on_commit_callbacks
):
    """The fixtures do carry the name where this test looks for it: the uploader's side gets its own
    file name back, and the coordinator alone the bytes as uploaded, with the details inside."""
    case = play_the_case(world, client, withhold=True, capture=django_capture_on_commit_callbacks)
    evidence = case.timeline.exclude(original_file="").order_by("pk").first()
    client.force_login(world.vcs_member)
    status, headers, data = download(client, reverse("disputes:file", kwargs={"pk": case.pk, "entry_pk": evidence.pk}))
    assert 'filename="riverside-food-bank-evidence.pdf"' in headers
    assert naming(world) not in readable(data)
    assert (
        client.get(reverse("disputes:file_original", kwargs={"pk": case.pk, "entry_pk": evidence.pk})).status_code
        == 404
    )
    client.force_login(world.coordinator)
    status, headers, data = download(
        client, reverse("disputes:file_original", kwargs={"pk": case.pk, "entry_pk": evidence.pk})
    )
    assert status == 200
    assert 'filename="riverside-food-bank-evidence-original.pdf"' in headers
    assert naming(world) in readable(data)
    assert case.timeline.exclude(original_file="").count() == 5  # every file of the complainant's was cleaned


def test_the_complainant_and_the_coordinator_still_see_the_name(client, world, django_capture_on_commit_callbacks):
    case = play_the_case(world, client, withhold=True, capture=django_capture_on_commit_callbacks)
    for user in (world.vcs_member, world.coordinator):
        client.force_login(user)
        page = client.get(reverse("disputes:detail", kwargs={"pk": case.pk})).content.decode()
        assert world.food_bank.name in page
    for email in (world.vcs_member.email, world.coordinator.email):
        assert any(world.food_bank.name in m.body for m in mail.outbox if email in m.to)
