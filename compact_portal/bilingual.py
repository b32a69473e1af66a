"""Content held in English and Welsh: which text a reader gets, and in which language.

Content models keep their Welsh text beside the English in a field of the same name ending in
``_cy`` (``Undertaking.text`` and ``Undertaking.text_cy``). English is the text every record has;
Welsh is optional. A Welsh reader gets the Welsh text where there is one and the English where
there is not, and the page says so: the block carries ``lang="en"`` (docs/decisions 0017).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.html import conditional_escape, format_html

WELSH = "cy"
ENGLISH = "en"


def is_welsh(language: str | None = None) -> bool:
    """Whether ``language`` (the active language when not given) is Welsh."""
    code = language if language is not None else (translation.get_language() or "")
    return code.lower().split("-")[0] == WELSH


def welsh_field(field: str) -> str:
    return f"{field}_{WELSH}"


def has_welsh(obj, field: str) -> bool:
    """Whether the record holds Welsh for ``field`` (or has no English to translate)."""
    english = (getattr(obj, field, "") or "").strip()
    return not english or bool((getattr(obj, welsh_field(field), "") or "").strip())


@dataclass(frozen=True)
class Localised:
    """The text to show, the language it is written in, and whether it stands in for missing Welsh."""

    text: str
    language: str  # "en" or "cy"
    missing_welsh: bool

    def __str__(self) -> str:
        return self.text


def localised(obj, field: str, language: str | None = None) -> Localised:
    """The text of ``obj.field`` for a reader of ``language`` (the active language when not given)."""
    english = getattr(obj, field, "") or ""
    if is_welsh(language):
        welsh = (getattr(obj, welsh_field(field), "") or "").strip()
        if welsh:
            return Localised(getattr(obj, welsh_field(field)), WELSH, False)
        return Localised(english, ENGLISH, bool(english.strip()))
    return Localised(english, ENGLISH, False)


def missing_welsh(obj, fields: list[str] | tuple[str, ...]) -> list[str]:
    """The fields of ``obj`` that hold English but no Welsh."""
    return [field for field in fields if not has_welsh(obj, field)]


def localised_html(obj, field: str, language: str | None = None):
    """``localised`` as escaped inline HTML: English standing in for missing Welsh is marked
    ``<span lang="en">`` so that screen readers pronounce it as English."""
    shown = localised(obj, field, language)
    if shown.missing_welsh:
        return format_html('<span lang="{}">{}</span>', ENGLISH, shown.text)
    return conditional_escape(shown.text)
