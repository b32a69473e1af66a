import datetime

import pytest
from django.db import IntegrityError

from commitments import services
from commitments.importer import ParsedCompact, ParsedOutcome, ParsedUndertaking
from commitments.models import Edition, EditionStatusChange, Undertaking
from tests.commitments.factories import EditionFactory, OutcomeFactory, build_edition

pytestmark = pytest.mark.django_db


def test_start_from_current_copies_text_parameters_and_every_part(edition, coordinator):
    edition.consultation_min_weeks = 10
    edition.introduction = "Our promise to each other."
    edition.save()
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)

    assert draft.status == Edition.Status.DRAFT
    assert draft.based_on == edition
    assert draft.consultation_min_weeks == 10
    assert draft.introduction == "Our promise to each other."
    assert list(draft.undertakings.values_list("number", "sector", "text")) == list(
        edition.undertakings.values_list("number", "sector", "text")
    )
    assert [o.number for o in draft.outcomes.all()] == [1, 2]
    assert [p.title for p in draft.principles.all()] == ["Respect", "Honesty"]
    # The copy belongs to the draft: its undertakings point at the draft's own outcomes.
    assert set(draft.undertakings.values_list("outcome__edition", flat=True)) == {draft.pk}


def test_publish_supersedes_the_current_edition_in_one_go(edition, coordinator, django_capture_on_commit_callbacks):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)
    with django_capture_on_commit_callbacks() as callbacks:
        services.edition_publish(edition=draft, by=coordinator, today=datetime.date(2027, 3, 4))

    edition.refresh_from_db()
    draft.refresh_from_db()
    assert edition.status == Edition.Status.SUPERSEDED
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.published_on == datetime.date(2027, 3, 4)
    assert list(
        EditionStatusChange.objects.filter(changed_by=coordinator).values_list("edition", "old_status", "new_status")
    ) == [(edition.pk, "published", "superseded"), (draft.pk, "draft", "published")]
    assert len(callbacks) == 1  # the PDF render is queued after commit, not before


def test_publishing_twice_is_refused(edition, coordinator):
    with pytest.raises(services.EditionError, match="Only a draft"):
        services.edition_publish(edition=edition, by=coordinator)


def test_an_empty_draft_cannot_be_published(compact, coordinator):
    draft = services.edition_create_draft(compact=compact, name="Empty", by=coordinator)
    with pytest.raises(services.EditionError, match="at least one outcome"):
        services.edition_publish(edition=draft, by=coordinator)
    draft.refresh_from_db()
    assert draft.status == Edition.Status.DRAFT


def test_an_outcome_without_undertakings_blocks_publishing(compact, coordinator):
    draft = build_edition(compact=compact, status=Edition.Status.DRAFT, outcomes=1)
    OutcomeFactory(edition=draft, number=7)
    with pytest.raises(services.EditionError, match="Outcome 7 has no undertakings"):
        services.edition_publish(edition=draft, by=coordinator)


def test_superseded_edition_cannot_come_back(edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second", by=coordinator)
    services.edition_publish(edition=draft, by=coordinator)
    edition.refresh_from_db()
    with pytest.raises(services.EditionError):
        services._edition_set_status(edition=edition, new_status=Edition.Status.PUBLISHED, by=coordinator)


def test_database_allows_only_one_published_edition_per_compact(edition):
    with pytest.raises(IntegrityError):
        EditionFactory(compact=edition.compact, status=Edition.Status.PUBLISHED, published_on=datetime.date(2027, 1, 1))


def test_ensure_draft_refuses_published(edition):
    with pytest.raises(services.EditionError):
        services.ensure_draft(edition)


def parsed_with(*sectors: str) -> ParsedCompact:
    undertakings = [
        ParsedUndertaking(number=f"1.{n}", sector=sector, text=f"Promise {n} of our own.", line=n + 1)
        for n, sector in enumerate(sectors, start=1)
    ]
    outcome = ParsedOutcome(number=1, title="Working together", line=1, undertakings=undertakings)
    return ParsedCompact(title="Test Compact", introduction="", outcomes=[outcome])


def test_an_imported_joint_undertaking_is_saved_as_joint_and_counted(compact, coordinator):
    parsed = parsed_with("public", "vcs", "joint")
    assert parsed.count_by_sector() == {"public": 1, "vcs": 1, "joint": 1}
    draft = services.edition_create_from_import(compact=compact, parsed=parsed, name="Imported", by=coordinator)
    assert list(draft.undertakings.values_list("number", "sector")) == [
        ("1.1", "public"),
        ("1.2", "vcs"),
        ("1.3", "joint"),
    ]
    assert draft.undertakings.get(number="1.3").get_sector_display() == "Both sectors"


def test_an_import_with_an_unknown_sector_saves_nothing(compact, coordinator):
    with pytest.raises(services.EditionError, match="do not say which sector"):
        services.edition_create_from_import(
            compact=compact, parsed=parsed_with("public", "both"), name="Imported", by=coordinator
        )
    assert not Undertaking.objects.filter(edition__compact=compact).exists()
    assert not compact.editions.exists()
