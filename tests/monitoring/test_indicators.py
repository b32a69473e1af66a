"""The standard outcome measures, each on hand-built records with a known answer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Edition, Theme
from consultations.models import Consultation
from monitoring.indicators import INDICATORS, compact_values, indicator, values_for_compacts
from signatories.models import OrganisationType, SectorStatus
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory
from tests.consultations.factories import ConsultationFactory
from tests.funding.factories import FundingNoticeFactory
from tests.monitoring.factories import concern, edition
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory

D = datetime.date
TODAY = D(2027, 6, 1)
pytestmark = pytest.mark.django_db


def by_key(values):
    return {value.indicator.key: value for value in values}


def test_the_standard_set():
    keys = [item.key for item in INDICATORS]
    assert keys == [
        "consultation_length",
        "early_notice",
        "feedback_on_time",
        "funding_notice",
        "concerns_in_time",
        "concern_days",
        "statutory_coverage",
        "vcs_signatories",
        "champions",
        "reaffirmation",
    ]
    assert indicator("concern_days").disclosive and indicator("concerns_in_time").disclosive
    assert not any(item.disclosive for item in INDICATORS if item.key not in ("concern_days", "concerns_in_time"))
    for item in INDICATORS:
        assert item.theme in Theme.values
        assert item.unit in ("percent", "days", "count")
        assert str(item.title) and str(item.definition)
    with pytest.raises(KeyError):
        indicator("nonsense")


def test_an_empty_year_has_no_data():
    compact = CompactFactory()
    values = compact_values(compact, 2026, today=TODAY)
    assert [value.indicator for value in values] == list(INDICATORS)
    for value in values:
        assert value.value is None and not value.suppressed and value.year == 2026
        assert value.display() == "No data"


def test_consultation_length_and_early_notice():
    first = edition()
    compact = first.compact

    def consultation(**kwargs):
        return ConsultationFactory(edition=first, **kwargs)

    # 12 weeks, early notice before it opened: long enough, notice given.
    consultation(early_notice_on=D(2026, 12, 1), opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28))
    # Closing on 31 March: in the year. Too short with no reason, and no early notice.
    consultation(early_notice_on=None, opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    # Closing on 1 April 2026, the year's first day: shorter with a reason; notice only on the day it opened.
    consultation(
        early_notice_on=D(2026, 3, 1), opens_on=D(2026, 3, 1), closes_on=D(2026, 4, 1), shorter_rationale="Urgent."
    )
    # Closing on 1 April 2027: next year's.
    consultation(early_notice_on=None, opens_on=D(2027, 3, 1), closes_on=D(2027, 4, 1))
    # Informal: not counted by either.
    consultation(kind=Consultation.Kind.INFORMAL, early_notice_on=None, opens_on=D(2026, 9, 1), closes_on=D(2026, 9, 8))

    values = by_key(compact_values(compact, 2026, today=TODAY))
    length, early = values["consultation_length"], values["early_notice"]
    assert (length.numerator, length.denominator) == (2, 3)
    assert length.display() == "67%"
    assert (early.numerator, early.denominator) == (1, 3)
    assert early.display() == "33%"
    next_year = by_key(compact_values(compact, 2027, today=TODAY))
    assert (next_year["consultation_length"].numerator, next_year["consultation_length"].denominator) == (0, 1)
    assert next_year["consultation_length"].display() == "0%"


def test_feedback_on_time():
    first = edition()

    def informal(closes_on, published=None):
        return ConsultationFactory(
            edition=first,
            kind=Consultation.Kind.INFORMAL,
            shorter_rationale="A drop-in session.",
            early_notice_on=None,
            opens_on=closes_on - datetime.timedelta(days=14),
            closes_on=closes_on,
            feedback_published_on=published,
        )

    # Closes Tuesday 1 September 2026: feedback due 12 weeks on, Tuesday 24 November.
    informal(D(2026, 9, 1), published=D(2026, 11, 24))  # on the due day: on time
    informal(D(2026, 9, 1), published=D(2026, 11, 25))  # a day late
    informal(D(2026, 9, 1))  # never published: late
    # Closed 6 January 2026: due 31 March 2026, the last day of 2025-26; not counted in 2026-27.
    informal(D(2026, 1, 6))
    # Closes 1 March 2027: due 24 May 2027, next year's.
    informal(D(2027, 3, 1))

    value = by_key(compact_values(first.compact, 2026, today=TODAY))["feedback_on_time"]
    assert (value.numerator, value.denominator) == (1, 3)
    earlier = by_key(compact_values(first.compact, 2025, today=TODAY))["feedback_on_time"]
    assert (earlier.numerator, earlier.denominator) == (0, 1)
    # Before its due day, unpublished feedback is not yet counted.
    pending = by_key(compact_values(first.compact, 2027, today=D(2027, 5, 20)))["feedback_on_time"]
    assert pending.value is None and pending.display() == "No data"


def test_funding_notice():
    first = edition()
    compact = first.compact

    def notice(given, effective, **kwargs):
        return FundingNoticeFactory(
            compact=compact, edition=first, notice_given_on=given, effective_on=effective, **kwargs
        )

    notice(D(2026, 4, 1), D(2026, 7, 1))  # exactly three months, on the year's first day
    notice(D(2027, 3, 31), D(2027, 5, 1))  # short, on its last day
    notice(D(2026, 10, 1), D(2026, 11, 1), exceptional=True, exceptional_reason="A fire closed the building.")
    notice(D(2026, 10, 1), D(2026, 11, 1), exceptional=True, exceptional_reason="  ")  # claimed, no reason
    notice(D(2027, 4, 1), D(2027, 4, 2))  # next year's
    value = by_key(compact_values(compact, 2026, today=TODAY))["funding_notice"]
    assert (value.numerator, value.denominator) == (2, 4)
    assert value.display() == "50%"


def in_time(first, raised, closed):
    return concern(edition=first, stages=[("informal", raised, D(2026, 6, 15))], closed_on=closed)


def test_concerns_in_time_and_their_median_days():
    first = edition()
    # Three within the limits, raised Monday 1 June 2026 and closed Wednesday 10 June: 7 working days.
    for _ in range(3):
        in_time(first, D(2026, 6, 1), D(2026, 6, 10))
    # Informal due 15 June, formal begun only on 20 June (late), closed 1 July: 22 working days.
    concern(
        edition=first,
        stages=[("informal", D(2026, 6, 1), D(2026, 6, 15)), ("formal", D(2026, 6, 20), D(2026, 7, 20))],
        closed_on=D(2026, 7, 1),
    )
    # Closed the day after the informal stage was due: 11 working days.
    concern(edition=first, stages=[("informal", D(2026, 6, 1), D(2026, 6, 15))], closed_on=D(2026, 6, 16))
    # Raised 1 March 2027, closed 31 March (the year's last day), late: 22 weekdays less Good Friday
    # and Easter Monday (26 and 29 March 2027), 20 working days.
    concern(edition=first, stages=[("informal", D(2027, 3, 1), D(2027, 3, 15))], closed_on=D(2027, 3, 31))
    # Not in the year: closed 1 April 2027 and 31 March 2026, and one still open.
    concern(edition=first, stages=[("informal", D(2027, 3, 1), D(2027, 3, 15))], closed_on=D(2027, 4, 1))
    concern(edition=first, stages=[("informal", D(2026, 3, 2), D(2026, 3, 16))], closed_on=D(2026, 3, 31))
    concern(edition=first, stages=[("informal", D(2026, 6, 1), D(2026, 6, 15))])

    values = by_key(compact_values(first.compact, 2026, today=TODAY))
    share, days = values["concerns_in_time"], values["concern_days"]
    assert (share.numerator, share.denominator, share.suppressed) == (3, 6, False)
    assert share.display() == "50%"
    # 7, 7, 7, 11, 20, 22: the median is 9.
    assert days.value == 9 and days.denominator == 6
    assert days.display() == "9 days"


def test_mediation_and_escalation_limits():
    first = edition()
    for _ in range(3):
        # Mediation due 1 September, left for escalation (which has no limit) on 1 September.
        concern(
            edition=first,
            stages=[
                ("informal", D(2026, 6, 1), D(2026, 6, 15)),
                ("formal", D(2026, 6, 15), D(2026, 7, 13)),
                ("mediation", D(2026, 7, 13), D(2026, 9, 1)),
                ("escalated", D(2026, 9, 1), None),
            ],
            closed_on=D(2027, 1, 5),
        )
    value = by_key(compact_values(first.compact, 2026, today=TODAY))["concerns_in_time"]
    assert (value.numerator, value.denominator) == (3, 3)
    assert value.display() == "100%"


def test_fewer_than_three_concerns_are_suppressed():
    first = edition()
    in_time(first, D(2026, 6, 1), D(2026, 6, 10))
    in_time(first, D(2026, 6, 1), D(2026, 6, 10))
    values = by_key(compact_values(first.compact, 2026, today=TODAY))
    for key in ("concerns_in_time", "concern_days"):
        value = values[key]
        assert value.suppressed and value.value is None and value.numerator is None and value.denominator is None
        assert value.display() == "Fewer than 3"


def test_a_share_that_would_single_out_one_or_two_concerns_is_suppressed():
    """Five closed, two of them late: "60%" of a published total of five names two late concerns."""
    first = edition()
    for _ in range(3):
        in_time(first, D(2026, 6, 1), D(2026, 6, 10))
    for _ in range(2):
        concern(edition=first, stages=[("informal", D(2026, 6, 1), D(2026, 6, 15))], closed_on=D(2026, 6, 16))
    values = by_key(compact_values(first.compact, 2026, today=TODAY))
    assert values["concerns_in_time"].suppressed
    assert values["concern_days"].display() == "7 days"  # five cases: the median is shown


def signed(organisation, edition_, on):
    return SignatureFactory(organisation=organisation, edition=edition_, status="signed", signed_on=on)


def test_signatories_measures():
    old = edition(published_on=D(2024, 4, 1), status=Edition.Status.SUPERSEDED)
    compact = old.compact
    new = edition(compact, published_on=D(2026, 5, 1))
    champion = UserFactory()
    council = PublicBodyFactory(champion=champion)
    police = PublicBodyFactory(organisation_type=OrganisationType.POLICE)
    # Says it is a fire service, not yet approved: does not count as one.
    fire = PublicBodyFactory(organisation_type=OrganisationType.FIRE, sector_status=SectorStatus.PENDING)
    other_public = PublicBodyFactory(organisation_type=OrganisationType.OTHER_PUBLIC)
    group_1, group_2, group_3 = OrganisationFactory(champion=champion), OrganisationFactory(), OrganisationFactory()
    for organisation in (council, group_1, group_2, group_3):
        signed(organisation, old, D(2024, 5, 1))
    signed(council, new, D(2026, 6, 1))
    signed(police, new, D(2027, 3, 31))  # the year's last day: signed at its end
    signed(fire, new, D(2026, 6, 1))
    signed(other_public, new, D(2026, 6, 1))
    signed(group_1, new, D(2026, 6, 1))
    signed(group_2, new, D(2026, 6, 1))
    signed(group_3, new, D(2027, 4, 1))  # after the year's end
    SignatureFactory(organisation=OrganisationFactory(), edition=new, status="pending")
    SignatureFactory(organisation=OrganisationFactory(), edition=new, status="withdrawn", signed_on=D(2026, 6, 1))

    values = by_key(compact_values(compact, 2026, today=TODAY))
    coverage = values["statutory_coverage"]
    assert (coverage.numerator, coverage.denominator) == (2, 5)  # council and police
    assert coverage.display() == "40%"
    assert values["vcs_signatories"].value == 2 and values["vcs_signatories"].display() == "2"
    champions = values["champions"]
    assert (champions.numerator, champions.denominator) == (2, 6)  # council and group 1, of six signed
    reaffirmed = values["reaffirmation"]
    assert (reaffirmed.numerator, reaffirmed.denominator) == (3, 4)  # council, groups 1 and 2
    assert reaffirmed.display() == "75%"

    # At the end of 2025-26 the old edition was in force, with none before it.
    earlier = by_key(compact_values(compact, 2025, today=TODAY))
    assert (earlier["statutory_coverage"].numerator, earlier["statutory_coverage"].denominator) == (1, 5)
    assert earlier["vcs_signatories"].value == 3
    assert earlier["reaffirmation"].value is None and earlier["reaffirmation"].display() == "No data"
    # Before any edition was published: nothing to count.
    before = by_key(compact_values(compact, 2023, today=TODAY))
    assert before["statutory_coverage"].display() == "No data"
    assert before["vcs_signatories"].display() == "No data"


def test_no_statutory_partner_signed_is_zero_percent():
    first = edition()
    signed(OrganisationFactory(), first, D(2026, 6, 1))
    value = by_key(compact_values(first.compact, 2026, today=TODAY))["statutory_coverage"]
    assert (value.value, value.numerator, value.denominator) == (0, 0, 5)
    assert value.display() == "0%"


def a_busy_compact():
    first = edition()
    ConsultationFactory(edition=first, closes_on=D(2026, 9, 1), opens_on=D(2026, 6, 1), early_notice_on=None)
    FundingNoticeFactory(compact=first.compact, edition=first, notice_given_on=D(2026, 5, 1))
    for _ in range(3):
        in_time(first, D(2026, 6, 1), D(2026, 6, 10))
    signed(PublicBodyFactory(), first, D(2026, 6, 1))
    return first.compact


def test_values_for_compacts_costs_the_same_for_2_and_20_compacts():
    def queries(compacts):
        with CaptureQueriesContext(connection) as captured:
            values = values_for_compacts(compacts, 2026, today=TODAY)
        assert set(values) == {compact.pk for compact in compacts}
        return len(captured), values

    few = [a_busy_compact() for _ in range(2)]
    many = few + [a_busy_compact() for _ in range(18)]
    few_count, few_values = queries(few)
    many_count, many_values = queries(many)
    assert few_count == many_count == 6
    for pk in (few[0].pk, many[-1].pk):
        values = by_key(many_values[pk])
        assert values["concerns_in_time"].display() == "100%"
        assert values["statutory_coverage"].display() == "20%"
    assert [value.display() for value in few_values[few[0].pk]] == [value.display() for value in many_values[few[0].pk]]


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        (7.5, "en-gb", "7.5 days"),
        (1.5, "en-gb", "1.5 days"),
        (0.5, "en-gb", "0.5 days"),
        (1.0, "en-gb", "1 day"),
        (2.0, "en-gb", "2 days"),
        (7.5, "cy", "7.5 diwrnod"),
        (2.0, "cy", "2 ddiwrnod"),
    ],
)
def test_a_median_of_days_chooses_its_plural_by_a_whole_number(value, language, shown):
    """A median of days may be a fraction: gettext is given a whole number to choose the plural form
    by (a float has been deprecated since Python 3.7), and says it in each language."""
    import warnings

    from django.utils import translation

    from monitoring.indicators import Value

    with warnings.catch_warnings(), translation.override(language):
        warnings.simplefilter("error")
        median = Value(indicator=indicator("concern_days"), year=2026, value=value, numerator=None, denominator=None,
                       suppressed=False)  # fmt: skip
        text = median.display()
    assert text == shown
