"""gunicorn's access log without the secrets some addresses carry (compact_portal/redaction.py):
docker/gunicorn.conf.py's ``logger_class``."""

from gunicorn.glogging import Logger

from compact_portal.redaction import REDACTED, redact_query, redact_request_line, redact_url

# Request headers a format could name that hold a secret whatever the address: never written.
SECRET_HEADERS = ("{cookie}i", "{authorization}i")


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        try:
            redacted = {
                "r": redact_request_line(atoms["r"]),
                "U": redact_url(atoms["U"] or ""),
                "q": redact_query(atoms["q"] or ""),
                "f": redact_url(atoms["f"]),
                "{referer}i": redact_url(atoms.get("{referer}i", "-")),
            }
        except Exception:  # noqa: BLE001 - whatever went wrong, no address is written as it came
            redacted = dict.fromkeys(("r", "U", "q", "f", "{referer}i"), REDACTED)
        atoms.update(redacted)
        atoms.update(dict.fromkeys(SECRET_HEADERS, REDACTED))
        return atoms
