"""A starting worker renders a line with each PDF stylesheet, so the first PDF anyone waits for does
not pay for loading fonts and WeasyPrint's first-use paths (issue 17: the first PDF in a started
worker within 1.2x of WeasyPrint's bare render)."""

import logging

from compact_portal import documents


def test_a_starting_worker_renders_a_line_with_each_pdf_stylesheet(monkeypatch):
    rendered = []
    monkeypatch.setattr(
        documents, "render_pdf", lambda html, *, stylesheet: rendered.append((html, stylesheet)) or b"%PDF-"
    )

    documents.load_renderer()

    stylesheets = {kind.stylesheet for kind in documents.registered_kinds()}
    assert len(stylesheets) >= 3  # the edition, the annual review, the challenge letter
    assert sorted(stylesheet for _html, stylesheet in rendered) == sorted(stylesheets)
    assert all(f'href="{stylesheet}"' in html for html, stylesheet in rendered)


def test_the_warm_up_renders_for_real_without_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="compact_portal.documents"):
        documents.load_renderer()
    assert not [record for record in caplog.records if "warm up" in record.getMessage()]
    assert documents.render_pdf(
        documents.WARM_UP_HTML.format(href="pdf/compact.css"), stylesheet="pdf/compact.css"
    ).startswith(b"%PDF-")


def test_a_failing_warm_up_is_logged_and_forgotten(monkeypatch, caplog):
    def broken(html, *, stylesheet):
        raise OSError("no fonts")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with caplog.at_level(logging.WARNING, logger="compact_portal.documents"):
        documents.load_renderer()
    assert any("warm up" in record.getMessage() for record in caplog.records)


def test_a_starting_worker_freezes_what_is_alive_once_the_renderer_is_warm(monkeypatch):
    """``gc.freeze`` after the warm-up: the collector's oldest generation no longer walks Django's,
    the apps' and WeasyPrint's objects in every render (about a tenth of a second per PDF)."""
    import gc

    seen = []
    gc.unfreeze()
    monkeypatch.setattr(documents, "load_renderer", lambda: seen.append(gc.get_freeze_count()))
    try:
        documents.start_worker()
        assert seen == [0]  # warmed up first, then frozen
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_worker_start_signal_starts_the_renderer(monkeypatch):
    from compact_portal import celery

    started = []
    monkeypatch.setattr(documents, "start_worker", lambda: started.append(True))
    celery._load_the_pdf_renderer(sender=None)
    assert started == [True]
