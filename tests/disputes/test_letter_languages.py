"""The formal written challenge in the complainant's language: Welsh, English or both, chosen when it
is prepared and kept on the letter."""

import io
import re

import pikepdf
import pytest
from django.urls import reverse
from django.utils import translation

from disputes import letters
from disputes.models import ChallengeLetter
from tests.disputes.test_letters import DUE, case, pdf_text  # noqa: F401 (the case fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_text(case):  # noqa: F811 (the fixture imported above)
    compact = case.compact
    compact.name_cy = "Compact Glan yr Afon"
    compact.save()
    for undertaking in case.undertakings.all():
        if undertaking.number == "1.1":
            undertaking.text_cy = "Byddwn yn rhoi tri mis o rybudd cyn newid cyllid."
            undertaking.save()
    return case


def prepare(client, case, user, language=None, capture=None):  # noqa: F811
    client.force_login(user)
    data = {
        "addressed_to": "Cyfarwyddwr Gwasanaethau Oedolion",
        "response_due_on_0": str(DUE.day),
        "response_due_on_1": str(DUE.month),
        "response_due_on_2": str(DUE.year),
    }
    if language is not None:
        data["language"] = language
    with capture(execute=True):
        response = client.post(reverse("disputes:letter_new", kwargs={"pk": case.pk}), data)
    assert response.status_code == 303, response.content.decode()[:2000]
    letter = case.letters.get()
    letter.refresh_from_db()
    assert letter.is_ready
    return letter


def structure_languages(letter: ChallengeLetter) -> set[str]:
    with letter.file.open("rb") as stored, pikepdf.open(io.BytesIO(stored.read())) as document:
        found = {"catalogue:" + str(document.Root.Lang)}
        stack, seen = [document.Root.StructTreeRoot], set()
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
                seen.add(node.objgen)
                if "/Lang" in node:
                    found.add(str(node.Lang))
                if "/K" in node:
                    stack.append(node.K)
    return found


def test_a_welsh_speaking_preparer_gets_a_welsh_letter_by_default(
    client, welsh_text, vcs_member, django_capture_on_commit_callbacks
):
    vcs_member.language = "cy"
    vcs_member.save()
    client.force_login(vcs_member)
    form = client.get(reverse("disputes:letter_new", kwargs={"pk": welsh_text.pk})).content.decode()
    assert form.count('name="language"') == 3  # Cymraeg, English, both
    assert re.search(r'<input[^>]*value="cy"[^>]*checked', form)
    letter = prepare(client, welsh_text, vcs_member, capture=django_capture_on_commit_callbacks)
    assert letter.language == ChallengeLetter.Language.WELSH
    text = pdf_text(letter)
    assert "Byddwn yn rhoi tri mis o rybudd cyn newid cyllid." in text
    assert "Compact Glan yr Afon" in text
    assert "11 Ionawr 2027" in text and "4 Mawrth 2027" in text  # dates in Welsh
    assert "January" not in text and "March" not in text
    assert letters.letter_filename(letter).endswith("-cy.pdf")
    languages = structure_languages(letter)
    assert "catalogue:cy" in languages
    assert "en" in languages  # undertaking 2.2 has no Welsh yet: its English is tagged as English


def test_the_letter_keeps_its_language_when_made_again(
    client, welsh_text, vcs_member, django_capture_on_commit_callbacks
):
    letter = prepare(client, welsh_text, vcs_member, language="cy", capture=django_capture_on_commit_callbacks)
    vcs_member.language = "en-gb"
    vcs_member.save()
    with translation.override("en-gb"):
        again = letters.letter_html(ChallengeLetter.objects.get(pk=letter.pk))
    assert '<html lang="cy">' in again
    assert "Byddwn yn rhoi tri mis o rybudd" in again and "11 Ionawr 2027" in again


def test_an_english_letter_for_an_english_preparer(client, welsh_text, vcs_member, django_capture_on_commit_callbacks):
    vcs_member.language = "en-gb"
    vcs_member.save()
    letter = prepare(client, welsh_text, vcs_member, capture=django_capture_on_commit_callbacks)
    assert letter.language == ChallengeLetter.Language.ENGLISH
    text = pdf_text(letter)
    assert "11 January 2027" in text and "Byddwn" not in text
    assert letters.letter_filename(letter) == f"{welsh_text.reference}-1.pdf"


def test_a_letter_in_both_languages_is_welsh_then_english(
    client, welsh_text, vcs_member, django_capture_on_commit_callbacks
):
    letter = prepare(client, welsh_text, vcs_member, language="bilingual", capture=django_capture_on_commit_callbacks)
    text = pdf_text(letter)
    assert text.index("Byddwn yn rhoi tri mis o rybudd") < text.index("11 January 2027")
    assert "11 Ionawr 2027" in text
    assert letters.letter_filename(letter).endswith("-dwyieithog-bilingual.pdf")
    assert {"catalogue:cy", "cy", "en-GB"} <= structure_languages(letter)
