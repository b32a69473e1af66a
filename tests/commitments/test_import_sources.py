"""Getting the text out of what councils have (plain text, Word, PDF) and the clean-up pass.

Every text here is our own writing; the seed is only read, in the tests that use it.
"""

import io
import re
import time
import zipfile

import pytest

from commitments.import_sources import Change, SourceError, SourceText, read_source
from commitments.importer import parse_compact_text
from tests.commitments.source_builders import (
    add_list_paragraph,
    add_multilevel_list,
    add_two_column_table,
    docx_bytes,
    new_docx,
    paragraphs_html,
    pdf_bytes,
)

MAX = 5 * 1024 * 1024


def read(data: bytes, name: str = "compact.txt") -> SourceText:
    return read_source(name=name, data=data, max_bytes=MAX)


def lines_of(source: SourceText) -> list[str]:
    return source.text.split("\n")


def changes_of(source: SourceText, kind: str) -> list[Change]:
    return [change for change in source.changes if change.kind == kind]


def refused(data: bytes, name: str = "compact.txt", max_bytes: int = MAX) -> str:
    with pytest.raises(SourceError) as caught:
        read_source(name=name, data=data, max_bytes=max_bytes)
    return str(caught.value)


# A small Compact of our own, in the shape the parser reads.
OWN_COMPACT = [
    "The Marlow Vale Compact",
    "",
    "An agreement between the borough and its community groups.",
    "Outcome 1: Groups that can plan ahead",
    "Undertakings for the Council:",
    "1.1 Publish grant rounds a season before they open.",
    "1.2 Keep forms short for small sums.",
    "Undertakings for the voluntary sector:",
    "1.3 Tell the borough early when a service is at risk.",
    "Outcome 2: Decisions made in the open",
    "Undertakings for the Council:",
    "2.1 Explain each decision in plain words.",
    "Undertakings for the voluntary sector:",
    "2.2 Bring the views of the people they serve.",
    "2.3 Say whom they speak for.",
]


# --- Plain text ----------------------------------------------------------------------------------


def test_utf8_with_bom_and_windows_line_endings_become_plain_lines():
    source = read(("\ufeff" + "\r\n".join(OWN_COMPACT) + "\r\n").encode("utf-8"))
    assert source.kind == "text"
    assert lines_of(source)[:2] == ["The Marlow Vale Compact", ""]
    assert "\r" not in source.text
    [endings] = changes_of(source, "line_endings")
    assert endings.line == 1 and "15 line endings" in endings.description
    assert parse_compact_text(source.text).count_by_sector() == {"public": 3, "vcs": 3}


def test_windows_1252_is_read_and_said_so():
    text = "The Marlow Vale Compact\nWe will be ‘fair’ – and quick.\n"
    source = read(text.encode("cp1252"))
    assert lines_of(source)[1] == "We will be ‘fair’ – and quick."
    [encoding] = changes_of(source, "encoding")
    assert encoding.before == "Windows-1252" and "Windows-1252" in encoding.description


def test_utf8_text_has_no_encoding_change():
    source = read("We will be ‘fair’ – and quick.\n".encode())
    assert changes_of(source, "encoding") == []
    assert source.changes == ()


def test_each_clean_up_is_recorded_on_the_line_it_ends_up_on():
    text = "\n".join(
        [
            "The Marlow Vale Compact",
            "Outcome 1: Groups that can plan ahead",
            "Undertakings for the Council:",
            "• 1.1 Publish the ﬁnal timetable for the consulta-",
            "tion rounds each spring.   ",
            "– 1.2 Keep forms short for small\u00adsums.",
            "Undertakings for the voluntary sector:",
            "1.3 Plan a multi-",
            "year budget where they can.",
        ]
    )
    source = read(text.encode())
    lines = lines_of(source)
    assert lines[3] == "1.1 Publish the final timetable for the consultation"
    assert lines[4] == "rounds each spring."
    assert lines[5] == "1.2 Keep forms short for smallsums."
    assert lines[7] == "1.3 Plan a multi-year"
    assert lines[8] == "budget where they can."
    kinds = {(change.line, change.kind) for change in source.changes}
    assert {(4, "ligature"), (4, "split_word"), (4, "bullet"), (5, "whitespace"), (6, "bullet")} <= kinds
    assert {(6, "soft_hyphen"), (8, "split_word")} <= kinds
    [consultation] = [c for c in changes_of(source, "split_word") if c.line == 4]
    assert consultation.description == "Joined ‘consulta-’ and ‘tion’ split across lines."
    parsed = parse_compact_text(source.text)
    assert [u.text for u in parsed.undertakings][0] == (
        "Publish the final timetable for the consultation rounds each spring."
    )


def test_a_hyphen_before_a_capital_or_a_number_is_not_a_split_word():
    source = read(b"We work with the North-\nEast network and the under-\n25 forum.\n")
    assert lines_of(source)[:3] == ["We work with the North-", "East network and the under-", "25 forum."]
    assert changes_of(source, "split_word") == []


def test_page_numbers_inside_the_text_are_removed_and_said_so():
    text = "\n".join(
        [
            "The Marlow Vale Compact",
            "Outcome 1: Groups that can plan ahead",
            "Undertakings for the Council:",
            "1.1 Publish grant rounds a season before",
            "4",
            "they open.",
            "Page 5 of 12",
            "1.2 Keep forms short.",
            "Undertakings for the voluntary sector:",
            "1.3 Give three months of notice.",
            "12",
            "Outcome 2: Decisions made in the open",
        ]
    )
    source = read(text.encode())
    lines = lines_of(source)
    assert lines[3:6] == ["1.1 Publish grant rounds a season before", "they open.", "1.2 Keep forms short."]
    # A number after a full stop is not in the middle of a sentence: it stays, for the reader to judge.
    assert "12" in lines
    removed = changes_of(source, "page_number")
    assert [(c.before, c.line) for c in removed] == [("4", 5), ("Page 5 of 12", 6)]


def test_a_line_repeated_at_regular_intervals_is_a_running_header():
    body = []
    for page in range(1, 5):
        body.append("Marlow Vale Compact – consultation draft")
        body.extend(f"Line {page}.{n} of the agreement text." for n in range(1, 7))
    source = read(("\n".join(body) + "\n").encode())
    assert "Marlow Vale Compact – consultation draft" not in source.text
    assert len(changes_of(source, "running_header")) == 4
    assert lines_of(source)[0] == "Line 1.1 of the agreement text."


def test_repeated_sector_headings_are_not_running_headers():
    lines = ["The Marlow Vale Compact"]
    for outcome in range(1, 5):
        lines += [f"Outcome {outcome}: Title {outcome}", "Undertakings for the Council:"]
        lines += [f"{outcome}.1 Do one thing.", f"{outcome}.2 Do another.", "Undertakings for the VCS:"]
        lines += [f"{outcome}.3 Do a third thing."]
    source = read("\n".join(lines).encode())
    assert changes_of(source, "running_header") == []
    assert parse_compact_text(source.text).count_by_sector() == {"public": 8, "vcs": 4}


@pytest.mark.parametrize(
    "public, vcs",
    [("Statutory partners will:", "The Third Sector will:"), ("Statutory partners undertake to", "CSOs commit to:")],
)
def test_repeated_block_headings_of_any_shape_are_not_running_headers(public, vcs):
    lines = ["The Marlow Vale Compact"]
    for outcome in range(1, 5):
        lines += [
            f"Outcome {outcome}: Title {outcome}",
            public,
            f"{outcome}.1 Do one thing.",
            f"{outcome}.2 Do another.",
        ]
        lines += [vcs, f"{outcome}.3 Do a third thing."]
    source = read("\n".join(lines).encode())
    assert changes_of(source, "running_header") == []
    assert parse_compact_text(source.text).count_by_sector() == {"public": 8, "vcs": 4}


def test_a_word_document_with_unnumbered_headings_and_word_lists_is_read_whole():
    document = new_docx()
    document.add_heading("The Brookside Compact", 0)
    document.add_paragraph("An agreement between public bodies and the voluntary sector in Brookside.")
    for title in ("Involvement in policy development", "Fair funding"):
        document.add_heading(title, 1)
        document.add_paragraph("Public bodies will:")
        document.add_paragraph("Consult early on changes.", style="List Number")
        document.add_paragraph("Give reasons for decisions.", style="List Number")
        document.add_paragraph("Voluntary organisations will:")
        document.add_paragraph("Respond on behalf of members.", style="List Bullet")
    document.add_heading("Resolving disagreements", 1)
    document.add_paragraph("Talk first.")
    parsed = parse_compact_text(read(docx_bytes(document), "compact.docx").text)
    assert [(o.number, o.title) for o in parsed.outcomes] == [
        (1, "Involvement in policy development"),
        (2, "Fair funding"),
    ]
    assert [(u.number, u.sector) for u in parsed.undertakings] == [
        ("1.1", "public"),
        ("1.2", "public"),
        ("1.3", "vcs"),
        ("2.1", "public"),
        ("2.2", "public"),
        ("2.3", "vcs"),
    ]
    assert parsed.dispute_resolution == "Talk first."
    assert "This outcome heading has no number; it has been read as Outcome 2." in [w.message for w in parsed.warnings]


@pytest.mark.parametrize(
    "sectors",
    [("Public bodies", "Public bodies", "VCS"), ("The Council", "The Council"), ("Y Cyngor", "Y sector gwirfoddol")],
)
def test_a_word_table_with_a_row_per_undertaking_and_a_who_column_is_read_under_block_headings(sectors):
    document = new_docx()
    document.add_paragraph("The Fenwick Compact")
    document.add_paragraph("Outcome 1: Consultation")
    rows = [("No.", "Commitment", "Who")]
    rows += [(f"1.{n}", f"Undertaking number {n}.", who) for n, who in enumerate(sectors, start=1)]
    table = document.add_table(rows=len(rows), cols=3)
    for at, row in enumerate(rows):
        for column, text in enumerate(row):
            table.rows[at].cells[column].text = text
    source = read(docx_bytes(document), name="compact.docx")
    parsed = parse_compact_text(source.text)
    expected = {"Public bodies": "public", "VCS": "vcs", "The Council": "public", "Y Cyngor": "public"}
    expected["Y sector gwirfoddol"] = "vcs"
    assert [(u.number, u.sector) for u in parsed.undertakings] == [
        (f"1.{n}", expected[who]) for n, who in enumerate(sectors, start=1)
    ]
    welsh = sectors[0] == "Y Cyngor"
    assert ("Ymgymeriadau ar gyfer Y Cyngor:" in source.text) == welsh  # a Welsh heading for Welsh rows
    [first, *_rest] = changes_of(source, "table_columns")
    assert first.description == (
        f"A table with a row per undertaking was read row by row; its column ‘Who’ says who makes them, so "
        f"‘{sectors[0]}’ heads the rows below."
    )


def test_a_table_whose_column_names_sectors_without_undertakings_beside_it_is_read_as_before():
    document = new_docx()
    table = document.add_table(rows=3, cols=2)
    for at, row in enumerate([("Partner", "Contact"), ("The Council", "A. Person"), ("VCS forum", "B. Person")]):
        for column, text in enumerate(row):
            table.rows[at].cells[column].text = text
    source = read(docx_bytes(document), name="compact.docx")
    assert changes_of(source, "table_columns") == []


@pytest.mark.parametrize("gap", ["\t", " ", " ........ ", "…… page "])
def test_a_table_of_contents_is_removed_and_said_so_so_its_entries_are_not_read_as_outcomes(gap):
    text = "\n".join(
        [
            "The Thornbury Compact",
            "Contents",
            f"Introduction{gap}2",
            f"Outcome 1: Open doors{gap}3",
            f"Outcome 2: Fair grants{gap}4",
            "",
            "Introduction",
            "This Compact sets out how we work together in 2026.",
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "Outcome 2: Fair grants",
            "The Council will:",
            "2.1 Pay on time 3",
        ]
    )
    source = read(text.encode())
    removed = changes_of(source, "contents")
    assert len(removed) == 4 and removed[0].before == "Contents"
    assert removed[-1].description.startswith("Removed ‘Outcome 2: Fair grants")
    assert removed[-1].description.endswith("4’, part of the table of contents.")
    parsed = parse_compact_text(source.text)
    assert [(o.number, o.title) for o in parsed.outcomes] == [(1, "Open doors"), (2, "Fair grants")]
    assert parsed.undertakings[-1].text == "Pay on time 3"  # a number ending a line outside the contents stays


def test_a_contents_heading_without_entries_and_page_numbers_removes_nothing():
    source = read(b"The Compact\nContents\nThis page lists what the Compact holds.\nOutcome 1: Open doors 3\n")
    assert changes_of(source, "contents") == []


def test_bullets_of_a_symbol_font_are_read_as_bullets_and_sub_points_stay_with_their_item():
    text = "\n".join(
        [
            "The Compact",
            "Outcome 1: Open doors",
            "The Council will:",
            "\uf0b7 Keep the hall open.",
            "\uf0b7\tSay when it closes:",
            "o on bank holidays",  # Word's second level: part of the item above
            "\uf0a7 and at Christmas.",  # its third level: the same
            "\uf076 Tell people.",
        ]
    )
    source = read(text.encode())
    assert [c.line for c in changes_of(source, "symbol_bullet")] == [4, 5, 7, 8]
    assert changes_of(source, "symbol_bullet")[0].description == (
        "Read the symbol font’s character at the start of the line as a bullet (•)."
    )
    parsed = parse_compact_text(source.text)
    assert [u.text for u in parsed.undertakings] == [
        "Keep the hall open.",
        "Say when it closes: o on bank holidays ‣ and at Christmas.",
        "Tell people.",
    ]


# --- Two-column tables saved as text -------------------------------------------------------------


def test_a_tab_separated_table_is_read_column_by_column():
    text = "\n".join(
        [
            "The Marlow Vale Compact",
            "Outcome 1: Groups that can plan ahead",
            "Undertakings for the Council:\tUndertakings for the voluntary sector:",
            "1.1 Publish grant rounds early.\t1.4 Tell the borough when a service is at risk.",
            "1.2 Keep forms short.\t1.5 Share what they learn.",
            "1.3 Pay on time.\t",
            "Outcome 2: Decisions made in the open",
            "Undertakings for the Council:\tUndertakings for the voluntary sector:",
            "2.1 Explain each decision.\t2.2 Bring the views of the people they serve.",
        ]
    )
    source = read(text.encode())
    parsed = parse_compact_text(source.text)
    assert [o.count_by_sector() for o in parsed.outcomes] == [{"public": 3, "vcs": 2}, {"public": 1, "vcs": 1}]
    by_number = {u.number: u for u in parsed.undertakings}
    assert by_number["1.2"].text == "Keep forms short."
    assert by_number["1.5"].text == "Share what they learn."
    tables = changes_of(source, "table_columns")
    assert len(tables) == 2
    assert lines_of(source)[tables[0].line - 1] == "Undertakings for the voluntary sector:"


def test_a_table_aligned_with_spaces_is_read_column_by_column():
    rows = [
        ("Undertakings for the Council:", "Undertakings for the VCS:"),
        ("1.1 Publish grant rounds", "1.3 Tell the borough when"),
        ("early in the year.", "a service is at risk."),
        ("1.2 Keep forms short.", ""),
    ]
    table = [f"{left:<40}{right}".rstrip() for left, right in rows]
    source = read("\n".join(["The Marlow Vale Compact", "Outcome 1: Plans", *table]).encode())
    parsed = parse_compact_text(source.text)
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("1.1", "public", "Publish grant rounds early in the year."),
        ("1.2", "public", "Keep forms short."),
        ("1.3", "vcs", "Tell the borough when a service is at risk."),
    ]
    assert len(changes_of(source, "table_columns")) == 1


def test_several_undertakings_on_one_line_are_not_taken_for_a_table():
    text = "The Marlow Vale Compact\nOutcome 1: Plans\nUndertakings for the Council:\n1.1 Plan.    1.2 Publish.\n"
    source = read(text.encode())
    assert changes_of(source, "table_columns") == []
    assert [u.number for u in parse_compact_text(source.text).undertakings] == ["1.1", "1.2"]


# --- Word ----------------------------------------------------------------------------------------


def own_docx() -> bytes:
    document = new_docx()
    document.add_heading("The Marlow Vale Compact", level=1)
    document.add_paragraph("An agreement between the borough and its community groups.")
    num_id = add_multilevel_list(document, [("Outcome %1:", "decimal"), ("%1.%2", "decimal")])
    add_list_paragraph(document, "Groups that can plan ahead", num_id=num_id, level=0)
    document.add_paragraph("Undertakings for the Council:")
    add_list_paragraph(document, "Publish grant rounds a season before they open.", num_id=num_id, level=1)
    add_list_paragraph(document, "Keep forms short for small sums.", num_id=num_id, level=1)
    document.add_paragraph("Undertakings for the voluntary sector:")
    add_list_paragraph(document, "Tell the borough early when a service is at risk.", num_id=num_id, level=1)
    document.add_heading("Outcome 2: Decisions made in the open", level=2)
    add_two_column_table(
        document,
        ("Undertakings for the Council", "Undertakings for the voluntary and community sector"),
        ["2.1 Explain each decision in plain words."],
        ["2.2 Bring the views of the people they serve.", "2.3 Say whom they speak for."],
    )
    document.add_heading("Making the Compact work", level=2)
    document.add_paragraph("Both sides meet once a year to review it.")
    return docx_bytes(document)


def test_a_word_document_reads_headings_list_numbers_and_table_columns():
    source = read(own_docx(), name="compact.docx")
    assert source.kind == "docx"
    lines = [line for line in lines_of(source) if line]
    assert lines == [
        "The Marlow Vale Compact",
        "An agreement between the borough and its community groups.",
        "Outcome 1: Groups that can plan ahead",
        "Undertakings for the Council:",
        "1.1 Publish grant rounds a season before they open.",
        "1.2 Keep forms short for small sums.",
        "Undertakings for the voluntary sector:",
        "1.3 Tell the borough early when a service is at risk.",
        "Outcome 2: Decisions made in the open",
        "Undertakings for the Council",
        "2.1 Explain each decision in plain words.",
        "Undertakings for the voluntary and community sector",
        "2.2 Bring the views of the people they serve.",
        "2.3 Say whom they speak for.",
        "Making the Compact work",
        "Both sides meet once a year to review it.",
    ]
    numbered = changes_of(source, "numbering")
    assert [lines_of(source)[c.line - 1] for c in numbered] == [lines[2], lines[4], lines[5], lines[7]]
    assert "from the document's list" in numbered[1].description
    [table] = changes_of(source, "table_columns")
    assert lines_of(source)[table.line - 1] == "Undertakings for the voluntary and community sector"
    parsed = parse_compact_text(source.text)
    assert parsed.count_by_sector() == {"public": 3, "vcs": 3}
    assert parsed.making_it_work == "Both sides meet once a year to review it."


def test_a_number_already_in_a_list_paragraph_is_kept_as_written():
    document = new_docx()
    num_id = add_multilevel_list(document, [("%1.", "decimal")])
    add_list_paragraph(document, "3.4 Already numbered by hand.", num_id=num_id, level=0)
    add_list_paragraph(document, "(b) Lettered by hand.", num_id=num_id, level=0)
    source = read(docx_bytes(document), name="x.docx")
    assert [line for line in lines_of(source) if line] == ["3.4 Already numbered by hand.", "(b) Lettered by hand."]
    assert changes_of(source, "numbering") == []


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Some notes about the Compact.")
    message = refused(out.getvalue(), name="compact.docx")
    assert "zip archive, not a Word document" in message
    assert ".docx" in message


def test_an_opendocument_file_is_refused_with_advice():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument (.odt)" in refused(out.getvalue(), name="compact.odt")


def test_a_damaged_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    assert "could not be opened" in refused(out.getvalue(), name="compact.docx")


# --- PDF -----------------------------------------------------------------------------------------


def test_a_text_pdf_loses_its_running_header_and_page_numbers():
    lines = [*OWN_COMPACT[:7]]  # the title to undertaking 1.2, for the Council
    lines += [f"1.{n} Another undertaking of the borough, number {n}, kept short." for n in range(3, 39)]
    lines += ["Undertakings for the voluntary sector:", "1.39 Tell the borough early when a service is at risk."]
    body = paragraphs_html(lines)
    source = read(pdf_bytes(body, header="Marlow Vale draft for consultation"), name="compact.pdf")
    assert source.kind == "pdf"
    assert "Marlow Vale draft" not in source.text
    assert not re.search(r"Page \d+ of \d+", source.text)
    headers, numbers = changes_of(source, "running_header"), changes_of(source, "page_number")
    assert len(headers) == len(numbers) >= 2
    assert numbers[0].before == "Page 1 of " + numbers[-1].before.rsplit(" ", 1)[-1]
    parsed = parse_compact_text(source.text)
    assert parsed.count_by_sector() == {"public": 38, "vcs": 1}
    assert parsed.title == "The Marlow Vale Compact"


def test_a_pdf_with_no_text_layer_is_refused_as_a_scan():
    body = "<svg width='400' height='300'><rect width='400' height='300' fill='#888'/></svg>"
    message = refused(pdf_bytes(body, page_numbers=False), name="scan.pdf")
    assert "no text layer" in message and "scan" in message


def test_a_damaged_pdf_is_refused():
    assert "could not be read" in refused(b"%PDF-1.7\n1 0 obj <<>> garbage", name="compact.pdf")


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "compact.txt", "empty"),
        (b"   \n\n", "compact.txt", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "compact.doc", "old Word (.doc)"),
        (b"{\\rtf1\\ansi Hello}", "compact.rtf", "Rich Text (.rtf)"),
        (b"Plain words only\n", "compact.docx", "named like a .docx file but is not one"),
        (b"GIF89a\x00\x01\x00\x00binary", "logo.gif", "binary data"),
        (b"\n<!DOCTYPE html><html><body><p>Outcome 1</p></body></html>", "compact.htm", "web page"),
    ],
)
def test_what_cannot_be_read_is_refused_with_what_to_do(data, name, expected):
    assert expected in refused(data, name=name)


def test_a_file_over_the_limit_is_refused():
    message = refused(b"a" * 3000, max_bytes=2048)
    assert "too big" in message and "2 KB" in message


# --- Hostile input -------------------------------------------------------------------------------

MEGABYTE = 1024 * 1024


# Within the line limit (9,500 lines of about 110 characters make a megabyte) and beyond it.
LINES = 9_500
WIDE = MEGABYTE // LINES - 1


@pytest.mark.parametrize(
    "body",
    [
        " " * MEGABYTE,
        "\t " * (MEGABYTE // 2),
        "a" * (MEGABYTE - 1) + "-",
        ("a" * (WIDE - 1) + "-\n") * LINES,
        ("word-\n" * (MEGABYTE // 6)),
        ("• " * (MEGABYTE // 2)),
        ("– " * (WIDE // 2) + "1.1\n") * LINES,
        ("Undertakings for the Council:" + " " * (WIDE - 33) + "VCS\n") * LINES,
        "Undertakings for the Council:\tUndertakings for the VCS:\n" + ("x" * (WIDE // 2) + "\t\n") * LINES,
        "Undertakings for the Council:   Undertakings for the VCS:\n" + (" " * (WIDE - 1) + "x\n") * LINES,
        ("Page 1 of 2\n3\n" + "header line " * 3 + "\n") * (LINES // 3),
        ("1\n" + "x" * WIDE + "\n") * (LINES // 2),
        "\u00ad" * (MEGABYTE // 2),
        ("\u00ad" * (WIDE - 1) + "\n") * LINES,
        "ﬁ" * (MEGABYTE // 3),
    ],
    ids=[
        "spaces",
        "tabs",
        "long-word",
        "hyphen-lines",
        "too-many-lines",
        "bullets",
        "dashes",
        "table-gaps",
        "table-tabs",
        "table-indent",
        "pages",
        "lone-numbers",
        "soft",
        "soft-lines",
        "ligatures",
    ],
)
def test_a_hostile_megabyte_is_read_in_under_a_second(body):
    started = time.perf_counter()
    try:
        source = read(body.encode())
    except SourceError as refusal:
        assert str(refusal)  # refused, saying why
    else:
        assert len(source.changes) <= 11 * 200 + 10
    assert time.perf_counter() - started < 1.0


def test_a_file_with_far_too_many_lines_is_refused():
    assert "far more than a Compact has" in refused(b"x\n" * 12_000)


# --- The seed, reshaped the ways councils publish it ---------------------------------------------

# Items on one line separated by a wide gap ("save as text") are separate items in Word and PDF.
_ITEM_GAP_RE = re.compile(r"\s{2,}(?=\d{1,3}\.\d)")
SEED_COUNTS = {"public": 32, "vcs": 21}


def seed_items(path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [part for line in text.splitlines() for part in _ITEM_GAP_RE.split(line)]


def seed_blocks(lines: list[str]):
    """The seed as paragraphs and (public heading, VCS heading, public items, VCS items) tables."""
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line.lower().startswith("undertakings for the public"):
            left, index = [], index + 1
            while not lines[index].strip().lower().startswith("undertakings for the vcs"):
                left += [lines[index].strip()] if lines[index].strip() else []
                index += 1
            right_heading, right, index = lines[index].strip(), [], index + 1
            while index < len(lines) and not re.match(
                r"(outcome \d|\*|making the compact)", lines[index].strip(), re.I
            ):
                right += [lines[index].strip()] if lines[index].strip() else []
                index += 1
            yield ("table", (line, right_heading, left, right))
            continue
        yield ("paragraph", lines[index])
        index += 1


def test_the_plain_seed_counts(seed_compact_path):
    source = read(seed_compact_path.read_bytes())
    assert parse_compact_text(source.text).count_by_sector() == SEED_COUNTS


def test_the_seed_as_a_word_table_reads_back_with_the_same_counts(seed_compact_path):
    document = new_docx()
    tables = 0
    for kind, block in seed_blocks(seed_items(seed_compact_path)):
        if kind == "table":
            left_heading, right_heading, left, right = block
            add_two_column_table(document, (left_heading, right_heading), left, right)
            tables += 1
        elif re.match(r"outcome \d", block.strip(), re.I):
            document.add_heading(block.strip(), level=2)
        else:
            document.add_paragraph(block)
    source = read(docx_bytes(document), name="seed.docx")
    assert len(changes_of(source, "table_columns")) == tables == 5
    parsed = parse_compact_text(source.text)
    assert parsed.count_by_sector() == SEED_COUNTS
    assert [o.number for o in parsed.outcomes] == [1, 2, 3, 4, 5]


def test_the_seed_as_a_table_saved_as_text_reads_back_with_the_same_counts(seed_compact_path):
    lines = []
    for kind, block in seed_blocks(seed_items(seed_compact_path)):
        if kind == "table":
            left_heading, right_heading, left, right = block
            rows = max(len(left), len(right))
            left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
            lines += [f"{left_heading}\t{right_heading}", *(f"{a}\t{b}" for a, b in zip(left, right, strict=True))]
        else:
            lines.append(block)
    source = read("\r\n".join(lines).encode("utf-8"))
    assert len(changes_of(source, "table_columns")) == 5
    assert parse_compact_text(source.text).count_by_sector() == SEED_COUNTS


def test_the_seed_as_a_pdf_reads_back_with_the_same_counts(seed_compact_path):
    pdf = pdf_bytes(paragraphs_html(seed_items(seed_compact_path)), header="Compact seed for the test")
    source = read(pdf, name="seed.pdf")
    assert "Compact seed for the test" not in source.text
    assert not re.search(r"Page \d+ of \d+", source.text)
    assert changes_of(source, "page_number")
    assert parse_compact_text(source.text).count_by_sector() == SEED_COUNTS


def test_a_pdf_with_a_page_without_text_says_which_page_is_missing():
    page_break = "<div style='break-before: page'></div>"
    picture = "<svg width='400' height='300'><rect width='400' height='300' fill='#888'/></svg>"
    body = paragraphs_html(OWN_COMPACT[:8]) + page_break + picture + page_break + paragraphs_html(OWN_COMPACT[8:])
    source = read(pdf_bytes(body, page_numbers=False), name="compact.pdf")
    [warning] = source.warnings
    assert "no text" in warning and ": 2." in warning
    assert parse_compact_text(source.text).count_by_sector() == {"public": 3, "vcs": 3}


# --- Tables with a column for the undertakings both sectors make ---------------------------------


def test_a_word_table_with_a_joint_column_is_read_column_by_column():
    document = new_docx()
    document.add_paragraph("Outcome 1: Plans")
    table = document.add_table(rows=2, cols=3)
    headings = ("The Council will:", "Both sectors will:", "Community groups will:")
    items = ("1.1 Publish dates.", "1.3 Meet twice a year.", "1.2 Share plans.")
    for at in range(3):
        table.rows[0].cells[at].text, table.rows[1].cells[at].text = headings[at], items[at]
    source = read(docx_bytes(document), name="compact.docx")
    assert [line for line in lines_of(source) if line] == [
        "Outcome 1: Plans",
        "The Council will:",
        "1.1 Publish dates.",
        "Both sectors will:",
        "1.3 Meet twice a year.",
        "Community groups will:",
        "1.2 Share plans.",
    ]
    assert [lines_of(source)[c.line - 1] for c in changes_of(source, "table_columns")] == [
        "Both sectors will:",
        "Community groups will:",
    ]


def test_a_table_that_does_not_name_the_sectors_is_read_row_by_row():
    document = new_docx()
    add_two_column_table(document, ("Date", "Meeting"), ["4 March 2027", "9 June 2027"], ["Forum", "Review"])
    source = read(docx_bytes(document), name="compact.docx")
    assert [line for line in lines_of(source) if line] == [
        "Date",
        "Meeting",
        "4 March 2027",
        "Forum",
        "9 June 2027",
        "Review",
    ]
    assert changes_of(source, "table_columns") == []


def test_a_three_column_table_saved_as_text_is_read_column_by_column():
    text = "\n".join(
        [
            "Outcome 1: Plans",
            "Undertakings for the Council\tJoint undertakings\tUndertakings for the VCS",
            "1.1 Publish dates.\t1.4 Meet twice a year.\t1.3 Share plans.",
            "1.2 Answer letters.\t\t",
            "Outcome 2: Open decisions",
        ]
    )
    source = read(text.encode())
    assert [line for line in lines_of(source) if line] == [
        "Outcome 1: Plans",
        "Undertakings for the Council",
        "1.1 Publish dates.",
        "1.2 Answer letters.",
        "Joint undertakings",
        "1.4 Meet twice a year.",
        "Undertakings for the VCS",
        "1.3 Share plans.",
        "Outcome 2: Open decisions",
    ]


def test_line_numbers_of_changes_count_blank_lines_at_the_start_and_changes_at_the_end_are_kept():
    source = read(b"\n\n\nThe Marlow Vale Compact\n\xe2\x80\xa2 1.1 Plan ahead.\n\nPage 3 of 3\n\n")
    assert lines_of(source)[3:5] == ["The Marlow Vale Compact", "1.1 Plan ahead."]
    [bullet] = changes_of(source, "bullet")
    assert bullet.line == 5
    [page] = changes_of(source, "page_number")
    assert page.line <= len(source.text.splitlines()) and page.before == "Page 3 of 3"


def test_a_word_bullet_list_keeps_its_bullets_and_says_so():
    document = new_docx()
    document.add_paragraph("Our principles:")
    document.add_paragraph("Respect for each other", style="List Bullet")
    document.add_paragraph("Honesty about money", style="List Bullet")
    source = read(docx_bytes(document), name="compact.docx")
    assert [line for line in lines_of(source) if line] == [
        "Our principles:",
        "• Respect for each other",
        "• Honesty about money",
    ]
    assert [(c.line, c.kind) for c in source.changes] == [(2, "bullet"), (3, "bullet")]


def test_every_kind_of_change_has_a_name_for_the_preview():
    from commitments.import_sources import CHANGE_KINDS, change_kind_label

    labels = {kind: change_kind_label(kind) for kind in CHANGE_KINDS}
    assert all(labels.values())
    assert len(set(labels.values())) == len(CHANGE_KINDS)


def test_word_tracked_changes_are_read_accepted_and_content_controls_are_not_skipped():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = new_docx()
    document.add_paragraph("Outcome 1: Plans")
    paragraph = document.add_paragraph("1.1 Pay grants ")
    paragraph._p.append(
        parse_xml(f"<w:ins {nsdecls('w')} w:id='1' w:author='Editor'><w:r><w:t>within a month</w:t></w:r></w:ins>")
    )
    paragraph._p.append(
        parse_xml(
            f"<w:del {nsdecls('w')} w:id='2' w:author='Editor'><w:r><w:delText>quarterly</w:delText></w:r></w:del>"
        )
    )
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>1.2 Publish the dates.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    document.element.body.insert(len(document.element.body) - 1, sdt)  # before the section properties
    source = read(docx_bytes(document), name="compact.docx")
    assert [line for line in lines_of(source) if line] == [
        "Outcome 1: Plans",
        "1.1 Pay grants within a month",
        "1.2 Publish the dates.",
    ]
    [warning] = source.warnings
    assert "tracked changes" in warning


def test_word_lists_sharing_a_definition_continue_unless_restarted():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = new_docx()
    first = add_multilevel_list(document, [("%1.", "decimal")])
    numbering = document.part.numbering_part.element
    abstract_id = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{first}']/{qn('w:abstractNumId')}").get(qn("w:val"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="301"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="302"><w:abstractNumId w:val="{abstract_id}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    add_list_paragraph(document, "One", num_id=first, level=0)
    add_list_paragraph(document, "Two", num_id=first, level=0)
    document.add_paragraph("A paragraph between the lists.")
    add_list_paragraph(document, "Three", num_id="301", level=0)
    add_list_paragraph(document, "Again one", num_id="302", level=0)
    source = read(docx_bytes(document), name="compact.docx")
    assert [line for line in lines_of(source) if line] == [
        "1. One",
        "2. Two",
        "A paragraph between the lists.",
        "3. Three",
        "1. Again one",
    ]


@pytest.mark.parametrize(
    ("public", "vcs"),
    [
        ("The Council will:", "Organisations that have signed will:"),
        ("Public bodies will:", "The third sector will:"),
        ("Bydd y Cyngor yn:", "Bydd y sector gwirfoddol yn:"),
        ("Undertakings for the Government", "Undertakings for CSOs"),
        # The reader's own words, not a second list of them: a CVS is the VCS, health partners public.
        ("Health partners commit to", "The Council for Voluntary Service commits to"),
        ("Public sector partners", "The VCFSE"),
    ],
)
def test_column_headings_written_in_the_common_ways_make_a_sector_table(public, vcs):
    document = new_docx()
    add_two_column_table(document, (vcs, public), ["1.3 Share plans."], ["1.1 Publish dates.", "1.2 Answer letters."])
    source = read(docx_bytes(document), name="compact.docx")
    assert [line for line in lines_of(source) if line] == [
        vcs,
        "1.3 Share plans.",
        public,
        "1.1 Publish dates.",
        "1.2 Answer letters.",
    ]


def test_spaces_after_a_hyphen_that_is_not_a_split_word_are_removed_and_said_so():
    source = read(b"We work with the North-   \nEast network.\n")
    assert lines_of(source)[0] == "We work with the North-"
    [spaces] = changes_of(source, "whitespace")
    assert (spaces.line, spaces.before, spaces.after) == (1, "We work with the North-   ", "We work with the North-")


@pytest.mark.parametrize("footer", ['"- " counter(page) " -"', "counter(page)", '"Tudalen " counter(page)'])
def test_page_numbers_written_other_ways_are_cropped_from_a_pdf(footer):
    lines = [*OWN_COMPACT[:7]]
    lines += [f"1.{n} Another undertaking of the borough, number {n}, kept short." for n in range(3, 39)]
    source = read(pdf_bytes(paragraphs_html(lines), footer=footer), name="compact.pdf")
    numbers = changes_of(source, "page_number")
    assert len(numbers) >= 2
    assert all(re.fullmatch(r"(?:- )?(?:Tudalen )?\d+(?: -)?", change.before.strip()) for change in numbers)
    assert [u.number for u in parse_compact_text(source.text).undertakings] == [f"1.{n}" for n in range(1, 39)]
    assert not any(re.fullmatch(r"[-\s]*\d+[-\s]*", line) for line in lines_of(source))


def test_damaged_word_and_pdf_files_give_a_message_never_a_crash():
    import random

    randomly = random.Random(13)  # noqa: S311 - damage for a test, not a secret
    pdf = pdf_bytes(paragraphs_html(OWN_COMPACT))
    # A compression filter pypdf does not know makes it raise NotImplementedError.
    first = pdf.index(b"/FlateDecode")
    unknown_filter = pdf[:first] + b"/FlateDqcode" + pdf[first + len(b"/FlateDecode") :]
    assert "could not be read" in refused(unknown_filter, name="compact.pdf")
    originals = {"compact.docx": own_docx(), "compact.pdf": pdf}
    for name, original in originals.items():
        for _attempt in range(40):
            damaged = bytearray(original)
            for _change in range(randomly.randint(1, 12)):
                at = randomly.randrange(len(damaged))
                damaged[at : at + randomly.randint(1, 40)] = randomly.randbytes(randomly.randint(0, 40))
            try:
                source = read(bytes(damaged), name=name)
            except SourceError as refusal:
                assert str(refusal)
            else:
                assert isinstance(source.text, str)
