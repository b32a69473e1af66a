"""The funding-change notice pages: the list, recording, reading and correcting a notice."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Edition
from funding.forms import NoticeForm
from funding.models import FundingNotice
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.funding.factories import FundingNoticeFactory, build_world
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = reverse("funding:list")
CREATE = reverse("funding:create")


def detail_url(notice) -> str:
    return reverse("funding:detail", kwargs={"pk": notice.pk})


def edit_url(notice) -> str:
    return reverse("funding:edit", kwargs={"pk": notice.pk})


def login_url_for(path: str) -> str:
    return reverse("accounts:login") + "?next=" + path


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's main content as a person reads it: tags gone, spaces collapsed."""
    main = html(response).split('<main class="govuk-main-wrapper" id="main-content">', 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def listed(response) -> list[str]:
    """The notices in the list's table, as "issuer to recipient"."""
    return re.findall(r'<a class="govuk-link" href="/funding/\d+/">([^<]+)</a>', html(response))


def errors(response) -> list[str]:
    summary = html(response).split('govuk-error-summary__list"', 1)
    if len(summary) < 2:
        return []
    return [e.strip() for e in re.findall(r"<li><a [^>]+>([^<]+)</a></li>", summary[1].split("</ul>", 1)[0])]


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


def create_data(world, **overrides) -> dict:
    """Answers for a new notice by the council's officer, under the Riverside Compact (the world has two)."""
    return form_data(compact=str(world.to_food_bank.compact_id), **overrides)


def form_data(**overrides) -> dict:
    data = {
        "change": "reduced",
        "description": "The lunch club grant, £12,000 a year.",
        "notice_given_on_0": "1",
        "notice_given_on_1": "10",
        "notice_given_on_2": "2026",
        "effective_on_0": "12",
        "effective_on_1": "11",
        "effective_on_2": "2026",
        "reasons": "The budget for grants was cut by a third.",
        "impact_assessed": "yes",
        "impact_findings": "Forty older people would lose a hot meal.",
        "discussed_before": "no",
        "ended_for_performance": "no",
        "exceptional_reason": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Signed in only, and only what is theirs ------------------------------------------------------------


def test_every_page_asks_anonymous_people_to_sign_in(client, world):
    for page in (LIST, CREATE, detail_url(world.to_food_bank), edit_url(world.to_food_bank)):
        response = client.get(page)
        assert response.status_code == 302 and response.url == login_url_for(page), page
    response = client.post(CREATE + f"?recipient={world.food_bank.pk}", form_data())
    assert response.status_code == 302
    assert FundingNotice.objects.count() == 3


def test_the_list_shows_each_person_only_their_notices(client, world):
    expected = {
        world.officer: [
            "Riverside Borough Council to Riverside Food Bank",
            "Riverside Borough Council to Hillside Youth Club",
        ],
        world.vcs_member: ["Riverside Borough Council to Riverside Food Bank"],
        world.coordinator: [
            "Riverside Borough Council to Riverside Food Bank",
            "Riverside Borough Council to Hillside Youth Club",
        ],
        world.other_officer: ["Hillside Fire Service to Hillside Youth Club"],
        world.other_coordinator: ["Hillside Fire Service to Hillside Youth Club"],
        world.stranger: [],
    }
    for user, notices in expected.items():
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code == 200
        assert sorted(listed(response)) == sorted(notices), user
    assert "There are no funding-change notices for you to see yet." in text(response)


def test_the_detail_is_a_404_for_everyone_else(client, world):
    page = detail_url(world.to_food_bank)
    for user in (world.officer, world.vcs_member, world.coordinator):
        client.force_login(user)
        assert client.get(page).status_code == 200, user
    for user in (world.other_officer, world.other_vcs_member, world.other_coordinator, world.stranger):
        client.force_login(user)
        assert client.get(page).status_code == 404, user
        assert client.get(edit_url(world.to_food_bank)).status_code == 404, user
        assert client.post(edit_url(world.to_food_bank), form_data(reasons="Changed")).status_code == 404, user
    client.force_login(world.officer)
    assert client.get(reverse("funding:detail", kwargs={"pk": 999_999})).status_code == 404
    world.to_food_bank.refresh_from_db()
    assert world.to_food_bank.reasons != "Changed"


def test_the_organisation_receiving_notice_reads_it_but_cannot_change_it(client, world):
    client.force_login(world.vcs_member)
    response = client.get(detail_url(world.to_food_bank))
    assert "Change the notice" not in text(response)
    assert client.get(edit_url(world.to_food_bank)).status_code == 403
    assert client.post(edit_url(world.to_food_bank), form_data(reasons="Changed")).status_code == 403
    world.to_food_bank.refresh_from_db()
    assert world.to_food_bank.reasons != "Changed"


def test_only_officers_may_record_a_notice(client, world):
    for user in (world.vcs_member, world.coordinator, world.stranger):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403, user
        assert client.get(CREATE, {"recipient": world.food_bank.pk}).status_code == 403, user
        assert client.post(CREATE + f"?recipient={world.food_bank.pk}", form_data()).status_code == 403, user
        assert "Record a funding-change notice" not in text(client.get(LIST))
    assert FundingNotice.objects.count() == 3
    client.force_login(world.officer)
    assert "Record a funding-change notice" in text(client.get(LIST))


# --- The list ----------------------------------------------------------------------------------------------


def test_the_list_says_whether_each_notice_meets_the_compact(client, world, compact, edition):
    FundingNoticeFactory(
        compact=compact,
        edition=edition,
        issuer=world.council,
        recipient=world.food_bank,
        notice_given_on=D(2027, 1, 10),
        effective_on=D(2027, 3, 4),
        change="ended",
    )
    client.force_login(world.vcs_member)
    page = text(client.get(LIST))
    assert (
        "Riverside Borough Council to Riverside Food Bank Riverside Compact Funding ended 10 January 2027 "
        "4 March 2027 1 month and 22 days’ notice Does not meet the Compact"
    ) in page
    assert (
        "Riverside Borough Council to Riverside Food Bank Riverside Compact Funding reduced 10 January 2027 "
        "1 June 2027 4 months and 22 days’ notice Meets the Compact"
    ) in page


def test_the_list_filters(client, world, compact, edition):
    FundingNoticeFactory(
        compact=compact,
        edition=edition,
        issuer=world.fire_service,
        recipient=world.food_bank,
        notice_given_on=D(2027, 1, 10),
        effective_on=D(2027, 2, 1),
        change="support_withdrawn",
    )
    client.force_login(world.coordinator)
    everything = [
        "Hillside Fire Service to Riverside Food Bank",
        "Riverside Borough Council to Riverside Food Bank",
        "Riverside Borough Council to Hillside Youth Club",
    ]
    assert sorted(listed(client.get(LIST))) == sorted(everything)
    assert listed(client.get(LIST, {"compliance": "does_not_meet"})) == ["Hillside Fire Service to Riverside Food Bank"]
    assert sorted(listed(client.get(LIST, {"compliance": "meets"}))) == sorted(everything[1:])
    assert listed(client.get(LIST, {"change": "ended"})) == ["Riverside Borough Council to Hillside Youth Club"]
    other = CompactFactory(name="Empty Compact")
    assert listed(client.get(LIST, {"compact": other.pk})) == []
    assert sorted(listed(client.get(LIST, {"compact": compact.pk}))) == sorted(everything)
    assert "1 notice matches these filters" in text(client.get(LIST, {"compliance": "does_not_meet"}))

    client.force_login(world.officer)
    world.officer.organisations.add(world.food_bank)  # an officer who also helps at the food bank
    assert sorted(listed(client.get(LIST, {"direction": "given"}))) == sorted(everything[1:])
    assert sorted(listed(client.get(LIST, {"direction": "received"}))) == sorted(everything[:2])


def test_an_unknown_filter_value_is_explained_not_a_500(client, world):
    client.force_login(world.officer)
    response = client.get(LIST, {"compliance": "perhaps", "compact": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert "There is a problem" in html(response)
    assert errors(response) == [
        "Choose a Compact from the list",
        "Choose whether the notices meet the Compact from the list",
    ]


def test_the_list_is_paginated(client, world, compact, edition):
    for day in range(1, 29):
        FundingNoticeFactory(
            compact=compact, edition=edition, issuer=world.council, recipient=world.food_bank,
            notice_given_on=D(2027, 2, day),
        )  # fmt: skip
    for _ in range(30):
        FundingNoticeFactory(compact=compact, edition=edition, issuer=world.council, recipient=world.food_bank)
    client.force_login(world.vcs_member)
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(listed(first)) == 50 and len(listed(second)) == 9
    assert "59 notices" in text(first)
    assert "(page 2 of 2)" in html(second)
    filtered = client.get(LIST, {"compliance": "meets", "page": 2})
    assert len(listed(filtered)) == 9
    assert 'href="?compliance=meets&amp;page=1"' in html(filtered)


def many(world, compact, edition, count: int) -> None:
    """``count`` notices: the council to the food bank, some long enough and some not, some exceptional."""
    for n in range(count):
        FundingNoticeFactory(
            compact=compact,
            edition=edition,
            issuer=world.council,
            recipient=world.food_bank,
            notice_given_on=D(2027, 1, 1) + datetime.timedelta(days=n % 28),
            effective_on=D(2027, 2, 15) if n % 2 else D(2027, 6, 1),
            exceptional=n % 3 == 0,
            exceptional_reason="Our own grant ended." if n % 3 == 0 else "",
        )


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("who", ["officer", "vcs_member", "coordinator"])
def test_the_list_costs_the_same_queries_for_3_or_60_notices(
    client, world, compact, edition, count, who, django_assert_max_num_queries
):
    many(world, compact, edition, count)
    client.force_login(getattr(world, who))
    # session, user, the user's organisations and Compacts, the Compacts to filter by, may record?,
    # then count + page (or, filtered by compliance, the dates of each notice + the page), then the
    # counts per part (the notices' facts, their timelines' dates)
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert response.status_code == 200
    assert f"{count + 2 if who != 'vcs_member' else count + 1} notices" in text(response)
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"compliance": "does_not_meet", "change": "reduced", "direction": "given"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):  # and the Compact chosen, checked
        assert client.get(LIST, {"compliance": "meets", "compact": compact.pk, "page": 2}).status_code == 200


def test_the_list_counts_each_part_of_the_compact_over_every_page(client, world, compact, edition):
    world.to_food_bank.discussed_before = False
    world.to_food_bank.save()
    client.force_login(world.officer)  # sees the council's two notices
    page = text(client.get(LIST))
    assert "Discussed with the organisation before the decision 1 1 0 2" in page
    assert "Impact assessed, with its findings written 2 0 0 2" in page
    assert "Improvement timetable offered (funding changed for performance) 0 0 0 0" in page


# --- Recording a notice ----------------------------------------------------------------------------------


def test_the_officer_finds_the_voluntary_organisation_receiving_notice(client, world):
    client.force_login(world.officer)
    response = client.get(CREATE, {"q": "hillside"})
    page = text(response)
    assert "1 organisation found" in page
    assert "Hillside Youth Club" in page
    assert "Hillside Fire Service" not in page  # a public body is never given notice
    assert f'href="/funding/new/?recipient={world.youth_club.pk}"' in html(response)
    assert "0 organisations found" in text(client.get(CREATE, {"q": "nothing like it"}))
    assert client.get(CREATE, {"q": "\x00"}).status_code == 200


def test_notice_is_never_recorded_to_a_public_body_or_an_unknown_organisation(client, world):
    client.force_login(world.officer)
    assert client.get(CREATE, {"recipient": world.fire_service.pk}).status_code == 404
    assert client.get(CREATE, {"recipient": 999_999}).status_code == 404
    assert client.post(CREATE + f"?recipient={world.fire_service.pk}", form_data()).status_code == 404
    # Not a number: back to finding the organisation.
    assert "Which organisation was given notice?" in text(client.get(CREATE, {"recipient": "x"}))


def test_an_officer_records_a_short_notice_and_sees_that_it_does_not_meet_the_compact(client, world, edition):
    # With one public body and one Compact with a published edition, neither is asked.
    Edition.objects.filter(compact__name="Hillside Compact").update(status=Edition.Status.SUPERSEDED)
    client.force_login(world.officer)
    page = CREATE + f"?recipient={world.food_bank.pk}"
    response = client.get(page)
    assert "Record a notice to Riverside Food Bank" in text(response)
    assert "Public body giving notice Riverside Borough Council" in text(response)  # their only body: not asked
    assert 'name="issuer"' not in html(response) and 'name="compact"' not in html(response)
    assert "Compact Riverside Compact" in text(response)
    response = client.post(page, form_data(), follow=True)
    notice = FundingNotice.objects.latest("pk")
    assert response.redirect_chain == [(detail_url(notice), 302)]
    assert (notice.issuer, notice.recipient, notice.edition, notice.created_by) == (
        world.council,
        world.food_bank,
        edition,
        world.officer,
    )
    assert (notice.notice_given_on, notice.effective_on) == (D(2026, 10, 1), D(2026, 11, 12))
    assert (notice.impact_assessed, notice.discussed_before, notice.exceptional) == (True, False, False)
    page_text = text(response)
    assert "The notice to Riverside Food Bank has been recorded. It does not meet the Compact: see why below." in (
        page_text
    )
    assert (
        "Warning Does not meet the Compact: 1 month and 11 days’ notice; the Compact asks for at least 3 months "
        "(no earlier than 1 January 2027)."
    ) in page_text


def test_an_officer_of_several_bodies_says_which_gave_notice_and_cannot_choose_another(client, world):
    second = PublicBodyFactory(name="Riverside Clinical Commissioning Group", organisation_type="nhs")
    MembershipFactory(user=world.officer, organisation=second)
    client.force_login(world.officer)
    page = CREATE + f"?recipient={world.food_bank.pk}"
    response = client.post(page, create_data(world))
    assert errors(response) == ["Choose the public body that gave notice"]
    response = client.post(page, create_data(world, issuer=str(world.fire_service.pk)))
    assert errors(response) == ["Choose one of your public bodies"]
    response = client.post(page, create_data(world, issuer=str(second.pk)))
    assert response.status_code == 302
    assert FundingNotice.objects.latest("pk").issuer == second


def test_with_several_compacts_the_officer_says_which(client, world):
    PublishedEditionFactory(compact=CompactFactory(name="Another Compact"))
    client.force_login(world.officer)
    page = CREATE + f"?recipient={world.food_bank.pk}"
    response = client.post(page, form_data())
    assert errors(response) == ["Choose the Compact the notice comes under"]
    assert "Which Compact does the notice come under?" in text(response)
    hillside = world.fire_to_youth_club.compact
    response = client.post(page, form_data(compact=str(hillside.pk)))
    assert response.status_code == 302
    notice = FundingNotice.objects.latest("pk")
    assert (notice.compact, notice.edition) == (hillside, world.fire_to_youth_club.edition)


def test_without_a_published_edition_nothing_can_be_recorded(client, world):
    Edition.objects.filter(status=Edition.Status.PUBLISHED).update(status=Edition.Status.SUPERSEDED)
    client.force_login(world.officer)
    response = client.get(CREATE, {"recipient": world.food_bank.pk})
    assert "A notice cannot be recorded yet" in text(response)


def test_every_missing_answer_is_explained(client, world):
    client.force_login(world.officer)
    response = client.post(CREATE + f"?recipient={world.food_bank.pk}", {})
    assert response.status_code == 200
    assert errors(response) == [
        "Choose the Compact the notice comes under",
        "Choose what changes",
        "Enter the funding or support concerned",
        "Enter the date written notice was given",
        "Enter the date the change takes effect",
        "Enter the reasons for the decision",
        "Say whether the funding is changed or ended because of the organisation’s performance",
        "Say whether the impact was assessed before deciding",
        "Say whether the change was discussed with the organisation before the decision",
    ]
    assert "<title>Error: Record a notice to Riverside Food Bank" in html(response)
    assert FundingNotice.objects.count() == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effective_on_0": "1", "effective_on_1": "10", "effective_on_2": "2026"},
         "The date the change takes effect must be after the date notice was given"),
        ({"effective_on_0": "30", "effective_on_1": "9", "effective_on_2": "2026"},
         "The date the change takes effect must be after the date notice was given"),
        ({"notice_given_on_0": "31", "notice_given_on_1": "2"}, "Enter a real date, like 27 3 2026"),
        ({"notice_given_on_1": ""}, "The date must include a month"),
        ({"effective_on_2": "26"}, "Enter the year as 4 numbers, like 2026"),
        ({"notice_given_on_2": "1997", "effective_on_2": "1998"},
         "The date written notice was given must be in 1998 or later"),
        ({"impact_findings": "  "}, "Enter what the impact assessment found"),
        ({"exceptional": "on", "exceptional_reason": ""}, "Enter the exceptional circumstances"),
        ({"impact_assessed": "no"},
         "You answered that the impact was not assessed: remove the findings, or answer ‘Yes’"),
        ({"exceptional_reason": "Our own grant was withdrawn."},
         "Tick the box if exceptional circumstances are claimed, or remove what you wrote about them"),
        ({"impact_assessed": "maybe"}, "Say whether the impact was assessed before deciding"),
        ({"change": "abolished"}, "Choose what changes"),
        ({"reasons": "x" * 5001}, "This must be 5000 characters or fewer"),
    ],
)  # fmt: skip
def test_answers_that_cannot_be_right_are_explained(client, world, overrides, message):
    client.force_login(world.officer)
    response = client.post(CREATE + f"?recipient={world.food_bank.pk}", create_data(world, **overrides))
    assert response.status_code == 200
    assert errors(response) == [message]
    assert FundingNotice.objects.count() == 3


def test_written_notice_cannot_be_dated_in_the_future(client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(world.officer)
    response = client.post(
        CREATE + f"?recipient={world.food_bank.pk}",
        create_data(
            world,
            notice_given_on_0=str(tomorrow.day),
            notice_given_on_1=str(tomorrow.month),
            notice_given_on_2=str(tomorrow.year),
            effective_on_2=str(tomorrow.year + 1),
        ),
    )
    assert errors(response) == ["The date written notice was given must be today or in the past"]


def test_a_far_future_effective_date_is_refused_saying_what_to_fix(client, world):
    limit_year = timezone.localdate().year + 11
    client.force_login(world.officer)
    response = client.post(
        CREATE + f"?recipient={world.food_bank.pk}",
        create_data(world, effective_on_0="31", effective_on_1="12", effective_on_2="9999"),
    )
    assert response.status_code == 200
    assert errors(response) == [f"The date the change takes effect must be before 1 January {limit_year}"]
    assert FundingNotice.objects.count() == 3


def test_the_form_takes_today_from_its_caller():
    data = form_data(
        notice_given_on_0="10", notice_given_on_1="1", notice_given_on_2="2027",
        effective_on_0="4", effective_on_1="3", effective_on_2="2027",
    )  # fmt: skip
    assert NoticeForm(data, today=D(2027, 1, 10)).is_valid()
    assert not NoticeForm(data, today=D(2027, 1, 9)).is_valid()


def test_when_the_impact_was_not_assessed_the_notice_is_still_recorded_and_the_page_says_so(client, world):
    client.force_login(world.officer)
    response = client.get(CREATE, {"recipient": world.food_bank.pk})
    assert "If it was not assessed, choose ‘No’: the notice is still recorded." in text(response)
    response = client.post(
        CREATE + f"?recipient={world.food_bank.pk}",
        create_data(world, impact_assessed="no", impact_findings="", exceptional="on", exceptional_reason="Our grant."),
        follow=True,
    )
    notice = FundingNotice.objects.latest("pk")
    assert (notice.impact_assessed, notice.impact_findings) == (False, "")
    page = text(response)
    assert (
        "Impact on beneficiaries, service users and volunteers assessed No The Compact asks public bodies to assess "
        "the impact before they reduce or end funding."
    ) in page
    assert "Exceptional circumstances Claimed: Our grant." in page
    assert "Meets the Compact because exceptional circumstances are claimed: 1 month and 11 days’ notice" in page


# --- Reading a notice --------------------------------------------------------------------------------------


def test_the_detail_shows_everything_recorded(client, world, compact, edition):
    notice = FundingNoticeFactory(
        compact=compact,
        edition=edition,
        issuer=world.council,
        recipient=world.food_bank,
        change="ended",
        description="The <b>lunch club</b> grant.",
        notice_given_on=D(2027, 1, 10),
        effective_on=D(2027, 3, 4),
        reasons="The grants budget was cut.",
        impact_findings="Forty older people lose a hot meal.",
        discussed_before=False,
        created_by=world.officer,
    )
    client.force_login(world.coordinator)
    response = client.get(detail_url(notice))
    page = text(response)
    assert "Notice to Riverside Food Bank" in page
    assert (
        "Does not meet the Compact: 1 month and 22 days’ notice; the Compact asks for at least 3 months "
        "(no earlier than 10 April 2027)."
    ) in page
    for expected in (
        "Public body giving notice Riverside Borough Council",
        "Organisation receiving notice Riverside Food Bank",
        "Compact Riverside Compact: First edition This edition asks for at least 3 months’ written notice.",
        "What changes Funding ended",
        "Date written notice was given 10 January 2027",
        "Date the change takes effect 4 March 2027 1 month and 22 days’ notice",
        "Earliest date the Compact allows 10 April 2027",
        "Reasons for the decision The grants budget was cut.",
        "Exceptional circumstances Not claimed",
        "Impact on beneficiaries, service users and volunteers assessed Yes",
        "What the assessment found Forty older people lose a hot meal.",
        "Discussed with the organisation before the decision No",
        f"Recorded by {world.officer} on",
        "Change the notice",
    ):
        assert expected in page, expected
    assert "The &lt;b&gt;lunch club&lt;/b&gt; grant." in html(response)


def test_a_notice_that_meets_the_compact_says_so(client, world):
    client.force_login(world.vcs_member)
    page = text(client.get(detail_url(world.to_food_bank)))
    assert (
        "Meets the Compact Meets the Compact: 4 months and 22 days’ notice; the Compact asks for at least 3 months "
        "(no earlier than 10 April 2027)."
    ) in page
    assert "Warning" not in page


# --- Correcting a notice -------------------------------------------------------------------------------


def test_the_officer_corrects_a_notice_and_the_parties_and_edition_stay(client, world, edition):
    notice = world.to_food_bank
    client.force_login(world.officer)
    response = client.get(edit_url(notice))
    assert "Change the notice to Riverside Food Bank" in text(response)
    assert 'value="10"' in html(response) and 'value="2027"' in html(response)  # the dates as recorded
    assert 'name="issuer"' not in html(response) and 'name="compact"' not in html(response)
    response = client.post(
        edit_url(notice),
        form_data(
            issuer=str(world.fire_service.pk),  # ignored: not a question here
            notice_given_on_0="10",
            notice_given_on_1="1",
            notice_given_on_2="2026",
            effective_on_0="4",
            effective_on_1="3",
            effective_on_2="2026",
            reasons="Corrected: the grants budget was cut.",
        ),  # fmt: skip
        follow=True,
    )
    assert response.redirect_chain == [(detail_url(notice), 302)]
    assert "Your changes to the notice have been saved." in text(response)
    notice.refresh_from_db()
    assert notice.reasons == "Corrected: the grants budget was cut."
    assert (notice.issuer, notice.recipient, notice.edition) == (world.council, world.food_bank, edition)
    assert "Does not meet the Compact: 1 month and 22 days’ notice" in text(response)


def test_the_coordinator_corrects_a_notice_too(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(world.to_food_bank),
        form_data(
            notice_given_on_0="10",
            notice_given_on_1="1",
            notice_given_on_2="2026",
            effective_on_0="1",
            effective_on_1="6",
            effective_on_2="2026",
            reasons="Checked by the coordinator.",
        ),  # fmt: skip
    )
    assert response.status_code == 302
    world.to_food_bank.refresh_from_db()
    assert world.to_food_bank.reasons == "Checked by the coordinator."


def test_a_correction_is_checked_like_a_new_notice(client, world):
    client.force_login(world.officer)
    response = client.post(edit_url(world.to_food_bank), form_data(exceptional="on", exceptional_reason=" "))
    assert errors(response) == ["Enter the exceptional circumstances"]
    assert "<title>Error: Change the notice to Riverside Food Bank" in html(response)


def test_a_member_of_an_unrelated_public_body_is_refused_everywhere(client, world):
    someone = MembershipFactory(organisation=PublicBodyFactory(name="Elsewhere Council")).user
    client.force_login(someone)
    assert listed(client.get(LIST)) == []
    for notice in (world.to_food_bank, world.council_to_youth_club, world.fire_to_youth_club):
        assert client.get(detail_url(notice)).status_code == 404
        assert client.get(edit_url(notice)).status_code == 404


def test_a_superuser_sees_everything(client, world):
    client.force_login(UserFactory(is_superuser=True))
    assert len(listed(client.get(LIST))) == 3
    assert client.get(detail_url(world.fire_to_youth_club)).status_code == 200


def test_only_get_and_post(client, world):
    client.force_login(world.officer)
    assert client.post(LIST).status_code == 405
    assert client.post(detail_url(world.to_food_bank)).status_code == 405
    assert client.put(CREATE).status_code == 405


def test_a_vcs_member_of_several_organisations_sees_each_ones_notices(client, world):
    OrganisationFactory()  # unrelated
    world.vcs_member.organisations.add(world.youth_club)
    client.force_login(world.vcs_member)
    assert sorted(listed(client.get(LIST))) == [
        "Hillside Fire Service to Hillside Youth Club",
        "Riverside Borough Council to Hillside Youth Club",
        "Riverside Borough Council to Riverside Food Bank",
    ]


def test_a_compact_without_a_published_edition_cannot_be_chosen(client, world):
    draft_only = CompactFactory(name="Draft Compact")
    client.force_login(world.officer)
    response = client.post(
        CREATE + f"?recipient={world.food_bank.pk}", form_data(compact=str(draft_only.pk)), follow=True
    )
    assert errors(response) == ["Choose a Compact that has a published edition"]
    assert "Draft Compact" not in text(response)


def test_the_admin_lists_notices_with_their_compliance_but_does_not_record_them(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:funding_fundingnotice_changelist"))
    assert response.status_code == 200
    assert "Riverside Borough Council → Riverside Food Bank" in html(response)
    assert client.get(reverse("admin:funding_fundingnotice_add")).status_code == 403
    page = client.get(reverse("admin:funding_fundingnotice_change", args=[world.to_food_bank.pk]))
    assert page.status_code == 200
    assert 'name="reasons"' not in html(page)  # read only


def test_a_notice_is_recorded_with_its_welsh(client, world, edition):
    Edition.objects.filter(compact__name="Hillside Compact").update(status=Edition.Status.SUPERSEDED)
    client.force_login(world.officer)
    page = CREATE + f"?recipient={world.food_bank.pk}"
    form = html(client.get(page))
    assert form.index('name="description"') < form.index('name="description_cy"') < form.index('name="reasons"')
    assert form.index('name="reasons"') < form.index('name="reasons_cy"')
    assert "Which funding or support is concerned? (Welsh)" in form
    assert re.search(
        r'<textarea[^>]*name="reasons_cy"[^>]*lang="cy"|<textarea[^>]*lang="cy"[^>]*name="reasons_cy"', form
    )
    client.post(page, form_data(description_cy="Grant y clwb cinio.", reasons_cy="Torrwyd y gyllideb."))
    notice = FundingNotice.objects.latest("pk")
    assert (notice.description_cy, notice.reasons_cy) == ("Grant y clwb cinio.", "Torrwyd y gyllideb.")
    welsh = html(client.get(detail_url(notice), HTTP_ACCEPT_LANGUAGE="cy"))
    assert "Grant y clwb cinio." in welsh and "Torrwyd y gyllideb." in welsh
