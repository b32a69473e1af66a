"""Each person make load plays keeps an even pace on a beat of their own (benchmarks/load/pace.py)."""

from types import SimpleNamespace
from unittest import mock

import pytest

from benchmarks.load import pace


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch.object(pace.time, "monotonic", clock):
        yield clock


def test_a_person_keeps_their_own_beat_from_their_first_request(clock):
    wait = pace.even_pace(2.0)  # every half second
    late, early = SimpleNamespace(), SimpleNamespace()
    pace.start(early)
    clock.now += 0.3  # spread: this one started 0.3 s later (Locust made both at once)
    pace.start(late)
    clock.now += 0.02  # each request took 20 ms
    assert wait(late) == pytest.approx(0.48)
    assert wait(early) == pytest.approx(0.18)  # its beat, not the moment it was made
    # Each goes on at its own beat: their requests stay 0.3 s apart.
    clock.now += 0.18
    assert early.next_request_at == pytest.approx(clock.now)
    assert late.next_request_at - early.next_request_at == pytest.approx(0.3)


def test_a_person_who_fell_behind_starts_again_from_now(clock):
    wait = pace.even_pace(2.0)
    person = SimpleNamespace()
    pace.start(person)
    clock.now += 1.7  # a slow answer: three beats missed
    assert wait(person) == 0  # asks again at once, once
    clock.now += 0.01
    assert wait(person) == pytest.approx(0.49)  # then half a second on, not three requests at once
