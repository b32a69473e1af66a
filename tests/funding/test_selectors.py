import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from commitments.models import Sector
from funding import selectors
from signatories.selectors import organisations_matching
from tests.accounts.factories import UserFactory
from tests.funding.factories import FundingNoticeFactory, build_world
from tests.signatories.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger):
    return build_world(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def visible(user) -> set[str]:
    return {f"{n.issuer.name} → {n.recipient.name}" for n in selectors.notices_visible_to(user)}


# --- Who sees which notices ---------------------------------------------------------------------------


def test_each_person_sees_the_notices_that_are_theirs(world):
    assert visible(world.officer) == {
        "Riverside Borough Council → Riverside Food Bank",
        "Riverside Borough Council → Hillside Youth Club",
    }
    assert visible(world.vcs_member) == {"Riverside Borough Council → Riverside Food Bank"}
    assert visible(world.other_vcs_member) == {
        "Riverside Borough Council → Hillside Youth Club",
        "Hillside Fire Service → Hillside Youth Club",
    }
    assert visible(world.other_officer) == {"Hillside Fire Service → Hillside Youth Club"}
    assert visible(world.coordinator) == {  # everything under the Riverside Compact
        "Riverside Borough Council → Riverside Food Bank",
        "Riverside Borough Council → Hillside Youth Club",
    }
    assert visible(world.other_coordinator) == {"Hillside Fire Service → Hillside Youth Club"}
    assert visible(world.stranger) == set()
    assert visible(AnonymousUser()) == set()


def test_each_notice_is_listed_once_however_many_coordinators_and_roles(world, compact):
    compact.coordinators.add(UserFactory(), UserFactory())
    world.officer.organisations.add(world.food_bank)  # gives and receives the same notice
    compact.coordinators.add(world.officer)
    pks = [n.pk for n in selectors.notices_visible_to(world.officer)]
    assert len(pks) == len(set(pks)) == 2


def test_a_notice_that_is_not_theirs_is_a_404(world):
    notice = world.to_food_bank
    assert selectors.notice_get_for_user(user=world.vcs_member, pk=notice.pk) == notice
    for user in (world.other_officer, world.other_vcs_member, world.other_coordinator, world.stranger):
        with pytest.raises(Http404):
            selectors.notice_get_for_user(user=user, pk=notice.pk)
    with pytest.raises(Http404):
        selectors.notice_get_for_user(user=world.officer, pk=999_999)


# --- Compliance -----------------------------------------------------------------------------------------


def compliance(given, effective, min_months=3, exceptional=False, reason=""):
    return selectors.compliance_of(
        notice_given_on=given,
        effective_on=effective,
        min_months=min_months,
        exceptional=exceptional,
        exceptional_reason=reason,
    )


@pytest.mark.parametrize(
    ("given", "earliest"),
    [
        (D(2026, 11, 30), D(2027, 2, 28)),  # February has no 30th
        (D(2027, 11, 30), D(2028, 2, 29)),  # ... except the 29th in a leap year
    ],
)
def test_the_last_day_of_february_is_enough_notice_from_30_november(given, earliest):
    enough = compliance(given, earliest)
    assert enough.compliant and enough.long_enough
    assert enough.earliest_effective_date == earliest
    assert (enough.months_given, enough.days_given) == (3, 0)
    assert enough.explanation == (
        f"Meets the Compact: 3 months’ notice; the Compact asks for at least 3 months "
        f"(no earlier than {earliest.day} February {earliest.year})"
    )
    short = compliance(given, earliest - datetime.timedelta(days=1))
    assert not short.compliant
    assert short.status_label == "Does not meet the Compact"


def test_the_explanation_of_a_notice_that_is_too_short():
    result = compliance(D(2027, 1, 10), D(2027, 3, 4))
    assert (result.compliant, result.months_given, result.days_given, result.min_months) == (False, 1, 22, 3)
    assert result.earliest_effective_date == D(2027, 4, 10)
    assert result.explanation == (
        "Does not meet the Compact: 1 month and 22 days’ notice; the Compact asks for at least 3 months "
        "(no earlier than 10 April 2027)"
    )


def test_exceptional_circumstances_with_a_reason_meet_the_compact():
    result = compliance(D(2027, 1, 10), D(2027, 2, 1), exceptional=True, reason="Our own grant was withdrawn.")
    assert result.compliant and not result.long_enough and result.by_exception
    assert result.exceptional_claimed
    assert result.status_label == "Meets the Compact: exceptional circumstances"
    assert result.explanation == (
        "Meets the Compact because exceptional circumstances are claimed: 22 days’ notice; the Compact asks for "
        "at least 3 months (no earlier than 10 April 2027)"
    )


def test_exceptional_circumstances_without_a_reason_do_not():
    result = compliance(D(2027, 1, 10), D(2027, 2, 1), exceptional=True, reason="   ")
    assert not result.compliant
    assert result.exceptional and not result.exceptional_claimed


def test_the_edition_sets_the_minimum(compact, edition):
    edition.funding_notice_min_months = 1
    edition.save()
    notice = FundingNoticeFactory(
        compact=compact, edition=edition, notice_given_on=D(2027, 1, 31), effective_on=D(2027, 2, 28)
    )
    result = selectors.notice_compliance(notice)
    assert result.compliant
    assert result.explanation == (
        "Meets the Compact: 1 month’s notice; the Compact asks for at least 1 month (no earlier than 28 February 2027)"
    )


@pytest.mark.parametrize(
    ("given", "effective", "text"),
    [
        (D(2027, 1, 10), D(2027, 1, 11), "1 day’s notice"),
        (D(2027, 1, 10), D(2027, 2, 10), "1 month’s notice"),
        (D(2027, 1, 10), D(2027, 2, 11), "1 month and 1 day’s notice"),
        (D(2027, 1, 10), D(2027, 4, 12), "3 months and 2 days’ notice"),
        (D(2027, 1, 10), D(2028, 1, 10), "12 months’ notice"),
        (D(2027, 1, 10), D(2027, 1, 10), "no notice"),
        (D(2027, 1, 10), D(2027, 1, 1), "no notice"),
    ],
)
def test_how_much_notice_in_words(given, effective, text):
    assert selectors.notice_length_text(given, effective) == text


# --- Pages of notices -----------------------------------------------------------------------------------


def test_a_page_can_hold_only_the_notices_that_meet_the_compact_or_only_those_that_do_not(compact, edition):
    group = OrganisationFactory()
    made = {
        "enough": FundingNoticeFactory(compact=compact, edition=edition, recipient=group),
        "short": FundingNoticeFactory(
            compact=compact, edition=edition, recipient=group, effective_on=D(2027, 2, 1), notice_given_on=D(2027, 1, 1)
        ),
        "exceptional": FundingNoticeFactory(
            compact=compact,
            edition=edition,
            recipient=group,
            notice_given_on=D(2027, 1, 2),
            effective_on=D(2027, 2, 1),
            exceptional=True,
            exceptional_reason="Our own grant ended.",
        ),
    }
    names = {notice.pk: name for name, notice in made.items()}
    notices = selectors.notices_visible_to(UserFactory(is_superuser=True))

    def page(compliance):
        _page, rows = selectors.notice_page(notices, compliance=compliance)
        return [names[row.notice.pk] for row in rows]

    assert page(selectors.MEETS) == ["enough", "exceptional"]  # newest notice first
    assert page(selectors.DOES_NOT_MEET) == ["short"]
    assert page("") == ["enough", "exceptional", "short"]


def test_pages_of_notices_filtered_by_compliance(compact, edition, django_assert_num_queries):
    group = OrganisationFactory()
    for day in range(1, 29):
        FundingNoticeFactory(
            compact=compact,
            edition=edition,
            recipient=group,
            notice_given_on=D(2027, 2, day),
            effective_on=D(2027, 3, 1),
        )
    notices = selectors.notices_visible_to(UserFactory(is_superuser=True))
    with django_assert_num_queries(2):
        page, rows = selectors.notice_page(notices, compliance=selectors.DOES_NOT_MEET, page_number=2, per_page=10)
        assert [row.notice.notice_given_on.day for row in rows] == list(range(18, 8, -1))
        assert all(not row.compliance.compliant for row in rows)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, 28, 3)


def test_searching_for_the_organisation_receiving_notice_finds_voluntary_organisations_only(db):
    OrganisationFactory(name="Riverside Food Bank", charity_number="1234567")
    from tests.signatories.factories import PublicBodyFactory

    PublicBodyFactory(name="Riverside Borough Council")
    # The funding form's search is the shared one, kept to voluntary and community organisations.
    vcs_only = {"sector": Sector.VCS}
    assert [o.name for o in organisations_matching("riverside", **vcs_only)] == ["Riverside Food Bank"]
    assert [o.name for o in organisations_matching("1234567", **vcs_only)] == ["Riverside Food Bank"]
    assert list(organisations_matching("council", **vcs_only)) == []
