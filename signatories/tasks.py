"""Background work for signatories: asking the signatories of a replaced edition to re-affirm.
Thin: ids in, a services.py call out."""

from celery import shared_task
from django.contrib.auth import get_user_model

from commitments.models import Edition
from signatories import services

# Asking 500 organisations takes a few seconds (services.REAFFIRMATION_BATCH at a time, each batch
# committed): the limits stop a runaway run; a second run goes on from the last batch committed.
REAFFIRMATION_SOFT_TIME_LIMIT = 10 * 60
REAFFIRMATION_TIME_LIMIT = 11 * 60


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=REAFFIRMATION_SOFT_TIME_LIMIT,
    time_limit=REAFFIRMATION_TIME_LIMIT,
)
def request_reaffirmation(previous_id: int, new_id: int, by_id: int | None) -> int:
    """Ask the signatories of edition ``previous_id`` to re-affirm for ``new_id`` (queued when the
    publishing commits; see ``services.on_edition_replaced``). Returns how many were asked.

    Safe to run again, or twice at once: ``acks_late`` means a worker killed half-way leaves the task
    on the queue, to be delivered again, and that run asks only those not yet asked
    (``services.reaffirmation_request_all``). A task lost before it reached the queue is queued
    again by :func:`request_missing_reaffirmations`."""
    previous = Edition.objects.filter(pk=previous_id).first()
    new = Edition.objects.filter(pk=new_id).first()
    if previous is None or new is None:
        return 0
    by = get_user_model().objects.filter(pk=by_id).first() if by_id is not None else None
    return services.reaffirmation_request_all(previous=previous, new=new, by=by)


@shared_task(ignore_result=True)
def request_missing_reaffirmations() -> int:
    """Queue :func:`request_reaffirmation` again for each edition published lately whose signatories
    were not all asked (its task lost: the process died between the commit and queueing it). Hourly,
    by beat; one query (``services.reaffirmation_runs_unfinished``). Returns how many were queued."""
    runs = services.reaffirmation_runs_unfinished()
    for previous_id, new_id, by_id in runs:
        request_reaffirmation.delay(previous_id, new_id, by_id)
    return len(runs)
