"""The annex's signatory lines (the ``signatory_lines`` filter) are the HTML the template's loop
made, line for line: escaped, in the active language, with the parts a signatory has."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from commitments.pdf import ANNEX_GAP, SignatoryRow

LOOP = Template(
    '{% for row in rows %}<li><span class="signatory__organisation">{{ row.organisation }}</span>'
    "{% if row.signed_by %}{{ row.signed_by }}{% endif %}{% if row.role %}{{ gap }}{{ row.role }}{% endif %}"
    "{% if row.signed_on %}{{ gap }}{{ row.signed_on|long_date }}{% endif %}</li>{% endfor %}"
)
FILTER = Template("{% load pdf_tags %}{{ rows|signatory_lines:gap }}")

ROWS = [
    SignatoryRow("Riverside Food Bank", "Ann Jones", "Chair", datetime.date(2027, 7, 4)),
    SignatoryRow("Tom & Jerry's <Trust>", 'Bob "B" Smith', "", datetime.date(2027, 7, 4)),
    SignatoryRow("Ysgol Gymraeg", "", "Pennaeth", None),
    SignatoryRow("Nobody signed", "", "", datetime.date(2026, 1, 31)),
    SignatoryRow("<script>alert(1)</script>", "", "", None),
]


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_the_lines_are_the_loops_html(language):
    context = {"rows": ROWS, "gap": ANNEX_GAP}
    with translation.override(language):
        expected = LOOP.render(Context(context))
        lines = FILTER.render(Context(context))
    assert lines == expected
    assert "&lt;script&gt;" in lines and "<script>" not in lines
    assert ("Gorffennaf" if language == "cy" else "4 July 2027") in lines


def test_no_rows_no_lines():
    assert FILTER.render(Context({"rows": [], "gap": ANNEX_GAP})) == ""
