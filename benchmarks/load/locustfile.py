"""The load test's users (``make load``): Locust, run by benchmarks/load/driver.py.

The plan (a JSON file named by ``LOAD_PLAN``, written by the driver) holds every page of
``make bench`` (``benchmarks.measure.page_specs``: the same names, so the report can put each page
beside its single-request figures), the signed-in sessions of each role and the coordinator's
addresses. Each simulated person reads the pages of their role:

- the public: the Compact, its editions, the register of signatories, the consultations, the
  calendar feeds and the annual review (most of the traffic);
- council officers and VCS members, signed in: their lists and their organisation;
- the national body: the directory and the measures side by side;
- a coordinator, signed in with their second factor: the pages of a coordinator, downloads of the
  Compact's PDF, and now and then a new edition published (a copy of the current one), which asks
  every signatory to re-affirm and starts a PDF render in the Celery worker.

With ``LOAD_USER_RPS`` each person makes that many requests a second at most (the steady run at
70 % of saturation); without it they ask again as soon as they have an answer (the steps that
find saturation). Plain HTTP to gunicorn with ``X-Forwarded-Proto: https``, as the TLS proxy in
front of docker-compose's web service sends it; the session cookies are set by hand because the
production cookies are ``Secure``.
"""

import json
import os
import random
import re
import threading
import time

from locust import HttpUser, constant, task

from benchmarks.load.pace import even_pace
from benchmarks.load.pace import start as start_beat

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: PTH123, SIM115 - read once at start
USER_RPS = float(os.environ.get("LOAD_USER_RPS") or 0)
# Each person on a beat of their own (benchmarks/load/pace.py: Locust's constant_throughput put
# them all on the beat of the second they were made).
WAIT = even_pace(USER_RPS) if USER_RPS else constant(0)
PUBLISH_EVERY_S = float(PLAN.get("publish_every_s") or 0)
_publish_lock = threading.Lock()
_last_publish = [time.monotonic()]


def _pages(role: str) -> list[dict]:
    return [page for page in PLAN["pages"] if page["role"] == role]


class Person(HttpUser):
    abstract = True
    wait_time = WAIT
    role = "anonymous"
    _next = 0

    def on_start(self) -> None:
        self.pages = _pages(self.role)
        # Each person starts at a page of their own: all starting at the first, everyone of a role
        # asked for the same page in the same half-second, round after round (40 organisation
        # calendars at once, then 40 of the next page), bursts no real morning has.
        self._next = random.randrange(len(self.pages)) if self.pages else 0  # noqa: S311 - not a secret
        sessions = PLAN["sessions"].get(self.role) or []
        self.cookies = {}
        if sessions:
            self.cookies[PLAN["session_cookie"]] = sessions[id(self) % len(sessions)]
        self.headers = {"X-Forwarded-Proto": "https"}
        if USER_RPS:
            # Everyone starts at once: spread their first requests over one interval, or they would
            # all ask at the same moments for the whole run (bursts, not a steady 70 %). Each one's
            # beat starts with their first request (``even_pace``).
            time.sleep(random.uniform(0, 1 / USER_RPS))  # noqa: S311 - not a secret
            start_beat(self)

    def _cookie_header(self) -> dict:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def get(self, url: str, name: str, *, ok=(200,)):
        with self.client.get(
            url, name=name, headers=self._cookie_header(), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"status {response.status_code}")
            return response

    def post(self, url: str, name: str, data: dict):
        headers = {**self._cookie_header(), "Origin": PLAN["origin"], "Referer": PLAN["origin"] + url}
        data = {**data, "csrfmiddlewaretoken": self.cookies.get(PLAN["csrf_cookie"], "")}
        with self.client.post(
            url, name=name, data=data, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"status {response.status_code}")
            return response

    def _keep_cookies(self, response) -> None:
        for name in (PLAN["csrf_cookie"], PLAN["session_cookie"]):
            value = response.cookies.get(name)
            if value:
                self.cookies[name] = value

    @task(10)
    def read_a_page(self) -> None:
        # Round the pages of the role in turn, so that every page is asked for about as often.
        if not self.pages:
            return
        page = self.pages[self._next % len(self.pages)]
        self._next += 1
        self.get(page["url"], page["name"])


class PublicReader(Person):
    weight = 8
    role = "anonymous"


class Officer(Person):
    weight = 2
    role = "officer"


class VcsMember(Person):
    weight = 2
    role = "volunteer"


class NationalBody(Person):
    fixed_count = 1  # one of each, whatever the number of users (spawned first)
    role = "national"


class Coordinator(Person):
    fixed_count = 1
    role = "coordinator"

    @task(3)
    def download_pdf(self) -> None:
        # The stored file (200), or the page that waits for a render under way (303).
        self.get(PLAN["pdf_url"], "PDF download (Compact edition)", ok=(200, 303))

    @task(1)
    def publish(self) -> None:
        """Now and then (once every ``publish_every_s`` across all coordinators) a new edition."""
        if not PUBLISH_EVERY_S:
            return
        with _publish_lock:
            if time.monotonic() - _last_publish[0] < PUBLISH_EVERY_S:
                return
            _last_publish[0] = time.monotonic()
        new = self.get(PLAN["edition_new_url"], "publish: new edition form")
        self._keep_cookies(new)
        started = self.post(
            PLAN["edition_new_url"],
            "publish: start the draft (a copy of the current edition)",
            {"name": f"Load test edition {int(time.time())}", "start_from": "current"},
        )
        match = re.search(r"/editions/(\d+)/", started.headers.get("Location", ""))
        if not match:
            return
        url = PLAN["edition_publish_url"].replace("/0/", f"/{match.group(1)}/")
        form = self.get(url, "publish: check the edition")
        self._keep_cookies(form)
        self.post(url, "publish: publish", {})
