"""Dates and times in Welsh: month names from Django's cy locale; am/pm, midday and midnight from
the catalogue (a tiny test catalogue here, since the project's is translated separately)."""

import datetime

from django.template import Context, Template
from django.utils import translation

from compact_portal.dates import clock_time, long_date, long_date_and_time
from tests.support.catalogue import welsh_catalogue

WELSH_TIMES = {
    "time of day\x04am": "yb",
    "time of day\x04pm": "yp",
    "time of day\x04midday": "canol dydd",
    "time of day\x04midnight": "hanner nos",
    "%(date)s at %(time)s": "%(date)s am %(time)s",
}


def test_a_date_in_welsh():
    with translation.override("cy"):
        assert long_date(datetime.date(2026, 12, 4)) == "4 Rhagfyr 2026"
        assert [long_date(datetime.date(2027, month, 1)).split()[1] for month in (1, 2, 6, 8)] == [
            "Ionawr",
            "Chwefror",
            "Mehefin",
            "Awst",
        ]
        assert Template("{{ day|long_date }}").render(Context({"day": datetime.date(2026, 12, 4)})) == "4 Rhagfyr 2026"
    assert long_date(datetime.date(2026, 12, 4)) == "4 December 2026"


def test_times_in_welsh_come_from_the_catalogue(tmp_path):
    with welsh_catalogue(tmp_path, WELSH_TIMES), translation.override("cy"):
        assert clock_time(datetime.time(9, 30)) == "9:30yb"
        assert clock_time(datetime.time(16, 0)) == "4yp"
        assert clock_time(datetime.time(12, 0)) == "canol dydd"
        assert clock_time(datetime.time(0, 0)) == "hanner nos"
        when = datetime.datetime(2026, 12, 4, 16, 0, tzinfo=datetime.UTC)  # 4pm in London (GMT)
        assert long_date_and_time(when) == "4 Rhagfyr 2026 am 4yp"


def test_the_projects_catalogue_can_put_right_a_month_name_of_djangos(tmp_path):
    """Django's cy locale spells July "Gorffenaf"; Welsh (and GOV.UK Welsh) writes "Gorffennaf". The
    project's catalogue comes first, so an entry for "July" there puts it right."""
    with welsh_catalogue(tmp_path, {"July": "Gorffennaf"}), translation.override("cy"):
        assert long_date(datetime.date(2027, 7, 1)) == "1 Gorffennaf 2027"


def test_the_project_catalogue_spells_july_in_welsh():
    """The real catalogue (not a test one) puts Django's "Gorffenaf" right."""
    with translation.override("cy"):
        assert long_date(datetime.date(2027, 7, 1)) == "1 Gorffennaf 2027"
        assert long_date(datetime.date(2026, 12, 4)) == "4 Rhagfyr 2026"
