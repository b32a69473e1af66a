"""A tiny Welsh catalogue for tests, so a test can see interface words come from the ``cy`` catalogue
while the project's own catalogue is still being translated.

    with welsh_catalogue(tmp_path, {"Contents": "Cynnwys"}):
        ...  # gettext("Contents") under Welsh gives "Cynnwys"

Its messages take precedence over the project's (it is first in LOCALE_PATHS).
"""

import contextlib
from pathlib import Path

import polib
from django.conf import settings
from django.test import override_settings

WELSH_PLURALS = "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"


@contextlib.contextmanager
def welsh_catalogue(directory: Path, messages: dict[str, str]):
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "cy", "Plural-Forms": WELSH_PLURALS}
    for msgid, msgstr in messages.items():
        context, _sep, text = msgid.rpartition("\x04")
        catalogue.append(polib.POEntry(msgctxt=context or None, msgid=text, msgstr=msgstr))
    folder = directory / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    catalogue.save_as_mofile(str(folder / "django.mo"))
    with override_settings(LOCALE_PATHS=[str(directory), *settings.LOCALE_PATHS]):
        yield
