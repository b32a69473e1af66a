"""The whole portal in Welsh: a crawl of every page as each role (test_crawl.py's machinery), in Welsh,
then each page it opened again in English.

On every Welsh page it fails on:
- English left in Welsh: a text node (or an alt, aria-label, title or placeholder) that is the same
  on the English page and holds an English word (a word of 3+ letters found in the catalogue's
  English msgids but in none of its Welsh msgstrs), unless it is inside an element whose lang is
  English (content with no Welsh version), or is data: the seed data's content (names of
  organisations and people, what they wrote), e-mail addresses, web addresses, numbers;
- an <html> whose lang is not "cy", and any lang attribute that is not a valid tag of a language
  the portal has (en or cy, with a region if any);
- what the English crawl fails on: broken links, server and JavaScript errors, CSP violations, and
  axe-core WCAG 2.2 AA violations (so the Welsh pages are accessible too).

The language is the one a person chooses: the language cookie, and the signed-in person's
``language``. The problems are grouped: each English text, with the pages it is on.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User
from tests.browser.test_crawl import MUST_REACH, Crawl, _url_name, build_world

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_APPS = {"accounts", "commitments", "compact_portal", "consultations", "disputes", "funding"}
PROJECT_APPS |= {"notifications", "signatories", "demo", "monitoring", "actionplans", "national", "opendata", "reviews"}
PORTAL_LANGUAGES = {"en", "cy"}
LANGUAGE_TAG = re.compile(r"^(?P<primary>[a-z]{2,3})(?:-[a-z0-9]{2,8})*$", re.IGNORECASE)

# What people read on the open page: text nodes (not in script, style, template or hidden elements, nor
# code: identifiers such as a cookie's name)
# and the attributes people read or hear, each with the lang of its nearest element that has one.
READ_ON_PAGE = """() => {
  const langOf = (element) => (element.closest("[lang]")?.getAttribute("lang") || "");
  const skip = (element) =>
    !element || element.closest("script, style, noscript, template, [hidden], code, [translate='no']");
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text && !skip(node.parentElement)) texts.push({text, lang: langOf(node.parentElement)});
  }
  for (const element of document.body.querySelectorAll("[alt], [aria-label], [title], [placeholder]")) {
    if (skip(element)) continue;
    for (const name of ["alt", "aria-label", "title", "placeholder"]) {
      const value = (element.getAttribute(name) || "").replace(/\\s+/g, " ").trim();
      if (value) texts.push({text: value, lang: langOf(element), attribute: name});
    }
  }
  return {
    html: document.documentElement.getAttribute("lang"),
    langs: Array.from(document.querySelectorAll("[lang]"), (e) => e.getAttribute("lang")),
    texts,
  };
}"""

EMAIL = re.compile(r"\S+@\S+")
WEB_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+")
SEPARATORS = re.compile(r"\s*(?:→|…|:\s|\(|\))\s*")
NUMBERING = re.compile(r"^\d+(?:\.\d+)*\s+")
WORD = re.compile(r"[A-Za-z][A-Za-z’']+[A-Za-z]")


# Dates written in English are English too, though no msgid holds a month's name.
MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip


def english_only_words(catalogue: Path | None = None) -> set[str]:
    """Words of 3+ letters in the English msgids that no Welsh msgstr uses ("Compact", "PDF" and
    other words Welsh shares drop out once they are translated; English quoted in a Welsh msgstr,
    like ‘Undertakings for the public sector:’, does not count as Welsh), and the names of the months
    and days. The catalogue is the one the portal uses (settings.LOCALE_PATHS)."""
    catalogue = catalogue or Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(catalogue))
    not_words = re.compile(r"%\([^)]*\)\w|%\w|\{[^}]*\}|<[^>]*>|‘[^’]*’")
    english, welsh = set(), set()
    for entry in po:
        if entry.obsolete:
            continue
        english.update(w.lower() for w in WORD.findall(not_words.sub(" ", entry.msgid + " " + entry.msgid_plural)))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            welsh.update(w.lower() for w in WORD.findall(not_words.sub(" ", text)))
    return (english - welsh) | MONTHS_AND_DAYS


def seed_data_strings() -> set[str]:
    """Every text the database holds (names of organisations and people, what they wrote, the
    content of the Compact): what a page shows of it is data, not the portal's words. Fields with
    choices are left out: their labels are the portal's words."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name != "password"
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            for value in row:
                text = str(value or "")
                # the whole text, and each of its lines (a stored email's "Hello Dev Patel," is shown line by line)
                for piece in [text, *text.splitlines()]:
                    piece = " ".join(piece.split())
                    if len(piece) >= 3:
                        found.add(piece)
    return found | {settings.PORTAL_COUNCIL_NAME}


class Data:
    """Decides what on a page is data: seed content, e-mail and web addresses, numbers."""

    def __init__(self, strings: set[str]) -> None:
        self.strings = strings
        self.longest_first = sorted(strings, key=len, reverse=True)
        self.blob = "\n".join(strings)

    def words_left(self, text: str) -> list[str]:
        """The words of ``text`` that are not part of data."""
        whole = text.strip(" :;,.–—-→…()")
        if whole in self.strings or (len(whole) >= 25 and whole in self.blob):
            return []  # a name, or a paragraph of someone's text (the page may put a colon before it)
        # Pieces of someone's text, cut short or numbered: "1.1 Defend the right of local groups to sp…"
        for piece in SEPARATORS.split(text):
            piece = NUMBERING.sub("", piece).strip()
            if len(piece) >= 25 and piece in self.blob:
                text = text.replace(piece, " ")
        for string in self.longest_first:
            if string in text:
                text = text.replace(string, " ")
        text = WEB_ADDRESS.sub(" ", EMAIL.sub(" ", text))
        return WORD.findall(text)


def language_problems(read: dict) -> list[str]:
    problems = []
    if read["html"] != "cy":
        problems.append(f'<html lang="{read["html"]}">, not "cy"')
    for lang in sorted(set(read["langs"])):
        match = LANGUAGE_TAG.match(lang)
        if not match or match["primary"].lower() not in PORTAL_LANGUAGES:
            problems.append(f'lang="{lang}" is not a valid tag of a language the portal has (en, cy)')
    return problems


def english_left(welsh: dict, english: dict, english_words: set[str], data: Data) -> list[str]:
    """Texts of the Welsh page that are the same on the English page and hold an English word."""
    same = {(t["text"], t.get("attribute")) for t in english["texts"]}
    found = []
    for item in welsh["texts"]:
        if item["lang"].lower().startswith("en") or (item["text"], item.get("attribute")) not in same:
            continue
        if any(word.lower() in english_words for word in data.words_left(item["text"])):
            found.append(f"[{item['attribute']}] {item['text']}" if item.get("attribute") else item["text"])
    return found


class WelshCrawl(Crawl):
    """The crawl of test_crawl.py, keeping what each page it opens says."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.read: dict[str, dict] = {}

    def open(self, url: str, referrer: str) -> list[str]:
        opened = len(self.pages)
        links = super().open(url, referrer)
        if len(self.pages) > opened:
            self.read[url] = self.page.evaluate(READ_ON_PAGE)
        return links


def use_language(page, live_server, user: User | None, language: str) -> None:
    """As a person who chose ``language``: the language cookie, and their own setting."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    if user is not None:
        User.objects.filter(pk=user.pk).update(language=language)


def compare(crawl: WelshCrawl, english_words: set[str], data: Data) -> list[str]:
    """Open each page the Welsh crawl opened again, in English, and list what is wrong, grouped:
    each problem with the pages it is on."""
    pages_of: dict[str, list[str]] = defaultdict(list)
    for url, welsh in crawl.read.items():
        path = url.removeprefix(crawl.origin)
        for problem in language_problems(welsh):
            pages_of[problem].append(path)
        try:
            response = crawl.page.goto(url)
        except PlaywrightError as error:  # a document being prepared in Welsh may be ready by now
            if "Download is starting" in str(error):
                continue
            raise
        if response.status >= 400 or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        english = crawl.page.evaluate(READ_ON_PAGE)
        for text in dict.fromkeys(english_left(welsh, english, english_words, data)):
            pages_of[f"English in Welsh: {text!r}"].append(path)
    grouped = []
    for problem, paths in sorted(pages_of.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        grouped.append(f"{problem}  (on {len(paths)} page{'s' if len(paths) != 1 else ''}: {shown})")
    return grouped


@pytest.mark.parametrize("role", list(MUST_REACH))
def test_every_page_is_in_welsh(role, page, page_problems, sign_in, live_server, capsys):
    users = build_world()
    user = users.get(role)
    starts = [reverse("home")]
    if user is not None:
        sign_in(user)
        starts.append(reverse("accounts:dashboard"))
    english_words, data = english_only_words(), Data(seed_data_strings())

    started = time.monotonic()
    use_language(page, live_server, user, "cy")
    crawl = WelshCrawl(page=page, problems=page_problems, origin=live_server.url)
    crawl.run(starts)
    use_language(page, live_server, user, "en-gb")
    problems = compare(crawl, english_words, data)
    with capsys.disabled():
        print(
            f"\nWelsh crawl as {role}: {len(crawl.pages)} pages in Welsh and English, {time.monotonic() - started:.1f}s"
        )

    failures = crawl.failures + problems
    if failures:
        pytest.fail(f"The Welsh crawl as {role} found {len(failures)} problems:\n" + "\n".join(failures), pytrace=False)
    reached = {_url_name(url) for url in crawl.pages + crawl.files}
    missing = [name for name in MUST_REACH[role] if name not in reached]
    assert not missing, f"The Welsh crawl as {role} never reached {missing}; it opened:\n" + "\n".join(crawl.pages)


# --- The checks themselves, on pages made up for them ----------------------------------------------

ENGLISH_PAGE = """<!DOCTYPE html><html lang="en"><title>Check</title><main><h1>Your account</h1>
<p>Riverside Community Larder</p><p>Contact someone@example.org</p><p>12 March 2026</p>
<p lang="en">The foreword, with no Welsh version</p><p>Compact</p><p>Save the changes</p>
<img alt="A map of the borough" src="/static/images/favicon.svg"><a href="#x" aria-label="Next page">2</a></main>"""
WELSH_PAGE = """<!DOCTYPE html><html lang="cy"><title>Gwirio</title><main><h1>Eich cyfrif</h1>
<p>Riverside Community Larder</p><p>Contact someone@example.org</p><p>12 March 2026</p>
<p lang="en">The foreword, with no Welsh version</p><p>Compact</p><p>Save the changes</p>
<p lang="en-GB"><span>The foreword again</span></p><p lang="english">Iaith</p>
<img alt="A map of the borough" src="/static/images/favicon.svg"><a href="#x" aria-label="Tudalen nesaf">2</a></main>"""


def test_the_welsh_checks_report_english_left_in_welsh_grouped_by_text(page, page_problems, live_server):
    pages = {"/welsh-check/": WELSH_PAGE, "/welsh-check/other/": WELSH_PAGE}

    def fulfil(route):
        path = route.request.url.removeprefix(live_server.url).split("?")[0]
        welsh = "django_language=cy" in (route.request.all_headers().get("cookie") or "")
        body = pages[path] if welsh else ENGLISH_PAGE
        if welsh and path == "/welsh-check/":
            body = body.replace("</main>", '<a href="/welsh-check/other/">Arall</a></main>')
        route.fulfill(status=200, content_type="text/html", body=body)

    page.route("**/welsh-check/**", fulfil)
    english_words = {"contact", "march", "save", "changes", "the", "map", "borough", "foreword", "next", "page"}
    data = Data({"Riverside Community Larder", "someone@example.org"})

    use_language(page, live_server, None, "cy")
    crawl = WelshCrawl(page=page, problems=page_problems, origin=live_server.url)
    crawl.run(["/welsh-check/"])
    assert sorted(crawl.read) == [f"{live_server.url}/welsh-check/", f"{live_server.url}/welsh-check/other/"]
    use_language(page, live_server, None, "en-gb")
    problems = compare(crawl, english_words, data)

    both = "(on 2 pages: /welsh-check/, /welsh-check/other/)"
    assert problems == [
        f"English in Welsh: '12 March 2026'  {both}",
        f"English in Welsh: 'Contact someone@example.org'  {both}",
        f"English in Welsh: 'Save the changes'  {both}",
        f"English in Welsh: '[alt] A map of the borough'  {both}",
        f'lang="english" is not a valid tag of a language the portal has (en, cy)  {both}',
    ]


def test_a_page_not_in_welsh_is_reported():
    read = {"html": "en", "langs": ["en", "cy", "fr", "en-GB", "x!"], "texts": []}
    assert language_problems(read) == [
        '<html lang="en">, not "cy"',
        'lang="fr" is not a valid tag of a language the portal has (en, cy)',
        'lang="x!" is not a valid tag of a language the portal has (en, cy)',
    ]


def test_the_english_word_list_comes_from_the_catalogue(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Download the %(name)s PDF"\nmsgstr "Lawrlwytho PDF %(name)s"\n\n'
        'msgid "Sign in to the Compact"\nmsgstr ""\n\n'
        'msgid "Write ‘Public sector’"\nmsgstr "Ysgrifennwch ‘Public sector’"\n',
        encoding="utf-8",
    )
    assert english_only_words(po) == {"download", "the", "sign", "compact", "write"} | MONTHS_AND_DAYS


def test_data_is_told_from_the_portals_words():
    data = Data(
        {
            "Riverside Community Larder",
            "Hello Dev Patel,",
            "Defend the right of local groups to speak up",
            "Concern C-00002 has moved on: Formal written challenge",
        }
    )
    assert data.words_left("Riverside Community Larder") == []
    assert data.words_left("Hello Dev Patel,") == []
    assert data.words_left(": Concern C-00002 has moved on: Formal written challenge") == []
    assert data.words_left("1.1 Defend the right of local groups to sp…") == []
    assert data.words_left("Signed by Riverside Community Larder on 3 March") == ["Signed", "March"]
    assert data.words_left("Write to someone@example.org or see https://www.example.org/a") == ["Write", "see"]
