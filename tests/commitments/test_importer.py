"""The plain-text Compact reader: our sample, the real County Durham text, errors, warnings, decoding."""

import codecs
import contextlib
import re
import time
from pathlib import Path

import pytest

from commitments.importer import (
    MAX_ERRORS,
    CompactTextError,
    LineError,
    decode_compact_bytes,
    parse_compact_bytes,
    parse_compact_text,
)

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample_compact.txt"


@pytest.fixture
def sample():
    return parse_compact_text(SAMPLE.read_text(encoding="utf-8"))


def by_number(parsed):
    return {u.number: u for u in parsed.undertakings}


def errors_of(text: str) -> list[LineError]:
    with pytest.raises(CompactTextError) as caught:
        parse_compact_text(text)
    return caught.value.errors


def compact(*lines: str) -> str:
    return "\n".join(["The Test Compact", "", *lines, ""])


# --- The sample fixture --------------------------------------------------------------------------


def test_sample_title_and_outcomes(sample):
    assert sample.title == "The Fernbrook Compact"
    assert [(o.number, o.title) for o in sample.outcomes] == [
        (1, "A confident and independent local voluntary sector"),
        (2, "Decisions made with communities, not for them"),
        (3, "Fair and predictable funding"),
    ]
    assert [o.line for o in sample.outcomes] == [12, 20, 33]


def test_sample_counts_per_outcome_and_sector(sample):
    assert [o.count_by_sector() for o in sample.outcomes] == [
        {"public": 3, "vcs": 3},
        {"public": 3, "vcs": 2},
        {"public": 3, "vcs": 2},
    ]
    assert sample.count_by_sector() == {"public": 9, "vcs": 7}
    assert len(sample.undertakings) == 16
    assert sample.warnings == []


def test_sample_numbers_in_order_with_their_sectors(sample):
    assert [(u.number, u.sector) for u in sample.undertakings] == [
        ("1.1", "public"), ("1.2", "public"), ("1.3", "public"),
        ("1.4", "vcs"), ("1.5", "vcs"), ("1.6", "vcs"),
        ("2.1", "public"), ("2.2", "public"), ("2.3", "public"),  # "Undertakings for the Government"
        ("2.4", "vcs"), ("2.5", "vcs"),  # "Undertakings for CSOs :"
        ("3.1", "public"), ("3.2", "public"), ("3.3", "public"),  # lower case, no colon
        ("3.4", "vcs"), ("3.5", "vcs"),  # capitals
    ]  # fmt: skip


def test_sample_several_undertakings_on_one_line_are_split(sample):
    undertakings = by_number(sample)
    assert undertakings["1.4"].text == (
        "Speak from evidence when campaigning, and say whose views are being put forward."
    )
    assert undertakings["1.5"].text == "Tell the public sector about gaps in the support available to local groups."
    assert undertakings["1.6"].text == "Invite volunteers to help design the local services they use."
    assert undertakings["1.4"].line == undertakings["1.5"].line == undertakings["1.6"].line == 19


def test_sample_number_without_a_space(sample):
    assert by_number(sample)["2.5"].text == "Say who is being represented and how their views were gathered."


def test_sample_whitespace_collapsed_and_wrapped_lines_joined(sample):
    undertakings = by_number(sample)
    assert undertakings["1.2"].text == (
        "Keep rents for community groups in council buildings affordable and publish them every year."
    )
    assert undertakings["3.3"].text == "Keep application forms short and in proportion to the sum on offer."
    assert undertakings["3.5"].text.endswith("circumstances.")
    for undertaking in sample.undertakings:
        assert "  " not in undertaking.text
        assert undertaking.text == undertaking.text.strip()


def test_sample_footnote_goes_to_the_outcome_not_the_undertaking(sample):
    undertakings = by_number(sample)
    assert "formal consultation is one" not in undertakings["2.3"].text
    assert "formal consultation is one" not in undertakings["2.5"].text
    assert sample.outcomes[1].description == (
        "* A formal consultation is one that the council lists on its consultation web page."
    )
    assert sample.outcomes[0].description == ""


def test_sample_sections(sample):
    assert sample.introduction.startswith("This Compact sets out how Fernbrook Borough Council")
    assert "together. It was drafted" in sample.introduction  # double space collapsed
    assert sample.introduction.endswith("· Fair and predictable funding")
    assert sample.making_it_work == (
        "The Fernbrook Compact Forum meets twice a year to check how well the Compact is being kept.\n\n"
        "Each partner names a Compact champion who answers questions from staff and volunteers."
    )
    assert sample.dispute_resolution.startswith("Most concerns are best settled")
    assert sample.dispute_resolution.endswith("within ten working days.")
    assert "\n\n" in sample.dispute_resolution


CHAPTERS = SAMPLE.with_name("sample_compact_chapters.txt")


def test_a_whole_compact_in_the_national_compacts_shape_reads_right_once_its_one_unknown_heading_has_a_rule():
    """Our own text in the shape many councils copied from the national Compact: numbered chapters,
    "… undertake to:" and "… will:" headings, lists numbered on their own and bulleted, a code of
    practice, closing parts named their way and a list of signatories."""
    text = CHAPTERS.read_text(encoding="utf-8")
    errors = errors_of(text)
    assert [(e.line, e.message[:50]) for e in errors] == [(40, "‘The sector will:’ does not say which sector makes")]
    parsed = parse_compact_text(text, [ReadingRule(kind="sector", text="The sector will", sector="vcs")])
    assert parsed.title == "The Ashdown Valley Compact"
    assert "Introduction" not in parsed.introduction and parsed.introduction.endswith("has promised to.")
    assert [p.title for p in parsed.principles] == ["Independence", "Fairness", "Openness"]
    assert counts_of(parsed) == [
        (3, "Involvement in decisions", {"public": 2, "vcs": 1}),
        (4, "Consultation", {"public": 2, "vcs": 1}),
        (5, "Fair funding", {"public": 2, "vcs": 1}),
        (6, "Working together", {"public": 0, "vcs": 1, "joint": 1}),
    ]
    assert by_number(parsed)["4.3"].text == "Answer on time when they can"
    assert by_number(parsed)["5.3"].text == "Keep clear accounts of how public money is spent."
    assert [c.title for c in parsed.codes_of_practice] == ["Funding code of practice"]
    assert parsed.making_it_work.startswith("The Compact group looks at the action plan")
    assert parsed.dispute_resolution.startswith("Raise the concern with the other partner first.")
    assert parsed.contacts == "The Compact officer, Ashdown Valley Council, Market Street, Ashdown."
    assert "Signed for" not in parsed.contacts
    warnings = {w.line: w.message for w in parsed.warnings}
    assert warnings[17] == "The first outcome is numbered 3: is an outcome missing?"
    assert warnings[57].startswith("Lines 58 to 59, the document’s list of signatories, are not imported")


def test_windows_line_endings_and_bom_give_the_same_result(sample):
    text = "\ufeff" + SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    parsed = parse_compact_text(text)
    assert parsed.title == sample.title
    assert [(u.number, u.sector, u.text, u.line) for u in parsed.undertakings] == [
        (u.number, u.sector, u.text, u.line) for u in sample.undertakings
    ]


# --- The real County Durham Compact --------------------------------------------------------------


@pytest.fixture
def seed(seed_compact_path):
    return parse_compact_bytes(seed_compact_path.read_bytes())


def test_seed_counts(seed):
    assert [o.number for o in seed.outcomes] == [1, 2, 3, 4, 5]
    assert [o.count_by_sector() for o in seed.outcomes] == [
        {"public": 6, "vcs": 4},
        {"public": 6, "vcs": 5},
        {"public": 13, "vcs": 6},
        {"public": 4, "vcs": 3},
        {"public": 3, "vcs": 3},
    ]
    assert seed.count_by_sector() == {"public": 32, "vcs": 21}
    assert len(seed.undertakings) == 53
    assert seed.warnings == []


def test_seed_numbers_and_sectors(seed):
    expected = []
    for outcome, public, vcs in [(1, 6, 4), (2, 6, 5), (3, 13, 6), (4, 4, 3), (5, 3, 3)]:
        expected += [(f"{outcome}.{n}", "public") for n in range(1, public + 1)]
        expected += [(f"{outcome}.{n}", "vcs") for n in range(public + 1, public + vcs + 1)]
    assert [(u.number, u.sector) for u in seed.undertakings] == expected
    assert seed.undertakings[0].number == "1.1"
    assert seed.undertakings[-1].number == "5.6"


def test_seed_titles_and_sections(seed):
    assert seed.title == "The County Durham Compact"
    assert seed.outcomes[1].title == (
        "Effective and transparent design and development of policies, programmes and public services"
    )
    assert seed.introduction
    assert seed.making_it_work
    assert seed.dispute_resolution
    assert seed.making_it_work not in seed.dispute_resolution


def test_seed_footnote_is_not_part_of_an_undertaking(seed):
    undertakings = by_number(seed)
    assert "Social value" not in undertakings["2.11"].text
    assert all("Social value" not in u.text for u in seed.undertakings)
    assert seed.outcomes[1].description.startswith("* Social value")


def test_seed_undertakings_sharing_a_line_are_separate(seed):
    undertakings = by_number(seed)
    for number, next_number in [("1.8", "1.9"), ("1.9", "1.10"), ("2.7", "2.8"), ("3.1", "3.2"), ("5.5", "5.6")]:
        assert undertakings[number].line == undertakings[next_number].line
        assert undertakings[number].text
        assert undertakings[next_number].text
        assert next_number + " " not in undertakings[number].text
    assert undertakings["1.9"].text != undertakings["1.10"].text
    assert "CRB" in undertakings["1.10"].text
    assert "CRB" not in undertakings["1.9"].text
    assert undertakings["2.7"].text[0].isalpha()  # "2.7Work" read without its number
    for undertaking in seed.undertakings:
        assert "  " not in undertaking.text


# --- Errors: every one found, each naming its line ----------------------------------------------


def test_number_under_the_wrong_outcome():
    errors = errors_of(
        compact(
            "Outcome 1: One",  # 3
            "Undertakings for the public sector:",
            "1.1 Do one thing.",
            "Outcome 2: Two",  # 6
            "Undertakings for the public sector:",
            "2.1 Do another thing.",
            "3.2 Do a third thing.",  # 9
        )
    )
    assert [(e.line, e.message) for e in errors] == [
        (9, "Undertaking 3.2 is under Outcome 2; its number must start with 2.")
    ]
    assert str(errors[0]) == "Line 9: Undertaking 3.2 is under Outcome 2; its number must start with 2."


def test_number_on_a_shared_line_under_the_wrong_outcome():
    errors = errors_of(compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 First.     2.2 Second."))
    assert [e.line for e in errors] == [5]
    assert "2.2" in errors[0].message


def test_undertaking_before_any_sector_heading():
    errors = errors_of(
        compact("Outcome 1: One", "1.1 Nobody knows who makes this.", "Undertakings for the VCS:", "1.2 Fine.")
    )
    assert [e.line for e in errors] == [4]
    assert "Undertakings for" in errors[0].message


def test_sector_is_forgotten_at_a_new_outcome():
    errors = errors_of(
        compact(
            "Outcome 1: One",
            "Undertakings for the VCS:",
            "1.1 Fine.",
            "Outcome 2: Two",
            "2.1 Which sector?",  # 7
        )
    )
    assert [e.line for e in errors] == [7]


def test_undertaking_before_any_outcome():
    errors = errors_of(compact("1.1 Too early.", "Outcome 1: One", "Undertakings for the VCS:", "1.2 Fine."))
    assert [e.line for e in errors] == [3]
    assert "before the first outcome" in errors[0].message


def test_duplicate_number_names_both_lines():
    errors = errors_of(
        compact(
            "Outcome 1: One",
            "Undertakings for the public sector:",
            "1.1 First.",
            "Undertakings for the VCS:",
            "1.1 Again.",
        )
    )
    assert [e.line for e in errors] == [7]
    assert "1.1" in errors[0].message
    assert "line 5" in errors[0].message


def test_outcome_with_no_undertakings():
    errors = errors_of(
        compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 Fine.", "Outcome 2: Empty", "Some words.")
    )
    assert [e.line for e in errors] == [6]
    assert "Outcome 2 has no undertakings" in errors[0].message


def test_file_with_no_outcomes():
    errors = errors_of("A title\n\nSome introduction but nothing else.\n")
    assert [e.line for e in errors] == [0]
    assert "No outcomes" in errors[0].message
    assert str(errors[0]) == errors[0].message


def test_empty_text():
    errors = errors_of(" \n\t\n")
    assert [e.line for e in errors] == [0]
    assert "empty" in errors[0].message


def test_heading_that_names_no_known_sector():
    errors = errors_of(compact("Outcome 1: One", "Undertakings for everyone:", "1.1 Something."))
    assert [e.line for e in errors] == [4]
    assert "which sector" in errors[0].message


def test_heading_that_names_both_sectors():
    errors = errors_of(compact("Outcome 1: One", "Undertakings for the Council and the VCS:", "1.1 Something."))
    assert [e.line for e in errors] == [4]


def test_unnumbered_text_under_a_block_heading():
    errors = errors_of(
        compact("Outcome 1: One", "Undertakings for the VCS:", "Each of us keeps to this", "1.1 Something.")
    )
    assert [e.line for e in errors] == [5]
    assert "not a numbered undertaking" in errors[0].message
    assert "1.1" in errors[0].message  # suggests a number


def test_undertaking_with_no_text():
    errors = errors_of(compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 Fine.", "1.2"))
    assert [e.line for e in errors] == [6]
    assert "no text" in errors[0].message


def test_invalid_number():
    errors = errors_of(compact("Outcome 1: One", "Undertakings for the VCS:", "1.0 Zero."))
    assert [e.line for e in errors] == [5]


def test_outcome_heading_without_a_title_and_a_repeated_outcome():
    errors = errors_of(
        compact(
            "Outcome 1:",  # 3
            "Undertakings for the VCS:",
            "1.1 Fine.",
            "Outcome 1: Again",  # 6
            "Undertakings for the VCS:",
            "1.2 Fine.",
        )
    )
    assert [e.line for e in errors] == [3, 6]
    assert "no title" in errors[0].message
    assert "appears twice" in errors[1].message


def test_outcome_heading_without_a_colon_inside_a_block():
    errors = errors_of(
        compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 Fine.", "Outcome 2 Two", "2.1 Lost.")
    )
    assert errors[0].line == 6
    assert "colon" in errors[0].message


def test_every_error_is_reported_in_line_order():
    errors = errors_of(
        compact(
            "0.5 Numbered in the introduction.",  # 3
            "Outcome 1: One",
            "1.1 No sector.",  # 5
            "Undertakings for the VCS:",
            "1.2 Fine.",
            "2.3 Wrong outcome.",  # 8
            "1.2 Duplicate.",  # 9
            "Outcome 2: Nothing here",  # 10
        )
    )
    assert [e.line for e in errors] == [3, 5, 8, 9, 10]
    assert str(CompactTextError(errors)).startswith("line 3: ")


# --- Accepted, with warnings ---------------------------------------------------------------------


def test_gap_in_numbering_is_a_warning():
    parsed = parse_compact_text(
        compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 First.", "1.3 Third.", "1.2 Second.")
    )
    assert [u.number for u in parsed.undertakings] == ["1.1", "1.3", "1.2"]
    assert [w.line for w in parsed.warnings] == [7]
    assert parsed.warnings[0].message == "Undertaking 1.2 comes after 1.3. Check the numbering."


def test_missing_numbers_are_a_warning_on_the_next_number():
    parsed = parse_compact_text(
        compact(
            "Outcome 1: One", "Undertakings for the VCS:", "1.1 First.", "1.4 Fourth.", "1.5 Fifth.", "1.7 Seventh."
        )
    )
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (
            6,
            "Undertaking 1.4 is the next number after 1.1, so 1.2 and 1.3 are missing. Check that no undertaking has "
            "been lost or joined to the one before it.",
        ),
        (
            8,
            "Undertaking 1.7 is the next number after 1.5, so 1.6 is missing. Check that no undertaking has been lost "
            "or joined to the one before it.",
        ),
    ]


def test_first_number_of_an_outcome_not_1_is_a_warning():
    parsed = parse_compact_text(compact("Outcome 1: One", "Undertakings for the VCS:", "1.3 Third."))
    assert [w.line for w in parsed.warnings] == [5]
    assert (
        parsed.warnings[0].message == "Undertaking 1.3 is the lowest number in Outcome 1, so 1.1 and 1.2 are missing."
    )


def test_paragraph_after_a_blank_line_joins_the_undertaking_with_a_warning():
    parsed = parse_compact_text(
        compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 First part.", "", "Second   part.")
    )
    assert parsed.undertakings[0].text == "First part.\n\nSecond part."
    assert [w.line for w in parsed.warnings] == [7]
    assert "undertaking 1.1" in parsed.warnings[0].message


def test_number_alone_takes_its_text_from_the_next_line():
    parsed = parse_compact_text(compact("Outcome 1: One", "Undertakings for the VCS:", "1.1", "The text."))
    assert parsed.undertakings[0].text == "The text."
    assert parsed.warnings == []


def test_number_styles_and_other_sector_names():
    parsed = parse_compact_text(
        compact(
            "OUTCOME 1 – One",
            "Undertakings by local authorities",
            "1.1. Dotted.",
            "1.2) Bracketed.",
            "1.3\tTabbed.",
            "Undertakings for the voluntary and community sector:",
            "1.4 Spelled out.",
        )
    )
    assert parsed.outcomes[0].title == "One"
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("1.1", "public", "Dotted."),
        ("1.2", "public", "Bracketed."),
        ("1.3", "public", "Tabbed."),
        ("1.4", "vcs", "Spelled out."),
    ]


def test_block_heading_with_nothing_under_it_is_a_warning():
    parsed = parse_compact_text(
        compact(
            "Outcome 1: One",
            "Undertakings for the VCS:",
            "1.1 Fine.",
            "Undertakings for the public sector:",  # 6
            "1.2 Fine too.",
            "Outcome 2: Two",
            "Undertakings for the VCS:",
            "2.1 Fine.",
            "Undertakings for the public sector:",  # 11
        )
    )
    assert [w.line for w in parsed.warnings] == [11]


def test_a_sector_the_document_names_with_no_undertakings_blocks_saving():
    """The public sector is named, but nothing was read for it: never a Compact of one side only."""
    errors = errors_of(
        compact("Outcome 1: One", "Undertakings for the VCS:", "1.1 Fine.", "Undertakings for the public sector:")
    )
    assert [e.line for e in errors] == [6]
    assert "names the public sector here (‘Undertakings for the public sector:’)" in errors[0].message


def test_outcome_description_before_the_first_block():
    parsed = parse_compact_text(
        compact("Outcome 1: One", "What this outcome is about.", "Undertakings for the VCS:", "1.1 Fine.")
    )
    assert parsed.outcomes[0].description == "What this outcome is about."
    assert parsed.introduction == ""


def test_numbered_lines_in_closing_sections_are_text():
    parsed = parse_compact_text(
        compact(
            "Outcome 1: One",
            "Undertakings for the VCS:",
            "1.1 Fine.",
            "Making the Compact work",
            "1.5 hours a month are set aside.",
            "Dispute resolution:",
            "Talk first.",
        )
    )
    assert [u.number for u in parsed.undertakings] == ["1.1"]
    assert parsed.making_it_work == "1.5 hours a month are set aside."
    assert parsed.dispute_resolution == "Talk first."


# --- Decoding ------------------------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom():
    assert decode_compact_bytes("Fernbrook’s Compact".encode()) == "Fernbrook’s Compact"
    assert decode_compact_bytes(codecs.BOM_UTF8 + "Fernbrook’s Compact".encode()) == "Fernbrook’s Compact"


def test_decode_falls_back_to_windows_1252():
    assert decode_compact_bytes("Fernbrook’s Compact – 2027".encode("cp1252")) == "Fernbrook’s Compact – 2027"


def test_decode_utf16_with_bom():
    assert decode_compact_bytes("Fernbrook’s Compact".encode("utf-16")) == "Fernbrook’s Compact"


def test_sample_saved_as_windows_1252_parses_the_same(sample):
    parsed = parse_compact_bytes(SAMPLE.read_text(encoding="utf-8").encode("cp1252"))
    assert [(u.number, u.text) for u in parsed.undertakings] == [(u.number, u.text) for u in sample.undertakings]
    assert parsed.introduction == sample.introduction  # the "·" bullets survive


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "Word (.docx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Word (.doc)"),
        (b"{\\rtf1\\ansi\\deff0 Outcome 1: One}", "Rich Text"),
    ],
)
def test_decode_refuses_documents_that_are_not_plain_text(data, kind):
    with pytest.raises(CompactTextError) as caught:
        decode_compact_bytes(data)
    [error] = caught.value.errors
    assert error.line == 0
    assert kind in error.message
    assert "Plain text (.txt)" in error.message


def test_decode_refuses_binary_and_empty_files():
    with pytest.raises(CompactTextError) as caught:
        decode_compact_bytes(b"Outcome 1: One\x00\x00\x01\x02")
    assert "binary" in caught.value.errors[0].message
    with pytest.raises(CompactTextError) as caught:
        decode_compact_bytes(b"  \r\n")
    assert "empty" in caught.value.errors[0].message


# --- Hostile text: read in bounded time ---------------------------------------------------------

MB = 1_000_000
_BLOCK = "The Test Compact\nOutcome 1: Fair play\nUndertakings for the public sector:\n1.1 Consult early.\n"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(" " * MB + "x", id="a run of spaces"),
        pytest.param("x" + " " * MB + "1.2", id="spaces then a number"),
        pytest.param("\t" * MB + "1.1 x", id="a run of tabs"),
        pytest.param(("  1.2" + " " * 1000) * (MB // 1005), id="numbers between runs of spaces"),
        pytest.param("1." * (MB // 2), id="digits and dots"),
        pytest.param("9" * MB, id="digits"),
        pytest.param("1.1  " * (MB // 5), id="one number repeated on one line"),
        pytest.param("Outcome " * (MB // 8), id="Outcome repeated"),
        pytest.param("Outcome" + " " * MB + "1", id="Outcome then spaces"),
        pytest.param("Undertakings for" + " " * MB + "the public sector", id="a block heading with spaces"),
        pytest.param("Undertakings for " + "the " * (MB // 4), id="a long block heading"),
        pytest.param("Making the" + " " * MB + "x", id="a section heading with spaces"),
        pytest.param("1.1 x\n" * (MB // 6), id="a line repeated"),
        pytest.param("more words\n" * (MB // 11), id="continuation lines"),
        pytest.param("1.1 x\n\nmore\n\n" * (MB // 14), id="paragraphs, each a warning"),
        pytest.param("\n" * MB, id="blank lines"),
        pytest.param("\r" * MB, id="carriage returns"),
        pytest.param(" \t\u00a0\u2003" * (MB // 4) + "1.1x", id="mixed white space"),
    ],
)
@pytest.mark.parametrize("where", ["in a block", "alone"])
def test_a_hostile_megabyte_is_read_in_under_a_second(body, where):
    text = (_BLOCK + body) if where == "in a block" else body
    assert len(text) > 0.9 * MB
    started = time.process_time()  # this process's CPU time: other work on the machine does not count
    with contextlib.suppress(CompactTextError):
        parse_compact_text(text)
    assert time.process_time() - started < 1.0


def test_reading_stops_after_a_hundred_problems_and_says_so():
    errors = errors_of(_BLOCK + "1.1 again\n" * 5000)
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1].message.startswith("Reading stopped here, after 100 problems and 0 warnings.")
    assert errors[-1].line == 104  # the 100th repeat of 1.1, after the four lines of the block


# --- The common shapes of local Compacts (texts of our own writing) -------------------------------

from commitments.importer import ReadingRule, read_compact_text  # noqa: E402


def shape(*lines: str) -> str:
    return "\n".join(["The Millbrook Compact", "", "How the partners of Millbrook work together.", *lines, ""])


def counts_of(parsed):
    return [(o.number, o.title, o.count_by_sector()) for o in parsed.outcomes]


@pytest.mark.parametrize(
    "heading",
    [
        "Outcome 1: Open doors",
        "Commitment 1: Open doors",
        "Section 1 – Open doors",
        "1: Open doors",
        "Canlyniad 1 / Outcome 1: Open doors",
        "Ymrwymiad 1: Open doors",
    ],
)
def test_outcome_heading_shapes(heading):
    parsed = parse_compact_text(
        shape(heading, "Undertakings for the public sector:", "1.1 Keep the hall open.", "The VCS will:", "1.2 Use it.")
    )
    assert counts_of(parsed) == [(1, "Open doors", {"public": 1, "vcs": 1})]


@pytest.mark.parametrize(
    "public, vcs",
    [
        ("The Council will:", "The VCS will:"),
        ("Public bodies will:", "CSOs will:"),
        ("Undertakings for the Government", "The third sector will"),
        ("Undertakings for public bodies:", "Organisations that have signed will:"),
        # Other councils' ways. Before, these were read as text: the VCS block's undertakings went to
        # the public sector's, unseen.
        ("Public bodies undertake to:", "The voluntary, community and faith sector undertakes to:"),
        ("The Council is committed to:", "Community groups commit to:"),
        ("Statutory partners shall:", "Social enterprises will aim to:"),
        ("The integrated care board agrees to:", "The VCFSE pledges to:"),
        ("Mae'r Cyngor yn ymrwymo i:", "Mae'r sector gwirfoddol yn cytuno i:"),
        ("What the Council will do:", "What voluntary groups will do:"),
        ("Commitments by public bodies", "Commitments from the VCS:"),
        ("Responsibilities of the Council:", "Pledges from community groups:"),
        ("Health partners will:", "The Council for Voluntary Service will:"),
        ("Bydd y Bwrdd Iechyd yn:", "TSOs will:"),
    ],
)
def test_sector_block_shapes(public, vcs):
    parsed = parse_compact_text(
        shape("Outcome 1: Open doors", public, "1.1 Keep the hall open.", "1.2 Say when.", vcs, "1.3 Use the hall.")
    )
    assert [(u.number, u.sector) for u in parsed.undertakings] == [("1.1", "public"), ("1.2", "public"), ("1.3", "vcs")]
    assert parsed.undertakings[1].text == "Say when."


def test_a_heading_naming_no_sector_is_an_error_not_the_block_above_and_a_rule_reads_it():
    text = shape(
        "Outcome 1: Open doors",
        "The Council will:",
        "1.1 Keep the hall open.",  # 6
        "The sector will:",  # 7
        "1.2 Use the hall.",
    )
    errors = errors_of(text)
    assert [e.line for e in errors] == [7]
    assert "‘The sector will:’ does not say which sector" in errors[0].message
    parsed = parse_compact_text(text, [ReadingRule(kind="sector", text="The sector will", sector="vcs")])
    assert [(u.number, u.sector) for u in parsed.undertakings] == [("1.1", "public"), ("1.2", "vcs")]


def test_a_wrapped_line_ending_like_a_heading_is_still_text():
    parsed = parse_compact_text(
        shape(
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Agree with its partners what each",
            "of them will:",
            "1.2 Keep the hall open.",
        )
    )
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("1.1", "public", "Agree with its partners what each of them will:"),
        ("1.2", "public", "Keep the hall open."),
    ]


def test_chapters_numbered_like_the_national_compact_are_outcomes_where_undertakings_follow():
    parsed = parse_compact_text(
        shape(
            "1. Introduction",
            "The Compact is an agreement between the Council and the voluntary sector.",
            "2. Our principles",
            "Respect: each side values the other.",
            "3. Involvement in policy development",  # 8
            "The Council will:",
            "3.1 Ask early.",
            "Voluntary organisations will:",
            "3.2 Answer with their users' views.",
            "4. Fair funding",  # 13
            "The Council will:",
            "• Give three months' notice.",
            "Community groups will:",
            "• Plan for the end of a grant.",
            "5. Monitoring and review",
            "The Compact group meets twice a year.",
        )
    )
    assert [(o.number, o.title) for o in parsed.outcomes] == [
        (3, "Involvement in policy development"),
        (4, "Fair funding"),
    ]
    assert [(u.number, u.sector) for u in parsed.undertakings] == [
        ("3.1", "public"),
        ("3.2", "vcs"),
        ("4.1", "public"),
        ("4.2", "vcs"),
    ]
    assert "Introduction" not in parsed.introduction
    assert [p.title for p in parsed.principles] == ["Respect"]
    assert parsed.making_it_work == "The Compact group meets twice a year."


@pytest.mark.parametrize("end", [".", ""])
def test_lists_numbered_on_their_own_under_numbered_chapters(end):
    parsed = parse_compact_text(
        shape(
            "1. Consultation",
            "Public bodies will:",
            f"1. Consult for twelve weeks{end}",  # 6
            f"2. Say how the answers changed the decision{end}",
            "Voluntary and community organisations will:",
            f"1. Answer for their members{end}",
            # Numbered as the next item of the list above, but a second public block follows: a chapter.
            "2. Funding",
            "Public bodies will:",
            f"(1) Give three months' notice{end}",
            "Voluntary and community organisations will:",
            f"1) Keep proper accounts{end}",
        )
    )
    assert [(o.number, o.title) for o in parsed.outcomes] == [(1, "Consultation"), (2, "Funding")]
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("1.1", "public", f"Consult for twelve weeks{end}"),
        ("1.2", "public", f"Say how the answers changed the decision{end}"),
        ("1.3", "vcs", f"Answer for their members{end}"),
        ("2.1", "public", f"Give three months' notice{end}"),
        ("2.2", "vcs", f"Keep proper accounts{end}"),
    ]
    assert parsed.warnings[0].line == 6
    assert parsed.warnings[0].message == (
        "The item ‘1.’ is numbered in its list, not in its outcome; it has been given the number 1.1."
    )


def test_items_numbered_1a_1b_are_given_the_outcomes_numbers():
    parsed = parse_compact_text(
        shape("Outcome 1: Open doors", "The Council will:", "1a Keep the hall open.", "The VCS will:", "1b Use it.")
    )
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("1.1", "public", "Keep the hall open."),
        ("1.2", "vcs", "Use it."),
    ]
    assert parsed.warnings[0].message.startswith("The item ‘1a’ is numbered in its list")


def test_a_second_block_of_a_sector_in_one_outcome_is_warned_of():
    parsed = parse_compact_text(
        shape(
            "Outcome 1: Open doors",
            "The Council will:",  # 5
            "1.1 Keep the hall open.",
            "The VCS will:",
            "1.2 Use the hall.",
            "The Council will:",  # 9
            "1.3 Keep the car park open.",
        )
    )
    assert [w.line for w in parsed.warnings] == [9]
    assert parsed.warnings[0].message.startswith(
        "‘The Council will:’ starts a second block of undertakings for the public sector in Outcome 1 (the first is "
        "at line 5)."
    )


def test_unnumbered_headings_above_sector_headings_are_outcomes_in_order_when_no_heading_is_numbered():
    text = shape(
        "Involvement in policy development",  # 4
        "The Council will:",
        "1.1 Ask early.",
        "Voluntary organisations will:",
        "1.2 Answer with their users' views, in",
        "Writing",  # a wrapped line: after no finished sentence, it is text
        "The Council will:",
        "1.3 Say why.",
        "",
        "Fair funding",  # 13
        "The Council will:",
        "2.1 Give three months' notice.",
    )
    parsed = parse_compact_text(text)
    assert [(o.number, o.title, o.line) for o in parsed.outcomes] == [
        (1, "Involvement in policy development", 4),
        (2, "Fair funding", 13),
    ]
    assert parsed.undertakings[1].text == "Answer with their users' views, in Writing"
    assert [w.message for w in parsed.warnings if "has no number" in w.message] == [
        "This outcome heading has no number; it has been read as Outcome 1.",
        "This outcome heading has no number; it has been read as Outcome 2.",
    ]
    # With one outcome heading of a known shape, the others are not guessed.
    assert errors_of(text.replace("Fair funding", "Outcome 2: Fair funding"))


def test_lettered_sections_and_their_lettered_numbers():
    parsed = parse_compact_text(
        shape(
            "Section A: Consultation",
            "Public bodies will:",
            "A1 Consult early.",
            "A.2 Say why.",
            "The VCS will:",
            "A3) Respond in time.",
            "Part B – Funding",
            "Public bodies will:",
            "B1 Pay on time, on A4 paper",
            "A4 paper is kept.",  # a list's item: numbered as the next, and said so
        )
    )
    assert [(o.number, o.title) for o in parsed.outcomes] == [(1, "Consultation"), (2, "Funding")]
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("1.1", "public", "Consult early."),
        ("1.2", "public", "Say why."),
        ("1.3", "vcs", "Respond in time."),
        ("2.1", "public", "Pay on time, on A4 paper"),
        ("2.2", "public", "paper is kept."),
    ]
    assert parsed.warnings[-1].message == (
        "The item ‘A4’ is numbered in its list, not in its outcome; it has been given the number 2.2."
    )


def test_other_words_for_an_outcome_are_read_where_undertakings_follow_and_an_introduction_is_never_one():
    parsed = parse_compact_text(
        shape(
            "Section 1: Introduction",
            "This Compact is an agreement between the council and local groups.",
            "Theme 2 – Consultation",
            "The Council will:",
            "2.1 Consult early.",
            "Priority 3: Funding",
            "The Council will:",
            "3.1 Pay on time.",
            "Part 4 - the council's guidance on grants is followed",  # text, no undertakings after it
        )
    )
    assert [(o.number, o.title) for o in parsed.outcomes] == [(2, "Consultation"), (3, "Funding")]
    assert parsed.introduction.endswith("This Compact is an agreement between the council and local groups.")
    assert parsed.undertakings[-1].text == "Pay on time. Part 4 - the council's guidance on grants is followed"


def test_outcome_numbers_written_in_words():
    parsed = parse_compact_text(
        shape(
            "Outcome One: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "COMMITMENT TWELVE",
            "Fair grants",
            "The Council will:",
            "12.1 Pay on time.",
        )
    )
    assert [(o.number, o.title) for o in parsed.outcomes] == [(1, "Open doors"), (12, "Fair grants")]


def test_an_outcome_heading_with_its_title_on_the_next_line():
    parsed = parse_compact_text(
        shape(
            "Outcome 1",  # 4
            "Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "COMMITMENT 2:",  # 8
            "",
            "Fair grants",
            "The Council will:",
            "2.1 Pay on time.",
        )
    )
    assert [(o.number, o.title, o.line) for o in parsed.outcomes] == [(1, "Open doors", 4), (2, "Fair grants", 8)]
    assert [u.text for u in parsed.undertakings] == ["Keep the hall open.", "Pay on time."]
    assert parsed.warnings == []
    # With nothing that can be its title below it, the heading still has no title: said so.
    errors = errors_of(shape("Outcome 1:", "The Council will:", "1.1 Keep the hall open."))
    assert errors[0].message.startswith("Outcome 1 has no title.")


def test_a_numbered_chapter_over_outcome_headings_is_not_an_outcome():
    parsed = parse_compact_text(
        shape(
            "3. Our commitments",
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
        )
    )
    assert [(o.number, o.title) for o in parsed.outcomes] == [(1, "Open doors")]


def test_numbered_principles_keep_their_titles_and_none_goes_to_the_introduction():
    parsed = parse_compact_text(
        shape(
            "Our shared principles",
            "1. Respect: we value what each partner brings.",
            "(b) Honesty – we say what we can and cannot do.",
            "Principle 3: Independence – groups may campaign.",
            "4) Fairness",
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
        )
    )
    assert [(p.title, p.text) for p in parsed.principles] == [
        ("Respect", "we value what each partner brings."),
        ("Honesty", "we say what we can and cannot do."),
        ("Independence", "groups may campaign."),
        ("Fairness", ""),
    ]
    assert parsed.introduction == "How the partners of Millbrook work together."


def test_a_welsh_compact_in_other_councils_shapes():
    parsed = parse_compact_text(
        "\n".join(
            [
                "Compact Cwm Glas",
                "Cyflwyniad",
                "Mae'r Compact hwn yn gytundeb rhwng y cyngor a mudiadau gwirfoddol.",
                "Ein hegwyddorion",  # "ein" takes an h
                "1. Parch: rydym yn gwerthfawrogi'r hyn y mae pob partner yn ei gynnig.",
                "Pennod 1 – Drysau agored",
                "Mae'r Cyngor yn ymrwymo i:",
                "1.1 Cadw'r neuadd ar agor.",
                "Bydd y sector gwirfoddol yn:",
                "1.2 Defnyddio'r neuadd yn dda.",
                "Geirfa",
                "SGC: sector gwirfoddol a chymunedol.",
            ]
        )
    )
    assert [p.title for p in parsed.principles] == ["Parch"]
    assert [(o.number, o.title) for o in parsed.outcomes] == [(1, "Drysau agored")]
    assert [(u.number, u.sector) for u in parsed.undertakings] == [("1.1", "public"), ("1.2", "vcs")]
    assert parsed.undertakings[-1].text == "Defnyddio'r neuadd yn dda."


def test_a_heading_read_as_the_last_principle_is_warned_of():
    parsed = parse_compact_text(
        shape(
            "Our shared principles",
            "Respect: each side values what the other brings.",
            "Our commitments",  # 6
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
        )
    )
    assert [w.line for w in parsed.warnings] == [6]
    assert parsed.warnings[0].message.startswith("‘Our commitments’ was read as a principle with no text")
    # A list of principles' names alone is a list, not a heading.
    listed = parse_compact_text(
        shape(
            "Our shared principles", "• Equality", "• Respect", "Outcome 1: Open doors", "The Council will:", "1.1 Go."
        )
    )
    assert [p.title for p in listed.principles] == ["Equality", "Respect"] and listed.warnings == []


def test_a_glossary_or_appendix_after_the_outcomes_is_left_out_and_said_so_but_definitions_in_the_introduction_stay():
    parsed = parse_compact_text(
        shape(
            "Definitions",  # 4
            "In this Compact the sector means voluntary and community groups.",
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "Appendix 1: Compact action plan",  # 9
            "Review the hall's opening hours by March.",
            "Glossary",  # 11
            "VCS: the voluntary and community sector.",
        )
    )
    assert "In this Compact the sector means" in parsed.introduction
    assert parsed.undertakings[0].text == "Keep the hall open."
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (
            9,
            "Lines 10 to 10, under ‘Appendix 1: Compact action plan’, are not imported: an edition has no part for "
            "a glossary or an appendix. Once the draft is made, copy what the Compact needs into its introduction.",
        ),
        (
            11,
            "Lines 12 to 12, under ‘Glossary’, are not imported: an edition has no part for a glossary or an "
            "appendix. Once the draft is made, copy what the Compact needs into its introduction.",
        ),
    ]


def test_the_documents_own_list_of_signatories_is_not_imported_and_the_check_page_says_so():
    parsed = parse_compact_text(
        shape(
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "Signatories",  # 7
            "Signed on behalf of Millbrook Borough Council",
            "",
            "A. Person, Chief Executive",  # 10
        )
    )
    assert parsed.undertakings[0].text == "Keep the hall open."
    assert "Person" not in parsed.introduction + parsed.contacts + parsed.making_it_work
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (
            7,
            "Lines 8 to 10, the document’s list of signatories, are not imported: the register records who signed "
            "each edition. Once the edition is published, record each sign-up on paper with ‘Record a sign-up for an "
            "organisation’.",
        )
    ]


@pytest.mark.parametrize(
    "heading, part",
    [
        ("Monitoring and review", "making_it_work"),
        ("Reviewing the Compact", "making_it_work"),
        ("Dealing with disagreements", "dispute_resolution"),
        ("When things go wrong", "dispute_resolution"),
        ("Monitro ac adolygu", "making_it_work"),
    ],
)
def test_closing_parts_named_as_other_councils_name_them(heading, part):
    parsed = parse_compact_text(
        shape("Outcome 1: Open doors", "The Council will:", "1.1 Keep the hall open.", heading, "Words of that part.")
    )
    assert getattr(parsed, part) == "Words of that part."
    assert parsed.undertakings[0].text == "Keep the hall open."


@pytest.mark.parametrize("heading", ["Both sectors will:", "Together we will:", "Joint undertakings"])
def test_joint_blocks_are_read_as_joint(heading):
    parsed = parse_compact_text(
        shape(
            "Outcome 1: Open doors", "The Council will:", "1.1 Keep the hall open.", heading, "1.2 Meet twice a year."
        )
    )
    assert [(u.number, u.sector) for u in parsed.undertakings] == [("1.1", "public"), ("1.2", "joint")]
    assert parsed.count_by_sector() == {"public": 1, "vcs": 0, "joint": 1}


def test_lettered_and_bulleted_items_are_given_numbers_and_the_preview_says_so():
    parsed = parse_compact_text(
        shape(
            "Outcome 2: Fair grants",
            "The Council will:",
            "(a) Pay on time.",  # 6
            "b) Keep forms short",
            "and plain.",
            "The VCS will:",
            "• Report honestly.",  # 10
            "- Plan for the end of a grant.",
        )
    )
    assert [(u.number, u.sector, u.text) for u in parsed.undertakings] == [
        ("2.1", "public", "Pay on time."),
        ("2.2", "public", "Keep forms short and plain."),
        ("2.3", "vcs", "Report honestly."),
        ("2.4", "vcs", "Plan for the end of a grant."),
    ]
    assert [w.line for w in parsed.warnings] == [4, 6, 7, 10, 11]  # 4: "the first outcome is numbered 2"
    assert parsed.warnings[1].message == "The item ‘(a)’ has no number of its own; it has been given the number 2.1."


def test_principles_codes_of_practice_and_closing_sections_go_to_their_own_parts():
    parsed = parse_compact_text(
        shape(
            "Our shared principles",
            "Respect: each side values what the other brings.",
            "Honesty – we say what we can and cannot do.",
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "The VCS will:",
            "1.2 Use the hall well.",
            "Consultation code of practice",
            "11.1 Give notice of a consultation early.",
            "11.2 Say how answers will be used.",
            "Making the Compact work",
            "A forum meets each spring.",
            "Resolving disagreements",
            "Talk first, then write.",
            "Contacts",
            "The Compact office, Millbrook Town Hall.",
        )
    )
    assert [(p.title, p.text) for p in parsed.principles] == [
        ("Respect", "each side values what the other brings."),
        ("Honesty", "we say what we can and cannot do."),
    ]
    assert [(c.title, c.text) for c in parsed.codes_of_practice] == [
        (
            "Consultation code of practice",
            "11.1 Give notice of a consultation early.\n11.2 Say how answers will be used.",
        )
    ]
    assert [u.number for u in parsed.undertakings] == ["1.1", "1.2"]
    assert parsed.undertakings[-1].text == "Use the hall well."
    assert parsed.making_it_work == "A forum meets each spring."
    assert parsed.dispute_resolution == "Talk first, then write."
    assert parsed.contacts == "The Compact office, Millbrook Town Hall."


# --- Never silently wrong ----------------------------------------------------------------------


def test_a_table_saved_as_text_that_merged_the_vcs_into_the_public_text_is_refused():
    """A two-column table saved as text: each VCS undertaking ends up inside a public one."""
    errors = errors_of(
        shape(
            "Outcome 1: Open doors",
            "Undertakings for the public sector: Undertakings for the VCS:",  # 5: not one sector's heading
            "1.1 Keep the hall open. 1.3 Use the hall well.",  # 6
            "1.2 Say when it closes. 1.4 Tell others about it.",
        )
    )
    assert [e.line for e in errors] == [6]
    assert errors[0].message.startswith("Undertakings 1.1 to 1.2 (2 lines) come before any ‘Undertakings for …’")
    errors = errors_of(
        shape(
            "Outcome 1: Open doors",
            "Undertakings for the public sector:",
            "1.1 Keep the hall open. 1.3 Use the hall well.",  # 6
            "1.2 Say when it closes. 1.4 Tell others about it.",  # 7
            "Undertakings for the VCS:",  # 8
        )
    )
    assert [e.line for e in errors] == [6, 7, 8]
    assert "Undertaking 1.1 holds the number 1.3 inside its text (‘…1.3 Use the hall well.’)" in errors[0].message
    assert "names the voluntary and community sector here" in errors[2].message


def test_an_undertaking_far_longer_than_the_rest_is_refused():
    lines = ["Outcome 1: Open doors", "The Council will:"]
    lines += [f"1.{n} Keep the hall open on weekday evenings." for n in range(1, 6)]
    lines += ["The VCS will:", "1.6 " + "Use the hall and tell others about it. " * 50]
    errors = errors_of(shape(*lines))
    assert [e.line for e in errors] == [12]
    assert "Undertaking 1.6 is 1949 characters long, far longer than the others" in errors[0].message


def test_a_page_number_inside_an_undertaking_is_refused_and_a_rule_lets_it_through():
    text = shape(
        "Outcome 1: Open doors",
        "The Council will:",
        "1.1 Keep the hall open",
        "Page 3 of 9",  # 7
        "on weekday evenings.",
        "The VCS will:",
        "1.2 Use it.",
    )
    errors = errors_of(text)
    assert [e.line for e in errors] == [7]
    assert "‘Page 3 of 9’ looks like a page number inside undertaking 1.1" in errors[0].message
    assert "‘ignore lines like Page # of #’" in errors[0].message
    parsed = parse_compact_text(text, [ReadingRule(kind="ignore", text="Page # of #")])
    assert parsed.undertakings[0].text == "Keep the hall open on weekday evenings."


def test_numbered_lines_without_an_outcome_heading_are_one_error_with_a_suggestion_and_a_rule_fixes_it():
    text = shape(
        "Pillar 1 – Open doors",  # 4
        "The Council will:",
        "1.1 Keep the hall open.",  # 6
        "The VCS will:",
        "1.2 Use the hall well.",
        "Pillar 2 – Fair grants",
        "The Council will:",
        "2.1 Pay on time.",
        "The VCS will:",
        "2.2 Report honestly.",
    )
    errors = errors_of(text)
    assert [e.line for e in errors] == [6]
    assert errors[0].message.startswith(
        "4 lines look like undertakings but come before the first outcome heading, so it is not clear which outcome "
        "they belong to (the first is line 6, ‘1.1 Keep the hall open.’). Did you mean line 4, ‘Pillar 1 – Open "
        "doors’, as Outcome 1? If so, add the rule ‘lines starting with “Pillar” are outcome headings’."
    )
    reading = read_compact_text(text, [ReadingRule(kind="outcome", text="Pillar")])
    assert reading.errors == []
    assert counts_of(reading.parsed) == [
        (1, "Open doors", {"public": 1, "vcs": 1}),
        (2, "Fair grants", {"public": 1, "vcs": 1}),
    ]
    assert reading.kinds[3:8] == ["outcome", "sector", "undertaking", "sector", "undertaking"]


def test_a_sector_rule_names_a_heading_the_reader_did_not_know():
    text = shape("Outcome 1: Open doors", "Millbrook Borough Council:", "1.1 Keep the hall open.")
    assert errors_of(text)[0].line == 6
    parsed = parse_compact_text(text, [ReadingRule(kind="sector", text="Millbrook Borough Council", sector="public")])
    assert [(u.number, u.sector) for u in parsed.undertakings] == [("1.1", "public")]


def test_unnumbered_text_under_a_heading_is_one_error_per_item_not_per_wrapped_line():
    errors = errors_of(
        shape("Outcome 1: Open doors", "The Council will:", "Keep the hall open", "on weekday evenings", "and say so.")
    )
    assert [e.line for e in errors] == [4, 6]  # 4: the outcome has no undertakings
    assert "not a numbered undertaking" in errors[1].message


def test_the_kind_of_every_line_is_recorded():
    reading = read_compact_text(
        shape("Outcome 1: Open doors", "The Council will:", "1.1 Keep the hall open", "in the evening.", "* A note.")
    )
    assert reading.kinds == [
        "title", "", "text", "outcome", "sector", "undertaking", "continuation", "footnote", "",
    ]  # fmt: skip


def test_an_ignore_rule_takes_whole_lines_only_and_hash_stands_for_any_number():
    text = shape(
        "Outcome 1: Open doors",
        "The Council will:",
        "1.1 Keep the hall open",
        "Page 12 of 40",
        "on weekday evenings.",
        "The VCS will:",
        "1.2 Use it.",
    )
    rules = [ReadingRule(kind="ignore", text="page # of #")]
    reading = read_compact_text(text, rules)
    assert reading.kinds[6] == "ignored"
    assert reading.parsed.undertakings[0].text == "Keep the hall open on weekday evenings."
    # A line with more than the page number is kept, never dropped (and still refused: not silently wrong).
    reading = read_compact_text(text.replace("1.2 Use it.", "1.2 Use it.\nPage 13 of 40 more text"), rules)
    assert reading.kinds[10] == "continuation"
    assert [e.message for e in reading.errors] == [
        "Undertaking 1.2 holds a page number (‘Page 13 of 40’). Add the rule ‘ignore lines like Page # of #’ if it "
        "is on a line of its own, or remove it from the file."
    ]


def test_rule_patterns_stay_linear_on_hostile_lines():
    rules = [
        ReadingRule(kind="ignore", text="# # # # #"),
        ReadingRule(kind="outcome", text="##.##"),
        ReadingRule(kind="sector", text="# will", sector="public"),
    ]
    text = _BLOCK + ("1 " * (MB // 2)) + "\n" + "9" * MB
    started = time.perf_counter()
    with contextlib.suppress(CompactTextError):
        parse_compact_text(text, rules)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "reshape",
    [
        pytest.param(lambda t: t.replace("Outcome ", "Commitment "), id="Commitment N headings"),
        pytest.param(lambda t: re.sub(r"(?m)^Outcome (\d):", r"Canlyniad \1 / Outcome \1:", t), id="bilingual"),
        pytest.param(lambda t: re.sub(r"(?m)^Outcome (\d):", r"\1:", t), id="bare N: headings"),
        pytest.param(
            lambda t: re.sub(r"(?im)^Undertakings for the Public sector:\s*$", "The Council will:", t).replace(
                "Undertakings for the VCS:", "The VCS will:"
            ),
            id="'The Council will:' blocks",
        ),
    ],
)
def test_the_seed_reshaped_the_way_councils_publish_it_reads_the_same(seed_compact_path, reshape):
    text = reshape(seed_compact_path.read_bytes().decode("utf-8"))
    parsed = parse_compact_text(text)
    assert parsed.count_by_sector() == {"public": 32, "vcs": 21}
    assert [o.number for o in parsed.outcomes] == [1, 2, 3, 4, 5]


def test_the_seed_with_its_vcs_undertakings_run_into_the_public_ones_is_refused(seed_compact_path):
    """The failure the issue found: VCS undertakings joined to the public ones' text, saved silently."""
    text = seed_compact_path.read_bytes().decode("utf-8")
    text = re.sub(r"(?m)\s*^Undertakings for the VCS:\s*$\n", " ", text)
    reading = read_compact_text(text)
    assert reading.parsed is None
    assert reading.errors
    assert any("holds the number" in e.message for e in reading.errors)


def test_a_wrapped_line_naming_a_code_is_not_a_heading_and_a_wrong_code_heading_is_refused():
    parsed = parse_compact_text(
        shape(
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Give notice in line with the",
            "Funding Code",
            "1.2 Keep the hall open.",
            "The VCS will:",
            "1.3 Use it.",
        )
    )
    assert [u.number for u in parsed.undertakings] == ["1.1", "1.2", "1.3"]
    assert parsed.undertakings[0].text == "Give notice in line with the Funding Code"
    errors = errors_of(
        shape(
            "Outcome 1: Open doors",
            "The Council will:",
            "1.1 Keep the hall open.",
            "The VCS will:",
            "1.2 Follow the",
            "Volunteering Code of Practice",  # 9
            "1.3 Use the hall.",  # 10
        )
    )
    assert [e.line for e in errors] == [10]
    assert (
        "1.3 looks like the next undertaking of Outcome 1, but it comes after ‘Volunteering Code of Practice’ (line 9)"
        in errors[0].message
    )
