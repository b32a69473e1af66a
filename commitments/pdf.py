"""The printable PDF of an edition: its HTML, its content hash, and its stored document.

A PDF is stored once per (edition, content hash) in an ``EditionDocument`` row. The web process
only computes the HTML and its hash and claims the row; a Celery worker renders the PDF. Queuing,
retries, lost tasks, the render and the restricted renderer are the document engine's
(``compact_portal.documents``); this module says what an edition's PDF is made of.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import F, OuterRef, Q, Subquery
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from commitments import selectors
from commitments.models import CompactLogo, Edition, EditionDocument, Sector
from compact_portal import documents
from compact_portal.bilingual import WELSH, is_welsh, localised

logger = logging.getLogger(__name__)

# Bump when the PDF would change without its HTML changing (how the HTML is turned into a PDF).
# The stylesheet's text and WeasyPrint's version are hashed too, so neither needs a bump.
RENDERER_VERSION = "1"
STYLESHEET = "pdf/compact.css"
TEMPLATE = "commitments/pdf/edition.html"
# Sets apart the organisation, name, role and date on a signatory's line in the annex: an em space.
ANNEX_GAP = "\u2003"
# How long a content hash is remembered for the data it was made from (see edition_content_hash).
HASH_CACHE_SECONDS = 24 * 60 * 60
# The HTML a request built to work out a new hash is kept this long for the render task, which
# would otherwise build the same HTML again (a few hundred milliseconds with 500 signatories).
HTML_HANDOFF_SECONDS = 10 * 60


# --- Signatories -----------------------------------------------------------------------------------

# One signatory of an edition, as its annex prints it: (organisation's name, its sector's value, its
# type's name, who signed, their role, the date signed, and "signed" for a standing signature of this
# edition or "pending" for one of the previous edition that has not been re-affirmed yet).
SignatoryValues = tuple[str, str, str, str, str, datetime.date | None, str]
SIGNED = "signed"
PENDING = "pending"
# Who signed an edition is known to the signatories app, which sits above this one: it registers
# its source when it is ready (signatories.apps). Without one the annex says nobody has signed.
_signatory_source: list[Callable[[Edition], Iterable[SignatoryValues]]] = []


def register_signatory_source(source: Callable[[Edition], Iterable[SignatoryValues]]) -> None:
    """Say where the annex's signatures come from: a function of the edition returning its
    signatories (``SignatoryValues``), public bodies first, then by organisation name."""
    _signatory_source[:] = [source]


def edition_signatory_values(edition: Edition, language: str | None = None) -> Iterable[SignatoryValues]:
    if not _signatory_source:
        return ()
    with translation.override(language or settings.LANGUAGE_CODE):  # the type names, like the rest of the PDF
        return list(_signatory_source[0](edition))


@dataclass(frozen=True)
class SignatoryRow:
    organisation: str
    signed_by: str
    role: str
    signed_on: datetime.date | None
    organisation_type: str = ""


@dataclass(frozen=True)
class SignatorySection:
    label: str  # a sector's name, e.g. "Voluntary and community sector"
    rows: list[SignatoryRow] = field(default_factory=list)  # by type, then by name
    pending: bool = False  # signed the previous edition, re-affirmation pending


def edition_signatories_for_pdf(
    edition: Edition, language: str | None = None, *, values: Iterable[SignatoryValues] | None = None
) -> list[SignatorySection]:
    """Who signed this edition, one section per sector (public bodies first), organisations by type
    and name; then, apart, one section per sector of those that signed the previous edition and
    have not re-affirmed this one yet.

    Only signatures that stand (SIGNED): a pending, rejected or withdrawn one is not printed.
    A sector nobody has signed for is left out; with none at all the annex says nobody has signed.
    ``values`` are the source's rows for this language when the caller has read them already
    (``_source_rows``), so that they are not read twice.
    """
    rows: dict[tuple[bool, str], list[SignatoryRow]] = {
        (pending, sector): [] for pending in (False, True) for sector in (Sector.PUBLIC.value, Sector.VCS.value)
    }
    language = language or settings.LANGUAGE_CODE
    if values is None:
        values = edition_signatory_values(edition, language)
    for organisation, sector, kind, signed_by, role, signed_on, standing in values:
        rows[(standing == PENDING, sector)].append(
            SignatoryRow(
                organisation=organisation,
                signed_by=signed_by,
                role=role,
                signed_on=signed_on,
                organisation_type=kind,
            )
        )
    with translation.override(language):  # like the rest of the PDF, whoever asks
        return [
            SignatorySection(
                label=str(Sector(sector).label),
                # sorted() keeps the source's order by name within a type.
                rows=sorted(section_rows, key=lambda row: row.organisation_type.casefold()),
                pending=pending,
            )
            for (pending, sector), section_rows in rows.items()
            if section_rows
        ]


# --- Languages -------------------------------------------------------------------------------------

Language = EditionDocument.Language


@dataclass(frozen=True)
class Column:
    """One language's column of the printed edition."""

    code: str  # the Django language code it is rendered under: "cy" or "en-gb"
    tag: str  # its lang attribute: "cy" or "en-GB"
    prefix: str = ""  # before its anchors, so that two columns do not share an id
    signed: list = field(default_factory=list)
    pending: list = field(default_factory=list)


def english_code() -> str:
    """The English the portal speaks (settings.LANGUAGE_CODE, "en-gb"), or "en-gb" when its default is Welsh."""
    return settings.LANGUAGE_CODE if not is_welsh(settings.LANGUAGE_CODE) else "en-gb"


def column_codes(language: str) -> list[str]:
    """The Django language codes of the PDF's columns: Welsh, English, or Welsh then English."""
    if language == Language.WELSH:
        return [WELSH]
    if language == Language.BILINGUAL:
        return [WELSH, english_code()]
    return [english_code()]


def document_language_code(language: str) -> str:
    """The language the PDF as a whole is in (its /Lang, its title): Welsh for a bilingual one."""
    return column_codes(language)[0]


def pdf_language(value: str | None) -> str:
    """A requested language (``cy``, ``en``, ``bilingual``) as an ``EditionDocument.Language``;
    anything else is English."""
    return value if value in Language.values else Language.ENGLISH


# --- HTML and hash ---------------------------------------------------------------------------------


def edition_logos(edition: Edition) -> list[CompactLogo]:
    """The logos on the edition's cover: the Compact's own, then this edition's, in their order."""
    logos = CompactLogo.objects.filter(Q(edition__isnull=True) | Q(edition=edition), compact_id=edition.compact_id)
    return list(logos.order_by(F("edition").asc(nulls_first=True), "position", "pk"))


def edition_pdf_html(
    edition: Edition,
    *,
    signatories: list[SignatorySection] | None = None,
    variant: str = EditionDocument.Variant.READING,
    language: str = Language.ENGLISH,
    signatory_values: dict[str, Iterable[SignatoryValues]] | None = None,
) -> str:
    """The edition as one HTML document for WeasyPrint: cover, foreword, contents, text, annex.

    Rendered in ``language`` (an ``EditionDocument.Language``: English, Welsh, or both side by side),
    never in the language of whoever asked, so the hash depends on the language alone. Welsh uses
    each part's Welsh text where there is one and the English (marked ``lang="en"``) where not.
    The SIGNING variant adds signature blocks for a printed signing ceremony. ``signatories`` (the
    same for every column) stands in for the registered source, for tests; ``signatory_values`` are
    the source's rows per column's language code, when the caller has read them already.
    """
    columns = []
    for index, code in enumerate(column_codes(language)):
        if signatories is not None:
            sections = signatories
        else:
            values = signatory_values.get(code) if signatory_values else None
            sections = edition_signatories_for_pdf(edition, code, values=values)
        sections = [section for section in sections if section.rows]
        columns.append(
            Column(
                code=code,
                tag=documents.language_tag(code),
                prefix="" if index == 0 else f"{code.split('-')[0]}-",
                signed=[section for section in sections if not section.pending],
                pending=[section for section in sections if section.pending],
            )
        )
    created = edition.published_on or (timezone.localdate(edition.created_at) if edition.created_at else None)
    document_code = document_language_code(language)
    with translation.override(document_code):
        title = f"{localised(edition.compact, 'name').text}: {localised(edition, 'name').text}"
        return render_to_string(
            TEMPLATE,
            {
                "compact": edition.compact,
                "edition": edition,
                "contents": selectors.edition_contents(edition=edition),
                "logos": edition_logos(edition),
                "columns": columns,
                "bilingual": len(columns) > 1,
                "title": title,
                "signing": variant == EditionDocument.Variant.SIGNING,
                "created": created,
                "stylesheet": STYLESHEET,
                "language_tag": documents.language_tag(document_code),
                "gap": ANNEX_GAP,
            },
        )


def content_hash(html: str) -> str:
    """What the edition's PDF depends on, hashed: the HTML, the stylesheet, the renderer and its version."""
    return documents.content_hash(html, stylesheet=STYLESHEET, version=RENDERER_VERSION)


def document_filename(document: EditionDocument) -> str:
    """The stored file's name: ``<compact-slug>-<edition-pk>-<hash[:12]>.pdf`` (the hash differs per variant)."""
    return f"{document.edition.compact.slug}-{document.edition_id}-{document.content_hash[:12]}.pdf"


# The end of a downloaded file's name, saying its language.
FILENAME_LANGUAGE = {Language.ENGLISH: "en", Language.WELSH: "cy", Language.BILINGUAL: "dwyieithog-bilingual"}


def download_filename(edition: Edition, *, variant: str = "", language: str = Language.ENGLISH) -> str:
    """The name a person's browser saves the file as, e.g. ``riverside-compact-first-edition-en.pdf``
    (``…-cy.pdf`` in Welsh, ``…-dwyieithog-bilingual.pdf`` in both; ``…-for-signing-en.pdf`` with
    signature blocks). The Welsh one is named from the Welsh names where there are some."""
    with translation.override(document_language_code(language)):
        name = f"{localised(edition.compact, 'name').text} {localised(edition, 'name').text}"
    suffix = "-for-signing" if variant == EditionDocument.Variant.SIGNING else ""
    return f"{slugify(name) or 'compact'}{suffix}-{FILENAME_LANGUAGE[pdf_language(language)]}.pdf"


def _source_fingerprint(edition: Edition, variant: str = "", language: str = Language.ENGLISH) -> str:
    """A digest of every row the PDF's HTML is made from (see ``_source_rows``)."""
    return _source_rows(edition, variant, language)[0]


def _source_rows(
    edition: Edition, variant: str = "", language: str = Language.ENGLISH
) -> tuple[str, dict[str, list[SignatoryValues]]]:
    """A digest of every row the PDF's HTML is made from (all their columns), in six small queries
    and the signatories' source; and the signatories read for it, per column's language code, so that
    HTML built right after from the same rows does not read them again (``edition_pdf_html``).

    Reading the rows costs milliseconds; rendering them into HTML costs a few hundred at the size of
    a real Compact with 500 signatories. Any change to a row (an edit, a new signatory, a renamed
    organisation) gives another fingerprint.
    """
    digest = hashlib.sha256()
    signatory_values = {code: edition_signatory_values(edition, code) for code in column_codes(language)}
    parts = (
        Edition.objects.filter(pk=edition.pk).values(),
        type(edition.compact).objects.filter(pk=edition.compact_id).values(),
        edition.principles.order_by("pk").values(),
        edition.outcomes.order_by("pk").values(),
        edition.undertakings.order_by("pk").values(),
        edition.codes_of_practice.order_by("pk").values(),
        CompactLogo.objects.filter(compact_id=edition.compact_id)
        .order_by("pk")
        .values_list("pk", "edition_id", "organisation", "position", "content_type", "sha256"),
        *signatory_values.values(),
        [str(variant), str(language)],  # the same whether given as a choice or its value
    )
    for rows in parts:
        for row in rows:
            digest.update(repr(row).encode())
        digest.update(b"\x00")
    template = get_template(TEMPLATE).template.source  # the cached loader keeps it in memory
    for part in (RENDERER_VERSION, documents.weasyprint_version(), template, settings.LANGUAGE_CODE):
        digest.update(part.encode())
    digest.update(documents.stylesheet_path(STYLESHEET).read_bytes())
    return digest.hexdigest(), signatory_values


def edition_content_hash(
    edition: Edition, *, variant: str = "", language: str = Language.ENGLISH, fresh: bool = False
) -> str:
    """The content hash of the edition's PDF as it stands now.

    Building the HTML costs far more than serving the stored file, so the hash is remembered for a
    fingerprint of the rows the HTML is made from (``_source_fingerprint``): the same rows, the
    same HTML. ``fresh`` works it out from the HTML regardless (the render task does).
    """
    fingerprint, signatory_values = _source_rows(edition, variant, language)
    key = f"commitments:pdf-hash:{edition.pk}:{language}:{fingerprint}"
    digest = None if fresh else django_cache.get(key)
    if digest is None:
        html = edition_pdf_html(edition, variant=variant, language=language, signatory_values=signatory_values)
        digest = content_hash(html)
        django_cache.set(key, digest, HASH_CACHE_SECONDS)
        django_cache.set(_html_key(edition, language, fingerprint), (digest, html), HTML_HANDOFF_SECONDS)
    return digest


def _html_key(edition: Edition, language: str, fingerprint: str) -> str:
    return f"commitments:pdf-html:{edition.pk}:{language}:{fingerprint}"


def _kept_html(document: EditionDocument, fingerprint: str) -> str | None:
    """The HTML a request built for this document's hash, if the rows it is made from have not
    changed since (the same ``fingerprint``): reading them is cheap, building the HTML is not."""
    if not document.content_hash:
        return None
    kept = django_cache.get(_html_key(document.edition, document.language, fingerprint))
    if kept is None or kept[0] != document.content_hash:
        return None
    return kept[1]


class EditionPdf(documents.DocumentKind):
    """The edition's PDF, for the document engine."""

    model = EditionDocument
    stylesheet = STYLESHEET

    @property
    def renderer_version(self) -> str:
        return RENDERER_VERSION

    def queryset(self):
        return EditionDocument.objects.select_related("edition__compact")

    def html(self, document: EditionDocument) -> str:
        """The edition's HTML as it stands: the one the request built to work out the hash when
        nothing it is made from has changed since, else built again (and an edit in between then
        gives another hash: the document is dropped, see ``changed``)."""
        fingerprint, signatory_values = _source_rows(document.edition, document.variant, document.language)
        kept = _kept_html(document, fingerprint)
        if kept is not None:
            return kept
        return edition_pdf_html(
            document.edition,
            variant=document.variant,
            language=document.language,
            signatory_values=signatory_values,
        )

    def filename(self, document: EditionDocument) -> str:
        return document_filename(document)

    def queue_render(self, document_id: int) -> None:
        from commitments.tasks import render_edition_document

        render_edition_document.delay(document_id)

    def changed(self, document: EditionDocument) -> None:
        # The edition (or its signatories) changed after this PDF was asked for. The next request
        # makes a row for the new content; this one can never be made.
        document.delete()


EDITION_PDF = documents.register(EditionPdf())


def edition_document_request(
    edition: Edition,
    *,
    variant: str = "",
    language: str = Language.ENGLISH,
    retry_failed: bool = False,
    fresh: bool = False,
) -> EditionDocument:
    """The stored PDF for the edition as it stands now, claimed and queued if it is not made yet.

    Returns the row: READY (serve its file), PENDING (a worker is on it; queued again if its task
    was lost) or FAILED (show the error; call again with ``retry_failed=True`` to queue another
    attempt). ``fresh`` ignores a remembered content hash (see ``edition_content_hash``).
    ``variant`` is an ``EditionDocument.Variant`` and ``language`` an ``EditionDocument.Language``:
    each is a document with its own hash.
    """
    digest = edition_content_hash(edition, variant=variant, language=language, fresh=fresh)
    return documents.document_request(
        EDITION_PDF,
        edition=edition,
        variant=variant,
        language=language,
        content_hash=digest,
        retry_failed=retry_failed,
    )


def edition_document_rerender(document: EditionDocument) -> None:
    """Queue a READY document again, when its stored file has gone missing."""
    documents.document_rerender(EDITION_PDF, document)


def edition_document_render(*, document_id: int) -> EditionDocument | None:
    """Render one claimed PDF and store it (the worker's task). Safe to run twice: a READY row is
    left alone; a failure is recorded on the row; a row whose edition has changed since is dropped."""
    return documents.document_render(EDITION_PDF, document_id=document_id)


# A PDF of content that has since changed is kept this long (someone may be downloading it).
SUPERSEDED_DOCUMENT_KEPT_FOR = datetime.timedelta(days=1)


def edition_documents_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the stored PDFs nobody can ask for any more, and their files; returns how many.

    Every change to an edition or its signatories makes a new PDF (a new content hash); the old
    ones are never served again. For each edition, language and variant the newest READY document is kept, and so is
    every document requested in the last day or still being made; the rest go.
    """
    now = now or timezone.now()
    newest_ready = (
        EditionDocument.objects.filter(
            edition=OuterRef("edition"),
            language=OuterRef("language"),
            variant=OuterRef("variant"),
            status=EditionDocument.Status.READY,
        )
        .order_by("-rendered_at", "-pk")
        .values("pk")[:1]
    )
    stale = (
        EditionDocument.objects.exclude(status=EditionDocument.Status.PENDING)
        .filter(requested_at__lt=now - SUPERSEDED_DOCUMENT_KEPT_FOR)
        .annotate(newest_ready=Subquery(newest_ready))
        .filter(Q(newest_ready__isnull=True) | ~Q(pk=F("newest_ready")))
    )
    removed = 0
    for document in stale.only("pk", "file"):
        if document.file:
            document.file.storage.delete(document.file.name)
        document.delete()
        removed += 1
    if removed:
        logger.info("Removed %s superseded PDF(s)", removed)
    return removed
