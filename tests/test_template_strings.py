"""No template under templates/ shows people text that is not marked for translation.

A template is read as Django reads it (its lexer): the text of {% blocktranslate %}…{% endblocktranslate %},
{% comment %}…{% endcomment %} and {# #} is taken out, and every other tag and variable becomes a mark
with no letters. What is left is read as HTML: a text node (outside <script> and <style>) with a
letter in it, or an attribute people read or hear (alt, title, aria-label, aria-description,
placeholder, the value of a button or of a submit/button input, a meta description's content) with a
letter in it, is text no one can translate. Text inside an element marked lang="en" is English on
purpose (what someone must type as it is, like the column headings of an import file) and passes.
Plain-text templates (.txt, the emails) are all text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

from tests.conftest import ROOT

TEMPLATES = ROOT / "templates"
MARK = "\x00"  # stands for a tag or a variable: no letters in it

# Text that is the same in every language, with the reason. Keep it short.
ALLOWED = {
    "GOV.UK": "the name of the government's website and design system, never translated",
    "Cymraeg": 'the language switch names each language in itself (GOV.UK pattern), marked lang="cy"',
}

READ_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def shown(text: str) -> str:
    return " ".join(text.strip(MARK + " \n\t").replace(MARK, "{…}").split())


def flatten(source: str) -> str:
    """The template with its translated and commented text taken out, and each tag or variable
    replaced by MARK; line breaks are kept, so line numbers stay right."""
    out: list[str] = []
    translating = commenting = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name == "comment":
                commenting = True
            elif name == "endcomment":
                commenting = False
            elif name in {"blocktranslate", "blocktrans"}:
                translating = True
            elif name in {"endblocktranslate", "endblocktrans"}:
                translating = False
            out.append(MARK)
        elif token.token_type == TokenType.TEXT:
            text = token.contents
            out.append(MARK + "\n" * text.count("\n") if translating or commenting else text)
        else:  # variables and {# comments #}
            out.append(MARK)
    return "".join(out)


def has_words(text: str) -> bool:
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    return any(character.isalpha() for character in text)


class UnmarkedText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.raw_text = 0  # inside <script> or <style>
        self.open: list[tuple[str, bool]] = []  # (tag, marked lang="en") of the elements we are in
        self.text: list[str] = []  # the text node so far (the parser may hand it over in pieces)
        self.text_line = 0

    def english_on_purpose(self) -> bool:
        return any(english for _, english in self.open)

    def end_of_text(self) -> None:
        data, self.text = "".join(self.text), []
        if not self.raw_text and has_words(data) and not self.english_on_purpose():
            first_letter = next(i for i, character in enumerate(data) if character.isalpha())
            self.found.append((self.text_line + data[:first_letter].count("\n"), shown(data)))

    def handle_starttag(self, tag, attrs):
        self.end_of_text()
        if tag in {"script", "style"}:
            self.raw_text += 1
        values = dict(attrs)
        if tag not in VOID:
            self.open.append((tag, (values.get("lang") or "").lower() in {"en", "en-gb"}))
        read = set(READ_ATTRIBUTES)
        if tag == "button" or (tag == "input" and (values.get("type") or "").lower() in {"submit", "button"}):
            read.add("value")
        if tag == "meta" and (values.get("name") or "").lower() == "description":
            read.add("content")
        for name, value in attrs:
            if name in read and value and has_words(value) and not self.english_on_purpose():
                self.found.append((self.getpos()[0], f'{name}="{value.replace(MARK, "{…}")}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        self.end_of_text()
        if tag in {"script", "style"} and self.raw_text:
            self.raw_text -= 1
        if any(open_tag == tag for open_tag, _ in self.open):
            while self.open and self.open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self.text:
            self.text_line = self.getpos()[0]
        self.text.append(data)

    def close(self):
        super().close()
        self.end_of_text()


def unmarked(source: str, plain_text: bool = False) -> list[tuple[int, str]]:
    flat = flatten(source)
    if plain_text:
        return [(number, shown(line)) for number, line in enumerate(flat.splitlines(), start=1) if has_words(line)]
    parser = UnmarkedText()
    parser.feed(flat)
    parser.close()
    return parser.found


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"})


def test_every_template_marks_its_text_for_translation():
    offenders = []
    for path in template_files():
        for line, text in unmarked(path.read_text(encoding="utf-8"), plain_text=path.suffix == ".txt"):
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {text}")
    if offenders:
        pytest.fail(
            f"{len(offenders)} pieces of text not marked for translation (use {{% translate %}} or "
            "{% blocktranslate %} with whole sentences):\n  " + "\n  ".join(offenders),
            pytrace=False,
        )


# --- the check itself ------------------------------------------------------------------------------


def test_marked_commented_and_scripted_text_passes():
    source = """{% load i18n %}
<h1>{% translate "Welcome" %}</h1>
<p>{% blocktranslate with name=user.name %}Hello {{ name }},
you are signed in.{% endblocktranslate %}</p>
{# a note for developers #}
{% comment %}Not shown to anyone{% endcomment %}
<script>const label = "not read by people";</script>
<style>.x::before { content: "x"; }</style>
<img src="a.png" alt="{% translate 'A map of Durham' %}"> {{ value }} – {{ other }}: 12
<input type="text" value="{{ form.name.value }}" class="govuk-input" name="name">
<button type="submit" value="send" name="action" hidden>{% translate "Send" %}</button>
<a href="https://www.gov.uk/">GOV.UK</a>
<table><tr><th lang="en"><code>signed date</code></th><td>{% translate "The date" %}</td></tr></table>"""
    assert [text for _, text in unmarked(source)] == ['value="send"']


def test_unmarked_text_and_attributes_are_found():
    source = """{% load i18n %}
<h1>Welcome</h1>
<p>{% if x %}Signed in as {{ name }}{% endif %}</p>
<img alt="A map">
<span title="More" aria-label="{{ x }} items" aria-description="Hint">x</span>
<input type="submit" value="Save">
<input type="text" placeholder="Search">
<meta name="description" content="The Compact portal">
<p lang="en">English</p><p>After</p>
<p lang="cy">Croeso</p>"""
    found = unmarked(source)
    texts = [text for _, text in found]
    assert texts == [
        "Welcome",
        "Signed in as",
        'alt="A map"',
        'title="More"',
        'aria-label="{…} items"',
        'aria-description="Hint"',
        "x",
        'value="Save"',
        'placeholder="Search"',
        'content="The Compact portal"',
        "After",
        "Croeso",
    ]
    assert found[0][0] == 2 and found[1][0] == 3


def test_plain_text_templates_are_read_line_by_line():
    source = (
        '{% load i18n %}{% translate "Dear reader" %},\n\n{{ body }}\nThanks,\n'
        "{% blocktranslate %}The team{% endblocktranslate %}\n"
    )
    assert unmarked(source, plain_text=True) == [(4, "Thanks,")]
