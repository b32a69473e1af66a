"""manage.py import_compact: saves a draft from a text file, or nothing at all."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Edition, Sector

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample_compact.txt"

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("import_compact", *[str(a) for a in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def test_saves_a_draft_with_every_outcome_and_undertaking(compact):
    output = run(SAMPLE, "--compact", compact.slug, "--name", "Fernbrook text 2027")

    edition = Edition.objects.get(compact=compact)
    assert edition.name == "Fernbrook text 2027"
    assert edition.is_draft
    assert edition.created_by is None
    assert list(edition.outcomes.values_list("number", "title")) == [
        (1, "A confident and independent local voluntary sector"),
        (2, "Decisions made with communities, not for them"),
        (3, "Fair and predictable funding"),
    ]
    assert edition.undertakings.filter(sector=Sector.PUBLIC).count() == 9
    assert edition.undertakings.filter(sector=Sector.VCS).count() == 7
    assert edition.undertakings.get(number="2.5").text == (
        "Say who is being represented and how their views were gathered."
    )
    assert edition.making_it_work.startswith("The Fernbrook Compact Forum")
    assert edition.dispute_resolution.startswith("Most concerns")
    assert "Outcome 2: Decisions made with communities, not for them – 3 public sector, 2 voluntary" in output
    assert "16 undertakings (9 public sector, 7 voluntary and community sector)" in output
    assert "Fernbrook text 2027" in output


def test_default_name(compact):
    run(SAMPLE, "--compact", compact.slug)
    assert Edition.objects.get(compact=compact).name.startswith("Imported ")


def test_dry_run_saves_nothing(compact):
    output = run(SAMPLE, "--compact", compact.slug, "--dry-run")
    assert "16 undertakings" in output
    assert "nothing was saved" in output
    assert not Edition.objects.exists()


def test_unreadable_text_saves_nothing_and_names_the_line(compact, tmp_path):
    bad = tmp_path / "bad.txt"
    text = SAMPLE.read_text(encoding="utf-8").replace("2.4 Pass news", "3.4 Pass news")
    bad.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        run(bad, "--compact", compact.slug)

    assert "Line 28: Undertaking 3.4 is under Outcome 2; its number must start with 2." in str(caught.value)
    assert "nothing was saved" in str(caught.value)
    assert not Edition.objects.exists()


def test_every_error_is_listed(compact, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Title\nOutcome 1: One\n1.1 No sector.\nOutcome 2: Empty\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(bad, "--compact", compact.slug)
    assert "Line 3:" in str(caught.value)
    assert "Line 4:" in str(caught.value)


def test_a_damaged_pdf_is_refused(compact, tmp_path):
    pdf = tmp_path / "compact.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    with pytest.raises(CommandError, match="could not be imported and nothing was saved"):
        run(pdf, "--compact", compact.slug)
    assert not Edition.objects.exists()


def test_a_word_document_is_imported(compact, tmp_path):
    import docx

    document = docx.Document()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "fernbrook.docx"
    document.save(path)
    output = run(path, "--compact", compact.slug, "--name", "From Word")
    edition = Edition.objects.get(compact=compact)
    assert edition.undertakings.filter(sector=Sector.PUBLIC).count() == 9
    assert edition.undertakings.filter(sector=Sector.VCS).count() == 7
    assert "16 undertakings" in output


def test_the_compacts_reading_rules_are_used(compact, tmp_path):
    from commitments.models import ImportRule

    path = tmp_path / "themed.txt"
    path.write_text(
        "The Millbrook Compact\nPillar 1 – Open doors\nThe Council will:\n1.1 Keep the hall open.\n"
        "The VCS will:\n1.2 Use the hall well.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Did you mean line 2, ‘Pillar 1 – Open doors’, as Outcome 1"):
        run(path, "--compact", compact.slug)
    ImportRule.objects.create(compact=compact, kind=ImportRule.Kind.OUTCOME, text="Pillar")
    output = run(path, "--compact", compact.slug)
    assert "Outcome 1: Open doors – 1 public sector, 1 voluntary and community sector" in output
    assert Edition.objects.get(compact=compact).undertakings.count() == 2


def test_unknown_compact(db):
    with pytest.raises(CommandError, match="no Compact with the short name ‘nowhere’"):
        run(SAMPLE, "--compact", "nowhere")
    assert not Edition.objects.exists()


def test_missing_file(compact, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run(tmp_path / "missing.txt", "--compact", compact.slug)


def test_imports_the_real_seed(compact, seed_compact_path):
    output = run(seed_compact_path, "--compact", compact.slug, "--name", "County Durham")
    edition = Edition.objects.get(compact=compact)
    assert edition.outcomes.count() == 5
    assert edition.undertakings.filter(sector=Sector.PUBLIC).count() == 32
    assert edition.undertakings.filter(sector=Sector.VCS).count() == 21
    assert "53 undertakings" in output


def test_warnings_are_printed(compact, tmp_path):
    gappy = tmp_path / "gappy.txt"
    gappy.write_text(
        SAMPLE.read_text(encoding="utf-8")
        .replace("3.2 Pay grants", "3.4 Pay grants")
        .replace("3.4 Plan for", "3.2 Plan for"),
        encoding="utf-8",
    )
    output = run(gappy, "--compact", compact.slug, "--dry-run")
    assert "Check: Line 40: Undertaking 3.2 comes after 3.3. Check the numbering." in output


def test_name_too_long(compact):
    with pytest.raises(CommandError, match="200 characters or fewer"):
        run(SAMPLE, "--compact", compact.slug, "--name", "x" * 201)
    assert not Edition.objects.exists()
