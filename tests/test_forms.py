"""What every GOV.UK form of the portal does: one-line boxes keep their text on one line."""

import pytest
from django import forms

from compact_portal.forms import GdsForm
from signatories.forms import OrganisationForm
from signatories.models import Sector


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
