import os
from pathlib import Path

from celery import Celery
from celery.signals import after_setup_logger, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_portal.settings.local")

app = Celery("compact_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def make_broker_folders() -> None:
    """kombu's filesystem transport (embedded mode) needs its folders to exist."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _on_after_configure(sender: Celery, **kwargs) -> None:
    make_broker_folders()


@after_setup_logger.connect
def _on_worker_start(**kwargs) -> None:
    make_broker_folders()


@worker_init.connect
def _load_the_pdf_renderer(**kwargs) -> None:
    """WeasyPrint is imported and warmed up once when the worker starts, not in the first PDF
    render; then what is alive is frozen out of the garbage collector's walks (``start_worker``)."""
    from compact_portal.documents import start_worker

    start_worker()
