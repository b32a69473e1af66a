"""Content in English and Welsh: what a reader of each language sees, how Welsh is entered, copied
and compared, and which parts still lack it (issue 14)."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from commitments import services
from commitments.models import Edition, Outcome, Principle, Undertaking
from tests.commitments.factories import build_edition

pytestmark = pytest.mark.django_db

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-gb"}


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def url(name, compact, **kwargs):
    return reverse(f"commitments:{name}", kwargs={"slug": compact.slug, **kwargs})


# --- The template tags ----------------------------------------------------------------------------------


def test_inline_text_is_welsh_for_a_welsh_reader_and_english_otherwise():
    undertaking = Undertaking(text="We will consult.", text_cy="Byddwn yn ymgynghori.")
    assert render('{% localised u "text" %}', "cy", u=undertaking) == "Byddwn yn ymgynghori."
    assert render('{% localised u "text" %}', "en-gb", u=undertaking) == "We will consult."
    assert render('{{ u|localised:"text" }}', "cy", u=undertaking) == "Byddwn yn ymgynghori."


def test_inline_english_standing_in_for_welsh_says_it_is_english():
    undertaking = Undertaking(text="We will consult.", text_cy="  ")
    assert render('{% localised u "text" %}', "cy", u=undertaking) == '<span lang="en">We will consult.</span>'
    assert render('{% localised u "text" %}', "en-gb", u=undertaking) == "We will consult."
    # In a sentence the lead's translators wrote, through {% blocktranslate with %}:
    source = '{% load i18n %}{% blocktranslate with t=u|localised:"text" %}Read {{ t }}{% endblocktranslate %}'
    assert render(source, "cy", u=undertaking).endswith('<span lang="en">We will consult.</span>')
    # A page title cannot hold markup: the plain text.
    assert render('{{ u|localised_text:"text" }}', "cy", u=undertaking) == "We will consult."


def test_block_text_is_paragraphs_and_missing_welsh_is_marked_with_a_note():
    edition = Edition(foreword="First line\nsecond line.\n\nSee https://example.org", foreword_cy="")
    welsh_reader = render('{% localised_block e "foreword" %}', "cy", e=edition)
    assert welsh_reader.startswith('<div lang="en" class="app-english-only">')
    assert re.search(r'<p class="govuk-inset-text[^"]*" lang="cy">[^<]+</p>', welsh_reader)
    assert '<p class="govuk-body">First line<br>second line.</p>' in welsh_reader
    assert '<a href="https://example.org" rel="nofollow">https://example.org</a>' in welsh_reader
    english_reader = render('{% localised_block e "foreword" %}', "en-gb", e=edition)
    assert 'lang="en"' not in english_reader and "govuk-inset-text" not in english_reader
    edition.foreword_cy = "Llinell gyntaf."
    assert render('{% localised_block e "foreword" %}', "cy", e=edition) == '<p class="govuk-body">Llinell gyntaf.</p>'


def test_the_note_is_in_the_readers_language():
    edition = Edition(foreword="Only English.")
    with translation.override("cy"):
        from django.utils.translation import gettext

        note = gettext("This part has no Welsh version yet.")
    assert note != "This part has no Welsh version yet."  # the catalogue has it
    assert escape(note) in render('{% localised_block e "foreword" %}', "cy", e=edition)


@pytest.mark.parametrize("language", ["cy", "en-gb"])
def test_everything_is_escaped(language):
    evil = '<script>alert("x")</script> & <b>'
    for english, welsh in ((evil, ""), ("Safe", evil)):
        undertaking = Undertaking(text=english, text_cy=welsh)
        for source in ('{% localised u "text" %}', '{{ u|localised:"text" }}', '{% localised_block u "text" %}'):
            out = render(source, language, u=undertaking)
            assert "<script>" not in out and "<b>" not in out, (source, out)
        assert render('{{ u|localised_text:"text" }}', language, u=undertaking).count("<script>") == 0


# --- The pages ------------------------------------------------------------------------------------------


@pytest.fixture
def bilingual_edition(compact):
    compact.name_cy = "Compact Glan yr Afon"
    compact.save()
    edition = build_edition(compact=compact, name="First edition", name_cy="Argraffiad cyntaf")
    edition.introduction, edition.introduction_cy = "An introduction.", "Cyflwyniad."
    edition.save()
    for undertaking in edition.undertakings.all():
        undertaking.text_cy = f"Addewid {undertaking.number}."
        undertaking.save()
    for outcome in edition.outcomes.all():
        outcome.title_cy = f"Canlyniad {outcome.number}"
        outcome.save()
    edition.principles.filter(title="Respect").update(title_cy="Parch")
    return edition


def test_the_compact_page_in_welsh_shows_welsh_and_marks_what_is_english(client, bilingual_edition, compact):
    page = client.get(url("compact_detail", compact), **WELSH).content.decode()
    assert '<h1 class="govuk-heading-l">Compact Glan yr Afon</h1>' in page
    assert "Addewid 1.1." in page and "Public sector promise 1.1." not in page
    assert "Cyflwyniad." in page
    assert "Parch" in page
    assert '<span lang="en">Honesty</span>' in page  # no Welsh for this principle
    page = client.get(url("compact_detail", compact), **ENGLISH).content.decode()
    assert "Public sector promise 1.1." in page and "Addewid 1.1." not in page
    assert ' lang="en"' not in page.split("<main", 1)[1]  # (hreflang="en" on the PDF link is not a lang)


def test_list_pages_query_the_database_as_often_in_either_language(client, bilingual_edition, compact):
    def count(path, headers):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, **headers).status_code == 200
        return len(queries)

    for path in (reverse("commitments:compact_list"), url("compact_detail", compact), reverse("consultations:list")):
        assert count(path, WELSH) == count(path, ENGLISH), path


# --- Entering Welsh -------------------------------------------------------------------------------------


@pytest.fixture
def draft(edition, coordinator):
    return services.edition_start_from_current(compact=edition.compact, name="Draft 2027", by=coordinator)


def test_each_part_form_has_its_welsh_field_right_after_the_english(client, compact, coordinator, draft):
    client.force_login(coordinator)
    undertaking = draft.undertakings.first()
    page = client.get(
        url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=undertaking.pk)
    ).content.decode()
    assert page.index('name="text"') < page.index('name="text_cy"') < page.index('name="themes"')
    assert re.search(r'<textarea[^>]*name="text_cy"[^>]*lang="cy"|<textarea[^>]*lang="cy"[^>]*name="text_cy"', page)
    assert "Undertaking (Welsh)" in page
    assert "Optional. Leave empty if there is no Welsh version yet." in page
    response = client.post(
        url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=undertaking.pk),
        {
            "outcome": undertaking.outcome_id,
            "number": undertaking.number,
            "sector": undertaking.sector,
            "text": undertaking.text,
            "text_cy": "Byddwn yn ymgynghori am ddeuddeg wythnos.",
        },
    )
    assert response.status_code == 302
    undertaking.refresh_from_db()
    assert undertaking.text_cy == "Byddwn yn ymgynghori am ddeuddeg wythnos."


@pytest.mark.parametrize(
    ("part", "model", "data"),
    [
        (
            "principles",
            Principle,
            {
                "title": "Trust",
                "title_cy": "Ymddiriedaeth",
                "description": "D",
                "description_cy": "Disgrifiad",
                "position": 3,
            },
        ),
        (
            "outcomes",
            Outcome,
            {"number": 9, "title": "Better", "title_cy": "Gwell", "description": "", "description_cy": ""},
        ),
    ],
)
def test_a_new_part_saves_its_welsh(client, compact, coordinator, draft, part, model, data):
    client.force_login(coordinator)
    response = client.post(url("part_create", compact, pk=draft.pk, part=part), data)
    assert response.status_code == 302
    assert model.objects.get(edition=draft, title_cy=data["title_cy"])


def test_the_welsh_keeps_the_english_fields_limits(client, compact, coordinator, draft):
    client.force_login(coordinator)
    response = client.post(
        url("part_create", compact, pk=draft.pk, part="principles"),
        {"title": "Trust", "title_cy": "x" * 201, "position": 3},
    )
    assert response.status_code == 200
    assert not Principle.objects.filter(edition=draft, title="Trust").exists()


def test_the_edition_settings_save_the_welsh_name_and_texts(client, compact, coordinator, draft):
    client.force_login(coordinator)
    page = client.get(url("edition_settings", compact, pk=draft.pk)).content.decode()
    assert page.index('name="foreword"') < page.index('name="foreword_cy"') < page.index('name="introduction"')
    data = {
        "name": "Draft 2027",
        "name_cy": "Drafft 2027",
        "foreword": "",
        "introduction": "Hello.",
        "introduction_cy": "Helo.",
        "consultation_min_weeks": 12,
        "feedback_due_weeks": 12,
        "funding_notice_min_months": 3,
        "dispute_informal_days": 20,
        "dispute_formal_days": 20,
        "dispute_mediation_days": 40,
    }
    assert client.post(url("edition_settings", compact, pk=draft.pk), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.name_cy, draft.introduction_cy) == ("Drafft 2027", "Helo.")


def test_the_compact_form_sets_the_welsh_name_and_welsh_first(client, compact, coordinator, officer):
    client.force_login(officer)
    assert client.get(url("compact_settings", compact)).status_code == 403
    client.force_login(coordinator)
    page = client.get(url("compact_settings", compact)).content.decode()
    assert 'lang="cy"' in page and 'name="welsh_first"' in page
    response = client.post(url("compact_settings", compact), {"name_cy": "Compact Glan yr Afon", "welsh_first": "on"})
    assert response.status_code == 302
    compact.refresh_from_db()
    assert compact.name_cy == "Compact Glan yr Afon" and compact.welsh_first


def test_a_new_draft_copies_the_welsh(bilingual_edition, compact, coordinator):
    Principle.objects.filter(edition=bilingual_edition).update(description="Means", description_cy="Ystyr")
    draft = services.edition_start_from_current(compact=compact, name="Next", by=coordinator)
    assert draft.introduction_cy == "Cyflwyniad."
    assert sorted(draft.undertakings.values_list("text_cy", flat=True)) == sorted(
        bilingual_edition.undertakings.values_list("text_cy", flat=True)
    )
    assert set(draft.outcomes.values_list("title_cy", flat=True)) == {"Canlyniad 1", "Canlyniad 2"}
    assert draft.principles.get(title="Respect").title_cy == "Parch"
    assert set(draft.principles.values_list("description_cy", flat=True)) == {"Ystyr"}


# --- Which parts lack Welsh; what changed in the Welsh ---------------------------------------------------


def test_the_publish_page_lists_the_parts_without_welsh_and_links_to_each(client, compact, coordinator, draft):
    client.force_login(coordinator)
    undertaking = draft.undertakings.order_by("number").first()
    Undertaking.objects.filter(edition=draft).exclude(pk=undertaking.pk).update(text_cy="Addewid.")
    page = client.get(url("edition_publish", compact, pk=draft.pk)).content.decode()
    lacking = page.split('id="lacking-welsh"', 1)[1].split("</ul>", 1)[0]
    edit = url("part_update", compact, pk=draft.pk, part="undertakings", part_pk=undertaking.pk)
    assert f'href="{edit}"' in lacking and f"Undertaking {undertaking.number}" in lacking
    assert "Principle: Respect" in lacking and "Outcome 1: Outcome 1 title" in lacking
    assert 'id="welsh-first-warning"' not in page  # an English Compact need not be bilingual
    compact.welsh_first = True
    compact.save()
    page = client.get(url("edition_publish", compact, pk=draft.pk)).content.decode()
    assert 'id="welsh-first-warning"' in page
    # Publishing is not blocked by missing Welsh.
    response = client.post(url("edition_publish", compact, pk=draft.pk), {"confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_current


def test_a_wholly_welsh_edition_says_nothing_lacks_welsh(client, compact, coordinator, draft):
    client.force_login(coordinator)
    draft.name_cy = "Drafft"
    draft.save()
    Undertaking.objects.filter(edition=draft).update(text_cy="Addewid.")
    Outcome.objects.filter(edition=draft).update(title_cy="Canlyniad")
    Principle.objects.filter(edition=draft).update(title_cy="Egwyddor")
    page = client.get(url("edition_publish", compact, pk=draft.pk)).content.decode()
    assert '<p class="govuk-body" id="lacking-welsh">Every part of this edition has Welsh text.</p>' in page
    total = 1 + 2 + 2 + 8  # its name, principles, outcomes, undertakings
    assert f"{total} of {total} parts of this edition have Welsh text." in page


def test_the_compare_page_shows_changes_to_the_welsh(client, bilingual_edition, compact, coordinator):
    draft = services.edition_start_from_current(compact=compact, name="Second", by=coordinator)
    changed = draft.undertakings.get(number="1.1")
    changed.text_cy = "Addewid newydd sbon 1.1."
    changed.save()
    draft.introduction_cy = "Cyflwyniad newydd."
    draft.save()
    services.edition_publish(edition=draft, by=coordinator)
    page = client.get(url("edition_compare", compact, pk=draft.pk), **ENGLISH).content.decode()
    table = page.split('id="welsh-changes"', 1)[1].split("</table>", 1)[0]
    assert "Undertaking 1.1" in table and "sbon" in table and "Addewid 1.2." not in table
    assert "newydd" in table  # the introduction's Welsh
    lacking = page.split('id="lacking-welsh"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{draft.get_absolute_url()}#u-1-1"' not in lacking  # 1.1 has Welsh
    assert "Honesty" in lacking  # published: no edit link, a link to the part where it has an anchor


def test_the_welsh_comparison_keeps_to_a_fixed_number_of_queries(bilingual_edition, compact, coordinator):
    from commitments import selectors

    draft = services.edition_start_from_current(compact=compact, name="Second", by=coordinator)
    with CaptureQueriesContext(connection) as queries:
        selectors.edition_compare_welsh(old=bilingual_edition, new=draft)
        selectors.edition_welsh_coverage(edition=draft)
    assert len(queries) == 6 + 4


# --- The demo -------------------------------------------------------------------------------------------


def test_seed_demo_is_bilingual_and_its_draft_lacks_welsh_on_purpose(settings):
    from django.core.management import call_command

    from commitments import selectors
    from commitments.models import Compact
    from consultations.models import Consultation
    from funding.models import FundingNotice

    settings.DEBUG = True
    call_command("seed_demo")
    compact = Compact.objects.get(slug="example-borough")
    assert compact.name_cy == "Compact Bwrdeistref Enghraifft"
    published = compact.editions.get(status=Edition.Status.PUBLISHED)
    coverage = selectors.edition_welsh_coverage(edition=published)
    assert coverage.lacking == [] and coverage.total > 40
    assert published.undertakings.get(number="4.4").text_cy.startswith("Rhoi o leiaf dri mis o rybudd")
    draft = compact.editions.get(status=Edition.Status.DRAFT)
    lacking = [part.label for part in selectors.edition_welsh_coverage(edition=draft).lacking]
    assert lacking == ["Principle: Volunteering", "Undertaking 4.7"]
    for consultation in Consultation.objects.filter(compact=compact):
        assert consultation.title_cy and consultation.summary_cy
    for consultation in Consultation.objects.filter(compact=compact).exclude(feedback_summary=""):
        assert consultation.feedback_summary_cy
    for notice in FundingNotice.objects.filter(compact=compact):
        assert notice.description_cy and notice.reasons_cy
    # The Welsh-first demo Compact is in Welsh throughout; the English ones are not translated
    valley = Compact.objects.get(slug="example-valley")
    assert valley.welsh_first and valley.name_cy == "Compact Cwm Enghraifft"
    assert selectors.edition_welsh_coverage(edition=valley.editions.get()).lacking == []
    for consultation in Consultation.objects.filter(compact=valley):
        assert consultation.title_cy and consultation.summary_cy
