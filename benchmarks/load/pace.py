"""How often each person Locust plays asks for a page (benchmarks/load/locustfile.py).

Kept apart from the locustfile so it can be tested without importing Locust, which patches the
standard library (gevent) in the process that imports it.
"""

import time


def even_pace(rate: float):
    """A wait time that keeps each person at ``rate`` requests a second, on a beat of their own.

    Locust's ``constant_throughput`` counts each person's beat from the moment they were made, all
    in the same second: the random wait in ``on_start`` meant to spread them was taken out again
    from their first interval, so every person asked at about the same moments for the whole run.
    Sixty-four of them at 40 requests a second then waited 140 ms for pages gunicorn made in 3 ms
    (its own log), while the same pages asked for at even moments took 4 ms. Here the beat starts
    when the person's first request does (``start``, from ``on_start``); a person who fell behind
    (a slow answer) starts again from now rather than asking at once for every beat they missed.
    """
    interval = 1 / rate

    def wait(user) -> float:
        now = time.monotonic()
        user.next_request_at = max(getattr(user, "next_request_at", now) + interval, now)
        return user.next_request_at - now

    return wait


def start(user) -> None:
    """The person's beat starts now (their first request)."""
    user.next_request_at = time.monotonic()
