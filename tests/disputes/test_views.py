"""The concern pages: happy paths, every refusal (404, never 403), reads logged and query counts."""

import html as html_lib
import re

import pytest
from django.core import mail
from django.urls import reverse

from commitments.models import Undertaking
from disputes.models import Case, CaseView, TimelineEntry
from tests.commitments.factories import UndertakingFactory
from tests.consultations.factories import EXE_BYTES, ConsultationFactory
from tests.disputes.factories import PDF_BYTES, PNG_BYTES, TODAY, D, World, png_naming, upload
from tests.funding.factories import FundingNoticeFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger, monkeypatch):
    monkeypatch.setattr("disputes.views.cases.today", lambda: TODAY)
    return World(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def url(name: str, **kwargs) -> str:
    return reverse(f"disputes:{name}", kwargs=kwargs)


def text(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"</?(strong|a)\b[^>]*>", "", page)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def about(organisation) -> str:
    """The second step of raising a concern: the form, about the organisation chosen by searching."""
    return url("create") + f"?respondent={organisation.pk}"


def form_data(world, **overrides) -> dict:
    undertaking = world.edition.undertakings.get(number="1.3")
    data = {
        f"undertakings_{world.edition.pk}_{undertaking.sector}": [str(undertaking.pk)],
        "summary": "The council cut our grant without notice",
        "what_happened": "A letter ended the grant over a weekend.",
        "happened_on_0": "15",
        "happened_on_1": "5",
        "happened_on_2": "2026",
        "outcome_sought": "Three months' notice.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- The list -----------------------------------------------------------------------------------------


def test_the_list_shows_the_users_cases_with_stage_and_due_date(client, world):
    case = world.open()
    client.force_login(world.vcs_member)
    page = text(client.get(url("list")))
    assert (
        f"{case.reference} The council cut our grant without notice Riverside Food Bank Riverside Borough Council"
        in page
    )
    assert "Informal dialogue 15 June 2026" in page
    assert "Raise a concern" in page


def test_the_list_shows_nothing_to_outsiders(client, world):
    world.open()
    for user in (world.stranger, world.outsider):
        client.force_login(user)
        assert "C-0" not in text(client.get(url("list")))


def test_the_list_needs_signing_in(client, world):
    response = client.get(url("list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["vcs_member", "officer", "coordinator"])
def test_the_list_takes_the_same_number_of_queries_however_many_cases(
    client, world, who, django_assert_max_num_queries
):
    client.force_login(getattr(world, who))
    world.open()
    with django_assert_max_num_queries(12) as one:
        client.get(url("list"))
    for _ in range(5):
        world.open(withhold_name=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url("list"))
    assert text(response).count("C-0") == 6


def add_joint_undertaking(world) -> Undertaking:
    outcome = world.edition.outcomes.get(number=1)
    return UndertakingFactory(
        outcome=outcome, number="1.5", sector="joint", text="Meet twice a year to plan local grants together."
    )


@pytest.mark.parametrize(
    ("raiser", "respondent", "own", "other"),
    [
        (
            "vcs_member",
            "council",
            "Undertakings public bodies made",
            "Undertakings the voluntary and community sector made",
        ),
        (
            "officer",
            "food_bank",
            "Undertakings the voluntary and community sector made",
            "Undertakings public bodies made",
        ),
    ],
)
def test_joint_undertakings_are_offered_after_the_respondents_own_whichever_its_sector(
    client, world, raiser, respondent, own, other
):
    joint = add_joint_undertaking(world)
    client.force_login(getattr(world, raiser))
    form = client.get(about(getattr(world, respondent))).content.decode().split("<form", 1)[1]
    joint_question = form.index("Undertakings both sectors made together")
    details = form.index('<details class="govuk-details"')
    assert form.index(own) < joint_question < details < form.index(other)  # not tucked away: they bind both
    assert form.index("1.5 Meet twice a year to plan local grants together.") > joint_question
    assert form.count('<details class="govuk-details"') == 1
    assert re.search(rf'name="undertakings_{world.edition.pk}_joint"[^>]*value="{joint.pk}"', form)


def test_a_concern_about_a_voluntary_group_can_cite_a_joint_undertaking(client, world):
    joint = add_joint_undertaking(world)
    client.force_login(world.officer)
    data = form_data(world)
    data.pop(f"undertakings_{world.edition.pk}_vcs")
    data[f"undertakings_{world.edition.pk}_joint"] = [str(joint.pk)]
    response = client.post(about(world.food_bank), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.respondent, list(case.undertakings.all())) == (world.food_bank, [joint])
    page = text(client.get(case.get_absolute_url()))
    assert "Undertaking 1.5 (Both sectors) Meet twice a year to plan local grants together." in page


# --- Raising a concern --------------------------------------------------------------------------------


def test_a_member_raises_a_concern_with_evidence(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.vcs_member)
    page = text(client.get(about(world.council)))
    assert "You are raising it for Riverside Food Bank." in page
    assert "The concern is about Riverside Borough Council Change the organisation the concern is about" in page
    assert "1.3 Voluntary and community sector promise 1.3." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            about(world.council),
            form_data(
                world,
                withhold_name="on",
                evidence_1=upload("letter.pdf"),
                evidence_2=upload("photo.png", png_naming("Riverside Food Bank"), "image/png"),
            ),
        )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.complainant, case.respondent, case.edition, case.withhold_name) == (
        world.food_bank,
        world.council,
        world.edition,
        True,
    )
    assert case.happened_on == D(2026, 5, 15)
    documents = case.timeline.filter(kind=TimelineEntry.Kind.DOCUMENT)
    assert sorted(documents.values_list("file_name", flat=True)) == ["letter.pdf", "photo.png"]
    assert any(case.reference in m.subject for m in mail.outbox)
    # One email per person for the whole concern and its files (it was 12: 4 "opened", 8 "document
    # added"): the two members of the food bank, the council's officer and the coordinator.
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [world.vcs_member.email, world.volunteer.email, world.officer.email, world.coordinator.email]
    )
    coordinator_email = next(m for m in mail.outbox if world.coordinator.email in m.to)
    assert "It comes with 2 files of evidence." in coordinator_email.body
    assert "check each file before the other party sees it" in coordinator_email.body
    council_email = next(m for m in mail.outbox if world.officer.email in m.to)
    assert "evidence" not in council_email.body  # held for the coordinator's check


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"summary": ""}, "Enter the concern in a sentence"),
        ({"happened_on_1": "13"}, "Enter a real date"),
        ({"happened_on_0": "", "happened_on_1": "", "happened_on_2": ""}, "Enter the date it happened"),
        ({"happened_on_2": "2030"}, "today or in the past"),
    ],
)
def test_a_concern_with_mistakes_is_shown_again_with_errors(client, world, overrides, message):
    client.force_login(world.vcs_member)
    response = client.post(about(world.council), form_data(world, **overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert not Case.objects.exists()


def test_a_concern_needs_an_undertaking(client, world):
    client.force_login(world.vcs_member)
    data = {k: v for k, v in form_data(world).items() if not k.startswith("undertakings_")}
    response = client.post(about(world.council), data)
    assert "Choose at least one undertaking that was not kept" in text(response)
    assert not Case.objects.exists()


def test_undertakings_from_another_edition_are_refused(client, world):
    client.force_login(world.vcs_member)
    other = Undertaking.objects.exclude(edition=world.edition).first()
    key = f"undertakings_{world.edition.pk}_vcs"
    response = client.post(about(world.council), form_data(world, **{key: [str(other.pk) if other else "99999"]}))
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_evidence_is_checked_by_its_contents(client, world):
    client.force_login(world.vcs_member)
    response = client.post(about(world.council), form_data(world, evidence_1=upload("minutes.pdf", EXE_BYTES)))
    assert "not a type of file we accept" in text(response)
    response = client.post(about(world.council), form_data(world, evidence_1=upload("minutes.pdf", PNG_BYTES)))
    assert "Rename it to end in .png" in text(response)
    assert not Case.objects.exists()


def test_a_concern_about_your_own_organisation_sends_you_back_to_the_search(client, world):
    client.force_login(world.vcs_member)
    for response in (client.get(about(world.food_bank)), client.post(about(world.food_bank), form_data(world))):
        assert response.status_code == 302
        assert response["Location"] == url("create")
    page = text(client.get(url("create")))
    assert "A concern is raised about another organisation, not your own." in page
    assert "Which organisation is the concern about?" in page
    assert not Case.objects.exists()


def test_the_form_refuses_a_concern_about_the_organisation_raising_it(world):
    """Behind the view's guard, the form itself will not take a concern about its own organisation."""
    from disputes.forms import CaseForm

    undertaking = world.edition.undertakings.get(number="1.3")
    form = CaseForm(
        form_data(world), organisations=[world.food_bank], respondent=world.food_bank, undertakings=[undertaking]
    )
    assert not form.is_valid()
    assert "A concern is raised about another organisation, not your own." in form.non_field_errors()


@pytest.mark.parametrize("respondent", ["99999", "0"])
def test_an_unknown_organisation_is_not_found(client, world, respondent):
    client.force_login(world.vcs_member)
    assert client.get(url("create") + f"?respondent={respondent}").status_code == 404
    assert client.post(url("create") + f"?respondent={respondent}", form_data(world)).status_code == 404
    assert not Case.objects.exists()


def test_a_respondent_that_is_not_a_number_leads_to_the_search(client, world):
    client.force_login(world.vcs_member)
    response = client.get(url("create") + "?respondent=abc")
    assert response.status_code == 200
    assert "Which organisation is the concern about?" in text(response)


def test_someone_without_an_organisation_is_told_how_to_join_one(client, world):
    client.force_login(world.stranger)
    assert "You do not belong to one yet" in text(client.get(url("create")))
    assert client.post(url("create"), form_data(world)).status_code == 200
    assert not Case.objects.exists()


def test_a_concern_is_prefilled_from_a_consultation(client, world):
    consultation_undertaking = world.edition.undertakings.get(number="1.1")
    consultation_undertaking.themes = ["consultation"]
    consultation_undertaking.save()
    consultation = ConsultationFactory(edition=world.edition, organisation=world.council, title="Closing the library")
    client.force_login(world.vcs_member)
    response = client.get(url("create") + f"?consultation={consultation.pk}")
    html = response.content.decode()
    assert "The concern is about Riverside Borough Council Change" in text(response)
    assert re.search(rf'value="{consultation_undertaking.pk}"[^>]*checked', html)
    assert "Closing the library" in html
    data = form_data(world, **{f"undertakings_{world.edition.pk}_public": [str(consultation_undertaking.pk)]})
    client.post(url("create") + f"?consultation={consultation.pk}", data)
    assert Case.objects.get().source_consultation == consultation


def test_a_funding_notice_prefills_only_for_those_who_may_see_it(client, world):
    notice = FundingNoticeFactory(
        compact=world.compact, edition=world.edition, issuer=world.council, recipient=world.food_bank
    )
    client.force_login(world.vcs_member)
    response = client.get(url("create") + f"?funding={notice.pk}")
    assert "The concern is about Riverside Borough Council Change" in text(response)
    assert 'value="The change to our funding did not keep to the Compact."' in response.content.decode()
    client.force_login(world.outsider)
    response = client.get(url("create") + f"?funding={notice.pk}")
    assert "Which organisation is the concern about?" in text(response)  # the search, not the form
    assert "Riverside Borough Council" not in text(response)
    assert "funding did not keep" not in response.content.decode()


def test_a_funding_notice_from_your_own_body_is_not_a_concern_about_it(client, world):
    """The link is not offered to the body that gave notice; followed anyway, it leads to the search."""
    notice = FundingNoticeFactory(
        compact=world.compact, edition=world.edition, issuer=world.council, recipient=world.food_bank
    )
    client.force_login(world.officer)
    response = client.get(url("create") + f"?funding={notice.pk}")
    assert response.status_code == 302 and response["Location"] == url("create")


def test_choosing_another_organisation_drops_the_consultation(client, world):
    consultation = ConsultationFactory(edition=world.edition, organisation=world.council, title="Closing the library")
    other = PublicBodyFactory(name="Riverside Fire Service")
    client.force_login(world.vcs_member)
    response = client.get(url("create") + f"?consultation={consultation.pk}&respondent={other.pk}")
    assert "The concern is about Riverside Fire Service" in text(response)
    assert "Closing the library" not in text(response)
    client.post(url("create") + f"?consultation={consultation.pk}&respondent={other.pk}", form_data(world))
    case = Case.objects.get()
    assert (case.respondent, case.source_consultation) == (other, None)


def test_bad_prefill_values_are_ignored(client, world):
    client.force_login(world.vcs_member)
    for query in ("?consultation=abc", "?consultation=99999", "?funding=-1", "?funding=99999"):
        response = client.get(url("create") + query)
        assert response.status_code == 200
        assert "Which organisation is the concern about?" in text(response)


# --- Finding the organisation the concern is about ------------------------------------------------------


def result_links(response) -> list[str]:
    """The organisations offered by the search, as the names of their links."""
    return [
        html_lib.unescape(name)
        for name in re.findall(
            r'<a class="govuk-link" href="[^"]*\?respondent=\d+">([^<]+)</a>', response.content.decode()
        )
    ]


def test_raising_a_concern_starts_with_a_search_not_a_list_of_every_organisation(client, world):
    client.force_login(world.vcs_member)
    response = client.get(url("create"))
    page = text(response)
    assert "Which organisation is the concern about?" in page
    assert "Name of the organisation" in page
    assert "There is a problem" not in page  # not searched yet
    assert "<select" not in response.content.decode()
    assert result_links(response) == []


def test_the_search_finds_organisations_by_part_of_the_name_in_any_case(client, world):
    client.force_login(world.vcs_member)
    response = client.get(url("create"), {"q": "  BOROUGH coun "})
    assert result_links(response) == ["Riverside Borough Council"]
    assert f'href="{about(world.council)}"' in response.content.decode()
    assert "1 organisation found" in text(response)
    assert result_links(client.get(url("create"), {"q": "allotment"})) == ["Unrelated Allotment Society"]


def test_the_search_leaves_out_the_users_own_organisations(client, world):
    client.force_login(world.vcs_member)
    response = client.get(url("create"), {"q": "riverside"})
    assert result_links(response) == ["Riverside Borough Council"]  # not Riverside Food Bank, their own
    assert "Your own organisations are not shown" in text(response)


def test_the_search_shows_at_most_50_organisations(client, world):
    for n in range(60):
        OrganisationFactory(name=f"Parish Hall Trust {n:02}")
    client.force_login(world.vcs_member)
    response = client.get(url("create"), {"q": "parish hall"})
    links = result_links(response)
    assert len(links) == 50
    assert links[:2] == ["Parish Hall Trust 00", "Parish Hall Trust 01"]  # by name
    assert "Only the first 50 are shown. Type more of the name to narrow the search." in text(response)


def test_a_search_that_finds_nothing_says_so(client, world):
    client.force_login(world.vcs_member)
    response = client.get(url("create"), {"q": "Nowhere Society"})
    assert result_links(response) == []
    assert "0 organisations found" in text(response)
    assert "No organisation matches ‘Nowhere Society’." in text(response)


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_an_error(client, world, query):
    client.force_login(world.vcs_member)
    response = client.get(url("create"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "There is a problem" in text(response)
    assert text(response).count("Enter the name of the organisation the concern is about") == 2  # summary + field
    assert 'href="#id_q"' in html
    assert result_links(response) == []


def test_the_form_does_not_grow_with_the_number_of_organisations(client, world, django_assert_max_num_queries):
    """Only the chosen organisation is on the page: 300 more organisations change neither the number
    of queries nor the size of the page (beyond a few bytes of a longer primary key)."""
    OrganisationFactory.create_batch(5)
    client.force_login(world.vcs_member)
    with django_assert_max_num_queries(20) as few:
        small = client.get(about(world.council))
    OrganisationFactory.create_batch(300)
    PublicBodyFactory.create_batch(50)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        large = client.get(about(world.council))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert abs(len(large.content) - len(small.content)) < 200
    assert len(large.content) < 40_000


# --- A case -------------------------------------------------------------------------------------------


def test_the_complainant_sees_the_case_with_its_undertakings_and_moves(client, world):
    case = world.open(withhold_name=True)
    client.force_login(world.vcs_member)
    response = client.get(url("detail", pk=case.pk))
    page = text(response)
    html = response.content.decode()
    assert "Raised by Riverside Food Bank" in page
    assert "Raised about Riverside Borough Council" in page
    assert "Undertaking 1.3 (Voluntary and community sector) Voluntary and community sector promise 1.3." in page
    assert f"/compacts/riverside/editions/{world.edition.pk}/#u-1-3" in html or "#u-1-3" in html
    assert "This stage is due to finish by 15 June 2026." in page
    assert "Your organisation’s name is kept from the other party" in page
    assert "?to=formal" in html and "?to=closed%3Aresolved" in html
    assert "closed%3Anot_upheld" not in html
    assert "Who has read this concern" not in page


def test_the_coordinator_sees_every_move_and_the_read_log_link(client, world):
    case = world.open()
    client.force_login(world.coordinator)
    html = client.get(url("detail", pk=case.pk)).content.decode()
    assert "closed%3Anot_upheld" in html
    assert url("read_log", pk=case.pk) in html


def test_the_respondent_sees_no_moves(client, world):
    case = world.open()
    client.force_login(world.officer)
    html = client.get(url("detail", pk=case.pk)).content.decode()
    assert "?to=" not in html
    assert "Add to the timeline" in html


def test_reading_a_case_is_logged(client, world):
    case = world.open()
    client.force_login(world.officer)
    client.get(url("detail", pk=case.pk))
    assert list(CaseView.objects.values_list("user", flat=True)) == [world.officer.pk]
    client.force_login(world.coordinator)
    page = text(client.get(url("read_log", pk=case.pk)))
    assert world.officer.get_full_name() in page


@pytest.mark.parametrize("name", ["detail", "move", "add_entry", "read_log"])
@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_outsiders_get_404_on_every_case_page(client, world, name, who):
    case = world.open()
    client.force_login(getattr(world, who))
    suffix = "?to=formal" if name == "move" else ""
    assert client.get(url(name, pk=case.pk) + suffix).status_code == 404
    if name in ("move", "add_entry"):
        assert client.post(url(name, pk=case.pk) + suffix, {"text": "x", "kind": "note"}).status_code == 404
    assert not CaseView.objects.exists()
    assert not case.timeline.exists()


@pytest.mark.parametrize("name", ["detail", "move", "add_entry", "read_log"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    case = world.open()
    response = client.get(url(name, pk=case.pk))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_case_that_does_not_exist_is_404(client, world):
    client.force_login(world.coordinator)
    assert client.get(url("detail", pk=99999)).status_code == 404


def test_only_the_coordinator_reads_the_read_log(client, world):
    case = world.open()
    for user in (world.vcs_member, world.officer):
        client.force_login(user)
        assert client.get(url("read_log", pk=case.pk)).status_code == 404


# --- Moving on ----------------------------------------------------------------------------------------


def test_the_complainant_makes_a_formal_challenge(client, world, django_capture_on_commit_callbacks):
    case = world.open()
    client.force_login(world.vcs_member)
    assert "Make a formal written challenge" in text(client.get(url("move", pk=case.pk) + "?to=formal"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("move", pk=case.pk) + "?to=formal", {"note": "No answer came."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.stage_due_on) == ("formal", D(2026, 6, 29))


def test_closing_needs_a_note_and_records_the_lessons(client, world):
    case = world.open()
    client.force_login(world.coordinator)
    target = url("move", pk=case.pk) + "?to=closed:resolved"
    page = text(client.get(target))
    assert "Lessons learned" in page
    response = client.post(target, {"note": ""})
    assert "Say how the concern was settled" in text(response)
    client.post(target, {"note": "The grant was restored.", "lessons_learned": "Talk first."})
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.lessons_learned) == ("closed", "resolved", "Talk first.")
    client.force_login(world.officer)
    page = text(client.get(url("detail", pk=case.pk)))
    assert "Outcome Resolved, on 1 June 2026" in page
    assert "Lessons learned Talk first." in page


@pytest.mark.parametrize("to", ["formal", "closed:resolved", "closed:not_upheld", "closed:withdrawn"])
def test_the_respondent_cannot_open_a_move(client, world, to):
    case = world.open()
    client.force_login(world.officer)
    assert client.get(url("move", pk=case.pk) + f"?to={to}").status_code == 404
    assert client.post(url("move", pk=case.pk) + f"?to={to}", {"note": "Settled."}).status_code == 404
    case.refresh_from_db()
    assert case.stage == Case.Stage.INFORMAL


@pytest.mark.parametrize("to", ["", "closed:not_upheld", "mediation", "nonsense", "closed:"])
def test_the_complainant_cannot_make_a_move_that_is_not_theirs(client, world, to):
    case = world.open()
    client.force_login(world.vcs_member)
    assert client.get(url("move", pk=case.pk) + f"?to={to}").status_code == 404


# --- The timeline and its files ----------------------------------------------------------------------


def test_a_party_adds_a_letter_with_a_file_and_the_other_party_downloads_it(client, world):
    case = world.open()
    client.force_login(world.officer)
    page = text(client.get(url("add_entry", pk=case.pk)))
    assert "Who can see it?" not in page
    response = client.post(
        url("add_entry", pk=case.pk), {"kind": "letter", "text": "Our reply.", "file": upload("reply.pdf")}
    )
    assert response.status_code == 302
    entry = case.timeline.get()
    assert (entry.kind, entry.visibility, entry.author_organisation) == ("letter", "shared", world.council)
    client.force_login(world.vcs_member)
    html = client.get(url("detail", pk=case.pk)).content.decode()
    assert url("file", pk=case.pk, entry_pk=entry.pk) in html
    download = client.get(url("file", pk=case.pk, entry_pk=entry.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]


def test_a_party_cannot_make_an_entry_internal(client, world):
    case = world.open()
    client.force_login(world.officer)
    client.post(url("add_entry", pk=case.pk), {"kind": "note", "text": "Secret", "visibility": "internal"})
    assert case.timeline.get().visibility == "shared"


def test_an_empty_entry_or_a_bad_file_is_refused(client, world):
    case = world.open()
    client.force_login(world.officer)
    assert "Write something or attach a file" in text(client.post(url("add_entry", pk=case.pk), {"kind": "note"}))
    response = client.post(url("add_entry", pk=case.pk), {"kind": "document", "file": upload("x.pdf", EXE_BYTES)})
    assert "not a type of file we accept" in text(response)
    assert client.post(url("add_entry", pk=case.pk), {"kind": "stage", "text": "x"}).status_code == 200
    assert not case.timeline.exists()


def test_internal_entries_and_their_files_are_hidden_from_the_parties(client, world):
    case = world.open()
    client.force_login(world.coordinator)
    assert "Who can see it?" in text(client.get(url("add_entry", pk=case.pk)))
    client.post(
        url("add_entry", pk=case.pk),
        {"kind": "note", "text": "Private thoughts.", "visibility": "internal", "file": upload("notes.pdf")},
    )
    entry = case.timeline.get()
    assert entry.visibility == "internal"
    assert "Private thoughts." in text(client.get(url("detail", pk=case.pk)))
    assert client.get(url("file", pk=case.pk, entry_pk=entry.pk)).status_code == 200
    for user in (world.vcs_member, world.officer):
        client.force_login(user)
        assert "Private thoughts." not in text(client.get(url("detail", pk=case.pk)))
        assert client.get(url("file", pk=case.pk, entry_pk=entry.pk)).status_code == 404


def test_files_are_404_for_outsiders_and_for_other_cases(client, world):
    case = world.open()
    client.force_login(world.vcs_member)
    client.post(url("add_entry", pk=case.pk), {"kind": "document", "file": upload("evidence.pdf")})
    entry = case.timeline.get()
    for user in (world.stranger, world.outsider):
        client.force_login(user)
        assert client.get(url("file", pk=case.pk, entry_pk=entry.pk)).status_code == 404
    other = world.open()
    client.force_login(world.vcs_member)
    assert client.get(url("file", pk=other.pk, entry_pk=entry.pk)).status_code == 404
    client.logout()
    assert client.get(url("file", pk=case.pk, entry_pk=entry.pk)).status_code == 302


def test_nothing_can_be_added_to_a_closed_case(client, world):
    case = world.open()
    client.force_login(world.vcs_member)
    client.post(url("move", pk=case.pk) + "?to=closed:withdrawn", {})
    assert client.get(url("add_entry", pk=case.pk)).status_code == 404


# --- The undertakings on the concern form ----------------------------------------------------------


def test_the_respondents_sector_comes_first_grouped_by_outcome_the_rest_one_click_away(client, world):
    client.force_login(world.vcs_member)
    page = client.get(about(world.council)).content.decode()
    form = page.split("<form", 1)[1]
    public = form.index("Undertakings public bodies made")
    details = form.index('<details class="govuk-details"')
    vcs = form.index("Undertakings the voluntary and community sector made")
    assert public < details < vcs  # the council's undertakings first, the VCS ones inside a details
    summary = form[details:vcs]
    assert "Undertakings for the voluntary and community sector" in summary
    assert " open" not in summary.split(">", 1)[0]  # closed until wanted
    # Each question is a fieldset of fieldsets, one per outcome, with a legend a screen reader reads.
    public_part = form[public:details]
    assert public_part.count('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">') == 2
    assert "Outcome 1: Outcome 1 title" in public_part
    assert "Outcome 2: Outcome 2 title" in public_part
    assert public_part.index("Public sector promise 1.1.") < public_part.index("Outcome 2: Outcome 2 title")
    assert public_part.index("Outcome 2: Outcome 2 title") < public_part.index("Public sector promise 2.1.")
    labels = re.findall(r'<label class="govuk-label govuk-checkboxes__label" for="(id_undertakings[^"]+)"', form)
    inputs = re.findall(
        r'<input type="checkbox" name="undertakings_[^"]+" class="govuk-checkboxes__input" id="([^"]+)"', form
    )
    assert labels == inputs and len(set(inputs)) == len(inputs) == 8  # every box has its own label


def test_about_a_voluntary_group_its_sectors_undertakings_come_first(client, world):
    client.force_login(world.officer)
    form = client.get(about(world.food_bank)).content.decode().split("<form", 1)[1]
    assert (
        form.index("Undertakings the voluntary and community sector made")
        < form.index('<details class="govuk-details"')
        < form.index("Undertakings public bodies made")
    )


def test_a_tucked_away_choice_is_shown_open_when_the_form_comes_back(client, world):
    client.force_login(world.vcs_member)
    vcs = world.edition.undertakings.get(number="1.3")
    data = form_data(world, summary="")
    data[f"undertakings_{world.edition.pk}_{vcs.sector}"] = [str(vcs.pk)]
    form = client.post(about(world.council), data).content.decode().split("<form", 1)[1]
    details = form[form.index('<details class="govuk-details"') :]
    assert details.split(">", 1)[0].endswith(" open")
    assert re.search(rf'value="{vcs.pk}" checked', details)


def test_a_welsh_reader_chooses_undertakings_by_their_welsh_text(client, world):
    undertaking = world.edition.undertakings.get(number="1.3")
    undertaking.text_cy = "Addewid <yn Gymraeg>"
    undertaking.save()
    client.force_login(world.vcs_member)
    form = client.get(about(world.council), HTTP_ACCEPT_LANGUAGE="cy").content.decode().split("<form", 1)[1]
    assert "1.3 Addewid &lt;yn Gymraeg&gt;" in form
    other = world.edition.undertakings.exclude(text_cy__gt="").filter(sector=undertaking.sector).first()
    assert f'{other.number} <span lang="en">' in form  # no Welsh: marked as English
