"""Importing a Compact written in Welsh, or in both languages: each line's language, a bilingual
text read as two and paired part by part, and the Welsh saved beside the English, all or nothing."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments import importer, services
from commitments.models import Edition, Undertaking

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ENGLISH = (FIXTURES / "sample_compact.txt").read_text(encoding="utf-8")
WELSH = (FIXTURES / "sample_compact_cy.txt").read_text(encoding="utf-8")


def by_outcome(text: str, heading: str) -> list[str]:
    """The text cut before each outcome heading and before the closing sections."""
    pattern = rf"(?m)^(?={heading} \d|Making the Compact|Gwneud i'r Compact)"
    return re.split(pattern, text)


def interleaved() -> str:
    """Welsh and English outcome by outcome, as a bilingual leaflet prints them."""
    welsh, english = by_outcome(WELSH, "Canlyniad"), by_outcome(ENGLISH, "Outcome")
    assert len(welsh) == len(english) == 5
    return "\n".join(f"{cy}\n{en}" for cy, en in zip(welsh, english, strict=True))


# Each line's language


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2.2 Allow at least twelve weeks for a formal written consultation.", "en"),
        ("2.2 Rhoi o leiaf deuddeg wythnos ar gyfer ymgynghoriad ffurfiol ysgrifenedig.", "cy"),
        ("Bydd y Cyngor yn:", "cy"),
        ("Undertakings for the public sector:", "en"),
        ("Canlyniad 3: Cyllid teg a rhagweladwy", "cy"),
        ("Mae'r Compact hwn yn dweud sut y bydd partneriaid yn cydweithio.", "cy"),
        ("2.4", None),
        ("Fernbrook", None),
    ],
)
def test_line_language(line, expected):
    assert importer.line_language(line) == expected


def test_document_language():
    assert importer.document_language(ENGLISH) == "en"
    assert importer.document_language(WELSH) == "cy"
    assert importer.document_language(WELSH + "\n\n" + ENGLISH) == "both"
    assert importer.document_language(interleaved()) == "both"


def test_a_line_with_no_telling_words_takes_the_language_before_it():
    lines = ["Canlyniad 1: Cymunedau cryf", "1.1", "Gwrando ar grwpiau lleol a'u cynnwys.", "Outcome 1: Strong", "1.1"]
    assert importer.line_languages(lines) == ["cy", "cy", "cy", "en", "en"]


# Reading Welsh


def test_the_welsh_sample_reads_like_the_english():
    welsh = importer.parse_compact_text(WELSH)
    english = importer.parse_compact_text(ENGLISH)
    assert welsh.count_by_sector() == english.count_by_sector() == {"public": 9, "vcs": 7}
    assert [o.number for o in welsh.outcomes] == [1, 2, 3]
    assert welsh.outcomes[2].title == "Cyllid teg a rhagweladwy"
    assert welsh.making_it_work.startswith("Mae Fforwm Compact Fernbrook")
    assert welsh.dispute_resolution.startswith("Y ffordd orau")
    # The footnote stays out of undertaking 2.3, as in English.
    assert welsh.outcomes[1].undertakings[2].text.endswith("o'i herwydd*.")
    assert welsh.outcomes[1].description.startswith("* Ymgynghoriad ffurfiol")


@pytest.mark.parametrize(
    "heading, sector",
    [
        ("Bydd y Cyngor yn:", "public"),
        ("Bydd cyrff cyhoeddus yn:", "public"),
        ("Bydd y sector gwirfoddol a chymunedol yn:", "vcs"),
        ("Bydd y trydydd sector yn:", "vcs"),
        ("Bydd y ddau sector yn:", "joint"),
        ("Ymgymeriadau ar gyfer y sector cyhoeddus:", "public"),
        ("Ymgymeriadau ar gyfer mudiadau gwirfoddol:", "vcs"),
        ("Ymgymeriadau ar y cyd:", "joint"),
    ],
)
def test_welsh_block_headings(heading, sector):
    text = f"Compact\nCanlyniad 1: Teitl\n{heading}\n1.1 Gwneud rhywbeth da."
    parsed = importer.parse_compact_text(text)
    assert parsed.undertakings[0].sector == sector


def test_welsh_page_lines_are_ignored_only_by_a_rule_and_reported_inside_text():
    text = "Compact\nCanlyniad 1: Teitl\nBydd y Cyngor yn:\n1.1 Gwneud rhywbeth tudalen 3 o 12 da."
    reading = importer.read_compact_text(text)
    assert reading.parsed is None
    assert "tudalen 3 o 12" in str(reading.errors[0])


# Bilingual texts


@pytest.mark.parametrize("shape", ["back to back", "outcome by outcome"])
def test_a_bilingual_text_is_read_as_two_and_paired(shape):
    text = WELSH + "\n\n" + ENGLISH if shape == "back to back" else interleaved()
    reading = importer.read_bilingual_text(text, language="both")
    assert reading.errors == []
    assert reading.warnings == []
    english, welsh = reading.english.parsed, reading.welsh.parsed
    assert english.count_by_sector() == welsh.count_by_sector() == {"public": 9, "vcs": 7}
    assert english.outcomes[0].undertakings[0].text.startswith("Defend the right")
    assert welsh.outcomes[0].undertakings[0].text.startswith("Amddiffyn hawl")
    # Line numbers are the file's: the English outcome 1 heading is where it is in the whole text.
    lines = importer.split_lines(text)
    assert lines[english.outcomes[0].line - 1].startswith("Outcome 1:")
    assert lines[welsh.outcomes[0].line - 1].startswith("Canlyniad 1:")
    assert set(reading.languages) == {"cy", "en"}


def test_a_welsh_undertaking_the_english_does_not_have_stops_the_import():
    welsh = WELSH.replace("3.5 Dweud wrth", "3.9 Dweud wrth")
    reading = importer.read_bilingual_text(welsh + "\n\n" + ENGLISH, language="both")
    messages = [str(error) for error in reading.errors]
    assert any("3.9" in message and "English does not have" in message for message in messages)


def test_a_welsh_undertaking_of_another_sector_stops_the_import():
    welsh = WELSH.replace("Bydd y sector gwirfoddol yn:", "Bydd y Cyngor hefyd yn:")
    reading = importer.read_bilingual_text(welsh + "\n\n" + ENGLISH, language="both")
    assert any("2.4" in str(error) and "block headings" in str(error) for error in reading.errors)


def test_english_with_no_welsh_is_a_warning_not_an_error():
    welsh = WELSH.replace("3.5 Dweud wrth gyllidwyr yn gynnar am newidiadau difrifol yn amgylchiadau'r grŵp.\n", "")
    reading = importer.read_bilingual_text(welsh + "\n\n" + ENGLISH, language="both")
    assert reading.errors == []
    assert any("3.5" in str(warning) and "English only" in str(warning) for warning in reading.warnings)


# Saving, and the coordinator's pages


pytestmark = pytest.mark.django_db


def upload_url(compact) -> str:
    return reverse("commitments:import_upload", kwargs={"slug": compact.slug})


def preview_url(compact) -> str:
    return reverse("commitments:import_preview", kwargs={"slug": compact.slug})


def upload(client, compact, text: str, **data):
    upload = SimpleUploadedFile("compact.txt", text.encode("utf-8"), content_type="text/plain")
    return client.post(upload_url(compact), {"text_file": upload, **data})


def test_a_bilingual_document_makes_a_draft_in_both_languages(client, coordinator, compact):
    client.force_login(coordinator)
    response = upload(client, compact, interleaved(), name="Fernbrook 2027")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(preview_url(compact)).content.decode()
    assert 'id="import-language">Welsh and English<' in page
    assert 'id="import-welsh-found">16 of 16 undertakings<' in page
    assert "in Welsh" in page and "in English" in page  # each line says which language it was read as
    response = client.post(preview_url(compact))
    assert response.status_code == 302
    draft = Edition.objects.get(name="Fernbrook 2027")
    assert draft.undertakings.count() == 16
    two_two = draft.undertakings.get(number="2.2")
    assert two_two.text.startswith("Allow at least twelve weeks")
    assert two_two.text_cy.startswith("Rhoi o leiaf deuddeg wythnos")
    assert draft.outcomes.get(number=3).title_cy == "Cyllid teg a rhagweladwy"
    assert draft.making_it_work_cy.startswith("Mae Fforwm Compact Fernbrook")
    assert draft.dispute_resolution_cy.startswith("Y ffordd orau")
    assert not draft.undertakings.filter(text_cy="").exists()


def test_a_welsh_document_is_added_to_the_newest_draft(client, coordinator, compact):
    draft = services.edition_create_from_import(
        compact=compact, parsed=importer.parse_compact_text(ENGLISH), name="Fernbrook 2027", by=coordinator
    )
    client.force_login(coordinator)
    response = upload(client, compact, WELSH)  # no name needed: the Welsh goes into the draft
    assert response.status_code == 302
    page = client.get(preview_url(compact)).content.decode()
    assert 'id="import-language">Welsh<' in page
    assert "Add the Welsh text to the draft" in page
    assert "Fernbrook 2027" in page
    assert not Undertaking.objects.exclude(text_cy="").exists()  # nothing saved before the confirmation
    response = client.post(preview_url(compact))
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:edition_edit", kwargs={"slug": compact.slug, "pk": draft.pk})
    assert draft.undertakings.get(number="1.1").text_cy.startswith("Amddiffyn hawl grwpiau lleol")
    assert draft.undertakings.get(number="1.1").text.startswith("Defend the right")
    assert not draft.undertakings.filter(text_cy="").exists()


def test_a_welsh_document_with_no_draft_says_what_to_do(client, coordinator, compact):
    client.force_login(coordinator)
    response = upload(client, compact, WELSH)
    assert response.status_code == 200
    page = response.content.decode()
    assert "this Compact has no draft edition to add the Welsh to" in page
    assert "Import the English text first" in page


def test_a_welsh_document_that_does_not_fit_the_draft_saves_nothing(client, coordinator, compact):
    draft = services.edition_create_from_import(
        compact=compact, parsed=importer.parse_compact_text(ENGLISH), name="Fernbrook 2027", by=coordinator
    )
    client.force_login(coordinator)
    assert upload(client, compact, WELSH.replace("3.5 Dweud", "3.8 Dweud"), language="cy").status_code == 302
    response = client.post(preview_url(compact))
    assert response.status_code == 200
    assert "3.8" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not draft.undertakings.exclude(text_cy="").exists()
    draft.refresh_from_db()
    assert draft.making_it_work_cy == ""


def test_the_language_can_be_chosen_instead_of_worked_out(client, coordinator, compact):
    client.force_login(coordinator)
    upload(client, compact, ENGLISH, name="Fernbrook 2027", language="en")
    page = client.get(preview_url(compact)).content.decode()
    assert 'id="import-language">English<' in page
    response = upload(client, compact, ENGLISH, language="en")
    assert "Enter a name for the new edition" in response.content.decode()


def test_a_side_by_side_word_table_reads_as_bilingual():
    """Welsh in the left column, English in the right, one paragraph a row: read row by row, each
    line's language tells the two texts apart."""
    from commitments import import_sources
    from tests.commitments.source_builders import add_two_column_table, docx_bytes, new_docx

    welsh_paragraphs = [p.strip() for p in WELSH.replace("gymesur\nâ'r", "gymesur â'r").splitlines() if p.strip()]
    english_paragraphs = [
        p.strip() for p in ENGLISH.replace("proportion\nto", "proportion to").splitlines() if p.strip()
    ]
    document = new_docx()
    add_two_column_table(document, ("Cymraeg", "English"), welsh_paragraphs, english_paragraphs)
    source = import_sources.read_source(name="compact.docx", data=docx_bytes(document), max_bytes=2_000_000)
    assert importer.document_language(source.text) == "both"
    reading = importer.read_bilingual_text(source.text, language="both")
    assert reading.errors == [], reading.errors[:3]
    assert reading.welsh.parsed.count_by_sector() == reading.english.parsed.count_by_sector() == {"public": 9, "vcs": 7}
