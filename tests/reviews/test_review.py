"""The annual review's page, charts, CSV and spreadsheet, on hand-built data (tests/reviews/data.py)."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse

from reviews.exports import safe_cell
from tests.reviews.data import COMPLAINANT, CONSULTER, EVIDENCE, ISSUER, LESSONS, RECIPIENT, YEAR, review_world

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table class="govuk-table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    body = body.split("<tbody", 1)[1]
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def get(client, compact, **params):
    response = client.get(reverse("reviews:review", kwargs={"slug": compact.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_years_figures(client):
    compact = review_world()
    html = get(client, compact, year=YEAR)
    assert "Annual review 2025–26" in html
    coverage = {row[0]: row[2] for row in table(html, "coverage")}
    assert coverage["Council"] == "2" and coverage["Police"] == "1" and coverage["Charity"] == "1"
    assert coverage["NHS body"] == "0"
    assert "3 signatures were made in 2025–26" in text(html)
    measures = {row[0].split(" Of ")[0]: row[1:] for row in table(html, "measures-table")}
    assert measures["Consultations long enough"] == ["50%", "No data"]
    assert measures["Notice of funding changes"] == ["0%", "No data"]
    # Breach concerns: by stage, the one raised and still informal is withheld (1).
    by_stage = dict(row for row in table(html, "concerns-by-stage"))
    # Raised in the year: 1 still informal (withheld), 5 closed (withheld too, or the total of 6
    # would give the 1 away), as on the public figures page.
    assert by_stage["Informal dialogue"] == "Fewer than 3"
    assert by_stage["Closed"] == "Withheld"
    assert by_stage["All raised in the year"] == "6"
    by_outcome = dict(row for row in table(html, "concerns-by-outcome"))
    assert by_outcome["Resolved"] == "3"
    assert by_outcome["Withdrawn"] == "Fewer than 3"
    assert by_outcome["Not upheld"] == "Fewer than 3"
    assert by_outcome["All closed in the year"] == "5"
    for lesson in LESSONS:
        assert lesson in html


def test_bodies_are_named_but_never_a_recipient_or_a_complainant(client):
    compact = review_world()
    html = get(client, compact, year=YEAR)
    notices = table(html, "missed-notices")
    assert notices[0][:2] == [ISSUER, "Funding reduced"]
    # The same notice part by part (decision 0022): two weeks' notice leaves nine working days to respond.
    assert table(html, "notice-parts") == [
        ["Minimum notice given (or exceptional circumstances)", "0", "1", "0"],
        ["Impact assessed, with its findings written", "1", "0", "0"],
        ["Discussed with the organisation before the decision", "1", "0", "0"],
        ["Chance to respond before the change took effect", "0", "1", "0"],
    ]
    consultations = table(html, "missed-consultations")
    assert consultations[0][0] == CONSULTER and "Library opening hours" in consultations[0][1]
    assert "No early notice" in consultations[0][3] and "Shorter than" in consultations[0][3]
    assert RECIPIENT not in html
    assert COMPLAINANT not in html
    assert "Secret summary" not in html


def test_the_action_plan_and_the_accepted_evidence(client):
    compact = review_world()
    html = get(client, compact, year=YEAR)
    statuses = dict(table(html, "plan-by-status"))
    assert statuses["Done"] == "1" and statuses["Under way"] == "0" and statuses["Not started"] == "1"
    actions = table(html, "plan-actions")
    assert [row[0] for row in actions] == ["Run a sign-up drive", "Train every champion"]
    assert actions[0][1] == "Plan Lead Council" and actions[0][3] == "Done"
    assert "An action of another year" not in html
    assert "Alex Lead" not in html  # the lead person is not published
    assert EVIDENCE in html and "Groups are heard early" in html
    assert "Unchecked evidence" not in html


def test_fewer_than_three_closed_concerns_withhold_the_lessons(client):
    compact = review_world()
    from disputes.models import Case

    Case.objects.filter(compact=compact, outcome="resolved").update(closed_on="2024-05-20")
    html = get(client, compact, year=YEAR)
    for lesson in LESSONS:
        assert lesson not in html
    assert "the lessons learned are not published" in html
    assert dict(table(html, "concerns-by-outcome"))["All closed in the year"] == "Fewer than 3"


def test_each_chart_is_an_accessible_svg_with_its_data_table(client):
    compact = review_world()
    html = get(client, compact, year=YEAR)
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    svgs = re.findall(r"<svg [^>]*>", html)
    charts = [svg for svg in svgs if 'class="app-chart"' in svg]
    assert len(charts) == 11  # ten measures and coverage
    for svg in charts:
        key = re.search(r'id="([^"]+)"', svg).group(1)
        assert 'role="img"' in svg and f'aria-labelledby="{key}-title {key}-desc"' in svg
        assert f'<title id="{key}-title">' in html and f'<desc id="{key}-desc">' in html
    assert "style=" not in html.split('id="chart-coverage"', 1)[1].split("</svg>", 1)[0]
    # The trend table of a measure holds the same values as the measures table.
    trend = table(html, "trend-consultation_length")
    assert [row[0] for row in trend] == ["2021–22", "2022–23", "2023–24", "2024–25", "2025–26"]
    assert trend[-1][1] == "50%" and trend[-2][1] == "No data"
    assert table(html, "trend-funding_notice")[-1][1] == "0%"


def test_the_chart_speaks_the_pages_language(client):
    compact = review_world()
    url = reverse("reviews:review", kwargs={"slug": compact.slug})
    html = client.get(url, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    chart = html.split('id="chart-coverage"', 1)[1].split("</svg>", 1)[0]
    assert ">Cyngor<" in chart and ">Heddlu<" in chart  # the axis labels, in Welsh
    assert ">Council<" not in chart


def test_a_label_cannot_break_out_of_the_svg():
    from reviews.charts import bar_chart

    chart = bar_chart(
        key="x", title="<script>alert(1)</script>", description="d", labels=["<img onerror=1>"], values=[1]
    )
    assert "<script" not in chart.svg and "<img" not in chart.svg
    assert "&lt;script&gt;" in chart.svg


def test_the_year_chooser_is_bounded_and_defaults_to_the_last_whole_year(client):
    compact = review_world()
    html = get(client, compact)
    options = re.findall(r'<option value="(\d+)"', html)
    assert options[-1] == "2024"
    selected = re.search(r'<option value="(\d+)" selected>', html).group(1)
    assert int(selected) == int(options[1])
    assert re.search(r'<option value="2024" selected>', get(client, compact, year="1999")) is None
    # A year without data cannot be downloaded.
    url = reverse("reviews:csv", kwargs={"slug": compact.slug, "year": 1999})
    assert client.get(url).status_code == 404


def test_the_csv_holds_the_figures_and_no_names(client):
    compact = review_world()
    response = client.get(reverse("reviews:csv", kwargs={"slug": compact.slug, "year": YEAR}))
    assert response.status_code == 200
    assert f"{compact.slug}-annual-review-2025-26-figures-en.csv" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[next(i for i, row in enumerate(rows) if row and row[0] == "Consultations long enough")][:4] == [
        "Consultations long enough",
        "Per cent",
        "50.0",
        "No data",
    ]
    assert [ISSUER, "Funding reduced", "1 August 2025", "15 August 2025"] in rows
    assert ["Closed as: Withdrawn", "Fewer than 3"] in rows
    assert ["Closed as: Resolved", "3"] in rows
    assert RECIPIENT not in body and COMPLAINANT not in body


def test_the_spreadsheet_has_a_sheet_per_section(client):
    compact = review_world()
    response = client.get(reverse("reviews:ods", kwargs={"slug": compact.slug, "year": YEAR}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    from odf.opendocument import load
    from odf.table import Table, TableCell
    from odf.text import P

    document = load(io.BytesIO(response.content))
    sheets = document.spreadsheet.getElementsByType(Table)
    names = [sheet.getAttribute("name") for sheet in sheets]
    assert names == [
        "Sign-ups",
        "Measures",
        "Trends",
        "Consultations",
        "Funding notices",
        "Breach concerns",
        "Action plan",
        "Evidence",
    ]
    signups = sheets[0]
    cells = [
        [
            (cell.getAttribute("valuetype"), "".join(str(p) for p in cell.getElementsByType(P)))
            for cell in row.getElementsByType(TableCell)
        ]
        for row in signups.childNodes
    ]
    assert [("string", "Council"), ("string", "Public sector"), ("float", "2")] in cells
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml").decode()
    assert RECIPIENT not in content and COMPLAINANT not in content
    assert "Run a sign-up drive" in content and EVIDENCE in content


def test_cells_are_formula_safe():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x" and safe_cell("-2") == "'-2"
    assert safe_cell(3) == 3 and safe_cell("Council") == "Council"


def test_a_body_named_like_a_formula_is_defused(client):
    compact = review_world()
    from signatories.models import Organisation

    Organisation.objects.filter(name=ISSUER).update(name="=cmd|' /C calc'!A0")
    body = client.get(reverse("reviews:csv", kwargs={"slug": compact.slug, "year": YEAR})).content.decode("utf-8-sig")
    assert "'=cmd|" in body
    assert "\n=cmd" not in body and ",=cmd" not in body


@pytest.mark.parametrize("route", ["reviews:review"])
def test_the_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries, route):
    small = review_world(scale=1)
    big = review_world(scale=6)
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for compact in (small, big):
        with CaptureQueriesContext(connection) as captured:
            get(client, compact, year=YEAR)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        get(client, big, year=YEAR)


def test_the_coordinator_reaches_the_review_from_the_manage_page(client, coordinator, compact, edition):
    client.force_login(coordinator)
    html = client.get(reverse("commitments:manage", kwargs={"slug": compact.slug})).content.decode()
    assert reverse("reviews:review", kwargs={"slug": compact.slug}) in html
    # And anyone from the Compact's own page.
    client.logout()
    html = client.get(compact.get_absolute_url()).content.decode()
    assert reverse("reviews:review", kwargs={"slug": compact.slug}) in html
