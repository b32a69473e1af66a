"""The web service's gunicorn settings (docker/gunicorn.conf.py) as make load reports them."""

import multiprocessing
import os
import runpy

from django.conf import settings

from benchmarks.load import driver


def test_the_report_names_the_configs_own_default_and_leaves_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert driver._gunicorn_default("workers") == min(multiprocessing.cpu_count() * 4 + 1, 16)
    assert driver._gunicorn_default("max_requests") == 10000
    assert os.environ["GUNICORN_WORKERS"] == "3"


def test_the_environment_sets_the_workers(monkeypatch):
    conf = str(settings.BASE_DIR / driver.GUNICORN_CONF)
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(conf)["workers"] == 3
    monkeypatch.delenv("GUNICORN_WORKERS")
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 2)
    assert runpy.run_path(conf)["workers"] == 9  # two cores: nine workers
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 32)
    assert runpy.run_path(conf)["workers"] == 16  # capped: PostgreSQL's connections
