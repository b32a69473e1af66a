"""Background work for Compacts: making the PDF of an edition. Thin: ids in, a pdf.py call out."""

from celery import shared_task

from commitments import pdf
from commitments.models import Edition
from compact_portal.documents import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def render_edition_pdf(edition_id: int) -> None:
    """Make sure the edition's PDF exists or is queued (called after an edition is published)."""
    edition = Edition.objects.select_related("compact").filter(pk=edition_id).first()
    if edition is not None:
        pdf.edition_document_request(edition, fresh=True)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=RENDER_SOFT_TIME_LIMIT, time_limit=RENDER_TIME_LIMIT)
def render_edition_document(document_id: int) -> None:
    """Render one requested PDF (an ``EditionDocument`` row) and store it; a READY row is skipped."""
    pdf.edition_document_render(document_id=document_id)


@shared_task(ignore_result=True)
def prune_edition_documents() -> int:
    """Delete the stored PDFs of content that has since changed (daily, by beat)."""
    return pdf.edition_documents_prune()
