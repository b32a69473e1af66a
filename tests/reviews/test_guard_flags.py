"""The annual review counts the notices flagged by the guard against retaliation (disputes.GuardFlag)
raised in its year, on its page, in its PDF and in its CSV and spreadsheet: fewer than 3 withheld."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from disputes.models import GuardFlag
from reviews import pdf
from tests.funding.factories import FundingNoticeFactory
from tests.reviews.data import YEAR, review_world

pytestmark = pytest.mark.django_db
IN_THE_YEAR = datetime.date(YEAR, 6, 1)


def flag(compact, raised_on=IN_THE_YEAR):
    notice = FundingNoticeFactory(compact=compact)
    return GuardFlag.objects.create(
        compact=compact, body=notice.issuer, organisation=notice.recipient, funding_notice=notice, raised_on=raised_on
    )


def figure(html: str) -> str:
    return (
        html.split('id="concerns-flagged">', 1)[1]
        .split("</p>", 1)[0]
        .rsplit("<strong>", 1)[1]
        .split("</strong>")[0]
        .strip()
    )


def csv_rows(client, compact):
    body = client.get(reverse("reviews:csv", kwargs={"slug": compact.slug, "year": YEAR})).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_review_counts_the_flags_of_its_year_only(client):
    compact = review_world()
    url = reverse("reviews:review", kwargs={"slug": compact.slug})
    flag(compact)
    flag(compact)
    flag(compact, raised_on=datetime.date(YEAR + 1, 4, 1))  # the next financial year
    assert figure(client.get(url, {"year": YEAR}).content.decode()) == "Fewer than 3"
    label = "Flagged for the coordinator to review (a notice to a complainant)"
    assert [label, "Fewer than 3"] in csv_rows(client, compact)
    flag(compact, raised_on=datetime.date(YEAR + 1, 3, 31))  # the last day of the year
    # 3 this year and 1 the next: with the published total (4), this year's 3 would give the next
    # year's 1 away, so it is withheld as the API withholds it.
    assert figure(client.get(url, {"year": YEAR}).content.decode()) == "Withheld"
    flag(compact, raised_on=datetime.date(YEAR + 1, 5, 1))
    flag(compact, raised_on=datetime.date(YEAR + 1, 6, 1))
    assert figure(client.get(url, {"year": YEAR}).content.decode()) == "3"
    assert [label, "3"] in csv_rows(client, compact)
    assert figure(pdf.review_pdf_html(compact, YEAR, language="en")) == "3"
    ods = client.get(reverse("reviews:ods", kwargs={"slug": compact.slug, "year": YEAR}))
    assert ods.status_code == 200
