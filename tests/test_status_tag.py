"""The portal's one status tag: a colour per meaning, the same on every page."""

import pathlib

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string

TEMPLATE_DIRS = [pathlib.Path(settings.BASE_DIR) / "templates"]


@pytest.mark.parametrize(
    ("meaning", "colour"),
    [
        ("positive", "green"),
        ("waiting", "yellow"),
        ("negative", "red"),
        ("neutral", "grey"),
        ("information", "blue"),
        ("warning", "orange"),
        ("action", "purple"),
        ("highlight", "turquoise"),
    ],
)
def test_each_meaning_has_its_colour_and_the_label_is_escaped(meaning, colour):
    html = Template("{% status_tag label meaning %}").render(Context({"label": "<b>Signed</b>", "meaning": meaning}))
    assert html == f'<strong class="govuk-tag govuk-tag--{colour}">&lt;b&gt;Signed&lt;/b&gt;</strong>'


def test_a_colour_is_not_a_meaning():
    with pytest.raises(ValueError, match="Unknown status tag meaning 'green'"):
        Template('{% status_tag "Signed" "green" %}').render(Context())


@pytest.mark.parametrize(
    ("status", "colour"),
    [("signed", "green"), ("pending", "yellow"), ("rejected", "red"), ("withdrawn", "grey"), ("reaffirm", "purple")],
)
def test_a_signatures_status_keeps_its_colour(status, colour):
    html = render_to_string("signatories/includes/status_tag.html", {"status": status, "label": "The label"})
    assert html.strip() == f'<strong class="govuk-tag govuk-tag--{colour}">The label</strong>'


def test_no_template_draws_a_tag_of_its_own():
    """Every status tag goes through {% status_tag %}, so the colours cannot drift apart again."""
    drawn_by_hand = [
        str(path.relative_to(settings.BASE_DIR))
        for directory in TEMPLATE_DIRS
        for path in directory.rglob("*.html")
        if 'class="govuk-tag' in path.read_text()
    ]
    assert drawn_by_hand == []


@pytest.mark.parametrize(
    ("stage", "colour"),
    [("informal", "blue"), ("formal", "yellow"), ("mediation", "orange"), ("escalated", "red"), ("closed", "grey")],
)
def test_a_concerns_stage_keeps_its_colour(stage, colour):
    from disputes.models import Case

    case = Case(stage=stage, outcome="resolved" if stage == "closed" else "")
    html = render_to_string("disputes/includes/stage_tag.html", {"case": case})
    assert f'<strong class="govuk-tag govuk-tag--{colour}">{case.get_stage_display()}' in html
