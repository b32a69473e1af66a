"""Background work for breach concerns: making the formal written challenge. Thin: an id in, a call out."""

from celery import shared_task

from compact_portal.documents import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT
from disputes import letters


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def render_challenge_letter(letter_id: int) -> None:
    """Render one requested challenge letter and file it on the case; a READY letter is skipped."""
    letters.letter_render(letter_id=letter_id)
