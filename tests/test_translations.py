"""The Welsh catalogue (locale/cy/LC_MESSAGES/django.po) is whole, well formed and current.

Each check is a function that returns its offenders, so a failure lists them all; the checks are
tested on small made-up catalogues below, so that each would catch what it is for. The catalogue
checked is the project's own; TRANSLATIONS_PO=<path> checks another (a scratch merge, say).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest

from tests.conftest import ROOT, require

CATALOGUE = Path(os.environ.get("TRANSLATIONS_PO") or ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po")
GLOSSARY = ROOT / "docs" / "glossary-cy.md"
WELSH_PLURALS = 6
WELSH_PLURAL_RULE = "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5)"
MAKEMESSAGES = (
    "manage.py makemessages -l cy --ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks --no-obsolete"
)


def load(path: Path = CATALOGUE) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=0)


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0][0] + ":" + entry.occurrences[0][1] if entry.occurrences else "?"
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{where}: {context}{entry.msgid!r}"


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --- whole: every entry translated, none fuzzy, Welsh plural forms ------------------------------


def untranslated(po: polib.POFile) -> list[str]:
    return [label(e) for e in live(po) if not e.fuzzy and not all(translations(e))]


def fuzzy(po: polib.POFile) -> list[str]:
    return [label(e) for e in live(po) if e.fuzzy]


def plural_problems(po: polib.POFile) -> list[str]:
    problems = []
    for entry in live(po):
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(WELSH_PLURALS)):
            problems.append(f"{label(entry)}: forms {sorted(entry.msgstr_plural)}, not 0 to {WELSH_PLURALS - 1}")
    return problems


def header_problems(po: polib.POFile) -> list[str]:
    problems = []
    if po.metadata.get("Language") != "cy":
        problems.append(f"Language: {po.metadata.get('Language')!r}, not 'cy'")
    forms = re.sub(r"\s+", "", po.metadata.get("Plural-Forms", ""))
    wanted = f"nplurals={WELSH_PLURALS};plural={WELSH_PLURAL_RULE};".replace(" ", "")
    if forms.rstrip(";") != wanted.rstrip(";"):
        problems.append(f"Plural-Forms: {po.metadata.get('Plural-Forms')!r}, not {wanted!r}")
    if "charset=UTF-8" not in po.metadata.get("Content-Type", ""):
        problems.append("Content-Type is not text/plain; charset=UTF-8")
    return problems


# --- placeholders: %(name)s and %s, {name}, HTML tags are kept as they are ----------------------

PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)
BRACE = re.compile(r"\{[A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def placeholders(text: str, python_format: bool) -> Counter:
    found: Counter = Counter()
    if python_format:
        found.update(m.group(0) for m in PERCENT.finditer(text) if m.group("type") != "%")
    found.update(m.group(0) for m in BRACE.finditer(text))
    found.update(re.sub(r"\s+", " ", m.group(0)) for m in TAG.finditer(text))
    return found


def placeholder_problems(po: polib.POFile) -> list[str]:
    problems = []
    for entry in live(po):
        python_format = "python-format" in entry.flags
        if entry.msgid_plural:
            # Forms for one, two... may leave out a named number ("diwrnod" for "%(n)s day"): named
            # placeholders may be dropped there, but nothing may be added, positional ones never go,
            # and the last form ("other") keeps every one.
            wanted = placeholders(entry.msgid_plural, python_format)
            forms = [(i, entry.msgstr_plural[i]) for i in sorted(entry.msgstr_plural) if entry.msgstr_plural[i]]
            for i, text in forms:
                got = placeholders(text, python_format)
                positional = Counter({p: n for p, n in wanted.items() if not p.startswith("%(")})
                droppable = i != max(entry.msgstr_plural)
                if got - wanted or (not droppable and got != wanted) or (positional - got):
                    problems.append(f"{label(entry)}: form {i} has {sorted(got.elements())}, wants {sorted(wanted)}")
        elif entry.msgstr:
            wanted, got = placeholders(entry.msgid, python_format), placeholders(entry.msgstr, python_format)
            if got != wanted:
                missing, extra = sorted((wanted - got).elements()), sorted((got - wanted).elements())
                problems.append(f"{label(entry)}: missing {missing}, extra {extra}")
    return problems


# --- the glossary: its core terms are translated with its words ---------------------------------


def glossary_terms(path: Path = GLOSSARY) -> list[tuple[str, str]]:
    """(English term, Welsh stem) for each row of the glossary's table that has a stem."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    header = [cell.strip().lower() for cell in rows[0].strip("|").split("|")]
    english, stem = header.index("english"), header.index("stem")
    terms = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) > stem and cells[stem]:
            term = re.sub(r"\(.*?\)", "", cells[english]).strip()
            terms.append((term, cells[stem]))
    return terms


def term_pattern(term: str) -> re.Pattern:
    """The English term as whole words, any case (so "organisation", not "organisations")."""
    return re.compile(r"\b" + r"[\s-]+".join(re.escape(word) for word in term.split()) + r"\b", re.IGNORECASE)


QUOTED = re.compile(r"‘[^’]*’")  # literal English the person types or sees in a file: ‘Undertakings for…’
WEB_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+")


def english_prose(msgid: str) -> str:
    """The msgid without placeholders (%(organisation)s), tags, web addresses and quoted literal text."""
    for pattern in (PERCENT, BRACE, TAG, QUOTED, WEB_ADDRESS):
        msgid = pattern.sub(" ", msgid)
    return msgid


def glossary_problems(po: polib.POFile, terms: list[tuple[str, str]]) -> list[str]:
    """Every message whose English holds a term has the term's stem in each of its Welsh forms. Longer
    terms come first and hide what they cover ("voluntary organisation" is "mudiad", not "sefydliad")."""
    problems = []
    ordered = sorted(terms, key=lambda term: -len(term[0]))
    for entry in live(po):
        welsh = [text for text in translations(entry) if text]
        if not welsh or entry.fuzzy:
            continue
        english = english_prose(entry.msgid + " \n " + (entry.msgid_plural or ""))
        for term, stem in ordered:
            pattern = term_pattern(term)
            if not pattern.search(english):
                continue
            english = pattern.sub(lambda m: " " * len(m.group(0)), english)
            if not all(stem.lower() in text.lower() for text in welsh):
                problems.append(f"{term!r} -> {stem!r}: {label(entry)} is {welsh[-1]!r}")
    return problems


# --- current: every msgid in the code is in the catalogue ----------------------------------------

SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}
# Not copied (makemessages is told to ignore tests/ and benchmarks/, but benchmarks is an app Django loads).
NOT_SOURCE = {".git", ".venv", "node_modules", "var", "tests", "static", "__pycache__"}


def extracted_catalogue(tmp_path: Path) -> polib.POFile:
    """Run makemessages, as the lead does, in a copy of the project's sources and locale/."""
    copy = tmp_path / "project"
    for path in ROOT.iterdir():
        if path.name in NOT_SOURCE or path.name.startswith("."):
            continue
        if path.is_dir():
            shutil.copytree(
                path,
                copy / path.name,
                ignore=lambda d, names: [
                    n
                    for n in names
                    if n in NOT_SOURCE or (Path(d, n).is_file() and Path(n).suffix not in {*SOURCE_SUFFIXES, ".po"})
                ],
            )
        elif path.suffix in SOURCE_SUFFIXES:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy / path.name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "compact_portal.settings.test", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, *MAKEMESSAGES.split()]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
    assert result.returncode == 0, result.stderr
    return load(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po")


def missing_from(catalogue: polib.POFile, extracted: polib.POFile) -> list[str]:
    known = {(e.msgctxt, e.msgid) for e in live(catalogue)}
    return [label(e) for e in live(extracted) if e.msgid and (e.msgctxt, e.msgid) not in known]


# --- the tests of the project's catalogue ---------------------------------------------------------


def fail_listing(problems: list[str], what: str, limit: int = 80) -> None:
    if problems:
        shown = "\n  ".join(problems[:limit])
        more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
        pytest.fail(f"{len(problems)} {what} in {CATALOGUE}:\n  {shown}{more}", pytrace=False)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return load()


def test_the_header_is_welsh_with_its_six_plural_forms(catalogue):
    fail_listing(header_problems(catalogue), "header problems")


def test_every_message_is_translated(catalogue):
    fail_listing(untranslated(catalogue), "untranslated messages")


def test_no_message_is_fuzzy(catalogue):
    fail_listing(fuzzy(catalogue), "fuzzy messages (check them, then remove the fuzzy flag)")


def test_every_plural_message_has_six_forms(catalogue):
    fail_listing(plural_problems(catalogue), "plural messages without six forms")


def test_translations_keep_the_placeholders_and_tags(catalogue):
    fail_listing(placeholder_problems(catalogue), "translations whose placeholders or tags differ")


def test_translations_use_the_glossary(catalogue):
    fail_listing(glossary_problems(catalogue, glossary_terms()), "translations without the glossary's word")


def test_the_catalogue_holds_every_message_in_the_code(catalogue, tmp_path):
    require(shutil.which("xgettext") is not None, "xgettext (GNU gettext) is not installed: makemessages needs it")
    missing = missing_from(catalogue, extracted_catalogue(tmp_path))
    if missing:
        fail_listing(
            [*missing, f"(to fix: `{MAKEMESSAGES}`, then translate the new messages)"],
            "messages in the code but not in the catalogue",
        )


def test_the_compiled_catalogue_is_current():
    """conftest.py compiles it before the tests run (as `make setup` does)."""
    po = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, "run scripts/compile_messages.py"


# --- the checks themselves, on small made-up catalogues --------------------------------------------

HEADER = f"""msgid ""
msgstr ""
"Language: cy\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals={WELSH_PLURALS}; plural={WELSH_PLURAL_RULE};\\n"
"""


def made_up(body: str, header: str = HEADER) -> polib.POFile:
    return polib.pofile(header + "\n" + body)


def test_the_checks_pass_a_good_catalogue():
    po = made_up(
        """
#: a.py:1
#, python-format
msgid "Sign up %(name)s to the Compact"
msgstr "Ymuno %(name)s â'r Compact"

#: a.py:2
#, python-format
msgid "%(n)s day"
msgid_plural "%(n)s days"
msgstr[0] "%(n)s diwrnod"
msgstr[1] "diwrnod"
msgstr[2] "%(n)s ddiwrnod"
msgstr[3] "%(n)s diwrnod"
msgstr[4] "%(n)s diwrnod"
msgstr[5] "%(n)s diwrnod"

#: a.html:3
msgid "Read the <a href=\\"#x\\">consultation</a> {when}"
msgstr "Darllenwch yr <a href=\\"#x\\">ymgynghoriad</a> {when}"

#: a.html:4
msgid "100% of the organisations"
msgstr "100% o'r sefydliadau"
"""
    )
    terms = [("consultation", "ymgynghor"), ("organisation", "sefydliad"), ("Compact", "compact")]
    assert header_problems(po) == []
    assert untranslated(po) == fuzzy(po) == plural_problems(po) == []
    assert placeholder_problems(po) == []
    assert glossary_problems(po, terms) == []


def test_the_checks_find_what_is_wrong():
    po = made_up(
        """
#: a.py:1
msgid "Untranslated"
msgstr ""

#: a.py:2
#, fuzzy
msgid "Fuzzy"
msgstr "Niwlog"

#: a.py:3
#, python-format
msgid "%(n)s day"
msgid_plural "%(n)s days"
msgstr[0] "%(n)s diwrnod"
msgstr[1] "diwrnod"

#: a.py:4
#, python-format
msgid "Hello %(name)s, %s"
msgstr "Helo %(enw)s"

#: a.html:5
msgid "Read <strong>this</strong> {when}"
msgstr "Darllenwch hwn {pryd}"

#: a.html:6
msgid "A consultation about an organisation"
msgstr "Ymgynghoriad am gorff"

#: a.html:7
msgid "A voluntary organisation: %(organisation)s"
msgstr "Mudiad gwirfoddol: %(organisation)s"

#: a.py:7
#, python-format
msgid "%(n)s response"
msgid_plural "%(n)s responses"
msgstr[0] "%(n)s"
msgstr[1] "%(n)s"
msgstr[2] "%(n)s"
msgstr[3] "%(n)s"
msgstr[4] "%(n)s"
msgstr[5] "ymatebion"
""",
        header=HEADER.replace("nplurals=6", "nplurals=2"),
    )
    assert header_problems(po) and "Plural-Forms" in header_problems(po)[0]
    assert [p.split(": ", 1)[1] for p in untranslated(po)] == ["'Untranslated'"]
    assert [p.split(": ", 1)[1] for p in fuzzy(po)] == ["'Fuzzy'"]
    assert [p.split(":")[1] for p in plural_problems(po)] == ["3"]
    problems = placeholder_problems(po)
    assert any("a.py:4" in p and "%(name)s" in p and "%s" in p and "%(enw)s" in p for p in problems)
    assert any("a.html:5" in p and "<strong>" in p and "{when}" in p and "{pryd}" in p for p in problems)
    assert any("a.py:7" in p and "form 5" in p for p in problems)
    terms = [("organisation", "sefydliad"), ("consultation", "ymgynghor"), ("voluntary organisation", "mudiad")]
    assert glossary_problems(po, terms) == [
        "'organisation' -> 'sefydliad': a.html:6: 'A consultation about an organisation' is 'Ymgynghoriad am gorff'"
    ]


def test_the_glossary_has_stems_for_its_core_terms():
    terms = dict(glossary_terms())
    assert terms["organisation"] == "sefydliad"
    assert terms["concern"] == "ryder"  # "(that the Compact was breached)" left out
    assert term_pattern("funding notice").search("The Funding  notice’s date")
    assert not term_pattern("edition").search("an additional note")
    assert not term_pattern("organisation").search("organisations")
    assert english_prose("%(organisation)s is ‘Organisation’ <b class='organisation'>").strip() == "is"
    assert english_prose("like https://www.example.gov.uk/consultation").strip() == "like"


def test_missing_from_lists_messages_the_catalogue_lacks():
    catalogue = made_up('#: a.py:1\nmsgid "Old"\nmsgstr "Hen"\n')
    extracted = made_up('#: a.py:1\nmsgid "Old"\nmsgstr ""\n\n#: b.py:2\nmsgid "New"\nmsgstr ""\n')
    assert missing_from(catalogue, extracted) == ["b.py:2: 'New'"]


def test_compile_messages_leaves_out_fuzzy_and_untranslated_entries(tmp_path):
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    po_path = tmp_path / "cy" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(
        HEADER
        + '\nmsgid "Yes"\nmsgstr "Ie"\n\n#, fuzzy\nmsgid "No"\nmsgstr "Na"\n\nmsgid "Maybe"\nmsgstr ""\n'
        + '\nmsgid "%(n)s day"\nmsgid_plural "%(n)s days"\n'
        + "".join(f'msgstr[{i}] "{i} diwrnod"\n' for i in range(6)),
        encoding="utf-8",
    )
    assert module.is_stale(po_path)
    assert module.compile_all(tmp_path) == [po_path.with_suffix(".mo")]
    assert not module.is_stale(po_path)
    import gettext

    with po_path.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Yes") == "Ie"
    assert compiled.gettext("No") == "No"
    assert compiled.gettext("Maybe") == "Maybe"
    assert [compiled.ngettext("%(n)s day", "%(n)s days", n) for n in (0, 1, 2, 3, 6, 7)] == [
        f"{i} diwrnod" for i in range(6)
    ]
