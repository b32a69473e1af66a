"""A fake GOV.UK Notify API for the tests: a local HTTP server in a thread.

It checks each request's JWT as Notify does (signed with the key's secret, issued by the service
id), records every request, and answers as Notify documents
(https://docs.notifications.service.gov.uk/rest-api.html): 201 with the notification's id for an
email or a precompiled letter, 400 ``ValidationError`` for a bad address or a body that is not a
PDF, 403 for a bad token. ``fail_next(status)`` makes the next requests fail with 429, 400, 500…
as Notify would. Nothing leaves the machine, so CI needs no network.

    def test_x(fake_notify):  # fixture in tests/notifications/conftest.py
        ...
        assert fake_notify.emails()[0]["personalisation"]["subject"] == "…"
"""

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"portal_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"

ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
    503: ("Exception", "Service unavailable"),
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: dict
    status: int  # what the fake answered


@dataclass
class FakeNotify:
    requests: list[Request] = field(default_factory=list)
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, times: int = 1) -> None:
        """The next ``times`` requests are answered with ``status`` and Notify's error body."""
        with self._lock:
            self._failures.extend([status] * times)

    def accepted(self, path: str) -> list[dict]:
        return [r.body for r in self.requests if r.path == path and r.status == 201]

    def emails(self) -> list[dict]:
        return self.accepted("/v2/notifications/email")

    def letters(self) -> list[dict]:
        return self.accepted("/v2/notifications/letter")

    # --- answering ---

    def answer(self, method: str, path: str, headers: dict, raw: bytes) -> tuple[int, dict]:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        status, answer = self._answer(method, path, headers, body)
        with self._lock:
            self.requests.append(Request(method=method, path=path, headers=headers, body=body, status=status))
        return status, answer

    def _answer(self, method, path, headers, body) -> tuple[int, dict]:
        if not self._authorised(headers.get("Authorization", "")):
            return _error(403, "AuthError", "Invalid token: signature, api token not found")
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return _error(failure, *ERRORS.get(failure, ("Exception", "Error")))
        if method == "POST" and path == "/v2/notifications/email":
            return self._email(body)
        if method == "POST" and path == "/v2/notifications/letter":
            return self._letter(body)
        return _error(404, "NotFound", "Not found")

    def _authorised(self, header: str) -> bool:
        scheme, _space, token = header.partition(" ")
        if scheme != "Bearer":
            return False
        try:
            return get_token_issuer(token) == SERVICE_ID and bool(decode_jwt_token(token, SECRET))
        except TokenError:
            return False

    def _email(self, body: dict) -> tuple[int, dict]:
        address = str(body.get("email_address", ""))
        if "@" not in address.strip("@") or " " in address:
            return _error(400, "ValidationError", "email_address Not a valid email address")
        if body.get("template_id") != TEMPLATE_ID:
            return _error(400, "BadRequestError", "Template not found")
        personalisation = body.get("personalisation") or {}
        missing = [name for name in ("subject", "body") if name not in personalisation]
        if missing:
            return _error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        notification_id = str(uuid.uuid4())
        return 201, {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": {
                "subject": personalisation["subject"],
                "body": personalisation["body"],
                "from_email": "portal@notifications.service.gov.uk",
            },
            "uri": f"{self.url}/v2/notifications/{notification_id}",
            "template": {"id": TEMPLATE_ID, "version": 1, "uri": f"{self.url}/v2/template/{TEMPLATE_ID}"},
        }

    def _letter(self, body: dict) -> tuple[int, dict]:
        if "template_id" in body:
            return _error(400, "BadRequestError", "Only precompiled letters are faked")
        if not body.get("reference"):
            return _error(400, "ValidationError", "reference is a required property")
        try:
            pdf = base64.b64decode(body.get("content", ""), validate=True)
        except ValueError:
            pdf = b""
        if not pdf.startswith(b"%PDF"):
            return _error(400, "ValidationError", "Letter content is not a valid PDF")
        if body.get("postage", "second") not in ("first", "second", "economy", "europe", "rest-of-world"):
            return _error(400, "ValidationError", "postage invalid")
        return 201, {"id": str(uuid.uuid4()), "reference": body["reference"], "postage": body.get("postage", "second")}


def _error(status: int, error: str, message: str) -> tuple[int, dict]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


def start() -> FakeNotify:
    fake = FakeNotify()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            self._handle("POST")

        def do_GET(self):  # noqa: N802
            self._handle("GET")

        def _handle(self, method: str) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, answer = fake.answer(method, self.path, dict(self.headers), raw)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # noqa: A002 - quiet
            pass

    fake.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=fake.server.serve_forever, daemon=True).start()
    return fake


def stop(fake: FakeNotify) -> None:
    fake.server.shutdown()
    fake.server.server_close()
