"""The PDF render runs on a data-stack chunk of its own (``documents.on_a_stack_chunk_of_its_own``).

CPython 3.11 maps a 16 KiB chunk for Python frames when a call needs one and unmaps it when the
first frame in it returns: a recursion going up and down across a chunk boundary maps and unmaps
it on every crossing (python/cpython#142183). WeasyPrint's layout does that from some depths of the
caller's stack: the render in the worker's task was 10 to 30 % slower than the same render from a
shallow stack. Counted here in page faults (each new chunk faults its pages in), which unlike
times do not depend on how busy the machine is.
"""

import resource

import pytest

from compact_portal import documents


def _at_depth(depth, function):
    return function() if depth == 0 else _at_depth(depth - 1, function)


def _up_and_down():
    def descend(levels):
        return 0 if levels == 0 else descend(levels - 1) + 1

    for _ in range(2_000):
        descend(30)


def _most_page_faults(call) -> int:
    """The most page faults ``_up_and_down`` makes, over the caller's stack depths from 0 to 250."""
    most = 0
    for depth in range(0, 250, 5):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        _at_depth(depth, lambda: call(_up_and_down))
        most = max(most, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return most


def test_a_recursion_on_a_chunk_of_its_own_maps_no_chunk_whatever_the_depth_of_its_caller():
    own_chunk = _most_page_faults(documents.on_a_stack_chunk_of_its_own)
    assert own_chunk < 200
    plain = _most_page_faults(lambda function: function())
    if plain < 1_000:
        pytest.skip("this Python keeps a chunk back (python/cpython#142183 fixed): nothing to compare with")
    assert plain > 10 * own_chunk  # from some depths a plain call maps a chunk on every descent


def test_on_a_chunk_of_its_own_returns_and_raises_what_the_function_does():
    assert documents.on_a_stack_chunk_of_its_own(lambda: 42) == 42

    def broken():
        raise ValueError("no fonts")

    with pytest.raises(ValueError, match="no fonts"):
        documents.on_a_stack_chunk_of_its_own(broken)


def test_the_pdf_is_rendered_on_a_chunk_of_its_own(monkeypatch):
    calls = []
    real = documents.on_a_stack_chunk_of_its_own

    def spy(function):
        calls.append(function)
        return real(function)

    monkeypatch.setattr(documents, "on_a_stack_chunk_of_its_own", spy)
    data = documents.render_pdf(documents.WARM_UP_HTML.format(href="pdf/compact.css"), stylesheet="pdf/compact.css")
    assert data.startswith(b"%PDF-")
    assert len(calls) == 1
