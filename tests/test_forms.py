"""What every GOV.UK form of the portal does: one-line boxes keep their text on one line, and every
box carries GOV.UK's class."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms

from commitments.models import Sector
from compact_portal.forms import FilterForm, GdsForm
from signatories.forms import OrganisationForm
from tests.test_fuzz_forms import FORM_CASE_IDS, _bind, _form_cases, world  # noqa: F401 - world is a fixture


class Example(GdsForm, forms.Form):
    name = forms.CharField()
    email = forms.EmailField(required=False)
    story = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput, strip=False)


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_line_break_in_a_one_line_box_becomes_a_space(line_break):
    form = Example(
        data={"name": f"Food{line_break}Bank", "story": f"First line{line_break}second line", "secret": " a\nb "}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Food Bank"
    assert line_break in form.cleaned_data["story"]  # a text area keeps its lines
    assert form.cleaned_data["secret"] == " a\nb "  # a password is never changed


@pytest.mark.django_db
def test_an_organisation_named_across_two_lines_is_saved_on_one():
    form = OrganisationForm(
        data={"name": "Riverside\r\nFood   Bank", "sector": Sector.VCS, "organisation_type": "charity"}
    )
    assert form.is_valid(), form.errors
    assert form.save().name == "Riverside Food Bank"


# --- Every form's boxes are GOV.UK boxes --------------------------------------------------------

GOVUK_CLASS = {"input": "govuk-input", "select": "govuk-select", "textarea": "govuk-textarea"}
NOT_A_BOX = {"hidden", "checkbox", "radio", "file", "submit", "button"}


def unstyled_boxes(html: str) -> list[str]:
    boxes = []
    for tag in re.finditer(r"<(input|select|textarea)\b[^>]*>", html):
        element, attributes = tag.group(1), tag.group(0)
        kind = re.search(r'\stype="([^"]*)"', attributes)
        if element == "input" and kind and kind.group(1) in NOT_A_BOX:
            continue
        classes = re.search(r'\sclass="([^"]*)"', attributes)
        if GOVUK_CLASS[element] not in (classes.group(1).split() if classes else []):
            boxes.append(attributes)
    return boxes


@pytest.mark.django_db
@pytest.mark.parametrize("case_id", FORM_CASE_IDS)
def test_every_box_of_every_form_is_drawn_the_gov_uk_way(case_id, world):  # noqa: F811 - the fixture
    """A text box, list or text area without GOV.UK's class is drawn by the browser's own style
    (as the organisation's website box was): too small to tap, with no error border."""
    form_class, kwargs = _form_cases(world)[case_id]
    assert not unstyled_boxes(render_crispy_form(_bind(form_class, kwargs)))


@pytest.mark.django_db
def test_the_organisation_website_box_is_a_gov_uk_box_and_shows_its_error():
    form = OrganisationForm(data={"name": "Larder", "sector": Sector.VCS, "website": "not a web address"})
    html = render_crispy_form(form)
    website = re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)
    assert 'class="govuk-input govuk-input--error"' in website
    assert "Enter a web address in the right format, like https://example.org" in html


def test_a_filter_forms_selects_are_govuk_selects():
    """The filters' selects are written in Python (QuickSelect) and still get the GOV.UK class, which
    keeps them within a phone's width (a long option made the funding list 380 px wide on 375)."""

    class Filters(FilterForm):
        change = forms.ChoiceField(
            choices=[("", "Any change"), ("support", "Other support withdrawn (premises, equipment, staff time)")],
            required=False,
        )

    html = render_crispy_form(Filters())
    assert '<select name="change" class="govuk-select" id="id_change">' in html
    assert "quickselect" not in html
