"""make load's pages alone over HTTP: each page of the plan asked for one request at a time, with
Locust's headers and sessions, to show what the transport costs beside make bench's in-process
figures (benchmarks/load/driver.py, ``alone_over_http``)."""

import http.server
import json
import threading

import pytest

from benchmarks.load import driver


class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the measurement's one connection expects
    seen: list

    def do_GET(self):  # noqa: N802 - http.server's name
        self.seen.append((self.path, self.headers.get("Cookie"), self.headers.get("X-Forwarded-Proto")))
        if self.path == "/broken/":  # the connection drops without an answer
            self.close_connection = True
            return
        status = 302 if self.path == "/moved/" else 200
        body = b"<p>ok</p>"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_each_page_alone_with_its_session_the_first_request_not_counted(tmp_path, server):
    plan = {
        "pages": [
            {"name": "home", "role": "anonymous", "url": "/", "kind": "detail"},
            {"name": "concern list", "role": "officer", "url": "/concerns/", "kind": "list"},
            {"name": "moved", "role": "anonymous", "url": "/moved/", "kind": "detail"},
            {"name": "broken", "role": "anonymous", "url": "/broken/", "kind": "detail"},
            {"name": "after it", "role": "anonymous", "url": "/after/", "kind": "detail"},
        ],
        "sessions": {"officer": ["abc", "def"]},
        "session_cookie": "__Host-sessionid",
    }
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    opts = driver.Options(scale=0.01, database_url="", broker_url="", output=tmp_path, port=server.server_port)

    alone = driver.alone_over_http(opts, plan_path, reps=3)

    assert alone["reps"] == 3
    # A page that does not answer 200, or drops its connection, is left out; the pages after it are not.
    assert set(alone["pages"]) == {"home", "concern list", "after it"}
    for figures in alone["pages"].values():
        assert 0 < figures["median_ms"] <= figures["p95_ms"]
    seen = _Recorder.seen
    assert [path for path, *_ in seen].count("/") == 4  # one not counted, then three
    assert [path for path, *_ in seen].count("/moved/") == 1  # not asked again after a redirect
    assert {cookie for path, cookie, _ in seen if path == "/concerns/"} == {"__Host-sessionid=abc"}
    assert {cookie for path, cookie, _ in seen if path == "/"} == {None}
    assert {proto for *_, proto in seen} == {"https"}


def test_the_report_sets_the_ratio_to_the_page_alone_beside_make_bench(tmp_path):
    steady = {
        "requests": {
            "home": {"requests": 10, "failures": 0, "rps": 1, "median_ms": 9, "p95_ms": 30, "p99_ms": 40},
            "calendar": {"requests": 10, "failures": 0, "rps": 1, "median_ms": 9, "p95_ms": 30, "p99_ms": 40},
            "publish": {"requests": 1, "failures": 0, "rps": 1, "median_ms": 9, "p95_ms": 30, "p99_ms": 40},
        }
    }
    single = {"pages": {"home": {"median_ms": 8, "p95_ms": 12}, "calendar": {"median_ms": 2, "p95_ms": 3}}}
    alone = {"reps": 7, "pages": {"home": {"median_ms": 9, "p95_ms": 15}, "calendar": {"median_ms": 5, "p95_ms": 8}}}
    rows = {row["name"]: row for row in driver.page_rows(steady, single, alone)}

    assert rows["home"]["pass"] and rows["home"]["alone_ratio"] == 2.0
    assert not rows["calendar"]["pass"] and rows["calendar"]["alone_ratio"] == 3.75  # 30 ÷ 8
    assert rows["publish"]["alone_ratio"] is None

    summary = " ".join(driver._alone_summary({"alone": alone, "pages": list(rows.values())}))
    assert "1 of 2 pages kept their p95 within 3×" in summary
    assert "p95 11.5 ms at the median page, against 7.5 ms in-process" in summary
    assert driver._alone_summary({"alone": None, "pages": list(rows.values())}) == []
    # Without make bench's figures, the comparison with them is left out, not a crash.
    no_single = driver.page_rows(steady, {"pages": {}}, alone)
    assert "in-process" not in " ".join(driver._alone_summary({"alone": alone, "pages": no_single}))
