"""The printed Compact: its text, PDF/UA tagging, the locked-down URL fetcher, and render caching."""

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils import timezone, translation

from commitments import pdf, services
from commitments.models import Edition, EditionDocument, Outcome, Sector, Undertaking
from commitments.tasks import render_edition_document
from compact_portal import documents
from tests.commitments.factories import (
    EditionFactory,
    OutcomeFactory,
    PrincipleFactory,
    UndertakingFactory,
    build_edition,
)
from tests.conftest import require_executable

# County Durham's Compact: five outcomes, 53 undertakings in all.
DURHAM_SHAPE = {1: (7, 5), 2: (8, 5), 3: (6, 5), 4: (6, 4), 5: (4, 3)}  # outcome: (public, VCS)
UNSAFE_TEXT = (
    'Share data. <img src="file:///etc/passwd"> <img src="http://example.com/tracker.png"> '
    '<link rel=stylesheet href="http://example.com/x.css">'
)


def pdf_text(data: bytes, mode: str = "-layout") -> str:
    """The PDF's text: laid out as printed, or with ``-raw`` in the order it was drawn."""
    pdftotext = require_executable("pdftotext")
    result = subprocess.run([pdftotext, mode, "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def undertaking_numbers_in(text: str) -> list[str]:
    """Numbers that start a line, in reading order: how each undertaking is printed."""
    return re.findall(r"^\s*(\d+\.\d+)\s{2,}\S", text, flags=re.MULTILINE)


def build_durham_sized(compact) -> Edition:
    edition = EditionFactory(
        compact=compact,
        name="Refreshed Compact",
        status=Edition.Status.PUBLISHED,
        published_on=datetime.date(2027, 3, 4),
        introduction="The Compact outlines the principles for a working relationship.\n\nSecond paragraph.",
        making_it_work="Every partner names a Compact champion.",
        dispute_resolution="Raise a concern with the other party first.",
    )
    for position, title in enumerate(["Respect", "Honesty", "Equality and diversity"], start=1):
        PrincipleFactory(edition=edition, title=title, position=position, description=f"What {title} means.")
    for number, (public, vcs) in DURHAM_SHAPE.items():
        outcome = OutcomeFactory(edition=edition, number=number, title=f"Outcome title {number}")
        for place in range(1, public + vcs + 1):
            UndertakingFactory(
                outcome=outcome,
                edition=edition,
                number=f"{number}.{place}",
                sector=Sector.PUBLIC if place <= public else Sector.VCS,
                text=f"We will keep promise {number}-{place}, a sentence long enough to read like one.",
            )
    return edition


def expected_numbers(edition: Edition) -> list[str]:
    return [u.number for o in edition.outcomes.order_by("number") for u in o.undertakings.order_by("position")]


def render(html: str) -> bytes:
    return documents.render_pdf(html, stylesheet=pdf.STYLESHEET)


@pytest.fixture
def render_spy(monkeypatch):
    """Counts real renders (the task's calls to render_pdf)."""
    calls = []
    real = documents.render_pdf

    def spy(html, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", spy)
    return calls


@pytest.fixture
def fetched_urls(monkeypatch):
    """Every URL the renderer asks the fetcher for, with whether it was allowed."""
    asked = []
    real = documents.static_file_for_url

    def spy(url):
        try:
            path = real(url)
        except documents.FetchRefused:
            asked.append((url, False))
            raise
        asked.append((url, True))
        return path

    monkeypatch.setattr(documents, "static_file_for_url", spy)
    return asked


# --- Text ------------------------------------------------------------------------------------------


def test_pdf_has_title_page_contents_every_undertaking_and_the_annex(edition):
    text = pdf_text(render(pdf.edition_pdf_html(edition)))

    title_page = text.split("\f")[0]
    assert "Riverside Compact" in title_page
    assert "First edition" in title_page
    assert "Published 1 April 2026" in title_page
    assert re.search(r"^\s*Contents\s*$", text, flags=re.MULTILINE)
    # Contents entries carry page numbers (leader dots and target-counter from the stylesheet).
    assert re.search(r"Outcome 2: Outcome 2 title\s*\.{3,}\s*\d+", text)
    assert "Undertakings for the public sector" in text
    assert "Undertakings for the voluntary and community sector" in text
    assert (
        undertaking_numbers_in(text)
        == expected_numbers(edition)
        == ["1.1", "1.2", "1.3", "1.4"]
        + [
            "2.1",
            "2.2",
            "2.3",
            "2.4",
        ]
    )
    annex = text.split("Annex: organisations that have signed this edition")[-1]
    assert "No organisation has signed this edition yet." in annex


def test_joint_undertakings_print_under_their_own_heading_after_both_sectors(compact):
    edition = build_edition(compact=compact, outcomes=2, per_sector=1, joint=1)
    edition.undertakings.filter(number="1.3").update(text="Hold a joint review of this Compact each autumn.")
    text = pdf_text(render(pdf.edition_pdf_html(edition)))

    outcome_1 = text.split("Outcome 1: Outcome 1 title")[-1].split("Outcome 2: Outcome 2 title")[0]
    public, rest = outcome_1.split("Undertakings for the voluntary and community sector")
    assert "Undertakings for the public sector" in public
    vcs, joint = rest.split("Undertakings for both sectors")
    assert "Hold a joint review of this Compact each autumn." in " ".join(joint.split())
    assert "Undertakings for the both sectors" not in text
    assert undertaking_numbers_in(text) == expected_numbers(edition) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]


def test_a_durham_sized_edition_prints_all_53_undertakings_in_order(compact):
    edition = build_durham_sized(compact)
    text = pdf_text(render(pdf.edition_pdf_html(edition)))

    numbers = undertaking_numbers_in(text)
    assert len(numbers) == 53
    assert numbers == expected_numbers(edition)
    assert "Published 4 March 2027" in text.split("\f")[0]
    for heading in ("Principles", "Introduction", "Making the Compact work", "Resolving differences"):
        assert re.search(rf"^\s*{heading}\s*\.+\s*\d+\s*$", text, flags=re.MULTILINE), heading  # in contents
        assert re.search(rf"^\s*{heading}\s*$", text, flags=re.MULTILINE), heading  # as a heading
    assert "Every partner names a Compact champion." in text


def test_a_draft_says_so_on_its_title_page(compact):
    draft = build_edition(compact=compact, name="Refresh 2027", status=Edition.Status.DRAFT)
    title_page = pdf_text(render(pdf.edition_pdf_html(draft))).split("\f")[0]
    assert "Draft" in title_page
    assert "Published" not in title_page


def test_the_annex_lists_signatories_by_sector(edition):
    sections = [
        pdf.SignatorySection(
            label="Voluntary and community sector",
            rows=[pdf.SignatoryRow("Riverside Food Bank", "Ann Jones", "Chair", datetime.date(2027, 3, 4))],
        ),
        pdf.SignatorySection(label="Public sector", rows=[]),
    ]
    text = pdf_text(render(pdf.edition_pdf_html(edition, signatories=sections)))
    annex = text.split("Annex: organisations that have signed this edition")[-1]
    assert "Riverside Food Bank" in annex
    assert "4 March 2027" in annex
    assert "No organisation has signed" not in annex


def test_the_html_does_not_depend_on_the_language_of_whoever_asked(edition):
    english = pdf.edition_pdf_html(edition)
    with translation.override("cy"):
        assert pdf.edition_pdf_html(edition) == english
    assert '<html lang="en-GB">' in english


# --- PDF/UA ----------------------------------------------------------------------------------------


def test_the_pdf_is_tagged_pdf_ua_1_with_language_and_title(edition):
    document = pikepdf.open(io.BytesIO(render(pdf.edition_pdf_html(edition))))

    root = document.Root
    assert bool(root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in root
    assert str(root.Lang) == "en-GB"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    assert str(document.docinfo.Title) == "Riverside Compact: First edition"
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == "Riverside Compact: First edition"
    assert "/Outlines" in root  # bookmarks from the headings
    page = document.pages[0].MediaBox
    assert (round(float(page[2])), round(float(page[3]))) == (595, 842)  # A4, from the stylesheet


# --- The URL fetcher -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["undertaking", "outcome", "introduction", "signatory"])
def test_markup_in_user_text_is_printed_as_text_and_fetches_nothing(edition, fetched_urls, where):
    signatories = []
    if where == "undertaking":
        Undertaking.objects.filter(edition=edition, number="1.2").update(text=UNSAFE_TEXT)
    elif where == "outcome":
        Outcome.objects.filter(edition=edition, number=2).update(description=UNSAFE_TEXT)
    elif where == "introduction":
        Edition.objects.filter(pk=edition.pk).update(introduction=UNSAFE_TEXT)
        edition.refresh_from_db()
    else:
        signatories = [pdf.SignatorySection("Public sector", [pdf.SignatoryRow(UNSAFE_TEXT, "A", "B", None)])]

    text = pdf_text(render(pdf.edition_pdf_html(edition, signatories=signatories)), "-raw")

    squashed = "".join(text.split())  # lines may break anywhere, even inside a URL
    for markup in ('<img src="file:///etc/passwd">', '<img src="http://example.com/tracker.png">'):
        assert "".join(markup.split()) in squashed
    assert '<linkrel=stylesheethref="http://example.com/x.css">' in squashed
    assert "root:" not in text
    # Only the stylesheet was asked for; had the markup been live, the fetcher would have been
    # asked for /etc/passwd and example.com.
    assert fetched_urls == [(Path(settings.BASE_DIR / "static" / pdf.STYLESHEET).resolve().as_uri(), True)]


def test_if_markup_ever_reached_the_renderer_every_outside_fetch_is_refused_and_logged(fetched_urls, caplog):
    html = (
        '<html lang="en-GB"><head><title>T</title>'
        '<link rel="stylesheet" href="http://example.com/x.css"></head><body>'
        '<img src="file:///etc/passwd" alt="a"><img src="http://example.com/tracker.png" alt="b">'
        '<img src="../manage.py" alt="c"><p>Text</p></body></html>'
    )
    caplog.set_level("WARNING", logger="compact_portal.documents")

    data = render(html)

    assert data.startswith(b"%PDF")
    asked = dict(fetched_urls)
    assert asked == {
        "http://example.com/x.css": False,
        "file:///etc/passwd": False,
        "http://example.com/tracker.png": False,
        (settings.BASE_DIR / "manage.py").as_uri(): False,
    }
    assert "file:///etc/passwd" in caplog.text
    assert "http://example.com/tracker.png" in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/",
        "https://example.com/pdf/compact.css",
        "data:text/css,body{color:red}",
        "ftp://example.com/x.css",
        "file://example.com/etc/passwd",
        f"file://{settings.BASE_DIR}/static/../manage.py",
        f"file://{settings.BASE_DIR}/static/pdf/%2e%2e/%2e%2e/manage.py",
        f"file://{settings.BASE_DIR}/static/pdf/",
        f"file://{settings.BASE_DIR}/static/pdf/missing.css",
        "file:///etc/passwd%00.css",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    with pytest.raises(documents.FetchRefused):
        documents.static_url_fetcher().fetch(url)


def test_the_fetcher_serves_a_static_file_with_its_type():
    stylesheet = (settings.BASE_DIR / "static" / "pdf" / "compact.css").resolve()

    response = documents.static_url_fetcher().fetch(stylesheet.as_uri())

    assert response.content_type == "text/css"
    assert response.read() == stylesheet.read_bytes()
    response.close()


def test_the_fetcher_refuses_a_symbolic_link_out_of_the_static_directory(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: black }")
    (static / "escape.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [static]

    assert documents.static_file_for_url((static / "ok.css").as_uri()) == (static / "ok.css").resolve()
    with pytest.raises(documents.FetchRefused):
        documents.static_file_for_url((static / "escape.css").as_uri())
    with pytest.raises(documents.FetchRefused):
        documents.static_file_for_url(f"file://{settings.BASE_DIR}/static/pdf/compact.css")  # no longer a static dir


# --- Hash and render-once --------------------------------------------------------------------------


def test_the_hash_covers_the_html_and_the_stylesheet(edition, monkeypatch):
    html = pdf.edition_pdf_html(edition)
    assert pdf.content_hash(html) == pdf.content_hash(pdf.edition_pdf_html(edition))
    assert pdf.content_hash(html) != pdf.content_hash(html + " ")
    before = pdf.content_hash(html)
    monkeypatch.setattr(pdf, "RENDERER_VERSION", "test-bump")
    assert pdf.content_hash(html) != before
    assert re.fullmatch(r"[0-9a-f]{64}", before)


def test_asking_twice_makes_one_document_rendered_once(edition, render_spy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = pdf.edition_document_request(edition)
    assert first.status == EditionDocument.Status.PENDING  # the view answers before the render

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = pdf.edition_document_request(edition)

    assert callbacks == []  # nothing queued the second time
    assert second.pk == first.pk
    assert EditionDocument.objects.count() == 1
    assert len(render_spy) == 1
    assert second.status == EditionDocument.Status.READY
    assert second.file.name == f"compacts/pdf/riverside-{edition.pk}-{second.content_hash[:12]}.pdf"
    assert second.file.read().startswith(b"%PDF")
    assert second.size == second.file.size > 1000
    assert second.rendered_at is not None and second.render_seconds > 0

    render_edition_document.delay(second.pk)  # a redelivered task finds it READY and does nothing
    assert len(render_spy) == 1


def test_changing_an_undertaking_makes_a_new_document(edition, render_spy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = pdf.edition_document_request(edition)
    undertaking = Undertaking.objects.get(edition=edition, number="2.3")
    undertaking.text = "A changed promise."
    undertaking.save()

    with django_capture_on_commit_callbacks(execute=True):
        second = pdf.edition_document_request(edition)

    assert second.content_hash != first.content_hash
    assert EditionDocument.objects.filter(edition=edition).count() == 2
    assert len(render_spy) == 2
    second.refresh_from_db()
    assert "A changed promise." in pdf_text(second.file.read())


def test_a_request_overtaken_by_an_edit_is_dropped_not_rendered(
    edition, render_spy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stale = pdf.edition_document_request(edition)
    Outcome.objects.filter(edition=edition, number=1).update(title="Retitled")

    callbacks[0]()  # the worker picks the task up after the edit

    assert not EditionDocument.objects.filter(pk=stale.pk).exists()
    assert render_spy == []


def test_publishing_an_edition_prepares_its_pdf(compact, coordinator, render_spy, django_capture_on_commit_callbacks):
    draft = build_edition(compact=compact, status=Edition.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(edition=draft, by=coordinator, today=datetime.date(2027, 3, 4))

    document = EditionDocument.objects.get(edition=draft)
    assert document.status == EditionDocument.Status.READY
    assert "Published 4 March 2027" in pdf_text(document.file.read())
    assert len(render_spy) == 1


def test_a_failed_render_is_recorded_and_can_be_retried(edition, monkeypatch, django_capture_on_commit_callbacks):
    real = documents.render_pdf

    def broken(html, **kwargs):
        raise RuntimeError("renderer fell over")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = pdf.edition_document_request(edition)
    document.refresh_from_db()
    assert document.status == EditionDocument.Status.FAILED
    assert document.error == "RuntimeError: renderer fell over"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert pdf.edition_document_request(edition).status == EditionDocument.Status.FAILED
    assert callbacks == []  # a plain request does not retry

    monkeypatch.setattr(documents, "render_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        retried = pdf.edition_document_request(edition, retry_failed=True)
    assert retried.status == EditionDocument.Status.PENDING
    retried.refresh_from_db()
    assert retried.status == EditionDocument.Status.READY
    assert retried.error == ""
    assert EditionDocument.objects.count() == 1


def test_a_pending_request_whose_task_was_lost_is_queued_again(edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        document = pdf.edition_document_request(edition)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pdf.edition_document_request(edition)
    assert callbacks == []  # still fresh: a worker may be on it

    EditionDocument.objects.filter(pk=document.pk).update(
        requested_at=timezone.now() - pdf.EDITION_PDF.lost_after - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pdf.edition_document_request(edition)
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == EditionDocument.Status.READY


def test_the_download_name_is_friendly_and_says_its_language(edition):
    assert pdf.download_filename(edition) == "riverside-compact-first-edition-en.pdf"
    assert pdf.download_filename(edition, language="cy") == "riverside-compact-first-edition-cy.pdf"
    assert (
        pdf.download_filename(edition, language="bilingual")
        == "riverside-compact-first-edition-dwyieithog-bilingual.pdf"
    )
    assert pdf.download_filename(edition, variant="signing") == "riverside-compact-first-edition-for-signing-en.pdf"


def test_a_starting_worker_loads_the_pdf_renderer_before_the_first_render():
    """A fresh process: importing the Celery app does not load WeasyPrint; the worker starting does."""
    script = (
        "import sys, django; django.setup()\n"
        "from celery.signals import worker_init\n"
        "from compact_portal.celery import app\n"
        "assert 'weasyprint' not in sys.modules, 'loaded too early'\n"
        "worker_init.send(sender=None)\n"
        "assert 'weasyprint' in sys.modules\n"
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_the_render_uses_the_html_the_request_built_while_nothing_changed(
    edition, render_spy, django_capture_on_commit_callbacks, monkeypatch
):
    """The request builds the HTML to work out the hash; the render task takes it rather than
    building it again, and makes the same PDF as from freshly built HTML."""
    django_cache.clear()
    built = []
    real = pdf.edition_pdf_html
    monkeypatch.setattr(pdf, "edition_pdf_html", lambda *args, **kwargs: built.append(1) or real(*args, **kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        document = pdf.edition_document_request(edition)

    document.refresh_from_db()
    assert document.status == EditionDocument.Status.READY
    assert built == [1]  # the request's; the task built none
    assert render_spy == [real(edition)]
    assert document.content_hash == pdf.content_hash(real(edition))


@pytest.fixture
def signatory_reads(monkeypatch):
    """Counts reads of the annex's signatories (calls to the registered source), per edition."""
    reads = []
    real = pdf._signatory_source[0] if pdf._signatory_source else (lambda edition: [])

    def counted(edition):
        reads.append(edition.pk)
        return real(edition)

    monkeypatch.setattr(pdf, "_signatory_source", [counted])
    return reads


@pytest.mark.parametrize(("language", "columns"), [("en", 1), ("bilingual", 2)])
def test_the_request_and_the_task_read_the_signatories_once_each(
    edition, render_spy, signatory_reads, django_capture_on_commit_callbacks, language, columns
):
    """The rows read for the fingerprint build the HTML too; the task checks the fingerprint
    (one more read) and renders the HTML the request built."""
    django_cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = pdf.edition_document_request(edition, language=language)
    assert len(signatory_reads) == columns

    callbacks[0]()

    assert len(signatory_reads) == 2 * columns
    document.refresh_from_db()
    assert document.status == EditionDocument.Status.READY
    assert render_spy == [pdf.edition_pdf_html(edition, language=language)]


def test_a_task_without_the_requests_html_builds_it_from_the_rows_it_checked(
    edition, render_spy, signatory_reads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = pdf.edition_document_request(edition)
    django_cache.clear()  # the HTML handed over is gone (evicted, or another cache)
    reads = len(signatory_reads)

    callbacks[0]()

    assert len(signatory_reads) == reads + 1  # read once, for the fingerprint and the HTML
    document.refresh_from_db()
    assert document.status == EditionDocument.Status.READY
    assert document.content_hash == pdf.content_hash(pdf.edition_pdf_html(edition))
    assert render_spy == [pdf.edition_pdf_html(edition)]
