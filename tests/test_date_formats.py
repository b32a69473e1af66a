"""The portal writes dates and times one way, GOV.UK style: "4 March 2027", "2:59pm"."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from commitments import services
from commitments.models import EditionStatusChange
from compact_portal.dates import clock_time, long_date, long_date_and_time
from tests.conftest import ROOT

UTC = datetime.UTC
SUMMER_AFTERNOON = datetime.datetime(2027, 7, 1, 13, 59, tzinfo=UTC)  # 2:59pm in London (BST)


@pytest.mark.parametrize(
    ("hour", "minute", "shown"),
    [
        (14, 59, "2:59pm"),
        (9, 5, "9:05am"),
        (9, 0, "9am"),
        (12, 0, "midday"),
        (12, 30, "12:30pm"),
        (0, 0, "midnight"),
        (0, 15, "12:15am"),
        (23, 45, "11:45pm"),
    ],
)
def test_a_time_is_written_the_gov_uk_way(hour, minute, shown):
    assert clock_time(datetime.time(hour, minute)) == shown


def test_an_aware_time_is_shown_in_london():
    assert clock_time(SUMMER_AFTERNOON) == "2:59pm"
    assert clock_time(datetime.datetime(2027, 1, 4, 13, 59, tzinfo=UTC)) == "1:59pm"  # GMT in winter


def test_a_date_is_day_month_year_and_a_late_evening_in_utc_is_the_next_day_in_london():
    assert long_date(datetime.date(2027, 3, 4)) == "4 March 2027"
    assert long_date(datetime.datetime(2027, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2027"
    assert long_date_and_time(SUMMER_AFTERNOON) == "1 July 2027 at 2:59pm"


def test_the_filters_are_built_in_to_every_template_and_an_empty_value_shows_nothing():
    template = Template(
        "{{ day|long_date }}|{{ when|clock_time }}|{{ when|long_date_and_time }}|{{ nothing|long_date|default:'–' }}"
    )
    html = template.render(Context({"day": datetime.date(2027, 3, 4), "when": SUMMER_AFTERNOON, "nothing": None}))
    assert html == "4 March 2027|2:59pm|1 July 2027 at 2:59pm|–"


def test_month_names_follow_the_language():
    with translation.override("cy"):
        assert long_date(datetime.date(2027, 3, 4)) == "4 Mawrth 2027"


# Display formats other than the portal's. A comparison such as |date:"Y-m-d H:i" shows nothing.
OTHER_FORMATS = re.compile(r'\|(?:date|time)(?::"(?!Y-m-d H:i")[^"]*")?(?=[\s|}%])')


def test_no_template_formats_a_date_or_time_its_own_way():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.suffix in (".html", ".txt")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in OTHER_FORMATS.finditer(line)
    ]
    assert not offenders, "Use |long_date, |clock_time or |long_date_and_time:\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_edition_history_shows_when_each_change_was_made_the_gov_uk_way(client, edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Refresh 2027", by=coordinator)
    EditionStatusChange.objects.filter(edition=draft).update(changed_at=SUMMER_AFTERNOON)
    LogEntry.objects.update(timestamp=SUMMER_AFTERNOON)
    client.force_login(coordinator)

    html = client.get(reverse("commitments:edition_history", kwargs={"slug": edition.compact.slug, "pk": draft.pk}))

    text = html.content.decode()
    assert "1 July 2027 at 2:59pm" in text
    assert "14:59" not in text
