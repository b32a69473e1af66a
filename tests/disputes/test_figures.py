"""The public figures of a Compact's breach concerns: counts, nothing below 3, no names."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from disputes.models import Case
from tests.commitments.factories import CompactFactory, build_edition
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def make_case(edition, *, complainant, respondent, stage=Case.Stage.INFORMAL, outcome="", opened=None, closed=None):
    case = Case.objects.create(
        compact=edition.compact,
        edition=edition,
        complainant=complainant,
        respondent=respondent,
        summary="A secret summary about a named grant",
        what_happened="Private detail.",
        happened_on=D(2027, 1, 4),
        outcome_sought="Restore it.",
        stage=stage,
        stage_started_on=D(2027, 1, 4),
        outcome=outcome,
        closed_on=closed,
    )
    if opened:
        Case.objects.filter(pk=case.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(12)))
        )
    case.undertakings.set(edition.undertakings.filter(number="1.1"))
    return case


@pytest.fixture
def parties():
    return {
        "food_bank": OrganisationFactory(name="Riverside Food Bank"),
        "council": PublicBodyFactory(name="Riverside Borough Council"),
        "trust": OrganisationFactory(name="Harbour Youth Trust"),
    }


def page(client, compact) -> str:
    response = client.get(reverse("disputes:figures", kwargs={"slug": compact.slug}))
    assert response.status_code == 200
    return response.content.decode()


def row(content: str, table_id: str, label: str) -> str:
    table = content.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return table.split(label, 1)[1].split("</tr>", 1)[0]


def test_counts_below_three_are_not_published_and_no_one_is_named(client, edition, parties):
    make_case(edition, complainant=parties["food_bank"], respondent=parties["council"])
    make_case(edition, complainant=parties["food_bank"], respondent=parties["council"])

    content = page(client, edition.compact)  # no login needed
    assert "fewer than 3" in row(content, "by-stage", "Informal dialogue")
    assert 'id="figure-total">fewer than 3<' in content
    assert "Not published" in content.split('id="figure-median"', 1)[1].split("</dd>", 1)[0]
    for secret in ("Riverside Food Bank", "Riverside Borough Council", "secret summary", "Private detail"):
        assert secret not in content


def test_counts_by_stage_outcome_sector_and_undertaking_with_the_median(client, edition, parties):
    for _ in range(3):
        make_case(edition, complainant=parties["food_bank"], respondent=parties["council"])
    # Three resolved, about a VCS body, opened Monday 1 March 2027 and closed after 5, 10 and 18
    # working days (Good Friday and Easter Monday are not counted).
    for closed in (D(2027, 3, 8), D(2027, 3, 15), D(2027, 3, 29)):
        make_case(
            edition,
            complainant=parties["food_bank"],
            respondent=parties["trust"],
            stage=Case.Stage.CLOSED,
            outcome=Case.Outcome.RESOLVED,
            opened=D(2027, 3, 1),
            closed=closed,
        )
    make_case(
        edition,
        complainant=parties["trust"],
        respondent=parties["council"],
        stage=Case.Stage.CLOSED,
        outcome=Case.Outcome.WITHDRAWN,
        opened=D(2027, 3, 1),
        closed=D(2027, 3, 2),
    )
    other = build_edition(compact=CompactFactory(), name="Elsewhere")  # another Compact: not counted
    make_case(other, complainant=parties["food_bank"], respondent=parties["council"])

    content = page(client, edition.compact)
    assert 'id="figure-total">7<' in content
    assert ">3<" in row(content, "by-stage", "Informal dialogue")
    assert ">4<" in row(content, "by-stage", "Closed")
    assert ">0<" in row(content, "by-stage", "Formal written challenge")  # a true 0 is shown as 0
    # One withdrawn case is "fewer than 3"; with 4 closed published, 3 resolved and 0 not upheld
    # would give it away, so the resolved count is not published either.
    assert "fewer than 3" in row(content, "by-outcome", "Withdrawn")
    assert "not published" in row(content, "by-outcome", "Resolved")
    assert ">3<" not in row(content, "by-outcome", "Resolved")
    assert ">0<" in row(content, "by-outcome", "Not upheld")
    assert ">4<" in row(content, "by-sector", "Public sector")
    assert ">3<" in row(content, "by-sector", "Voluntary and community sector")
    undertaking = row(content, "by-undertaking", ">1.1<")
    cells = undertaking.count("<td")
    assert cells == 4  # still open, resolved, not upheld, withdrawn
    assert undertaking.count(">3<") == 2  # 3 still open, 3 resolved; the rest fewer than 3
    # Median of 1, 5, 10 and 18 working days: 7.5.
    median = content.split('id="figure-median"', 1)[1].split("</dd>", 1)[0]
    assert "7.5 working days" in median
    for secret in ("Riverside Food Bank", "Riverside Borough Council", "Harbour Youth Trust", "secret summary"):
        assert secret not in content


def test_an_undertaking_cited_in_fewer_than_three_concerns_has_no_row(client, edition, parties):
    for _ in range(3):
        make_case(edition, complainant=parties["food_bank"], respondent=parties["council"])
    for _ in range(2):
        case = make_case(edition, complainant=parties["trust"], respondent=parties["council"])
        case.undertakings.set(edition.undertakings.filter(number="1.2"))

    table = page(client, edition.compact).split('id="by-undertaking"', 1)[1].split("</table>", 1)[0]
    assert ">1.1<" in table
    assert ">1.2<" not in table  # a row of "fewer than 3" would say that 1.2 was cited 1 or 2 times
    assert "fewer than 3" not in table  # 3 open, and a true 0 for each outcome
    assert table.count(">0<") == 3


def test_a_joint_undertaking_has_its_row_with_its_number_and_both_sectors(client, compact, parties):
    edition = build_edition(compact=compact, name="With joint ones", joint=1)  # 1.5 and 2.5 are joint
    for respondent in ("council", "trust", "council"):  # either party may be held to it
        case = make_case(edition, complainant=parties["food_bank"], respondent=parties[respondent])
        case.undertakings.add(edition.undertakings.get(number="1.5"))

    content = page(client, compact)
    table = content.split('id="by-undertaking"', 1)[1].split("</table>", 1)[0]
    header = table.split('<th scope="row" class="govuk-table__header">')[1:]
    assert [" ".join(re.sub(r"<[^>]+>", " ", h.split("</th>")[0]).split()) for h in header] == [
        "1.1",
        "1.5 (both sectors)",
    ]
    assert row(content, "by-undertaking", "1.5 <").count(">3<") == 1  # 3 still open


def test_with_no_undertaking_cited_three_times_the_table_says_so(client, edition, parties):
    make_case(edition, complainant=parties["food_bank"], respondent=parties["council"])
    table = page(client, edition.compact).split('id="by-undertaking"', 1)[1].split("</table>", 1)[0]
    assert ">1.1<" not in table
    assert "No undertaking has been cited in 3 or more concerns." in table


def test_the_figures_take_a_constant_number_of_queries(client, edition, parties, django_assert_max_num_queries):
    for _ in range(5):
        make_case(edition, complainant=parties["food_bank"], respondent=parties["council"])
    with django_assert_max_num_queries(8):
        page(client, edition.compact)


def test_an_unknown_compact_is_not_found(client, db):
    assert client.get(reverse("disputes:figures", kwargs={"slug": "nowhere"})).status_code == 404


# --- "Raise a concern about this" on pages that show a breach --------------------------------------


def test_a_consultation_that_does_not_meet_the_compact_offers_to_raise_a_concern(client, vcs_member):
    from tests.consultations.factories import ConsultationFactory

    short = ConsultationFactory(opens_on=D(2027, 1, 4), closes_on=D(2027, 1, 18))  # two weeks
    # Twelve weeks, with early notice, feedback published in time: it meets the Compact on any day
    # the test runs (without the feedback it would be overdue from 21 June 2027).
    fair = ConsultationFactory(feedback_published_on=D(2027, 4, 20))
    url = reverse("disputes:create") + f"?consultation={short.pk}"

    assert url not in client.get(short.get_absolute_url()).content.decode()  # not signed in
    client.force_login(vcs_member)
    assert url in client.get(short.get_absolute_url()).content.decode()
    assert "Raise a concern about this" not in client.get(fair.get_absolute_url()).content.decode()
    # The body that runs it is not offered a concern about itself.
    from tests.signatories.factories import MembershipFactory

    runner = MembershipFactory(organisation=short.organisation).user
    client.force_login(runner)
    assert url not in client.get(short.get_absolute_url()).content.decode()


def test_a_short_funding_notice_offers_a_concern_to_the_recipients_members_only(client, vcs_member, officer):
    from tests.funding.factories import FundingNoticeFactory
    from tests.signatories.factories import MembershipFactory

    recipient = vcs_member.memberships.get().organisation
    issuer = officer.memberships.get().organisation
    short = FundingNoticeFactory(
        recipient=recipient, issuer=issuer, notice_given_on=D(2027, 5, 1), effective_on=D(2027, 6, 1)
    )
    fair = FundingNoticeFactory(recipient=recipient, issuer=issuer)
    url = reverse("disputes:create") + f"?funding={short.pk}"

    client.force_login(vcs_member)
    assert url in client.get(short.get_absolute_url()).content.decode()
    assert "Raise a concern about this" not in client.get(fair.get_absolute_url()).content.decode()
    client.force_login(officer)  # the body that gave notice
    assert url not in client.get(short.get_absolute_url()).content.decode()
    MembershipFactory(organisation=recipient, user=officer)
    assert url in client.get(short.get_absolute_url()).content.decode()
