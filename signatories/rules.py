"""Pure rules about organisations and signatures (no database access)."""

import hashlib
import re
import unicodedata

_LEGAL_SUFFIXES = re.compile(r"\b(ltd|limited|plc|cic|cio|llp|inc|incorporated|co|company)\b", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """An organisation's name with case, accents, punctuation, "Ltd", "The" and "&"/"and" set aside.

    >>> normalise_name("The Riverside Food Bank & Larder Ltd.")
    'riverside food bank larder'
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = _LEADING_THE.sub("", text.strip())
    text = _LEGAL_SUFFIXES.sub(" ", text)
    text = re.sub(r"\band\b", " ", text)
    return " ".join(text.split())


def normalise_number(number: str) -> str:
    """A charity or company number without spaces and in capitals ("sc 012345" → "SC012345")."""
    return re.sub(r"\s+", "", number or "").upper()


def token_hash(token: str) -> str:
    """What is stored of an invitation's secret token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()
