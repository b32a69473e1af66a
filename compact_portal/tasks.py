"""Background work of the platform: the document engine's sweep. Thin: a compact_portal call out.

Not an installed app, so Celery finds this module through ``CELERY_IMPORTS`` (settings).
"""

from celery import shared_task

from compact_portal import documents


@shared_task(ignore_result=True)
def requeue_lost_documents() -> int:
    """Queue again every rendered document whose task was lost (every 15 minutes, by beat)."""
    return documents.documents_requeue_lost()
