"""The consultation pages: the public list and page, registering, responding and the feedback."""

import datetime
import html as html_lib
import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Edition
from compact_portal import throttle
from consultations import selectors, views
from consultations.models import Consultation, FeedbackItem, PolicyArea, Response
from notifications.models import Notification
from tests.commitments.factories import CompactFactory, PublishedEditionFactory, build_edition
from tests.consultations.factories import (
    DOC_BYTES,
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    ConsultationFactory,
    FeedbackItemFactory,
    ResponseFactory,
    upload,
)
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# The default consultation runs 4 January (a Monday) to 28 March 2027: 12 weeks. Its feedback is
# due 12 weeks after closing, on Sunday 20 June, moved to Monday 21 June 2027.
OPENS, CLOSES, FEEDBACK_DUE = D(2027, 1, 4), D(2027, 3, 28), D(2027, 6, 21)
DURING = D(2027, 2, 1)
AFTER = D(2027, 4, 12)


def url(name: str, **kwargs) -> str:
    return reverse(f"consultations:{name}", kwargs=kwargs)


def text(response) -> str:
    """The page's text, tags dropped and spaces squeezed, for reading sentences."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"</?(strong|a)\b[^>]*>", "", page)  # inline: no space added
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def page_html(response) -> str:
    return response.content.decode()


@pytest.fixture
def today(monkeypatch):
    """Set the day the pages judge dates by: ``today(D(2027, 2, 1))``."""

    def set_today(day: datetime.date) -> datetime.date:
        monkeypatch.setattr("consultations.views.today", lambda: day)
        return day

    set_today(DURING)
    return set_today


@pytest.fixture
def council(officer):
    return officer.organisations.get()


@pytest.fixture
def food_bank(vcs_member):
    return vcs_member.organisations.get()


@pytest.fixture
def other_officer(db):
    return MembershipFactory(organisation=PublicBodyFactory(name="Hillside Fire Service")).user


@pytest.fixture
def other_vcs_member(db):
    return MembershipFactory(organisation=OrganisationFactory(name="Hillside Youth Club")).user


@pytest.fixture
def consultation(edition, council):
    return ConsultationFactory(edition=edition, organisation=council, title="Future of the Riverside library")


def form_data(compact=None, /, **overrides) -> dict:
    """A formal consultation of 12 weeks, 4 January to 28 March 2027, with a link."""
    data = {
        "title": "Changes to day centres",
        "summary": "We propose to merge two day centres.",
        "policy_area": PolicyArea.ADULT_SOCIAL_CARE,
        "kind": Consultation.Kind.FORMAL,
        "early_notice_on_0": "1",
        "early_notice_on_1": "12",
        "early_notice_on_2": "2026",
        "opens_on_0": "4",
        "opens_on_1": "1",
        "opens_on_2": "2027",
        "closes_on_0": "28",
        "closes_on_1": "3",
        "closes_on_2": "2027",
        "shorter_rationale": "",
        "link": "https://www.example.gov.uk/day-centres",
        "contact_name": "Adult Services",
        "contact_email": "adults@example.gov.uk",
    }
    if compact is not None:
        data["compact"] = compact.pk
    data.update(overrides)
    return data


# --- The public list ----------------------------------------------------------------------------------------


def make_world(edition, council):
    """One consultation in each state on DURING (1 February 2027)."""
    return {
        "open": ConsultationFactory(edition=edition, organisation=council, title="Open one"),
        "forthcoming": ConsultationFactory(
            edition=edition,
            organisation=council,
            title="Forthcoming one",
            policy_area=PolicyArea.TRANSPORT,
            opens_on=D(2027, 3, 1),
            closes_on=D(2027, 5, 30),
            early_notice_on=D(2027, 1, 15),
        ),
        "awaiting": ConsultationFactory(
            edition=edition,
            organisation=council,
            title="Awaiting one",
            opens_on=D(2026, 9, 1),
            closes_on=D(2026, 11, 30),
            early_notice_on=None,
        ),
        "published": ConsultationFactory(
            edition=edition,
            organisation=council,
            title="Published one",
            opens_on=D(2026, 6, 1),
            closes_on=D(2026, 8, 30),
            early_notice_on=D(2026, 5, 1),
            feedback_published_on=D(2026, 10, 1),
        ),
    }


def table_titles(response) -> list[str]:
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        page_html(response),
    )


def test_the_list_shows_open_then_forthcoming_then_closed_with_their_tags(client, today, edition, council):
    make_world(edition, council)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert table_titles(response) == ["Open one", "Forthcoming one", "Awaiting one", "Published one"]
    page = text(response)
    assert "<title>Consultations –" in page_html(response)
    assert "4 consultations" in page
    assert (
        "Open one Riverside Borough Council · Housing 4 January 2027 to 28 March 2027 12 weeks (84 days) "
        "Open Feedback due 21 June 2027"
    ) in page
    assert "Awaiting one" in page and "Closed: awaiting feedback Does not meet the Compact" in page  # no early notice
    assert "Feedback published Meets the Compact" in page


def test_the_list_offers_registration_only_to_officers(client, today, officer, vcs_member):
    assert "Register a consultation" not in text(client.get(url("list")))
    client.force_login(vcs_member)
    assert "Register a consultation" not in text(client.get(url("list")))
    client.force_login(officer)
    assert "Register a consultation" in text(client.get(url("list")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, ["Open one"]),
        ({"status": "forthcoming"}, ["Forthcoming one"]),
        ({"status": "awaiting_feedback"}, ["Awaiting one"]),
        ({"status": "feedback_published"}, ["Published one"]),
        ({"policy_area": "transport"}, ["Forthcoming one"]),
        ({"q": "awaiting"}, ["Awaiting one"]),
        ({"q": "riverside borough", "status": "open"}, ["Open one"]),
    ],
)
def test_the_list_filters(client, today, edition, council, query, expected):
    make_world(edition, council)
    response = client.get(url("list"), query)
    assert response.status_code == 200
    assert table_titles(response) == expected
    assert f"{len(expected)} consultation" in text(response)


def test_the_list_filters_by_compact_and_public_body(client, today, edition, council):
    make_world(edition, council)
    other_edition = build_edition(compact=CompactFactory(name="Hillside Compact"))
    fire = PublicBodyFactory(name="Hillside Fire Service")
    ConsultationFactory(edition=other_edition, organisation=fire, title="Fire station hours")
    page = page_html(client.get(url("list")))
    assert ">Hillside Compact</option>" in page
    assert "Hillside Fire Service</option>" not in page  # the body is typed, not chosen from a list
    assert re.search(r'<label for="id_body" class="govuk-label">\s*Public body\s*</label>', page)
    assert re.search(r'<input type="text" name="body"[^>]*class="govuk-input"', page)
    assert table_titles(client.get(url("list"), {"compact": other_edition.compact.pk})) == ["Fire station hours"]
    assert table_titles(client.get(url("list"), {"body": "fire"})) == ["Fire station hours"]
    assert table_titles(client.get(url("list"), {"body": "  HILLSIDE fire  "})) == ["Fire station hours"]
    assert len(table_titles(client.get(url("list"), {"body": council.name}))) == 4
    assert table_titles(client.get(url("list"), {"body": "fire", "compact": edition.compact.pk})) == []
    response = client.get(url("list"), {"body": "fire"})
    assert 'value="fire"' in page_html(response)  # the box keeps what was typed
    assert "1 consultation matches these filters" in text(response)


def test_a_public_body_name_that_is_too_long_is_explained(client, today, edition, council):
    make_world(edition, council)
    response = client.get(url("list"), {"body": "x" * 201})
    assert response.status_code == 200
    page = page_html(response)
    assert "There is a problem" in page and "<title>Error:" in page
    assert 'href="#id_body"' in page
    assert "The public body’s name must be 200 characters or fewer" in text(response)
    assert len(table_titles(response)) == 4  # the filter is ignored


def test_the_list_does_not_grow_with_the_number_of_public_bodies(client, today, edition, council):
    """The filters no longer list every public body that has consulted (1,200 at national scale):
    300 more bodies, each with a consultation elsewhere, change neither the queries nor the page."""
    make_world(edition, council)
    elsewhere = build_edition(compact=CompactFactory(name="Hillside Compact"))

    def bodies(count):
        for _ in range(count):
            ConsultationFactory(edition=elsewhere, organisation=PublicBodyFactory(), title="Elsewhere")

    bodies(5)
    params = {"compact": edition.compact.pk}
    few_queries = count_queries(client, url("list"), params)
    small = client.get(url("list"), params)
    bodies(300)
    assert count_queries(client, url("list"), params) == few_queries
    large = client.get(url("list"), params)
    assert len(table_titles(large)) == 4
    assert abs(len(large.content) - len(small.content)) < 100


def test_a_compact_without_consultations_can_be_chosen(client, today, edition, council):
    make_world(edition, council)
    quiet = CompactFactory(name="Quiet Compact")
    response = client.get(url("list"), {"compact": quiet.pk})
    assert response.status_code == 200 and "There is a problem" not in page_html(response)
    assert "No consultation matches these filters" in text(response)


def test_an_unknown_filter_value_is_explained_not_an_error(client, today, edition, council):
    make_world(edition, council)
    response = client.get(url("list"), {"status": "martian", "compact": "999999"})
    assert response.status_code == 200
    page = page_html(response)
    assert "There is a problem" in page and "<title>Error:" in page
    assert len(table_titles(response)) == 4  # the bad filters are ignored


def test_an_empty_result_says_so(client, today, edition, council):
    make_world(edition, council)
    response = client.get(url("list"), {"q": "nothing like this"})
    assert "No consultation matches these filters" in text(response)


@pytest.mark.parametrize(
    "day",
    [D(2027, 1, 3), OPENS, CLOSES, CLOSES + datetime.timedelta(days=1), D(2027, 9, 1)],
)
def test_the_status_filter_agrees_with_the_rules(client, today, edition, council, day):
    """The list's database conditions give the same status as ``rules.status`` on edge days."""
    today(day)
    plain = ConsultationFactory(edition=edition, organisation=council, title="Plain")
    published = ConsultationFactory(
        edition=edition, organisation=council, title="With feedback", feedback_published_on=D(2027, 4, 2)
    )
    for consultation in (plain, published):
        if consultation.feedback_published_on and day <= consultation.feedback_published_on:
            continue  # feedback is published after closing only
        expected = selectors.consultation_status(consultation, day)
        for status, _label in selectors.STATUS_CHOICES:
            titles = table_titles(client.get(url("list"), {"status": status}))
            assert (consultation.title in titles) == (status == expected), (day, consultation.title, status)


def many(edition, count: int) -> None:
    bodies = [PublicBodyFactory() for _ in range(3)]
    Consultation.objects.bulk_create(
        Consultation(
            compact=edition.compact,
            edition=edition,
            organisation=bodies[n % 3],
            title=f"Consultation {n:03d}",
            summary="About something.",
            policy_area=PolicyArea.HOUSING,
            opens_on=OPENS + datetime.timedelta(days=n),
            closes_on=CLOSES + datetime.timedelta(days=n % 40),
            early_notice_on=D(2026, 12, 1) if n % 2 else None,
            link="https://example.gov.uk/c",
            contact_name="Team",
            contact_email="team@example.gov.uk",
        )
        for n in range(count)
    )


def count_queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"status": "open", "q": "consultation", "page": "2"}])
def test_the_list_costs_the_same_queries_for_3_or_60_consultations(
    client, today, edition, params, django_assert_max_num_queries
):
    many(edition, 3)
    few = count_queries(client, url("list"), params)
    many(edition, 57)
    with django_assert_max_num_queries(4):  # the Compacts for the filter, count, page
        response = client.get(url("list"), params)
    assert response.status_code == 200
    assert count_queries(client, url("list"), params) == few


def test_the_list_costs_the_same_queries_for_a_signed_in_officer(client, today, edition, officer):
    client.force_login(officer)
    many(edition, 3)
    few = count_queries(client, url("list"))
    many(edition, 57)
    assert count_queries(client, url("list")) == few


def test_the_list_pages(client, today, edition):
    many(edition, 60)
    response = client.get(url("list"), {"page": 3, "policy_area": "housing", "q": ""})
    assert response.status_code == 200
    assert "page 3 of 3" in text(response)
    assert len(table_titles(response)) == 10
    assert 'href="?policy_area=housing&amp;page=2"' in page_html(response)


# --- The public page ---------------------------------------------------------------------------------------


def test_the_page_shows_everything_public(client, today, consultation):
    ResponseFactory(consultation=consultation, summary="Secret thoughts of the food bank")
    response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Future of the Riverside library" in page
    assert "Open Feedback due 21 June 2027" in page
    assert "Run by Riverside Borough Council" in page
    assert "Length 12 weeks (84 days)" in page
    assert "Open for 12 weeks (84 days): meets the Compact’s minimum of 12 weeks." in page
    assert "Early notice was given on 1 December 2026, before it opened on 4 January 2027." in page
    assert "Feedback is due by 21 June 2027, 12 weeks after it closes." in page
    assert "consult@example.gov.uk" in page
    assert "1 voluntary or community organisation has recorded a response." in page
    assert "Secret thoughts" not in page  # responses are not public
    assert "Change the consultation" not in page
    assert "Record your organisation’s response" not in page


def test_an_unknown_consultation_is_a_404(client, today):
    assert client.get(url("detail", pk=999999)).status_code == 404


@pytest.mark.parametrize(
    ("closes_on", "rationale", "expected", "tag"),
    [
        (CLOSES, "", "Open for 12 weeks (84 days): meets the Compact’s minimum of 12 weeks.", "Met"),
        (
            CLOSES - datetime.timedelta(days=1),
            "",
            "Open for 11 weeks and 6 days (83 days), shorter than the Compact’s 12 weeks. No reason was given.",
            "Not met",
        ),
        (
            D(2027, 2, 14),
            "The grant deadline is fixed by the government.",
            "Open for 6 weeks (42 days), shorter than the Compact’s 12 weeks. The reason given: "
            "The grant deadline is fixed by the government.",
            "Shorter, reason given",
        ),
    ],
)
def test_the_page_explains_the_length(client, today, edition, council, closes_on, rationale, expected, tag):
    consultation = ConsultationFactory(
        edition=edition, organisation=council, closes_on=closes_on, shorter_rationale=rationale
    )
    page = text(client.get(consultation.get_absolute_url()))
    assert f"Length {expected}" in page and f"{tag} Early notice" in page


def test_the_list_tells_a_shorter_one_with_a_reason_from_one_that_ran_the_full_length(client, today, edition, council):
    today(AFTER)
    for title, closes_on, rationale in (
        ("Full length", CLOSES, ""),
        ("Six weeks", D(2027, 2, 14), "The grant deadline is fixed by the government."),
    ):
        consultation = ConsultationFactory(
            edition=edition, organisation=council, title=title, closes_on=closes_on, shorter_rationale=rationale
        )
        FeedbackItemFactory(consultation=consultation)
        consultation.feedback_published_on = closes_on + datetime.timedelta(days=7)
        consultation.save()
    page = text(client.get(url("list")))
    assert "Full length" in page and "Six weeks" in page
    rows = {
        title: page.split(title, 1)[1].split("Feedback published", 1)[1].split(" 2027", 1)[0]
        for title in ("Full length", "Six weeks")
    }
    assert rows["Full length"].strip().startswith("Meets the Compact")
    assert rows["Six weeks"].strip().startswith("Shorter, reason given")


def test_the_page_explains_an_informal_consultation(client, today, edition, council):
    consultation = ConsultationFactory(
        edition=edition, organisation=council, kind=Consultation.Kind.INFORMAL, shorter_rationale="Drop-in sessions."
    )
    page = text(client.get(consultation.get_absolute_url()))
    assert (
        "An informal consultation, open for 12 weeks (84 days). The Compact expects a formal written consultation "
        "of at least 12 weeks, or a reason for an informal approach. The reason given for an informal approach: "
        "Drop-in sessions. Informal, reason given"
    ) in page


@pytest.mark.parametrize(
    ("notice", "expected", "tag"),
    [
        (D(2027, 1, 3), "Early notice was given on 3 January 2027, before it opened on 4 January 2027.", "Met"),
        (OPENS, "Early notice was given on 4 January 2027, not before it opened on 4 January 2027.", "Not met"),
        (None, "No early notice was recorded before it opened.", "Not met"),
    ],
)
def test_the_page_explains_the_early_notice(client, today, edition, council, notice, expected, tag):
    consultation = ConsultationFactory(edition=edition, organisation=council, early_notice_on=notice)
    assert f"Early notice {expected} {tag}" in text(client.get(consultation.get_absolute_url()))


@pytest.mark.parametrize(
    ("day", "published", "expected", "tag"),
    [
        (FEEDBACK_DUE, None, "Feedback is due by 21 June 2027, 12 weeks after it closes.", "Not due yet"),
        (
            FEEDBACK_DUE + datetime.timedelta(days=1),
            None,
            "Feedback was due by 21 June 2027 and has not been published.",
            "Not met",
        ),
        (
            D(2027, 7, 1),
            FEEDBACK_DUE,
            "Feedback was published on 21 June 2027, by the due date of 21 June 2027.",
            "Met",
        ),
        (
            D(2027, 7, 1),
            FEEDBACK_DUE + datetime.timedelta(days=1),
            "Feedback was published on 22 June 2027, after the due date of 21 June 2027.",
            "Not met",
        ),
    ],
)
def test_the_page_explains_the_feedback_deadline(client, today, edition, council, day, published, expected, tag):
    today(day)
    consultation = ConsultationFactory(edition=edition, organisation=council, feedback_published_on=published)
    FeedbackItemFactory(consultation=consultation, theme="Opening hours")
    page = text(client.get(consultation.get_absolute_url()))
    assert f"Feedback {expected} {tag}" in page
    assert ("Opening hours" in page) == (published is not None)  # draft feedback is not public


def test_compliance_uses_the_edition_it_was_registered_under(client, today, council, compact):
    """A later edition with a shorter minimum does not change how an earlier consultation is judged."""
    first = PublishedEditionFactory(compact=compact, consultation_min_weeks=12)
    consultation = ConsultationFactory(edition=first, organisation=council, closes_on=D(2027, 2, 28))  # 8 weeks
    first.status = Edition.Status.SUPERSEDED
    first.save()
    PublishedEditionFactory(compact=compact, consultation_min_weeks=8)
    page = text(client.get(consultation.get_absolute_url()))
    assert "Open for 8 weeks (56 days), shorter than the Compact’s 12 weeks. No reason was given." in page


def test_the_owner_sees_the_responses_and_the_actions(client, today, consultation, officer, food_bank):
    ResponseFactory(consultation=consultation, organisation=food_bank, summary="We need Saturday opening.")
    client.force_login(officer)
    page = text(client.get(consultation.get_absolute_url()))
    assert "Change the consultation" in page and "Add feedback" in page
    assert "Riverside Food Bank" in page and "We need Saturday opening." in page


def test_the_coordinator_sees_the_responses(client, today, consultation, coordinator, food_bank):
    ResponseFactory(consultation=consultation, organisation=food_bank, summary="We need Saturday opening.")
    client.force_login(coordinator)
    page = text(client.get(consultation.get_absolute_url()))
    assert "We need Saturday opening." in page and "Change the consultation" in page


def test_others_do_not_see_the_responses(client, today, consultation, other_officer, other_vcs_member, stranger):
    ResponseFactory(consultation=consultation, summary="We need Saturday opening.")
    for user in (other_officer, other_vcs_member, stranger):
        client.force_login(user)
        page = text(client.get(consultation.get_absolute_url()))
        assert "We need Saturday opening." not in page
        assert "Change the consultation" not in page


def test_a_vcs_member_is_offered_to_respond_and_sees_their_own_response(
    client, today, consultation, vcs_member, food_bank
):
    client.force_login(vcs_member)
    assert "Record your organisation’s response" in text(client.get(consultation.get_absolute_url()))
    ResponseFactory(consultation=consultation, organisation=food_bank, summary="Our own words.")
    ResponseFactory(consultation=consultation, summary="Somebody else’s words.")
    page = text(client.get(consultation.get_absolute_url()))
    assert "Change your organisation’s response" in page
    assert "Our own words." in page and "Somebody else’s words." not in page


def test_a_vcs_member_is_told_when_it_has_closed(client, today, consultation, vcs_member):
    today(AFTER)
    client.force_login(vcs_member)
    page = text(client.get(consultation.get_absolute_url()))
    assert "This consultation closed on 28 March 2027. You can still record a response" in page


def test_the_published_feedback_is_public(client, today, consultation):
    today(AFTER)
    consultation.feedback_summary = "Twelve organisations responded."
    consultation.feedback_published_on = AFTER
    consultation.save()
    FeedbackItemFactory(consultation=consultation, theme="Opening hours", you_said="Open on Saturdays.", we_did="Done.")
    page = text(client.get(consultation.get_absolute_url()))
    assert "Twelve organisations responded." in page
    assert "Opening hours Open on Saturdays. Done." in page
    assert "Published by Riverside Borough Council on 12 April 2027" in page


# --- The consultation's document --------------------------------------------------------------------------


def test_the_document_downloads_with_its_type(client, today, edition, council):
    consultation = ConsultationFactory(edition=edition, organisation=council)
    consultation.document.save("proposal.pdf", upload("proposal.pdf", PDF_BYTES))
    response = client.get(url("document", pk=consultation.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_no_document_is_a_404(client, today, consultation):
    assert client.get(url("document", pk=consultation.pk)).status_code == 404


# --- Registering ------------------------------------------------------------------------------------------


def test_registering_asks_anonymous_people_to_sign_in(client, today):
    response = client.get(url("create"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["vcs_member", "stranger", "coordinator"])
def test_only_officers_of_public_bodies_register(client, today, edition, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("create")).status_code == 403
    assert client.post(url("create"), form_data(edition.compact)).status_code == 403
    assert not Consultation.objects.exists()


def test_an_officer_registers_a_consultation(client, today, edition, officer, council):
    client.force_login(officer)
    response = client.get(url("create"))
    page = text(response)
    assert response.status_code == 200
    assert "You are registering it for Riverside Borough Council." in page
    assert "Needed if the consultation is open for less than 12 weeks, or is informal." in page
    response = client.post(url("create"), form_data(edition.compact))
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response.url == consultation.get_absolute_url()
    assert consultation.organisation == council and consultation.edition == edition
    assert consultation.created_by == officer
    assert consultation.early_notice_on == D(2026, 12, 1)
    page = text(client.get(response.url))
    assert "‘Changes to day centres’ is registered. It is open for 12 weeks (84 days)." in page


def test_registering_with_a_document_and_no_link(client, today, edition, officer):
    client.force_login(officer)
    data = form_data(edition.compact, link="", document=upload("Day centres proposal (final).pdf", PDF_BYTES))
    response = client.post(url("create"), data)
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.document.name.startswith("consultations/documents/day-centres-proposal-final")
    assert consultation.document.name.endswith(".pdf")


def test_the_form_explains_a_six_week_formal_consultation_needs_a_reason(client, today, edition, officer):
    client.force_login(officer)
    data = form_data(edition.compact, closes_on_0="14", closes_on_1="2")
    response = client.post(url("create"), data)
    assert response.status_code == 200
    message = (
        "This consultation is open for 6 weeks (42 days). The Compact asks for at least 12 weeks for a formal "
        "written consultation: explain why it is shorter."
    )
    page = text(response)
    assert page.count(message) == 2  # in the error summary and by the field
    assert "<title>Error:" in page_html(response)
    assert 'href="#id_shorter_rationale"' in page_html(response)
    assert not Consultation.objects.exists()

    data["shorter_rationale"] = "The national deadline leaves only six weeks."
    assert client.post(url("create"), data).status_code == 302
    assert Consultation.objects.get().shorter_rationale == "The national deadline leaves only six weeks."


def test_the_form_uses_the_chosen_compacts_minimum(client, today, edition, officer):
    eight = PublishedEditionFactory(compact=CompactFactory(name="Hillside Compact"), consultation_min_weeks=8)
    client.force_login(officer)
    data = form_data(eight.compact, closes_on_0="14", closes_on_1="2")  # 6 weeks
    assert "at least 8 weeks for a formal written consultation" in text(client.post(url("create"), data))
    data = form_data(eight.compact, closes_on_0="28", closes_on_1="2")  # 8 weeks
    assert client.post(url("create"), data).status_code == 302
    assert Consultation.objects.get().edition == eight


def test_the_form_asks_why_an_informal_approach_was_chosen(client, today, edition, officer):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, kind="informal"))
    assert "explain why an informal approach was chosen" in text(response)
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on_0": "3", "closes_on_1": "1"}, "closes_on", "The closing date must be after the opening date"),
        ({"closes_on_0": "4", "closes_on_1": "1"}, "closes_on", "The closing date must be after the opening date"),
        ({"link": ""}, "link", "Give a link to the consultation, or upload its document, or both"),
        ({"link": "not a web address"}, "link", "Enter a web address in the right format"),
        ({"opens_on_0": "", "opens_on_1": "", "opens_on_2": ""}, "opens_on", "Enter the opening date"),
        ({"opens_on_0": "31", "opens_on_1": "2"}, "opens_on", "Enter a real date, like 27 3 2026"),
        ({"closes_on_2": "27"}, "closes_on", "Enter the year as 4 numbers, like 2026"),
        ({"early_notice_on_0": ""}, "early_notice_on", "The date must include a day"),
        (
            {"early_notice_on_0": "5", "early_notice_on_1": "1", "early_notice_on_2": "2027"},
            "early_notice_on",
            "The date early notice was given must be on or before the opening date",
        ),
        (
            {
                "early_notice_on_0": "15",
                "early_notice_on_1": "2",
                "early_notice_on_2": "2027",
                "opens_on_0": "1",
                "opens_on_1": "3",
                "closes_on_0": "30",
                "closes_on_1": "5",
            },
            "early_notice_on",
            "The date early notice was given must be today or in the past",
        ),
        # A mistyped year is refused, saying what to fix (today is 1 February 2027 here).
        (
            {"closes_on_0": "31", "closes_on_1": "12", "closes_on_2": "9999"},
            "closes_on",
            "The closing date must be before 1 January 2038",
        ),
        ({"opens_on_2": "1985"}, "opens_on", "The opening date must be on or after 1 January 1990"),
        (
            {"early_notice_on_2": "1899"},
            "early_notice_on",
            "The date early notice was given must be on or after 1 January 1990",
        ),
        ({"title": ""}, "title", "Enter the title of the consultation"),
        ({"kind": ""}, "kind", "Choose the type of consultation"),
        ({"kind": "shouted"}, "kind", "Select a valid choice"),
        ({"policy_area": "space"}, "policy_area", "Choose a policy area from the list"),
        ({"contact_email": "nobody"}, "contact_email", "Enter an email address in the right format"),
        ({"compact": ""}, "compact", "Choose the Compact the consultation falls under"),
        ({"compact": "999999"}, "compact", "Choose one of the Compacts in the list"),
        ({"compact": "x"}, "compact", "Choose one of the Compacts in the list"),
    ],
)
def test_the_form_says_what_to_fix(client, today, edition, officer, overrides, field, message):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, **overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert f'href="#id_{field}' in page_html(response)
    assert not Consultation.objects.exists()


NO_EARLY_NOTICE = {"early_notice_on_0": "", "early_notice_on_1": "", "early_notice_on_2": ""}


def test_leaving_out_early_notice_must_be_said_on_purpose(client, today, edition, officer):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, **NO_EARLY_NOTICE))
    assert response.status_code == 200
    assert (
        "Enter the date early notice was given, or tick ‘No early notice was given’: without early notice the "
        "consultation does not meet the Compact"
    ) in text(response)
    assert 'href="#id_early_notice_on' in page_html(response)
    assert not Consultation.objects.exists()

    response = client.post(url("create"), form_data(edition.compact, no_early_notice="on", **NO_EARLY_NOTICE))
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and consultation.early_notice_on is None
    page = text(client.get(consultation.get_absolute_url()))
    assert "Does not meet the Compact" in page
    assert "Early notice No early notice was recorded before it opened. Not met" in page


def test_a_date_and_no_early_notice_contradict_each_other(client, today, edition, officer):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, no_early_notice="on"))
    assert response.status_code == 200
    assert (
        "You entered the date early notice was given: remove the date, or untick ‘No early notice was given’"
    ) in text(response)
    assert not Consultation.objects.exists()


def test_changing_a_consultation_recorded_without_early_notice_keeps_the_box_ticked(client, today, edition, officer):
    council = officer.organisations.get()
    forthcoming = ConsultationFactory(
        edition=edition, organisation=council, early_notice_on=None, opens_on=D(2027, 3, 1), closes_on=D(2027, 5, 23)
    )
    client.force_login(officer)
    form = client.get(url("edit", pk=forthcoming.pk)).context["form"]
    assert form["no_early_notice"].value() is True


def test_the_link_and_the_document_are_not_called_optional(client, today, edition, officer):
    client.force_login(officer)
    page = text(client.get(url("create")))
    assert "Link to the consultation (optional)" not in page and "Consultation document (optional)" not in page
    assert "Link to the consultation Give a link, or upload the consultation document below, or both." in page
    assert "Consultation document Needed if you do not give a link above. You can give both." in page


def test_a_refused_document_without_a_link_gets_only_the_files_own_message(client, today, edition, officer):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, link="", document=upload("a.pdf", EXE_BYTES)))
    assert response.status_code == 200
    assert "The selected file is not a type of file we accept." in text(response)
    assert "Give a link to the consultation" not in text(response)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("proposal.pdf", PNG_BYTES, "The selected file is called ‘proposal.pdf’ but it is a PNG file."),
        ("proposal.pdf", EXE_BYTES, "The selected file is not a type of file we accept."),
        ("setup.exe", EXE_BYTES, "The selected file is not a type of file we accept."),
        ("proposal.docx", DOC_BYTES, "but it is a Word 97–2003 (.doc) file"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_the_document_is_checked_by_its_contents(client, today, edition, officer, name, content, message):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, document=upload(name, content)))
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert (
        "You can upload PDF, Word (.docx), Word 97–2003 (.doc), OpenDocument text (.odt), PNG or JPEG files "
        "of up to 10 MB."
    ) in page
    assert not Consultation.objects.exists()


def test_a_large_document_within_the_limit_is_kept(client, today, edition, officer):
    """Over 2.5 MB, Django keeps an upload in a temporary file: it is checked and stored the same way."""
    client.force_login(officer)
    big = PDF_BYTES + b"0" * (3 * 1024 * 1024)
    response = client.post(url("create"), form_data(edition.compact, document=upload("big report.pdf", big)))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert "big-report" in consultation.document.name and consultation.document.name.endswith(".pdf")
    assert consultation.document.size == len(big)


def test_a_file_name_in_a_message_is_escaped(client, today, edition, officer):
    client.force_login(officer)
    response = client.post(url("create"), form_data(edition.compact, document=upload("<i>x.pdf", PNG_BYTES)))
    page = page_html(response)
    assert "called ‘&lt;i&gt;x.pdf’" in page and "<i>x" not in page


def test_a_document_over_the_size_limit_is_refused(client, today, edition, officer):
    client.force_login(officer)
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    response = client.post(url("create"), form_data(edition.compact, document=upload("big.pdf", big)))
    assert response.status_code == 200
    assert "The selected file must be smaller than 10 MB." in text(response)
    assert not Consultation.objects.exists()


def test_an_officer_of_two_bodies_chooses_which(client, today, edition, officer, council):
    fire = PublicBodyFactory(name="Riverside Fire Service")
    MembershipFactory(user=officer, organisation=fire)
    MembershipFactory(user=officer, organisation=OrganisationFactory(name="Officer's Choir"))  # not a public body
    client.force_login(officer)
    page = page_html(client.get(url("create")))
    assert f'value="{fire.pk}"' in page and f'value="{council.pk}"' in page and "Officer&#x27;s Choir" not in page
    response = client.post(url("create"), form_data(edition.compact))
    assert "Choose the public body that is running the consultation" in text(response)
    other_body = PublicBodyFactory(name="Not Theirs Council")
    response = client.post(url("create"), form_data(edition.compact, organisation=other_body.pk))
    assert "Choose one of the public bodies you belong to" in text(response)
    response = client.post(url("create"), form_data(edition.compact, organisation=fire.pk))
    assert response.status_code == 302
    assert Consultation.objects.get().organisation == fire


def test_only_compacts_with_a_current_edition_are_offered(client, today, edition, officer):
    draft_only = CompactFactory(name="Draft Only Compact")
    build_edition(compact=draft_only, status=Edition.Status.DRAFT)
    client.force_login(officer)
    page = page_html(client.get(url("create")))
    assert ">Riverside Compact</option>" in page and "Draft Only Compact" not in page
    response = client.post(url("create"), form_data(draft_only))
    assert "Choose one of the Compacts in the list" in text(response)


def test_registering_explains_when_no_compact_has_a_current_edition(client, today, officer):
    client.force_login(officer)
    response = client.get(url("create"))
    assert response.status_code == 200
    assert "No Compact has a current edition yet" in text(response)
    assert client.post(url("create"), form_data()).status_code == 200
    assert not Consultation.objects.exists()


# --- Changing ----------------------------------------------------------------------------------------------


def test_the_owner_changes_a_forthcoming_consultation(client, today, consultation, officer):
    today(D(2026, 12, 20))
    client.force_login(officer)
    response = client.get(url("edit", pk=consultation.pk))
    assert response.status_code == 200
    assert 'value="Future of the Riverside library"' in page_html(response)
    data = form_data(title="Future of the library service", closes_on_0="4", closes_on_1="4")
    response = client.post(url("edit", pk=consultation.pk), data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Future of the library service"
    assert consultation.closes_on == D(2027, 4, 4)


def test_once_open_the_dates_that_have_passed_stay(client, today, consultation, officer):
    client.force_login(officer)  # DURING: open
    response = client.get(url("edit", pk=consultation.pk))
    page = page_html(response)
    assert 'name="opens_on_0"' not in page and 'name="kind"' not in page and 'name="closes_on_0"' in page
    assert "Opening date 4 January 2027" in text(response)
    data = form_data(opens_on_0="1", closes_on_0="4", closes_on_1="4")  # the opening date is ignored
    assert client.post(url("edit", pk=consultation.pk), data).status_code == 302
    consultation.refresh_from_db()
    assert consultation.opens_on == OPENS and consultation.closes_on == D(2027, 4, 4)


def test_the_coordinator_may_correct_the_dates(client, today, consultation, coordinator):
    today(AFTER)
    client.force_login(coordinator)
    data = form_data(opens_on_0="1")
    assert client.post(url("edit", pk=consultation.pk), data).status_code == 302
    consultation.refresh_from_db()
    assert consultation.opens_on == D(2027, 1, 1)


def test_changing_can_replace_or_remove_the_document(client, today, consultation, officer):
    today(D(2026, 12, 20))
    consultation.document.save("old.pdf", upload("old.pdf"))
    client.force_login(officer)
    assert "The current document is old.pdf" in text(client.get(url("edit", pk=consultation.pk)))
    data = form_data(link="", remove_document="on")
    response = client.post(url("edit", pk=consultation.pk), data)
    assert "Give a link to the consultation, or upload its document, or both" in text(response)
    data = form_data(remove_document="on")
    assert client.post(url("edit", pk=consultation.pk), data).status_code == 302
    consultation.refresh_from_db()
    assert not consultation.document


@pytest.mark.parametrize("who", ["other_officer", "vcs_member", "stranger"])
def test_others_may_not_change_it(client, today, consultation, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("edit", pk=consultation.pk)).status_code == 403
    assert client.post(url("edit", pk=consultation.pk), form_data(title="Hacked")).status_code == 403
    consultation.refresh_from_db()
    assert consultation.title == "Future of the Riverside library"


def test_changing_asks_anonymous_people_to_sign_in(client, today, consultation):
    assert client.get(url("edit", pk=consultation.pk)).status_code == 302


# --- Responding -----------------------------------------------------------------------------------------


def test_a_vcs_member_records_a_response_and_the_body_is_told(
    client, today, consultation, vcs_member, food_bank, officer, django_capture_on_commit_callbacks
):
    client.force_login(vcs_member)
    response = client.get(url("respond", pk=consultation.pk))
    assert response.status_code == 200
    assert "You are recording the response of Riverside Food Bank." in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("respond", pk=consultation.pk),
            {"summary": "We need Saturday opening.", "document": upload("our-response.docx", _docx())},
        )
    assert response.status_code == 302 and response.url.endswith("#your-response")
    recorded = Response.objects.get()
    assert recorded.organisation == food_bank and recorded.submitted_by == vcs_member
    assert recorded.document.name.endswith(".docx")
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert mail.outbox[0].subject == "Riverside Food Bank has responded to ‘Future of the Riverside library’"
    assert "We need Saturday opening." in mail.outbox[0].body
    assert Notification.objects.get().kind == "consultation_response"


def _docx():
    from tests.consultations.factories import docx_bytes

    return docx_bytes()


def test_responding_again_replaces_the_response(client, today, consultation, vcs_member, food_bank):
    ResponseFactory(consultation=consultation, organisation=food_bank, summary="First thoughts.")
    client.force_login(vcs_member)
    response = client.get(url("respond", pk=consultation.pk))
    assert "It already has a response recorded: saving replaces it." in text(response)
    assert "First thoughts." in page_html(response)
    client.post(url("respond", pk=consultation.pk), {"summary": "Second thoughts."})
    assert Response.objects.get().summary == "Second thoughts."


def test_a_response_needs_a_summary_and_a_real_file(client, today, consultation, vcs_member):
    client.force_login(vcs_member)
    response = client.post(url("respond", pk=consultation.pk), {"summary": ""})
    assert "Enter a summary of your organisation’s response" in text(response)
    response = client.post(
        url("respond", pk=consultation.pk), {"summary": "Ours.", "document": upload("response.pdf", EXE_BYTES)}
    )
    assert "The selected file is not a type of file we accept." in text(response)
    assert not Response.objects.exists()


def test_a_member_of_two_groups_chooses_which_responds(client, today, consultation, vcs_member, food_bank):
    larder = OrganisationFactory(name="Riverside Larder")
    MembershipFactory(user=vcs_member, organisation=larder)
    client.force_login(vcs_member)
    response = client.post(url("respond", pk=consultation.pk), {"summary": "Ours."})
    assert "Choose the organisation that is responding" in text(response)
    stranger_group = OrganisationFactory(name="Not Theirs")
    response = client.post(url("respond", pk=consultation.pk), {"summary": "Ours.", "organisation": stranger_group.pk})
    assert "Choose one of your voluntary or community organisations" in text(response)
    client.post(url("respond", pk=consultation.pk), {"summary": "Ours.", "organisation": larder.pk})
    assert Response.objects.get().organisation == larder


def test_a_response_after_closing_is_recorded_with_a_warning(client, today, consultation, vcs_member):
    today(AFTER)
    client.force_login(vcs_member)
    response = client.get(url("respond", pk=consultation.pk))
    assert "This consultation closed on 28 March 2027." in text(response)
    assert client.post(url("respond", pk=consultation.pk), {"summary": "Sent by post."}).status_code == 302
    assert Response.objects.exists()


@pytest.mark.parametrize(
    ("day", "published", "message"),
    [
        (D(2026, 12, 20), None, "This consultation opens on 4 January 2027."),
        (AFTER, AFTER, "Feedback has been published, so responses can no longer be recorded."),
    ],
)
def test_no_response_before_it_opens_or_after_feedback(
    client, today, consultation, vcs_member, day, published, message
):
    today(day)
    consultation.feedback_published_on = published
    consultation.save()
    client.force_login(vcs_member)
    response = client.post(url("respond", pk=consultation.pk), {"summary": "Ours."}, follow=True)
    assert message in text(response)
    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["officer", "stranger", "coordinator"])
def test_only_vcs_members_respond(client, today, consultation, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("respond", pk=consultation.pk)).status_code == 403
    assert client.post(url("respond", pk=consultation.pk), {"summary": "Ours."}).status_code == 403
    assert not Response.objects.exists()


# --- A response's file -------------------------------------------------------------------------------------


@pytest.fixture
def response_with_file(consultation, food_bank, vcs_member):
    response = ResponseFactory(consultation=consultation, organisation=food_bank, submitted_by=vcs_member)
    response.document.save("our-response.pdf", upload("our-response.pdf"))
    return response


@pytest.mark.parametrize("who", ["vcs_member", "officer", "coordinator"])
def test_a_response_file_is_for_its_organisation_and_the_body(client, today, response_with_file, who, request):
    client.force_login(request.getfixturevalue(who))
    download = client.get(
        url("response_file", pk=response_with_file.consultation_id, response_pk=response_with_file.pk)
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize("who", ["other_vcs_member", "other_officer", "stranger", None])
def test_a_response_file_is_a_404_for_everyone_else(client, today, response_with_file, who, request):
    if who:
        client.force_login(request.getfixturevalue(who))
    path = url("response_file", pk=response_with_file.consultation_id, response_pk=response_with_file.pk)
    assert client.get(path).status_code == 404


def test_a_response_file_under_another_consultation_is_a_404(client, today, response_with_file, vcs_member, edition):
    other = ConsultationFactory(edition=edition)
    client.force_login(vcs_member)
    assert client.get(url("response_file", pk=other.pk, response_pk=response_with_file.pk)).status_code == 404


def test_a_response_without_a_file_is_a_404(client, today, consultation, food_bank, vcs_member):
    response = ResponseFactory(consultation=consultation, organisation=food_bank)
    client.force_login(vcs_member)
    assert client.get(url("response_file", pk=consultation.pk, response_pk=response.pk)).status_code == 404


# --- Feedback -----------------------------------------------------------------------------------------------


def item_data(**overrides) -> dict:
    data = {"theme": "Opening hours", "you_said": "Open on Saturdays.", "we_did": "It opens on Saturday mornings."}
    data.update(overrides)
    return data


def test_the_owner_adds_changes_and_removes_themes(client, today, consultation, officer):
    client.force_login(officer)
    page = url("feedback", pk=consultation.pk)
    assert client.get(page).status_code == 200
    response = client.post(page, item_data())
    assert response.status_code == 302 and response.url == page
    item = FeedbackItem.objects.get()
    assert "The theme ‘Opening hours’ is added." in text(client.get(page))

    assert 'value="Opening hours"' in page_html(client.get(page, {"item": item.pk}))
    client.post(f"{page}?item={item.pk}", item_data(theme="Saturday opening"))
    item.refresh_from_db()
    assert item.theme == "Saturday opening"

    assert "Remove the theme ‘Saturday opening’?" in text(client.get(page, {"item": item.pk, "remove": "1"}))
    client.post(f"{page}?item={item.pk}&remove=1", {})
    assert not FeedbackItem.objects.exists()

    client.post(f"{page}?part=summary", {"feedback_summary": "Nine groups responded."})
    consultation.refresh_from_db()
    assert consultation.feedback_summary == "Nine groups responded."


def test_a_theme_needs_all_three_parts(client, today, consultation, officer):
    client.force_login(officer)
    response = client.post(url("feedback", pk=consultation.pk), item_data(we_did=""))
    assert "Enter what changed as a result, or why nothing changed" in text(response)
    assert not FeedbackItem.objects.exists()


def test_a_theme_of_another_consultation_is_a_404(client, today, consultation, officer, edition, council):
    other = FeedbackItemFactory(consultation=ConsultationFactory(edition=edition, organisation=council))
    client.force_login(officer)
    assert client.get(url("feedback", pk=consultation.pk), {"item": other.pk}).status_code == 404
    assert client.get(url("feedback", pk=consultation.pk), {"item": "abc"}).status_code == 404


@pytest.mark.parametrize("who", ["other_officer", "vcs_member", "stranger"])
def test_others_may_not_write_or_publish_feedback(client, today, consultation, who, request):
    today(AFTER)
    FeedbackItemFactory(consultation=consultation)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("feedback", pk=consultation.pk)).status_code == 403
    assert client.post(url("feedback", pk=consultation.pk), item_data()).status_code == 403
    assert client.post(url("feedback_publish", pk=consultation.pk), {}).status_code == 403
    consultation.refresh_from_db()
    assert consultation.feedback_published_on is None and FeedbackItem.objects.count() == 1


def test_publishing_waits_for_the_close_and_for_content(client, today, consultation, officer):
    client.force_login(officer)
    publish = url("feedback_publish", pk=consultation.pk)
    assert "You can publish the feedback once the consultation has closed on 28 March 2027." in text(
        client.get(publish)
    )
    response = client.post(publish, {})
    assert "Feedback can be published once it has closed." in text(response)
    today(AFTER)
    response = client.post(publish, {})
    assert "Add at least one theme" in text(response)
    consultation.refresh_from_db()
    assert consultation.feedback_published_on is None


def test_the_owner_publishes_the_feedback_and_the_respondents_are_told(
    client, today, consultation, officer, food_bank, vcs_member, django_capture_on_commit_callbacks
):
    today(AFTER)
    ResponseFactory(consultation=consultation, organisation=food_bank)
    FeedbackItemFactory(consultation=consultation, theme="Opening hours")
    client.force_login(officer)
    publish = url("feedback_publish", pk=consultation.pk)
    assert "Opening hours" in text(client.get(publish))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish, {})
    assert response.status_code == 302 and response.url.endswith("#feedback")
    consultation.refresh_from_db()
    assert consultation.feedback_published_on == AFTER
    assert [m.to for m in mail.outbox] == [[vcs_member.email]]
    assert mail.outbox[0].subject == "Feedback on ‘Future of the Riverside library’ has been published"
    client.logout()
    page = text(client.get(consultation.get_absolute_url()))
    assert "Opening hours" in page and "Feedback published" in page
    # Publishing twice does nothing more.
    client.force_login(officer)
    assert client.post(publish, {}).status_code == 302
    assert len(mail.outbox) == 1


# --- Throttle -----------------------------------------------------------------------------------------------


@pytest.fixture
def throttles():
    """Count in a real (in-memory) cache; the test settings count nothing (see settings/test.py)."""
    with override_settings(PORTAL_THROTTLE_CACHE="default"):
        caches["default"].clear()
        yield
        caches["default"].clear()


def test_registering_is_limited_per_officer_per_day(client, today, edition, officer, throttles, monkeypatch):
    clock = {"now": 1_800_000_000.0}  # on a window boundary
    monkeypatch.setattr(throttle, "now", lambda: clock["now"])
    client.force_login(officer)
    refused = client.post(url("create"), form_data(edition.compact, title=""))  # sent back: not counted
    answers = [
        client.post(url("create"), form_data(edition.compact, title=f"Consultation {n}")).status_code
        for n in range(views.REGISTRATIONS_PER_DAY + 1)
    ]
    assert refused.status_code == 200
    assert answers == [302] * views.REGISTRATIONS_PER_DAY + [429]
    assert Consultation.objects.count() == views.REGISTRATIONS_PER_DAY
    blocked = client.post(url("create"), form_data(edition.compact, title="One more"))
    assert blocked.status_code == 429 and "You can try again in" in text(blocked)
    clock["now"] += 24 * 60 * 60
    assert client.post(url("create"), form_data(edition.compact, title="Next day")).status_code == 302


# --- In Welsh (issue 14) ------------------------------------------------------------------------------------


def test_registering_and_changing_saves_the_welsh_title_and_summary(client, today, edition, officer):
    client.force_login(officer)
    page = page_html(client.get(url("create")))
    assert page.index('name="title"') < page.index('name="title_cy"') < page.index('name="summary"')
    assert page.index('name="summary"') < page.index('name="summary_cy"') < page.index('name="policy_area"')
    assert re.search(
        r'<textarea[^>]*name="summary_cy"[^>]*lang="cy"|<textarea[^>]*lang="cy"[^>]*name="summary_cy"', page
    )
    data = form_data(edition.compact, title_cy="Newidiadau i ganolfannau dydd", summary_cy="Rydym yn cynnig uno dwy.")
    client.post(url("create"), data)
    consultation = Consultation.objects.get()
    assert (consultation.title_cy, consultation.summary_cy) == (
        "Newidiadau i ganolfannau dydd",
        "Rydym yn cynnig uno dwy.",
    )
    response = client.post(url("edit", pk=consultation.pk), {**data, "title_cy": "x" * 251})
    assert "The title must be 250 characters or fewer" in text(response)  # the English field's limit
    client.post(url("edit", pk=consultation.pk), {**data, "title_cy": ""})
    consultation.refresh_from_db()
    assert consultation.title_cy == ""


def test_a_welsh_reader_sees_the_welsh_and_finds_it_by_searching(client, today, consultation):
    consultation.title_cy = "Dyfodol llyfrgell Glan yr Afon"
    consultation.save()
    welsh = {"HTTP_ACCEPT_LANGUAGE": "cy"}
    assert "Dyfodol llyfrgell Glan yr Afon" in page_html(client.get(url("list"), **welsh))
    assert "Dyfodol llyfrgell" in page_html(client.get(consultation.get_absolute_url(), **welsh))
    assert '<span lang="en">' in page_html(client.get(consultation.get_absolute_url(), **welsh))  # no Welsh summary
    assert "Dyfodol llyfrgell" in page_html(client.get(url("list"), {"q": "dyfodol"}, **welsh))
    assert "Riverside library" not in page_html(client.get(url("list"), {"q": "dyfodol"}))  # English readers: English
    assert "Future of the Riverside library" in page_html(client.get(url("list"), {"q": "riverside library"}))


def test_the_feedback_summary_is_saved_in_welsh_too(client, today, consultation, officer):
    today(AFTER)
    client.force_login(officer)
    page = url("feedback", pk=consultation.pk)
    form = page_html(client.get(f"{page}?part=summary"))
    assert form.index('name="feedback_summary"') < form.index('name="feedback_summary_cy"')
    client.post(f"{page}?part=summary", {"feedback_summary": "Nine groups.", "feedback_summary_cy": "Naw grŵp."})
    consultation.refresh_from_db()
    assert consultation.feedback_summary_cy == "Naw grŵp."


@pytest.mark.parametrize("day", [OPENS, OPENS + datetime.timedelta(days=20), CLOSES + datetime.timedelta(days=10)])
def test_the_list_pages_in_the_order_of_every_consultation_ranked_by_status(client, today, edition, council, day):
    """The list takes each status's part of a page down its own index: pages put together are the
    whole list in the public order (open closing soonest, forthcoming opening soonest, closed most
    recent), across every boundary between statuses."""
    today(day)
    many(edition, 45)
    Consultation.objects.filter(title__endswith="7").update(feedback_published_on=CLOSES + datetime.timedelta(days=45))
    expected = list(selectors.consultations_public(today=day).values_list("pk", flat=True))
    ids = selectors.ConsultationIdsInOrder(Consultation.objects.all(), day)
    assert ids.count() == len(expected) == 45
    assert len({status for status, number in ids.counts() if number}) >= 2
    for size in (7, 10):
        pages = [ids[start : start + size] for start in range(0, 45, size)]
        assert [pk for page in pages for pk in page] == expected, size
    pages = -(-45 // views.PER_PAGE)
    shown = [title for page in range(1, pages + 1) for title in table_titles(client.get(url("list"), {"page": page}))]
    titles = Consultation.objects.in_bulk(expected)
    assert shown == [titles[pk].title for pk in expected]
