"""The national table rewrites docs/benchmarks.md but keeps the sections other tools mark there."""

from benchmarks.management.commands.bench import write_docs

LOAD = "<!-- load:start -->\n## Load test\n\n| users | p95 |\n|---|---|\n| 50 | 120 ms |\n<!-- load:end -->"


def test_a_marked_section_survives_a_new_table(tmp_path):
    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"# Benchmark results\n\nOld table\n\n{LOAD}\n\nOld notes\n")

    write_docs(docs, "# Benchmark results\n\nNew table\n")

    text = docs.read_text()
    assert "New table" in text
    assert "Old table" not in text
    assert "Old notes" not in text
    assert LOAD in text
    assert text.count("<!-- load:start -->") == 1


def test_a_section_in_the_new_text_is_replaced_by_the_kept_one(tmp_path):
    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"Old\n{LOAD}\n")

    write_docs(docs, "New\n<!-- load:start -->\nstale\n<!-- load:end -->\nTail\n")

    text = docs.read_text()
    assert text == f"New\n{LOAD}\nTail\n"


def test_without_an_old_file_the_table_is_written_as_it_is(tmp_path):
    docs = tmp_path / "benchmarks.md"

    write_docs(docs, "# Benchmark results\n")

    assert docs.read_text() == "# Benchmark results\n"


def test_a_marker_quoted_in_a_sentence_is_not_a_section(tmp_path):
    from benchmarks.management.commands.bench import keep_marked_sections

    old = "Notes: a rewrite keeps any section marked `<!-- name:start -->` … `<!-- name:end -->`.\n"
    assert keep_marked_sections("# Table\n", old) == "# Table\n"
