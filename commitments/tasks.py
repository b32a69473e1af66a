# Placeholder until the PDF work lands (being written now).
from celery import shared_task


@shared_task
def render_edition_pdf(edition_id: int) -> None:
    return None
