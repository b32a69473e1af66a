"""Pure rules about organisations and signatures (no database access)."""

import datetime
import hashlib
import re
import unicodedata

_LEGAL_SUFFIXES = re.compile(r"\b(ltd|limited|plc|cic|cio|llp|inc|incorporated|co|company)\b", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


# Letters of other scripts that look like Latin letters or digits (after Unicode's confusables.txt, UTS #39),
# by what they look like. Only those that pass for a Latin letter in an organisation's name are listed.
_CONFUSABLES = {
    # Cyrillic capitals and small letters
    "А": "A", "В": "B", "Е": "E", "З": "3", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ӏ": "I", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y",
    "Һ": "H", "Ь": "b",
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ӏ": "l", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
    "ү": "y", "ь": "b", "ɡ": "g",
    # Greek capitals and small letters
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    "α": "a", "γ": "y", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    # Latin letters that pass for others
    "ı": "i", "ȷ": "j", "ℓ": "l", "ſ": "s",
}  # fmt: skip
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)


def skeleton(text: str) -> str:
    """What a string looks like, for comparing names: accents stripped (NFKD, which also turns
    full-width and mathematical letters into plain ones), Cyrillic and Greek look-alikes of Latin
    letters replaced by those letters, then lower case. Other characters are kept.

    >>> skeleton("Еxample Вorough Cоuncil") == skeleton("Example Borough Council")  # Cyrillic Е, В, о
    True
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_CONFUSABLE_TABLE).lower()


def normalise_name(name: str) -> str:
    """An organisation's name with case, accents, look-alike characters, punctuation, "Ltd", "The"
    and "&"/"and" set aside: two names that look the same to a reader give the same result.

    >>> normalise_name("The Riverside Food Bank & Larder Ltd.") == normalise_name("Riverside food bank and larder")
    True
    >>> normalise_name("Εxample Вorough Сouncil") == normalise_name("Example Borough Council")  # Greek Ε, Cyrillic В, С
    True
    """
    text = skeleton(name).encode("ascii", "ignore").decode()
    text = text.replace("&", " and ")
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


def sector_needs_approval(*, sector: str, organisation_type: str, verified_sector: str, verified_type: str) -> bool:
    """Whether a coordinator must approve the sector and type an organisation gives: always for a new
    public body, and for any change from what was last approved (a voluntary group never approved,
    because its public-body claim was turned down, may say it is voluntary again without asking).

    >>> sector_needs_approval(sector="public", organisation_type="council", verified_sector="", verified_type="")
    True
    >>> sector_needs_approval(sector="vcs", organisation_type="charity", verified_sector="", verified_type="")
    False
    >>> sector_needs_approval(sector="vcs", organisation_type="cvs", verified_sector="vcs", verified_type="charity")
    True
    """
    if not verified_sector:
        return sector == "public"
    return (sector, organisation_type) != (verified_sector, verified_type)


# The organisation types every area has by statute, whose signing the Compact's coverage counts.
STATUTORY_PARTNER_TYPES = ("council", "nhs", "police", "fire", "probation")


def editions_in_force(published: list[tuple[int, datetime.date]], day: datetime.date) -> tuple[int | None, int | None]:
    """Of a Compact's published (or since replaced) editions as (pk, date published): the one in
    force on ``day`` (the latest published before it) and the one before that, or None."""
    before = sorted((on, pk) for pk, on in published if on < day)
    current = before[-1][1] if before else None
    previous = before[-2][1] if len(before) > 1 else None
    return current, previous
