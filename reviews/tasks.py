"""Background work for annual reviews: making the PDF. Thin: an id in, a pdf.py call out."""

from celery import shared_task

from compact_portal.documents import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT
from reviews import pdf


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def render_review_document(document_id: int) -> None:
    """Render one requested review PDF (a ``ReviewDocument`` row) and store it; a READY row is skipped."""
    pdf.review_document_render(document_id=document_id)
