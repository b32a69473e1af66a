"""Importing a Compact through the coordinators' pages: upload, check, create the draft."""

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Edition, Sector, UndertakingSector

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample_compact.txt"

pytestmark = pytest.mark.django_db


def upload_url(compact) -> str:
    return reverse("commitments:import_upload", kwargs={"slug": compact.slug})


def preview_url(compact) -> str:
    return reverse("commitments:import_preview", kwargs={"slug": compact.slug})


def text_file(data: bytes, name: str = "compact.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def upload(client, compact, data: bytes, name: str = "Imported 2027", filename: str = "compact.txt"):
    return client.post(upload_url(compact), {"name": name, "text_file": text_file(data, filename)})


def test_upload_page(client, coordinator, compact):
    client.force_login(coordinator)
    response = client.get(upload_url(compact))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import a Compact from a document" in page
    assert 'name="pasted_text"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="text_file"' in page
    assert "govuk-error-summary" not in page


def test_upload_check_and_create(client, coordinator, compact):
    client.force_login(coordinator)

    response = upload(client, compact, SAMPLE.read_bytes(), name="Fernbrook 2027", filename="fernbrook.txt")
    assert response.status_code == 302
    assert response["Location"] == preview_url(compact)
    assert not Edition.objects.exists()

    page = client.get(preview_url(compact)).content.decode()
    assert "Check what was found in the file" in page
    assert "The Fernbrook Compact" in page
    assert "fernbrook.txt" in page
    assert "Fernbrook 2027" in page
    assert "Decisions made with communities, not for them" in page
    assert 'id="import-total-public">9<' in page
    assert 'id="import-total-vcs">7<' in page
    assert "Total: 16 undertakings" in page
    assert "Say who is being represented" in page  # 2.5 in the list of undertakings
    assert "Create the draft edition" in page
    assert "Choose another file" in page
    assert not Edition.objects.exists()

    response = client.post(preview_url(compact), {})
    edition = Edition.objects.get(compact=compact)
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:edition_edit", kwargs={"slug": compact.slug, "pk": edition.pk})
    assert edition.name == "Fernbrook 2027"
    assert edition.is_draft
    assert edition.created_by == coordinator
    assert edition.outcomes.count() == 3
    assert edition.undertakings.filter(sector=Sector.PUBLIC).count() == 9
    assert edition.undertakings.filter(sector=Sector.VCS).count() == 7

    # The text has been used up: confirming again creates nothing more.
    response = client.post(preview_url(compact), {})
    assert response["Location"] == upload_url(compact)
    assert Edition.objects.count() == 1


def test_bad_file_shows_each_line_error_on_the_check_page_and_creates_nothing(client, coordinator, compact):
    client.force_login(coordinator)
    text = SAMPLE.read_text(encoding="utf-8").replace("2.4 Pass news", "3.4 Pass news")
    text = text.replace("1.1 Defend", "1.4 Defend")

    response = upload(client, compact, text.encode())
    assert response["Location"] == preview_url(compact)
    page = client.get(preview_url(compact)).content.decode()

    assert 'class="govuk-error-summary"' in page
    assert "<title>Error: Check what was found in the file" in page
    assert "The draft cannot be created yet" in page
    assert 'href="#line-19">Line 19: Undertaking 1.4 appears twice, on line 14 and here.' in page
    assert "Line 28: Undertaking 3.4 is under Outcome 2; its number must start with 2." in page
    assert 'id="line-19"' in page  # the line itself, in the structure
    assert "Create the draft edition" not in page
    response = client.post(preview_url(compact), {})
    assert response.status_code == 200
    assert "Nothing can be saved until every problem listed is fixed." in response.content.decode()
    assert not Edition.objects.exists()


def test_a_damaged_pdf_is_refused_with_a_clear_message(client, coordinator, compact):
    client.force_login(coordinator)
    response = upload(client, compact, b"%PDF-1.7\n1 0 obj\n", filename="compact.pdf")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "PDF" in page
    assert not Edition.objects.exists()


def test_file_over_the_size_limit_is_refused(client, coordinator, compact, settings):
    settings.COMPACT_IMPORT_MAX_BYTES = 2048
    client.force_login(coordinator)
    response = upload(client, compact, SAMPLE.read_bytes() + b" " * 2048)
    assert response.status_code == 200
    assert "The file must be 2 KB or smaller." in response.content.decode()
    assert client.get(preview_url(compact))["Location"] == upload_url(compact)
    assert not Edition.objects.exists()


def test_name_is_required(client, coordinator, compact):
    client.force_login(coordinator)
    response = upload(client, compact, SAMPLE.read_bytes(), name="")
    assert response.status_code == 200
    assert "Enter a name for the new edition" in response.content.decode()


def test_warnings_are_shown_before_creating(client, coordinator, compact):
    client.force_login(coordinator)
    text = SAMPLE.read_text(encoding="utf-8").replace("3.2 Pay grants", "3.9 Pay grants")
    upload(client, compact, text.encode())
    page = client.get(preview_url(compact)).content.decode()
    assert "Check these lines of the file" in page
    assert "Line 37: Undertaking 3.3 comes after 3.9. Check the numbering." in page
    assert "Line 37: Undertaking 3.3 is the next number after 3.1, so 3.2 is missing." in page
    assert "3.4 comes after" not in page


def test_preview_with_nothing_uploaded_goes_back_to_upload(client, coordinator, compact):
    client.force_login(coordinator)
    response = client.get(preview_url(compact), follow=True)
    assert response.redirect_chain == [(upload_url(compact), 302)]
    assert "Choose the file of the Compact to import." in response.content.decode()
    assert client.post(preview_url(compact), {})["Location"] == upload_url(compact)
    assert not Edition.objects.exists()


def test_choose_another_file_keeps_the_name(client, coordinator, compact):
    client.force_login(coordinator)
    upload(client, compact, SAMPLE.read_bytes(), name="Kept name")
    page = client.get(upload_url(compact)).content.decode()
    assert 'value="Kept name"' in page


@pytest.mark.parametrize("url", [upload_url, preview_url])
def test_non_coordinator_is_forbidden(client, stranger, compact, url):
    client.force_login(stranger)
    assert client.get(url(compact)).status_code == 403
    assert client.post(url(compact), {"name": "x", "text_file": text_file(SAMPLE.read_bytes())}).status_code == 403
    assert not Edition.objects.exists()


@pytest.mark.parametrize("url", [upload_url, preview_url])
def test_anonymous_is_sent_to_sign_in(client, compact, url):
    response = client.get(url(compact))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_compact_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("commitments:import_upload", kwargs={"slug": "nowhere"})).status_code == 404


def test_a_long_list_of_errors_is_cut_short(client, coordinator, compact):
    client.force_login(coordinator)
    lines = ["Title", "Outcome 1: One", "Undertakings for the VCS:", "1.1 Fine."]
    lines += [f"2.{n} Under the wrong outcome." for n in range(1, 61)]
    upload(client, compact, "\n".join(lines).encode())
    page = client.get(preview_url(compact)).content.decode()
    assert "Line 54: Undertaking 2.50 is under Outcome 1" in page
    assert "Line 55: Undertaking" not in page
    assert "There are 10 more problems. Fix these first." in page


def test_the_text_is_read_once_on_upload_not_on_each_load_of_the_check_page(client, coordinator, compact, monkeypatch):
    client.force_login(coordinator)
    assert upload(client, compact, SAMPLE.read_bytes(), name="Fernbrook 2027").status_code == 302

    def read_again(text):
        raise AssertionError("the text was read again")

    monkeypatch.setattr("commitments.importer.read_compact_text", read_again)
    for _ in range(3):
        page = client.get(preview_url(compact)).content.decode()
        assert 'id="import-total-public">9<' in page and "Total: 16 undertakings" in page
    assert "the text was read again" not in page
    client.post(preview_url(compact), {})
    edition = Edition.objects.get(compact=compact)
    assert edition.undertakings.count() == 16
    assert edition.outcomes.get(number=2).undertakings.get(number="2.5").text.startswith("Say who is being represented")


def test_a_check_page_kept_by_an_older_version_asks_for_the_file_again(client, coordinator, compact):
    client.force_login(coordinator)
    session = client.session
    session[f"commitments:import:{compact.pk}"] = {"name": "Old", "filename": "old.txt", "text": "x", "sha256": "y"}
    session.save()
    response = client.get(preview_url(compact), follow=True)
    assert response.redirect_chain[-1][0] == upload_url(compact)
    assert "could not be read again. Choose it again." in response.content.decode()
    assert not Edition.objects.exists()


def test_a_hostile_megabyte_is_refused_quickly(client, coordinator, compact):
    client.force_login(coordinator)
    head = b"The Test Compact\nOutcome 1: Fair play\nUndertakings for the public sector:\n1.1 x"
    started = time.process_time()
    response = upload(client, compact, head + b" " * 1_000_000 + b"y")
    assert time.process_time() - started < 2.0
    assert response.status_code in (200, 302)


def test_a_joint_undertaking_read_by_the_importer_is_previewed_and_saved_as_joint(client, coordinator, compact):
    text = "\n".join(
        [
            "The Millbrook Compact",
            "Outcome 1: Fair funding",
            "The Council will:",
            "1.1 Publish the grants calendar early.",
            "Both sectors will:",
            "1.2 Review the calendar together each year.",
        ]
    )
    client.force_login(coordinator)
    upload(client, compact, text.encode())
    preview = client.get(preview_url(compact))
    assert preview.status_code == 200
    page = preview.content.decode()
    row = page.split(">1.2<", 1)[1].split("</tr>", 1)[0]
    assert "Both sectors" in row

    response = client.post(preview_url(compact))
    assert response.status_code == 302
    draft = compact.editions.get()
    assert draft.undertakings.get(number="1.2").sector == "joint"


# --- The structure preview and the rules that correct it ------------------------------------------

THEMED = "\n".join(
    [
        "The Millbrook Compact",
        "How the partners of Millbrook work together.",
        "Pillar 1 – Open doors",  # 3
        "The Council will:",
        "1.1 Keep the hall open.",  # 5
        "The VCS will:",
        "1.2 Use the hall well.",
        "Pillar 2 – Fair grants",
        "The Council will:",
        "2.1 Pay on time.",
        "The VCS will:",
        "2.2 Report honestly.",
    ]
).encode()


def rules_url(compact) -> str:
    return reverse("commitments:import_rule_add", kwargs={"slug": compact.slug})


def test_each_line_is_shown_with_what_it_was_read_as(client, coordinator, compact):
    client.force_login(coordinator)
    upload(client, compact, SAMPLE.read_bytes())
    page = client.get(preview_url(compact)).content.decode()
    assert "How each line was read" in page
    row = page[page.index('id="line-12"') :]
    row = row[: row.index("</tr>")]
    assert "Outcome heading" in row and "Outcome 1:  A confident" in row
    row = page[page.index('id="line-13"') :]
    assert "Sector heading" in row[: row.index("</tr>")]


def test_a_rule_corrects_the_reading_at_once_and_is_kept_for_the_next_import(client, coordinator, compact):
    from commitments.models import ImportRule

    client.force_login(coordinator)
    upload(client, compact, THEMED, filename="millbrook.txt")
    page = client.get(preview_url(compact)).content.decode()
    assert "Did you mean line 3, ‘Pillar 1 – Open doors’, as Outcome 1?" in page
    assert "add the rule ‘lines starting with “Pillar” are outcome headings’" in page
    assert "Create the draft edition" not in page

    response = client.post(rules_url(compact), {"kind": "outcome", "text": "Pillar"})
    assert response["Location"] == preview_url(compact)
    page = client.get(preview_url(compact)).content.decode()
    assert "Rule added: Lines starting with ‘Pillar’ are outcome headings. The text has been read again" in page
    assert "govuk-error-summary" not in page
    assert 'id="import-total-public">2<' in page and 'id="import-total-vcs">2<' in page
    assert "Create the draft edition" in page

    # Remembered for this Compact: the next upload is read with it straight away.
    upload(client, compact, THEMED, filename="again.txt")
    page = client.get(preview_url(compact)).content.decode()
    assert "govuk-error-summary" not in page
    assert "Lines starting with ‘Pillar’ are outcome headings" in page

    client.post(preview_url(compact), {})
    edition = Edition.objects.get(compact=compact)
    assert list(edition.outcomes.values_list("number", "title")) == [(1, "Open doors"), (2, "Fair grants")]

    # Removed, the reading goes back to refusing the headings it does not know.
    upload(client, compact, THEMED)
    rule = ImportRule.objects.get(compact=compact)
    remove = reverse("commitments:import_rule_remove", kwargs={"slug": compact.slug, "pk": rule.pk})
    assert client.post(remove)["Location"] == preview_url(compact)
    assert not ImportRule.objects.exists()
    page = client.get(preview_url(compact)).content.decode()
    assert "Did you mean line 3" in page


CHAPTERS = SAMPLE.with_name("sample_compact_chapters.txt")


def test_a_compact_in_the_national_compacts_shape_is_imported_whole_through_the_pages(
    client, coordinator, compact, settings
):
    client.force_login(coordinator)
    upload(client, compact, CHAPTERS.read_bytes(), filename="ashdown.txt")
    page = client.get(preview_url(compact)).content.decode()
    assert "‘The sector will:’ does not say which sector makes these undertakings." in page
    assert "Create the draft edition" not in page
    # The coordinator turns to Welsh: the problems are read again, once, in Welsh.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(preview_url(compact)).content.decode()
    assert "Nid yw ‘The sector will:’ yn dweud pa sector sy&#x27;n gwneud yr ymgymeriadau hyn." in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    page = client.get(preview_url(compact)).content.decode()
    assert "‘The sector will:’ does not say which sector makes these undertakings." in page

    # A coordinator reading in Welsh: the text is read again when the rule is added, in Welsh.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    client.post(rules_url(compact), {"kind": "sector", "text": "The sector will", "sector": "vcs"})
    page = client.get(preview_url(compact)).content.decode()
    assert "govuk-error-summary" not in page
    assert "Nid yw llinellau 58 i 59, rhestr llofnodwyr y ddogfen, yn cael eu mewnforio" in page
    assert "Mae&#x27;r eitem ‘1.’ wedi&#x27;i rhifo yn ei rhestr, nid yn ei chanlyniad" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    client.post(preview_url(compact), {})
    edition = Edition.objects.get(compact=compact)
    assert list(edition.outcomes.values_list("number", "title")) == [
        (3, "Involvement in decisions"),
        (4, "Consultation"),
        (5, "Fair funding"),
        (6, "Working together"),
    ]
    assert list(edition.undertakings.order_by("outcome__number", "pk").values_list("number", "sector")) == [
        ("3.1", Sector.PUBLIC),
        ("3.2", Sector.PUBLIC),
        ("3.3", Sector.VCS),
        ("4.1", Sector.PUBLIC),
        ("4.2", Sector.PUBLIC),
        ("4.3", Sector.VCS),
        ("5.1", Sector.PUBLIC),
        ("5.2", Sector.PUBLIC),
        ("5.3", Sector.VCS),
        ("6.1", UndertakingSector.JOINT),
        ("6.2", Sector.VCS),
    ]
    assert "Signed for" not in edition.introduction + edition.making_it_work + edition.dispute_resolution


def test_a_sector_rule_without_its_sector_is_refused_with_a_message(client, coordinator, compact):
    client.force_login(coordinator)
    upload(client, compact, THEMED)
    response = client.post(rules_url(compact), {"kind": "sector", "text": "Millbrook Council"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose which sector the heading means" in page
    assert "<title>Error:" in page
    assert "How each line was read" in page
    response = client.post(rules_url(compact), {"kind": "ignore", "text": " ... "})
    assert "Enter some letters or digits the lines start with" in response.content.decode()


def test_pasted_text_is_read_like_a_file(client, coordinator, compact):
    client.force_login(coordinator)
    response = client.post(
        upload_url(compact), {"name": "Pasted 2027", "pasted_text": SAMPLE.read_text(encoding="utf-8")}
    )
    assert response["Location"] == preview_url(compact)
    page = client.get(preview_url(compact)).content.decode()
    assert "Pasted text" in page
    assert 'id="import-total-public">9<' in page


def test_nothing_chosen_and_nothing_pasted_says_what_to_do(client, coordinator, compact):
    client.force_login(coordinator)
    response = client.post(upload_url(compact), {"name": "Nothing"})
    assert "Choose the file of the Compact, or paste its text" in response.content.decode()


def test_a_word_document_is_imported_through_the_web_form(client, coordinator, compact):
    import io

    import docx

    document = docx.Document()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    client.force_login(coordinator)
    assert upload(client, compact, data.getvalue(), filename="fernbrook.docx")["Location"] == preview_url(compact)
    page = client.get(preview_url(compact)).content.decode()
    assert 'id="import-total-public">9<' in page and 'id="import-total-vcs">7<' in page
    client.post(preview_url(compact), {})
    assert Edition.objects.get(compact=compact).undertakings.count() == 16


def test_principles_and_codes_of_practice_are_saved_in_their_own_parts(client, coordinator, compact):
    text = "\n".join(
        [
            "The Millbrook Compact",
            "Principles",
            "Respect: each side values the other.",
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "The VCS will:",
            "1.2 Use the hall well.",
            "Funding code of practice",
            "11.2 Give three months' notice.",
            "Contacts",
            "The Compact office.",
        ]
    )
    client.force_login(coordinator)
    upload(client, compact, text.encode())
    client.post(preview_url(compact), {})
    edition = Edition.objects.get(compact=compact)
    assert list(edition.principles.values_list("title", "description")) == [("Respect", "each side values the other.")]
    assert list(edition.codes_of_practice.values_list("title", "body")) == [
        ("Funding code of practice", "11.2 Give three months' notice.")
    ]
    assert edition.undertakings.get(number="1.2").text == "Use the hall well."
    assert edition.dispute_resolution.endswith("Contacts\n\nThe Compact office.")


def test_joint_undertakings_are_saved_as_joint(client, coordinator, compact):
    text = "\n".join(
        ["The Millbrook Compact", "Outcome 1: Open doors", "The Council will:", "1.1 Keep it open.",
         "Both sectors will:", "1.2 Meet yearly."]
    )  # fmt: skip
    client.force_login(coordinator)
    upload(client, compact, text.encode())
    client.post(preview_url(compact), {})
    edition = Edition.objects.get(compact=compact)
    assert list(edition.undertakings.values_list("number", "sector")) == [("1.1", "public"), ("1.2", "joint")]


def test_the_clean_up_changes_are_shown_in_their_own_section(client, coordinator, compact, monkeypatch):
    from commitments import import_sources

    text = SAMPLE.read_text(encoding="utf-8")
    change = import_sources.Change(
        line=14, kind="hyphen", before="legisla- tion", after="legislation", description="A word split across lines"
    )
    monkeypatch.setattr(
        import_sources,
        "read_source",
        lambda **kwargs: import_sources.SourceText(text=text, changes=(change,), kind="pdf"),
    )
    client.force_login(coordinator)
    upload(client, compact, b"%PDF-1.7 stand-in", filename="fernbrook.pdf")
    page = client.get(preview_url(compact)).content.decode()
    assert "Changes made to the text before reading it" in page
    changes = page[page.index('id="import-changes"') :]
    assert "A word split across lines" in changes and "legisla- tion" in changes and "legislation" in changes
    assert 'id="import-total-public">9<' in page


def test_a_long_document_shows_its_first_lines_and_says_so(client, coordinator, compact, monkeypatch):
    monkeypatch.setattr("commitments.views.imports.MAX_LINES_SHOWN", 10)
    client.force_login(coordinator)
    upload(client, compact, SAMPLE.read_bytes())
    page = client.get(preview_url(compact)).content.decode()
    assert "Only the first 10 lines are shown." in page
    assert 'id="line-9"' in page and 'id="line-12"' not in page
    assert 'id="import-total-public">9<' in page
