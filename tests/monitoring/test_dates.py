import datetime

from compact_portal.dates import financial_year_bounds, financial_year_label, financial_year_of

D = datetime.date


def test_financial_year_of():
    assert financial_year_of(D(2026, 5, 1)) == 2026
    assert financial_year_of(D(2026, 4, 1)) == 2026
    assert financial_year_of(D(2027, 3, 31)) == 2026
    assert financial_year_of(D(2027, 4, 1)) == 2027
    assert financial_year_of(D(2027, 1, 1)) == 2026


def test_financial_year_bounds():
    assert financial_year_bounds(2026) == (D(2026, 4, 1), D(2027, 4, 1))
    start, end = financial_year_bounds(2026)
    assert financial_year_of(start) == 2026 and financial_year_of(end) == 2027
    assert financial_year_of(end - datetime.timedelta(days=1)) == 2026


def test_financial_year_label():
    assert financial_year_label(2026) == "2026–27"
    assert financial_year_label(1999) == "1999–00"
