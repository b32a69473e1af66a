"""Where ``make load``'s time went (benchmarks/load/driver.py): each page's time in a web worker, read
from gunicorn's access log as docker/gunicorn.conf.py writes it, and how busy the cores were."""

import datetime
import logging
import runpy
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from gunicorn.config import Config

from benchmarks.load import driver
from compact_portal.accesslog import AccessLogger

TOKEN = "feedToken-123"  # noqa: S105 - made up


def _calendar() -> str:
    return reverse("notifications:organisation_calendar", kwargs={"token": TOKEN})


PLAN = {
    "pages": [
        {"name": "home", "role": "anonymous", "url": "/"},
        {"name": "consultation list (open)", "role": "anonymous", "url": "/consultations/?status=open"},
        {"name": "organisation calendar (iCalendar)", "role": "anonymous", "url": _calendar()},
        {"name": "shared a", "role": "officer", "url": "/funding/"},
        {"name": "shared b", "role": "coordinator", "url": "/funding/"},
    ]
}


def _logger(path: Path) -> AccessLogger:
    """gunicorn's access logger with the project's own format, writing to ``path``."""
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "docker" / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", str(path))
    cfg.set("access_log_format", conf["access_log_format"])
    return AccessLogger(cfg)


def _request(logger: AccessLogger, url: str, ms: int, method: str = "GET") -> None:
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": url,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": 'Locust "quoted" agent',
    }
    resp = SimpleNamespace(status="200 OK", sent=100, headers=[])
    logger.access(resp, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=ms))


def _close(logger: AccessLogger) -> None:
    for handler in logger.access_log.handlers:
        handler.close()
    logging.getLogger("gunicorn.access").handlers = []


def test_each_pages_time_in_a_worker_is_read_from_the_access_log_as_gunicorn_writes_it(tmp_path):
    log_path = tmp_path / "gunicorn.log"
    logger = _logger(log_path)
    try:
        started = time.time()
        for ms in (3, 5, 7, 9, 200):
            _request(logger, "/", ms)
        _request(logger, "/consultations/?status=open", 40)
        _request(logger, _calendar(), 12)  # written redacted, still found
        _request(logger, "/funding/", 30)  # two pages share it: left out
        _request(logger, "/", 999, method="POST")  # not a page read
        _request(logger, "/not-in-the-plan/", 50)
        ended = time.time()
    finally:
        _close(logger)
    written = log_path.read_text()
    assert TOKEN not in written

    times = driver.server_times(log_path, PLAN, [started, ended])

    assert set(times) == {"home", "consultation list (open)", "organisation calendar (iCalendar)"}
    assert times["home"]["requests"] == 5
    assert times["home"]["median_ms"] == 7
    assert times["home"]["p95_ms"] >= 9
    assert times["organisation calendar (iCalendar)"]["p95_ms"] == 12


def test_requests_outside_the_window_are_left_out(tmp_path):
    log_path = tmp_path / "gunicorn.log"
    logger = _logger(log_path)
    try:
        _request(logger, "/", 5)
    finally:
        _close(logger)
    later = time.time() + 60
    assert driver.server_times(log_path, PLAN, [later, later + 10]) == {}
    assert driver.server_times(tmp_path / "missing.log", PLAN, [0, later]) == {}


def test_the_rows_carry_the_time_in_a_worker_and_the_report_counts_the_pages_within_3x():
    figures = {"requests": 10, "failures": 0, "rps": 1, "median_ms": 9, "p95_ms": 300, "p99_ms": 400}
    steady = {
        "requests": {"home": figures, "organisation": figures},
        "events": [{"at_s": 27.6, "event": "reminder sweep queued"}],
        "cpu_samples": [[1.0, 0.7], [2.0, 0.8], [28.0, 1.0], [29.0, 0.98]],
    }
    single = {"pages": {"home": {"median_ms": 8, "p95_ms": 10}, "organisation": {"median_ms": 20, "p95_ms": 20}}}
    server = {"home": {"requests": 10, "median_ms": 3, "p95_ms": 12}, "organisation": {"p95_ms": 90}}
    rows = driver.page_rows(steady, single, None, server)
    assert {row["name"]: row["worker_p95_ms"] for row in rows} == {"home": 12, "organisation": 90}

    text = " ".join(driver._where_the_time_went({"steady": steady, "pages": rows}))
    assert "75 % before the reminder sweep was queued (0–27.6 s), 99 % from then to the end" in text
    assert "1 of 2 pages kept their p95 within 3× of the single request" in text  # 12 ≤ 30; 90 > 60
    assert "Not told apart" not in text
    single["pages"]["funding list"] = {"median_ms": 30, "p95_ms": 30}
    steady["requests"]["funding list"] = figures
    rows = driver.page_rows(steady, single, None, server)
    text = " ".join(driver._where_the_time_went({"steady": steady, "pages": rows}))
    assert "Not told apart in the log, so left out: 1 page whose address another page shares" in text


def test_without_samples_or_access_log_times_the_report_says_nothing_of_them():
    steady = {"requests": {}, "events": [], "cpu_samples": []}
    assert driver._where_the_time_went({"steady": steady, "pages": []}) == []


def test_the_cores_are_sampled_where_the_machine_has_proc_stat(monkeypatch, tmp_path):
    if not Path(driver.PROC_STAT).exists():
        pytest.skip("this machine has no /proc/stat")
    sampler = driver.CpuSampler(interval=0.05)
    sampler.start()
    time.sleep(0.4)
    sampler.stop()
    assert sampler.samples
    assert all(0 <= busy <= 1 for _at, busy in sampler.samples)
    assert [at for at, _ in sampler.samples] == sorted(at for at, _ in sampler.samples)


def test_without_proc_stat_nothing_is_sampled(monkeypatch, tmp_path):
    monkeypatch.setattr(driver, "PROC_STAT", str(tmp_path / "missing"))
    sampler = driver.CpuSampler(interval=0.01)
    sampler.start()
    time.sleep(0.05)
    sampler.stop()
    assert sampler.samples == []
    assert driver.busy_between([], 0) is None
