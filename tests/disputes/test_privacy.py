"""A complainant who asks for its name to be withheld: nothing the other party can reach names it.

The same story is played with the name withheld and not withheld. Every page the respondent's member
can open, every file they can download, every notification and email sent to them is collected;
with the name withheld none of it contains the complainant's name or the names of its people, and
without (so that this test can fail) the same content does name them.
"""

import pytest
from django.core import mail
from django.urls import reverse

from disputes import services
from tests.disputes.factories import PDF_BYTES, TODAY, World, upload

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


def secrets(world) -> list[str]:
    return [
        world.food_bank.name,
        world.volunteer.get_full_name(),
        world.volunteer.last_name,
        world.vcs_member.get_full_name(),
        world.vcs_member.last_name,
        world.volunteer.email,
        world.vcs_member.email,
    ]


def play_the_case(world, client, *, withhold: bool, capture):
    """A concern raised with evidence, talked about by both parties and the coordinator, moved on."""
    with capture(execute=True):
        client.force_login(world.volunteer)
        undertaking = world.edition.undertakings.get(number="1.3")
        client.post(
            reverse("disputes:create") + f"?respondent={world.council.pk}",
            {
                "organisation": str(world.food_bank.pk),
                f"undertakings_{world.edition.pk}_{undertaking.sector}": [str(undertaking.pk)],
                "summary": "The grant was cut without notice",
                "what_happened": "A letter ended the grant over a weekend.",
                "happened_on_0": "15",
                "happened_on_1": "5",
                "happened_on_2": "2026",
                "outcome_sought": "Three months' notice.",
                "withhold_name": "on" if withhold else "",
                "evidence_1": upload("grant-letter.pdf"),
            },
        )
        case = world.food_bank.cases_raised.get()
        client.force_login(world.vcs_member)
        client.post(
            reverse("disputes:add_entry", kwargs={"pk": case.pk}), {"kind": "note", "text": "We tried to call."}
        )
        client.post(reverse("disputes:move", kwargs={"pk": case.pk}) + "?to=formal", {"note": "No answer came."})
        services.timeline_add(case=case, by=world.coordinator, kind="meeting", text="Met both parties separately.")
        services.timeline_add(case=case, by=world.officer, kind="letter", text="Our reply.", file=upload("reply.pdf"))
    assert case.withhold_name is withhold
    return case


def respondent_sees(world, client, case) -> list[str]:
    """Everything the respondent's member can reach about the case, as text."""
    client.force_login(world.officer)
    seen = []
    for path in (
        reverse("disputes:list"),
        reverse("disputes:detail", kwargs={"pk": case.pk}),
        reverse("disputes:add_entry", kwargs={"pk": case.pk}),
        reverse("notifications:list"),
        reverse("accounts:dashboard"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        seen.append(response.content.decode())
    for move in ("formal", "mediation", "closed:resolved", "closed:withdrawn", "closed:not_upheld"):
        response = client.get(reverse("disputes:move", kwargs={"pk": case.pk}) + f"?to={move}")
        assert response.status_code == 404  # the respondent has no moves to make
    files = case.timeline.exclude(file="")
    assert files.count() == 2
    for entry in files:
        response = client.get(reverse("disputes:file", kwargs={"pk": case.pk, "entry_pk": entry.pk}))
        assert response.status_code == 200
        seen.append(response["Content-Disposition"])
        assert b"".join(response.streaming_content) == PDF_BYTES
    emails = [m for m in mail.outbox if world.officer.email in m.to]
    assert len(emails) >= 4  # opened, a note, the evidence, the stage change, the meeting, the letter
    seen.extend(f"{m.subject}\n{m.body}\n{m.alternatives}" for m in emails)
    return seen


def test_the_withheld_name_reaches_the_other_party_nowhere(client, world, django_capture_on_commit_callbacks):
    case = play_the_case(world, client, withhold=True, capture=django_capture_on_commit_callbacks)
    seen = respondent_sees(world, client, case)
    for secret in secrets(world):
        leaks = [content[:200] for content in seen if secret in content]
        assert not leaks, f"{secret!r} reached the respondent: {leaks}"
    detail = seen[1]
    assert "A voluntary or community organisation (name withheld)" in detail
    assert "The complainant" in detail


def test_the_same_content_names_the_complainant_when_not_withheld(client, world, django_capture_on_commit_callbacks):
    case = play_the_case(world, client, withhold=False, capture=django_capture_on_commit_callbacks)
    seen = respondent_sees(world, client, case)
    everything = "\n".join(seen)
    assert world.food_bank.name in seen[0]  # the list
    assert world.food_bank.name in seen[1]  # the case page
    assert world.volunteer.get_full_name() in seen[1]  # the evidence's author
    assert world.vcs_member.get_full_name() in seen[1]  # the note's author
    emails = [m for m in mail.outbox if world.officer.email in m.to]
    assert any(world.food_bank.name in m.body for m in emails)
    assert everything


def test_the_complainant_and_the_coordinator_still_see_the_name(client, world, django_capture_on_commit_callbacks):
    case = play_the_case(world, client, withhold=True, capture=django_capture_on_commit_callbacks)
    for user in (world.vcs_member, world.coordinator):
        client.force_login(user)
        page = client.get(reverse("disputes:detail", kwargs={"pk": case.pk})).content.decode()
        assert world.food_bank.name in page
    for email in (world.vcs_member.email, world.coordinator.email):
        assert any(world.food_bank.name in m.body for m in mail.outbox if email in m.to)
