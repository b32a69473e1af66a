"""Each language's catalogues, loaded as a worker starts, without the empty ones chained behind them
(compact_portal/translations.py): every message is translated as before, in both languages."""

import gc
from gettext import GNUTranslations

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from compact_portal import documents, startup
from compact_portal.translations import drop_empty_fallbacks, load_catalogues

LANGUAGES = ("en-gb", "cy")


def chain(catalogue) -> list:
    found = []
    while catalogue is not None:
        found.append(catalogue)
        catalogue = catalogue._fallback
    return found


def empty(catalogue) -> bool:
    return type(catalogue) is GNUTranslations and not (set(catalogue._catalog) - {""})


def unpruned(code: str, monkeypatch) -> trans_real.DjangoTranslation:
    """A catalogue as Django makes it, whose English fallback (for Welsh) is made afresh too."""
    with monkeypatch.context() as patch:
        patch.setattr(trans_real, "translation", trans_real.DjangoTranslation)
        return trans_real.DjangoTranslation(code)


def msgids(catalogue) -> set[str]:
    """Every message any catalogue of the chain holds, singular or plural."""
    found = set()
    for each in chain(catalogue):
        merged = getattr(each._catalog, "_catalogs", None)
        for entries in merged if merged is not None else [each._catalog]:
            found.update(key if isinstance(key, str) else key[0] for key in entries)
    return found - {""}


@pytest.mark.parametrize("code", LANGUAGES)
def test_django_chains_empty_catalogues_and_they_are_dropped(code, monkeypatch):
    catalogue = unpruned(code, monkeypatch)
    emptied = [each for each in chain(catalogue) if empty(each)]
    assert emptied, "Django no longer chains an empty catalogue: compact_portal/translations.py can go"
    assert drop_empty_fallbacks(catalogue) == len(emptied)
    assert not any(empty(each) for each in chain(catalogue))
    assert drop_empty_fallbacks(catalogue) == 0


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_as_before(code, monkeypatch):
    before = unpruned(code, monkeypatch)
    after = unpruned(code, monkeypatch)
    drop_empty_fallbacks(after)
    # Both languages' messages: in English, the portal's own fall through every catalogue.
    messages = msgids(unpruned("cy", monkeypatch)) | msgids(unpruned("en-gb", monkeypatch))
    messages |= {"No catalogue holds this message", "Hello %(name)s,", "Welsh"}
    assert len(messages) > 3000  # Django's, its apps' and the portal's own
    for message in messages:
        assert after.gettext(message) == before.gettext(message), message
        for n in (0, 1, 2, 3, 6, 11):
            assert after.ngettext(message, "more", n) == before.ngettext(message, "more", n), (message, n)
        assert after.pgettext("month name", message) == before.pgettext("month name", message), message


def test_the_portal_speaks_both_languages_once_loaded():
    load_catalogues()
    for code in LANGUAGES:
        assert not any(empty(each) for each in chain(trans_real.translation(code)))
    with translation.override("cy"):
        assert translation.gettext("Welsh") == "Cymraeg"
        assert translation.gettext("No catalogue holds this message") == "No catalogue holds this message"
    with translation.override("en-gb"):
        assert translation.gettext("Welsh") == "Welsh"


def test_web_and_celery_workers_load_them_as_they_start(monkeypatch):
    loaded = []
    monkeypatch.setattr("compact_portal.translations.load_catalogues", lambda: loaded.append(True))
    monkeypatch.setattr(documents, "load_renderer", lambda: None)
    try:
        startup.web_worker_ready()
        documents.start_worker()
    finally:
        gc.unfreeze()
    assert loaded == [True, True]
