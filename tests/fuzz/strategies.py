"""Hypothesis strategies for hostile form input: text, numbers, dates, choices and files.

``payload(spec)`` turns the fields a form shows (see :mod:`tests.fuzz.discover`) into a list of
``(key, value)`` pairs: each field's value drawn from what it accepts and from what it does not,
some fields left out, some given twice, and random extra keys.
"""

import io
import zipfile
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.consultations.factories import DOC_BYTES, EXE_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes, odt_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

HTML_PAYLOADS = [
    '<script>alert("x")</script><b>bold</b> & "quotes"',
    "<img src=x onerror=alert(1)>",
    '"><svg/onload=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }} {% debug %} ${7*7} %(name)s %s {0}",
    "]]><!--<![CDATA[",
]
SQL_PAYLOADS = [
    "' OR '1'='1",
    "'; DROP TABLE signatories_organisation; --",
    '" OR ""="',
    "1; SELECT pg_sleep(0)",
    "%",
    "_",
    "\\",
]
UNICODE_SAMPLES = [
    "مرحبا بالعالم",  # Arabic, right to left
    "שלום \u202eevil\u202c",  # Hebrew, with a right-to-left override
    "😀👩‍👩‍👧‍👦🏳️‍🌈",  # emoji, with joiners
    "Zalgo: Z̷̢̛a̵l̶g̷o̶",
    "\ufeffBOM",
    "\u200b\u200c\u200d",  # zero-width characters
    "ＦＵＬＬＷＩＤＴＨ １２３",
    "Ⅻ ١٢٣ ߁߂",  # digits that are not ASCII
    "line\u2028separator\u2029paragraph\x85next",
]
CONTROL_SAMPLES = ["\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n", "\r", "\t\x0b\x0c", "\x7f", "\ud800", "x\udfffy"]
NUMBERISH = [
    "",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "32767",
    "32768",
    "65536",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999",
    "1.99999999",
    "1.40000",
    "0.0",
    "1.2.3",
    "00001",
    " 7 ",
]


def lengths() -> st.SearchStrategy[str]:
    """Text exactly at, just over and far over the limits the forms have."""
    return st.builds(
        lambda n, ch: ch * n,
        st.sampled_from([199, 200, 201, 250, 251, 254, 255, 256, 4000, 4001, 5000, 5001, 10000, 10001, 100_000]),
        st.sampled_from(["a", "é", "😀", "<", "&"]),
    )


def any_text(max_size: int = 80) -> st.SearchStrategy[str]:
    """Any characters at all, lone surrogates and control characters included."""
    alphabet = st.one_of(st.characters(exclude_categories=()), st.characters(categories=["Cs", "Cc"]))
    return st.text(alphabet=alphabet, max_size=max_size)


def nasty_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        st.sampled_from([" ", "\n", "\t \r\n"]),
        st.sampled_from(HTML_PAYLOADS + SQL_PAYLOADS + UNICODE_SAMPLES + CONTROL_SAMPLES + NUMBERISH),
        any_text(),
        lengths(),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.builds(lambda a, b: f"{a}.{b}", st.integers(-5, 99999), st.integers(-5, 10**9)),
        st.lists(st.sampled_from(HTML_PAYLOADS + UNICODE_SAMPLES + CONTROL_SAMPLES), min_size=2, max_size=4).map(
            " ".join
        ),
    )


def date_parts() -> st.SearchStrategy[tuple[str, str, str]]:
    """Day, month and year boxes: impossible days, year 0, negative and huge years, words."""
    known = st.sampled_from(
        [
            ("31", "2", "2027"),
            ("29", "2", "2027"),
            ("29", "2", "2028"),
            ("30", "2", "2100"),
            ("0", "0", "0000"),
            ("1", "1", "0001"),
            ("31", "12", "9999"),
            ("1", "1", "1997"),
            ("-1", "-1", "-2026"),
            ("32", "13", "2027"),
            ("1", "1", "10000"),
            ("٣", "٣", "٢٠٢٧"),
            ("1\n", "1\n", "2027\n"),
            ("", "", ""),
            ("1", "", "2027"),
            ("31", "4", "2027"),
            ("15", "5", "2026"),
            ("1", "2", "2027"),
        ]
    )
    part = st.one_of(st.integers(-99, 99999).map(str), nasty_text())
    return st.one_of(known, st.tuples(part, part, part))


def upload_names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "proposal.pdf",
                "proposal.PDF",
                "photo.png",
                "letter.docx",
                "notes.odt",
                "old.doc",
                "image.jpeg",
                "compact.txt",
                "list.csv",
                "program.exe",
                "noextension",
                ".pdf",
                "../../etc/passwd.pdf",
                "a" * 300 + ".pdf",
                "<script>alert(1)</script>.pdf",
                "name\x00.pdf",
                "ملف.pdf",
            ]
        ),
        st.text(max_size=40),
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def compact_text_bytes() -> st.SearchStrategy[bytes]:
    """A real Compact text, sometimes with hostile text spliced in, in several encodings."""
    sample = (FIXTURES / "sample_compact.txt").read_text(encoding="utf-8")
    spliced = st.builds(
        lambda cut, extra: sample[: cut % (len(sample) + 1)] + extra + sample[cut % (len(sample) + 1) :],
        st.integers(0, 10**6),
        nasty_text(),
    )
    return st.one_of(st.just(sample), spliced).flatmap(
        lambda text: st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig"]).map(
            lambda codec: text.encode(codec, errors="replace")
        )
    )


def csv_bytes() -> st.SearchStrategy[bytes]:
    """The example list of signatories with hostile rows added."""
    sample = (FIXTURES / "signatories.csv").read_text(encoding="utf-8")
    header = sample.splitlines()[0]
    cell = st.one_of(
        nasty_text(),
        st.sampled_from(["VCS", "Public", "Charity", "Council", "27/03/2026", "31/02/2026", "=1+1", "@SUM(A1)"]),
    )
    row = st.lists(cell, min_size=0, max_size=12).map(lambda cells: ",".join(f'"{c}"' for c in cells))
    rows = st.lists(row, max_size=4)
    return st.one_of(
        st.just(sample.encode()),
        st.builds(lambda extra: (header + "\n" + "\n".join(extra)).encode("utf-8", "surrogatepass"), rows),
        st.builds(lambda extra: (sample + "\n".join(extra)).encode("utf-8", "surrogatepass"), rows),
    )


def file_contents() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(
            [
                b"",
                PDF_BYTES,
                PNG_BYTES,
                JPEG_BYTES,
                DOC_BYTES,
                EXE_BYTES,
                docx_bytes(),
                odt_bytes(),
                b"PK\x03\x04" + b"\x00" * 40,  # a broken zip
                _zip({"mimetype": b"x" * 500, "content.xml": b""}),
                PDF_BYTES[:5],
            ]
        ),
        st.binary(max_size=200),
        compact_text_bytes(),
        csv_bytes(),
    )


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    try:
        return SimpleUploadedFile(name, content, content_type=content_type)
    except SuspiciousFileOperation:  # a name with nothing left once folders are cut ("", "/", "..")
        return SimpleUploadedFile("x", content, content_type=content_type)


def uploads() -> st.SearchStrategy[SimpleUploadedFile]:
    return st.builds(
        _upload,
        upload_names(),
        file_contents(),
        st.sampled_from(["application/pdf", "text/plain", "text/csv", "application/octet-stream", "image/png", ""]),
    )


def choice_value(options: list[str]) -> st.SearchStrategy[str]:
    """An offered option most often; otherwise something that is not one."""
    offered = st.sampled_from(options) if options else st.nothing()
    return st.one_of(offered, offered, nasty_text(), st.sampled_from(["on", "off", "true", "yes", "none"]))


def field_values(field) -> st.SearchStrategy[list]:
    """The values posted under one field's name: usually one, sometimes none or several."""
    if field.kind == "file":
        single = st.one_of(uploads(), uploads(), nasty_text())
    elif field.kind in ("radio", "select", "checkbox", "multi"):
        single = choice_value(field.options)
    else:
        single = nasty_text()
    if field.kind in ("checkbox", "multi"):
        return st.lists(single, max_size=5)
    return st.one_of(
        single.map(lambda v: [v]),
        single.map(lambda v: [v]),
        single.map(lambda v: [v]),
        st.just([]),  # left out
        st.lists(single, min_size=2, max_size=3),  # the key given more than once
    )


def payload(spec) -> st.SearchStrategy[list[tuple[str, object]]]:
    """(key, value) pairs for a form with the given fields, day/month/year boxes drawn together."""
    parts = []
    for group in spec.date_groups:
        parts.append(
            st.one_of(
                date_parts().map(lambda d, g=group: [(f"{g}_{i}", v) for i, v in enumerate(d)]),
                st.just([]),
                st.just([(f"{group}", "2027-02-01")]),  # the whole date in one box
            )
        )
    for field in spec.fields:
        parts.append(field_values(field).map(lambda values, name=field.name: [(name, v) for v in values]))
    extras = st.lists(
        st.tuples(st.one_of(any_text(20), st.sampled_from(spec.names or ["x"])), nasty_text()), max_size=3
    )
    return st.tuples(st.tuples(*parts) if parts else st.just(()), extras).map(
        lambda drawn: [pair for group in drawn[0] for pair in group] + list(drawn[1])
    )
