"""Running the same call in several threads at once, as several workers would (tests of what two
sweeps, tasks or senders do together, on PostgreSQL)."""

import threading

from django.db import connections


def at_once(call, times: int, *, timeout: float = 120, start_together: bool = True) -> list:
    """``call()`` in ``times`` threads, each on its own database connection (closed when it ends,
    so that the test database can be dropped), started together at a barrier unless
    ``start_together`` is false (the call then holds its own). Returns their results; an exception
    raised in a thread is raised here, in the test's."""
    barrier = threading.Barrier(times, timeout=30)
    results, errors = [], []

    def run():
        try:
            if start_together:
                barrier.wait()
            results.append(call())
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if errors:
        raise errors[0]
    assert len(results) == times, "a thread did not finish in time"
    return results
