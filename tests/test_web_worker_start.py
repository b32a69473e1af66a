"""A gunicorn worker, once it has loaded the portal, freezes its start-up objects out of the garbage
collector's walks (compact_portal/startup.py, docker/gunicorn.conf.py)."""

import gc
import importlib.util

from compact_portal import startup
from tests.conftest import ROOT


def test_a_ready_web_worker_has_loaded_every_view_and_frozen_what_is_alive():
    try:
        startup.web_worker_ready()
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert frozen > 50_000  # Django, the apps, every view module: a few hundred thousand objects
    assert gc.get_freeze_count() == 0


def test_gunicorn_calls_it_once_a_worker_has_loaded_the_application(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "docker" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    called = []
    monkeypatch.setattr(startup, "web_worker_ready", lambda: called.append(True))
    conf.post_worker_init(worker=None)
    assert called == [True]
