"""Importing a list of signatories from CSV: reading the file, matching, saving, and the pages."""

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Edition, Sector
from notifications.models import Notification
from signatories import csv_import, import_services
from signatories.csv_import import CsvImportError, decode_csv_bytes, parse_signatory_csv
from signatories.models import Organisation, OrganisationType, Signature, SignatureEvent
from tests.commitments.factories import PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory, signed_signature

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "signatories.csv"
TODAY = datetime.date(2026, 11, 1)
HEADER = (
    "name,sector,type,charity number,company number,contact name,contact email,signed date,"
    "signatory name,signatory role\n"
)
S = Signature.Status


def parse(text: str, today: datetime.date = TODAY):
    return parse_signatory_csv(text, today=today)


def problems(text: str) -> list[str]:
    with pytest.raises(CsvImportError) as caught:
        parse(text)
    return [str(error) for error in caught.value.errors]


# --- Reading the file (no database) ---------------------------------------------------------------


def test_the_fixture_is_read_row_by_row():
    parsed = parse(decode_csv_bytes(FIXTURE.read_bytes()))
    assert parsed.ignored_columns == []
    rows = {row.name: row for row in parsed.rows}
    assert len(rows) == 8
    council = rows["Fernbrook Borough Council"]
    assert (council.sector, council.organisation_type, council.signed_on) == (
        Sector.PUBLIC,
        OrganisationType.COUNCIL,
        datetime.date(2026, 3, 27),
    )
    assert (council.contact_name, council.contact_email) == ("Jo Patel", "jo.patel@fernbrook.example")
    assert (council.signatory_name, council.signatory_role, council.line) == ("Jo Patel", "Chief Executive", 2)
    assert rows["Fernbrook and District NHS Trust"].organisation_type == OrganisationType.NHS
    assert rows["Fernbrook Constabulary"].signed_on == datetime.date(2026, 3, 27)
    assert rows["Fernbrook Constabulary"].organisation_type == OrganisationType.POLICE
    assert rows["Fernbrook Food Larder"].charity_number == "1198765"
    assert rows["Kingfisher Youth Club"].sector == Sector.VCS
    assert rows["Fernbrook CVS"].organisation_type == OrganisationType.CVS
    assert rows["Fernbrook CVS"].company_number == "09876543"  # the leading 0 is kept
    assert rows["Riverbank Repair Café CIC"].signed_on == datetime.date(2026, 3, 3)
    befriending = rows["Smith, Jones & Partners Befriending"]
    assert befriending.organisation_type == OrganisationType.OTHER_VCS  # "Other" in the VCS
    assert befriending.signatory_name == "O'Neill, Kate"
    assert befriending.line == 9


@pytest.mark.parametrize(
    "written",
    ["27/03/2026", "27-03-2026", "27.03.2026", "2026-03-27", "27 March 2026", "27 Mar 2026", "27th March 2026"]
    + ["2026-03-27 00:00:00", " 27/3/2026 "],
)
def test_dates_written_the_british_way_or_as_iso(written):
    assert csv_import.parse_date(written) == datetime.date(2026, 3, 27)


@pytest.mark.parametrize("written", ["03/27/2026", "31/02/2026", "March 2026", "yesterday", "27/03"])
def test_dates_that_are_not_real_or_not_readable(written):
    assert csv_import.parse_date(written) is None


def test_headings_in_other_words_any_case_and_order_other_columns_ignored():
    text = (
        "Date Signed;ORGANISATION;Type of organisation;Sector;Signed by;Role;Notes\n"
        "01/02/2026;Oakwood Allotment Society;community group;Voluntary;Ali Khan;Treasurer;paper copy in file\n"
    )
    parsed = parse(text)
    (row,) = parsed.rows
    assert (row.name, row.sector, row.organisation_type) == ("Oakwood Allotment Society", "vcs", "community_group")
    assert (row.signatory_name, row.signatory_role) == ("Ali Khan", "Treasurer")
    assert parsed.ignored_columns == ["Notes"]


@pytest.mark.parametrize(
    ("sector", "expected"),
    [("Public sector", "public"), ("PUBLIC", "public"), ("Statutory", "public"), ("VCS", "vcs"), ("vcse", "vcs")]
    + [("Voluntary and Community Sector", "vcs"), ("voluntary & community", "vcs"), ("Third sector", "vcs")],
)
def test_sector_spellings(sector, expected):
    kind = "Council" if expected == "public" else "Charity"
    (row,) = parse(f"name,sector,type,signed date\nA,{sector},{kind},01/01/2026\n").rows
    assert row.sector == expected


def test_types_by_name_or_short_form():
    text = "name,sector,type,signed date\n" + "".join(
        f"Org {n},{'public' if value in ('council', 'nhs', 'fire', 'other_public') else 'vcs'},{written},01/01/2026\n"
        for n, (written, value) in enumerate(
            [
                ("Fire and rescue service", "fire"),
                ("other_public", "other_public"),
                ("Council for voluntary service (CVS)", "cvs"),
                ("Council for voluntary service", "cvs"),
                ("SOCIAL ENTERPRISE", "social_enterprise"),
                ("Local authority", "council"),
                ("nhs", "nhs"),
            ]
        )
    )
    assert [row.organisation_type for row in parse(text).rows] == [
        "fire",
        "other_public",
        "cvs",
        "cvs",
        "social_enterprise",
        "council",
        "nhs",
    ]


def test_every_bad_row_is_refused_with_its_line_and_reason():
    text = HEADER + (
        "Good Council,Public,Council,,,,,01/02/2026,A,B\n"  # line 2
        ",VCS,Charity,,,,,01/02/2026,A,B\n"  # 3: no name
        "Private Ltd,Private sector,Charity,,,,,01/02/2026,A,B\n"  # 4: unknown sector
        "Wrong Type Club,VCS,Police,,,,,01/02/2026,A,B\n"  # 5: type of the other sector
        "Bad Date Group,VCS,Charity,,,,,31/02/2026,A,B\n"  # 6: not a real date
        "Future Group,VCS,Charity,,,,,01/01/2099,A,B\n"  # 7: in the future
        "Bad Email Group,VCS,Charity,,,,not-an-email,01/02/2026,A,B\n"  # 8: bad email
        "\n"  # 9: blank, skipped
        "the good council ltd,public,council,,,,,02/02/2026,A,B\n"  # 10: same as line 2
        "Numbered Charity,VCS,Charity,1234567,,,,01/02/2026,A,B\n"  # 11
        "Renamed Charity,VCS,Charity,1234567,,,,01/02/2026,A,B\n"  # 12: same charity number as 11
        "Mystery Group,VCS,Spaceship,,,,,01/02/2026,A,B\n"  # 13: unknown type
        "Two Problems,Nowhere,Charity,,,,,someday,A,B\n"  # 14: two reasons
        "Early Bird,VCS,Charity,,,,,01/02/1926,A,B\n"  # 15: before 1998
    )
    found = problems(text)
    assert found == [
        "Line 3: Enter the organisation’s name.",
        "Line 4: The sector ‘Private sector’ is not one we know: use ‘Public sector’ or ‘VCS’.",
        "Line 5: The type ‘Police’ belongs to the public sector, but the sector given is ‘VCS’.",
        "Line 6: The date ‘31/02/2026’ is not a real date in a form we can read: write it like 27/03/2026.",
        "Line 7: The date signed, 01/01/2099, is in the future.",
        "Line 8: The email address ‘not-an-email’ is not a valid email address.",
        "Line 10: This organisation is already on line 2 (the same name).",
        "Line 12: This organisation is already on line 11 (the same charity number).",
        found[8],
        "Line 14: The sector ‘Nowhere’ is not one we know: use ‘Public sector’ or ‘VCS’. "
        "The date ‘someday’ is not a real date in a form we can read: write it like 27/03/2026.",
        "Line 15: The date signed, 01/02/1926, is before the first Compacts were agreed: check the year.",
    ]
    assert found[8].startswith("Line 13: The type ‘Spaceship’ is not one we know. Use one of: Council, NHS body,")


def test_missing_and_repeated_columns():
    assert problems("organisation,type\nA,Charity\n") == [
        "Line 1: The first line must be the column headings, and there is no column for: sector, signed date. "
        "The headings needed are name, sector, type and signed date."
    ]
    assert problems("name,organisation,sector,type,signed date\nA,B,VCS,Charity,01/01/2026\n") == [
        "Line 1: There are two columns for the name (‘name’ and ‘organisation’). Delete one of them."
    ]


def test_a_file_with_headings_only_or_nothing():
    assert problems(HEADER) == ["The file has column headings but no organisations under them."]
    assert problems("") == ["The file is empty."]


def test_too_many_cells_and_too_many_rows(monkeypatch):
    assert problems("name,sector,type,signed date\nA,VCS,Charity,01/01/2026,surprise\n") == [
        "Line 2: This line has more cells than there are column headings."
    ]
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)
    text = "name,sector,type,signed date\n" + "".join(f"Org {n},VCS,Charity,01/01/2026\n" for n in range(3))
    assert problems(text) == ["The file has more than 2 organisations. Split it into smaller files."]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "The file is a PDF, not a CSV file."),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "The file is an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "The file is an older Excel (.xls) or Word file"),
        ("name,sector\n".encode("utf-16"), "saved as ‘Unicode text’ (UTF-16)"),
        (b"name,sector\x00,type\n", "The file is not text, not a CSV file."),
        (b"\x01\x02\x03\x04binary\x05\x06", "The file is not text, not a CSV file."),
        (b"   \n", "The file is empty."),
    ],
)
def test_files_that_are_not_csv_are_refused_by_their_content(data, says):
    with pytest.raises(CsvImportError) as caught:
        decode_csv_bytes(data)
    message = str(caught.value.errors[0])
    assert says in message
    if "empty" not in says:
        assert "CSV UTF-8 (comma delimited) (.csv)" in message


def test_utf8_with_or_without_bom_and_windows_1252():
    text = "name,sector,type,signed date\nRiverbank Repair Café,VCS,Charity,01/01/2026\n"
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("cp1252")):
        (row,) = parse(decode_csv_bytes(data)).rows
        assert row.name == "Riverbank Repair Café"


# --- Matching and saving --------------------------------------------------------------------------


@pytest.fixture
def fixture_rows():
    return parse(decode_csv_bytes(FIXTURE.read_bytes())).rows


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "signatures": Signature.objects.count(),
        "events": SignatureEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "emails": len(mail.outbox),
    }


@pytest.mark.django_db
def test_importing_creates_organisations_and_signed_signatures_without_emails(
    edition, coordinator, fixture_rows, django_capture_on_commit_callbacks
):
    plan = import_services.signatories_import_plan(edition=edition, rows=fixture_rows)
    assert (plan.organisations_to_create, plan.organisations_matched) == (8, 0)
    assert (plan.signatures_to_create, plan.unchanged, plan.errors) == (8, 0, [])

    with django_capture_on_commit_callbacks() as callbacks:
        result = import_services.signatories_import(
            edition=edition, rows=fixture_rows, by=coordinator, filename="signatories.csv"
        )
    assert result == import_services.ImportResult(organisations_created=8, signatures_created=8, unchanged=0)
    assert len(callbacks) == 1  # the PDF is asked for again, once

    larder = Organisation.objects.get(name="Fernbrook Food Larder")
    assert (larder.sector, larder.organisation_type, larder.charity_number) == ("vcs", "charity", "1198765")
    assert (larder.contact_name, larder.contact_email) == ("Lee Carter", "lee@foodlarder.example")
    assert larder.normalised_name == "fernbrook food larder"
    assert not larder.memberships.exists()
    signature = larder.signatures.get()
    assert signature.edition == edition
    assert signature.status == S.SIGNED
    assert (signature.signatory_name, signature.signatory_role) == ("Lee Carter", "Chair of trustees")
    assert signature.signed_on == datetime.date(2026, 3, 27)
    assert signature.recorded_on_behalf
    assert signature.applied_by == signature.decided_by == coordinator
    assert signature.applied_at and signature.decided_at
    assert signature.statement.startswith("Fernbrook Food Larder signs Riverside Compact (First edition).")
    event = signature.events.get()
    assert (event.old_status, event.new_status, event.by, event.note) == (
        "",
        S.SIGNED,
        coordinator,
        "Imported from signatories.csv",
    )
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(edition, coordinator, fixture_rows):
    import_services.signatories_import(edition=edition, rows=fixture_rows, by=coordinator, filename="a.csv")
    before = counts()
    stamps = dict(Signature.objects.values_list("pk", "updated_at"))

    plan = import_services.signatories_import_plan(edition=edition, rows=fixture_rows)
    assert (plan.organisations_to_create, plan.organisations_matched, plan.signatures_to_create, plan.unchanged) == (
        0,
        8,
        0,
        8,
    )
    result = import_services.signatories_import(edition=edition, rows=fixture_rows, by=coordinator, filename="a.csv")
    assert result == import_services.ImportResult(organisations_created=0, signatures_created=0, unchanged=8)
    assert counts() == before
    assert dict(Signature.objects.values_list("pk", "updated_at")) == stamps


@pytest.mark.django_db
def test_matching_by_charity_number_then_company_number_then_name(edition, coordinator):
    by_charity = OrganisationFactory(name="Larder (old name)", charity_number="1198765")
    by_company = OrganisationFactory(name="Fernbrook Council for Voluntary Service", company_number="09876543")
    by_name = PublicBodyFactory(name="The Fernbrook Borough Council")
    pending = OrganisationFactory(name="Kingfisher Youth Club")
    SignatureFactory(organisation=pending, edition=edition, status=S.PENDING)
    rows = parse(FIXTURE.read_text()).rows

    plan = import_services.signatories_import_plan(edition=edition, rows=rows)
    planned = {p.row.name: p for p in plan.rows}
    assert planned["Fernbrook Food Larder"].organisation == by_charity
    assert planned["Fernbrook Food Larder"].matched_by == "charity number"
    assert planned["Fernbrook CVS"].organisation == by_company
    assert planned["Fernbrook CVS"].matched_by == "company number"
    assert planned["Fernbrook CVS"].notes == [
        "The file has type ‘Council for voluntary service (CVS)’, the portal ‘Community group’: the portal’s is "
        "kept, nothing changes."
    ]
    assert planned["Fernbrook Borough Council"].organisation == by_name
    assert planned["Fernbrook Borough Council"].matched_by == "name"
    assert planned["Kingfisher Youth Club"].action == import_services.Action.UNCHANGED
    assert "already on this edition as ‘Awaiting approval’: no change" in planned["Kingfisher Youth Club"].description
    assert (plan.organisations_to_create, plan.organisations_matched, plan.signatures_to_create, plan.unchanged) == (
        4,
        4,
        7,
        1,
    )

    import_services.signatories_import(
        edition=edition, rows=rows, by=coordinator, filename="list.csv", existing_confirmed=True
    )
    assert Organisation.objects.count() == 4 + 4
    by_charity.refresh_from_db()
    assert by_charity.name == "Larder (old name)"  # an organisation already here is not changed
    assert by_charity.signatures.get().status == S.SIGNED
    assert pending.signatures.get().status == S.PENDING  # left exactly as it was


@pytest.mark.django_db
def test_a_row_that_could_be_two_organisations_or_has_another_number_is_an_error(edition):
    OrganisationFactory(name="Twin Trust")
    OrganisationFactory(name="Twin Trust Ltd")
    OrganisationFactory(name="Numbered Trust", charity_number="5555555")
    rows = parse(
        "name,sector,type,charity number,signed date\n"
        "Twin Trust,VCS,Charity,,01/01/2026\n"
        "Numbered Trust,VCS,Charity,6666666,01/01/2026\n"
    ).rows
    plan = import_services.signatories_import_plan(edition=edition, rows=rows)
    assert [str(error) for error in plan.errors] == [
        "Line 2: It matches 2 organisations already in the portal by name (‘Twin Trust’, ‘Twin Trust Ltd’). "
        "Add its charity or company number so that we know which it is.",
        "Line 3: It matches ‘Numbered Trust’ by name, but that organisation’s charity number is 5555555, not "
        "6666666. Check the number, or the name if they are different organisations.",
    ]
    with pytest.raises(import_services.SignatoryImportError):
        import_services.signatories_import(edition=edition, rows=rows, by=None, filename="x.csv")
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_two_rows_for_one_organisation_already_here_is_an_error(edition):
    OrganisationFactory(name="Heron Trust", charity_number="7777777")
    rows = parse(
        "name,sector,type,charity number,signed date\n"
        "Heron Trust,VCS,Charity,,01/01/2026\n"
        "Heron Riverside Project,VCS,Charity,7777777,01/01/2026\n"
    ).rows
    plan = import_services.signatories_import_plan(edition=edition, rows=rows)
    assert [str(error) for error in plan.errors] == ["Line 3: It is the same organisation as line 2 (‘Heron Trust’)."]


@pytest.mark.django_db
def test_only_the_current_edition_takes_an_import(compact, coordinator, fixture_rows):
    superseded = PublishedEditionFactory(compact=compact, status=Edition.Status.SUPERSEDED)
    with pytest.raises(import_services.SignatoryImportError):
        import_services.signatories_import(edition=superseded, rows=fixture_rows, by=coordinator, filename="x.csv")
    assert not Organisation.objects.filter(name="Fernbrook Food Larder").exists()


@pytest.mark.django_db
def test_a_failure_half_way_saves_nothing(edition, coordinator, fixture_rows, monkeypatch):
    real_create = SignatureEvent.objects.create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 5:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(SignatureEvent.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        import_services.signatories_import(edition=edition, rows=fixture_rows, by=coordinator, filename="x.csv")
    assert not Organisation.objects.filter(name__startswith="Fernbrook").exists()
    assert not Signature.objects.exists()


# --- The pages ------------------------------------------------------------------------------------


def upload_url(compact) -> str:
    return reverse("signatories:import_upload", kwargs={"slug": compact.slug})


def preview_url(compact) -> str:
    return reverse("signatories:import_preview", kwargs={"slug": compact.slug})


def upload(client, compact, data: bytes, filename: str = "signatories.csv"):
    return client.post(upload_url(compact), {"csv_file": SimpleUploadedFile(filename, data, content_type="text/csv")})


@pytest.mark.django_db
def test_only_the_coordinator_may_import(client, compact, edition, stranger, officer, vcs_member):
    for url in (upload_url(compact), preview_url(compact)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    for user in (stranger, officer, vcs_member):
        client.force_login(user)
        assert client.get(upload_url(compact)).status_code == 403
        assert client.get(preview_url(compact)).status_code == 403
        assert upload(client, compact, FIXTURE.read_bytes()).status_code == 403
        assert client.post(preview_url(compact)).status_code == 403
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_upload_check_and_import(client, compact, edition, coordinator):
    client.force_login(coordinator)
    page = client.get(upload_url(compact)).content.decode()
    assert "Import signatories from a spreadsheet" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".csv,text/csv"' in page
    assert "govuk-error-summary" not in page

    response = upload(client, compact, FIXTURE.read_bytes(), filename="fernbrook-signatories.csv")
    assert response.status_code == 302
    assert response["Location"] == preview_url(compact)
    assert not Organisation.objects.filter(name="Fernbrook Food Larder").exists()

    page = client.get(preview_url(compact)).content.decode()
    assert "Check the signatories before importing them" in page
    assert "fernbrook-signatories.csv" in page
    assert 'id="import-rows">8<' in page
    assert 'id="import-new-organisations">8<' in page
    assert 'id="import-matched">0<' in page
    assert 'id="import-new-signatures">8<' in page
    assert 'id="import-unchanged">0<' in page
    assert "Smith, Jones &amp; Partners Befriending" in page
    assert "New organisation: added, with its signature" in page
    assert "Import 8 signatures" in page
    assert not Signature.objects.exists()

    response = client.post(preview_url(compact), {})
    assert response.status_code == 302
    assert response["Location"] == reverse("signatories:register", kwargs={"slug": compact.slug})
    assert Signature.objects.filter(edition=edition, status=S.SIGNED).count() == 8
    register = client.get(response["Location"]).content.decode()
    assert "Imported from fernbrook-signatories.csv: 8 new organisations and 8 signatures" in register
    assert "Fernbrook Food Larder" in register

    # The file is used up: confirming again imports nothing more.
    response = client.post(preview_url(compact), {})
    assert response["Location"] == upload_url(compact)
    assert Signature.objects.count() == 8


@pytest.mark.django_db
def test_uploading_the_same_file_again_shows_nothing_to_do_and_changes_nothing(client, compact, edition, coordinator):
    client.force_login(coordinator)
    upload(client, compact, FIXTURE.read_bytes())
    client.post(preview_url(compact), {})
    before = counts()

    assert upload(client, compact, FIXTURE.read_bytes()).status_code == 302
    page = client.get(preview_url(compact)).content.decode()
    assert 'id="import-new-organisations">0<' in page
    assert 'id="import-matched">8<' in page
    assert 'id="import-new-signatures">0<' in page
    assert 'id="import-unchanged">8<' in page
    assert "There is nothing to import" in page
    assert "which has already signed this edition: no change" in page
    client.post(preview_url(compact), {})
    assert counts() == before


@pytest.mark.django_db
def test_bad_rows_are_all_shown_and_nothing_is_saved(client, compact, edition, coordinator):
    client.force_login(coordinator)
    text = HEADER + (
        "Good Council,Public,Council,,,,,01/02/2026,A,B\n"
        ",VCS,Charity,,,,,01/02/2026,A,B\n"
        "Private Ltd,Private sector,Charity,,,,,01/02/2026,A,B\n"
        "Future Group,VCS,Charity,,,,,01/01/2099,A,B\n"
    )
    response = upload(client, compact, text.encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error:" in page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "Line 3: Enter the organisation’s name." in summary
    assert "Line 4: The sector ‘Private sector’ is not one we know" in summary
    assert "Line 5: The date signed, 01/01/2099, is in the future." in summary
    assert "Line 2" not in summary
    assert not Organisation.objects.filter(name="Good Council").exists()
    assert "signatories:import:" not in str(dict(client.session))
    assert client.get(preview_url(compact))["Location"] == upload_url(compact)


@pytest.mark.django_db
def test_more_problems_than_the_summary_holds_are_all_listed_below(client, compact, edition, coordinator):
    client.force_login(coordinator)
    text = "name,sector,type,signed date\n" + "".join(f"Org {n},Nowhere,Charity,01/01/2026\n" for n in range(60))
    page = upload(client, compact, text.encode()).content.decode()
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert summary.count("Line ") == 50
    assert "There are 10 more problems, listed below." in summary
    listed = page.split('id="import-problems"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 60
    assert "Line 61: The sector ‘Nowhere’" in listed


@pytest.mark.django_db
def test_a_binary_or_oversized_file_is_refused(client, compact, edition, coordinator, monkeypatch):
    client.force_login(coordinator)
    page = upload(client, compact, b"PK\x03\x04" + b"\x00" * 200, filename="signatories.csv").content.decode()
    assert "The file is an Excel workbook (.xlsx) or another zipped file, not a CSV file." in page
    assert "CSV UTF-8 (comma delimited) (.csv)" in page

    page = upload(client, compact, b"%PDF-1.4 ...", filename="list.pdf").content.decode()
    assert "The file is a PDF, not a CSV file." in page

    monkeypatch.setattr(csv_import, "MAX_BYTES", 100)
    page = upload(client, compact, FIXTURE.read_bytes()).content.decode()
    assert "The file must be 100 bytes or smaller. Split the list into smaller files." in page
    assert not Organisation.objects.filter(name="Fernbrook Food Larder").exists()

    page = client.post(upload_url(compact), {}).content.decode()
    assert "Choose the CSV file of signatories" in page


@pytest.mark.django_db
def test_a_compact_with_no_published_edition_refuses(client, compact, coordinator):
    client.force_login(coordinator)
    PublishedEditionFactory(compact=compact, status=Edition.Status.DRAFT, published_on=None)
    page = client.get(upload_url(compact)).content.decode()
    assert "This Compact has no published edition yet." in page
    assert 'name="csv_file"' not in page
    response = upload(client, compact, FIXTURE.read_bytes())
    assert response.status_code == 200
    assert client.get(preview_url(compact))["Location"] == upload_url(compact)
    assert not Organisation.objects.filter(name="Fernbrook Food Larder").exists()


@pytest.mark.django_db
def test_a_new_edition_published_between_check_and_confirm_stops_the_import(client, compact, edition, coordinator):
    client.force_login(coordinator)
    upload(client, compact, FIXTURE.read_bytes())
    edition.status = Edition.Status.SUPERSEDED
    edition.save()
    PublishedEditionFactory(compact=compact, name="Surprise edition")
    response = client.post(preview_url(compact), {})
    assert response["Location"] == upload_url(compact)
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_an_organisation_signed_meanwhile_is_left_alone(client, compact, edition, coordinator):
    client.force_login(coordinator)
    upload(client, compact, FIXTURE.read_bytes())
    larder = OrganisationFactory(name="Fernbrook Food Larder", charity_number="1198765", organisation_type="charity")
    existing = signed_signature(organisation=larder, edition=edition, signatory_name="Someone Else")
    client.post(preview_url(compact), {})
    existing.refresh_from_db()
    assert existing.signatory_name == "Someone Else"
    assert Signature.objects.count() == 8


HEADER = (
    "Name,Sector,Type,Charity number,Company number,Contact name,Contact email,Signed date,Signatory name,"
    "Signatory role\n"
)


@pytest.mark.django_db
def test_signing_organisations_already_here_is_listed_and_needs_a_tick(client, compact, edition, coordinator):
    """An import never signs an organisation of another Compact, or one already in the portal, unannounced."""
    hillside = PublishedEditionFactory(compact__name="Hillside Compact", name="Hillside edition")
    theirs = OrganisationFactory(name="Hillside Allotments", contact_name="Ann Old", contact_email="ann@old.example")
    signed_signature(organisation=theirs, edition=hillside)
    ours = OrganisationFactory(name="Riverside Rowing Club")
    data = (
        HEADER
        + "Hillside Allotments,vcs,charity,,,Bo New,bo@new.example,1/3/2026,Bo New,Chair\n"
        + "Riverside Rowing Club,vcs,community group,,,,,1/3/2026,Cy Oar,Captain\n"
        + "Brand New Group,vcs,community group,,,,,1/3/2026,Di New,Chair\n"
    ).encode()
    client.force_login(coordinator)
    assert upload(client, compact, data).status_code == 302
    page = client.get(preview_url(compact)).content.decode()
    assert "1 organisation in this file belongs to another Compact. Importing signs it to this one too:" in page
    assert "Line 2: Hillside Allotments (Hillside Compact)" in page
    assert "Already exists: will be signed" in page
    assert "Line 3: Riverside Rowing Club (same name)" in page
    assert "Line 2, Hillside Allotments: type ‘Charity’ in the file, ‘Community group’ in the portal" in page
    assert (
        "Line 2, Hillside Allotments: contact email ‘bo@new.example’ in the file, ‘ann@old.example’ in the portal"
        in (page)
    )
    assert "I have checked the 2 organisations already in the portal listed above" in page
    assert "1 of them belongs to another Compact." in page

    # Without the tick: refused, nothing saved.
    response = client.post(preview_url(compact), {})
    assert response.status_code == 200
    assert "Confirm that you have checked the organisations already in the portal" in response.content.decode()
    assert not Signature.objects.filter(edition=edition).exists()
    with pytest.raises(import_services.SignatoryImportError, match="Confirm that the organisations already"):
        import_services.signatories_import(
            edition=edition, rows=parse(data.decode()).rows, by=coordinator, filename="x.csv"
        )

    # With it: signed, and the organisations already here are left exactly as they were.
    response = client.post(preview_url(compact), {"existing_checked": "on"})
    assert response.status_code == 302
    assert set(Signature.objects.filter(edition=edition).values_list("organisation__name", flat=True)) == {
        "Hillside Allotments",
        "Riverside Rowing Club",
        "Brand New Group",
    }
    theirs.refresh_from_db()
    assert (theirs.organisation_type, theirs.contact_name, theirs.contact_email) == (
        "community_group",
        "Ann Old",
        "ann@old.example",
    )
    assert ours.signatures.get().status == S.SIGNED


@pytest.mark.django_db
def test_a_file_of_new_organisations_needs_no_tick(client, compact, edition, coordinator):
    client.force_login(coordinator)
    upload(client, compact, (HEADER + "Brand New Group,vcs,community group,,,,,1/3/2026,Di New,Chair\n").encode())
    page = client.get(preview_url(compact)).content.decode()
    assert "existing_checked" not in page and "Already exists" not in page
    assert client.post(preview_url(compact), {}).status_code == 302
    assert Organisation.objects.get(name="Brand New Group").verified_sector == "vcs"  # a coordinator imported it
