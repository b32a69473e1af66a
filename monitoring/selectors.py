"""Reads for the outcome measures pages: which financial years a Compact has figures for."""

import datetime

from django.db.models import Min

from commitments.models import Edition
from compact_portal.dates import financial_year_bounds, financial_year_of
from consultations.models import Consultation
from disputes.models import Case
from funding.models import FundingNotice


def years_offered(*, compact, today: datetime.date) -> list[int]:
    """The financial years a reader may choose, newest first: from the first year with anything to
    count (an edition published, a consultation closed, a notice given, a concern closed) to the
    current one. Four aggregate queries whatever the Compact holds."""
    firsts = [
        Edition.objects.filter(compact=compact, published_on__isnull=False).aggregate(first=Min("published_on")),
        Consultation.objects.filter(compact=compact).aggregate(first=Min("closes_on")),
        FundingNotice.objects.filter(compact=compact).aggregate(first=Min("notice_given_on")),
        Case.objects.filter(compact=compact, closed_on__isnull=False).aggregate(first=Min("closed_on")),
    ]
    current = financial_year_of(today)
    days = [row["first"] for row in firsts if row["first"] is not None]
    first = min((financial_year_of(day) for day in days), default=current)
    return list(range(current, min(first, current) - 1, -1))


def funding_parts(*, compact, year: int, today: datetime.date) -> list:
    """The funding-change notices given in the financial year ``year``, counted per part of the
    Compact (``funding.selectors.part_counts``, decision 0022). Two queries."""
    from funding import selectors as funding_selectors

    start, end = financial_year_bounds(year)
    notices = FundingNotice.objects.filter(compact=compact, notice_given_on__gte=start, notice_given_on__lt=end)
    return funding_selectors.part_counts(notices, today=today)
