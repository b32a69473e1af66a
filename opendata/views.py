"""The open data page (what the API offers, and its licence) and the CSV downloads of public pages."""

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from commitments.models import Theme, UndertakingSector
from compact_portal.bilingual import localised
from consultations import selectors as consultation_selectors
from consultations.filters import ConsultationFilter
from consultations.models import Consultation, PolicyArea
from opendata import selectors
from opendata.headers import LICENCE_NAME, LICENCE_URL
from signatories.views.register import csv_safe

# The API's addresses and what each gives, for the open data page (the schema has them all).
ENDPOINTS = (
    ("/api/v1/compacts/", _("Every Compact, with its current edition.")),
    ("/api/v1/compacts/{slug}/", _("One Compact.")),
    ("/api/v1/compacts/{slug}/editions/", _("Its published and replaced editions, with the time limits each sets.")),
    (
        "/api/v1/compacts/{slug}/editions/{id}/",
        _("One edition with its principles, outcomes, undertakings and codes of practice."),
    ),
    (
        "/api/v1/compacts/{slug}/undertakings/",
        _(
            "The current edition’s undertakings. Each has a key that stays the same from edition to edition, "
            "however it is renumbered; its number is a field."
        ),
    ),
    ("/api/v1/compacts/{slug}/undertakings/{key}/", _("One undertaking in every edition that has it.")),
    ("/api/v1/compacts/{slug}/signatories/", _("The register of signatories.")),
    ("/api/v1/compacts/{slug}/consultations/", _("The Compact’s consultations, with whether each met the Compact.")),
    ("/api/v1/consultations/", _("Every Compact’s consultations.")),
    (
        "/api/v1/compacts/{slug}/concern-figures/",
        _("Breach concerns in figures, as the public figures page shows them."),
    ),
    (
        "/api/v1/compacts/{slug}/funding-notices/",
        _("Notices of funding changes: how many each financial year, and the share that met the Compact."),
    ),
    (
        "/api/v1/compacts/{slug}/indicators/?year=2026",
        _("The standard outcome measures for a financial year, as “How the Compact is doing” shows them."),
    ),
    (
        "/api/v1/indicators/?year=2026",
        _(
            "Every Compact’s outcome measures for a financial year (this one or the five before), each beside "
            "the national median."
        ),
    ),
)


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/api_docs.html",
        {"licence_name": LICENCE_NAME, "licence_url": LICENCE_URL, "endpoints": ENDPOINTS},
    )


def _csv_response(filename: str, headings, rows) -> HttpResponse:
    """A CSV a spreadsheet opens cleanly: UTF-8 with a byte-order mark, no cell read as a formula."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(heading) for heading in headings])
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return response


UNDERTAKING_HEADINGS = (
    _("key"),
    _("number"),
    _("outcome"),
    _("who it is for"),
    _("undertaking"),
    _("undertaking (Welsh)"),
    _("themes"),
    _("edition"),
)


@require_GET
def undertakings_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The current edition's undertakings, with the stable key the API names each by."""
    compact = selectors.compact_get(slug=slug)
    sectors = dict(UndertakingSector.choices)
    themes = dict(Theme.choices)
    rows = (
        (
            undertaking.key,
            undertaking.number,
            undertaking.outcome.number,
            sectors.get(undertaking.sector, undertaking.sector),
            undertaking.text,
            undertaking.text_cy,
            "; ".join(str(themes[theme]) for theme in undertaking.themes if theme in themes),
            localised(undertaking.edition, "name").text,
        )
        for undertaking in selectors.undertakings_current(compact=compact)
    )
    return _csv_response(f"{compact.slug}-undertakings.csv", UNDERTAKING_HEADINGS, rows)


CONSULTATION_HEADINGS = (
    _("title"),
    _("public body"),
    _("Compact"),
    _("type of consultation"),
    _("policy area"),
    _("early notice given"),
    _("opening date"),
    _("closing date"),
    _("length in days"),
    _("status"),
    _("feedback due"),
    _("feedback published"),
    _("length against the Compact"),
    _("early notice before it opened"),
    _("feedback by its due date"),
    _("meets the Compact"),
)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return str(_("not due yet"))
    return str(_("yes")) if value else str(_("no"))


@require_GET
def consultations_csv(request: HttpRequest) -> HttpResponse:
    """Every consultation the list's filters select (not just one page), with its compliance."""
    today = timezone.localdate()
    filterset = ConsultationFilter(request.GET, today=today)
    kinds = dict(Consultation.Kind.choices)
    areas = dict(PolicyArea.choices)
    lengths = {"met": _("met"), "reason_given": _("shorter or informal, reason given"), "not_met": _("not met")}

    def rows():
        for consultation in filterset.qs:
            row = consultation_selectors.consultation_row(consultation, today)
            compliance = row.compliance
            yield (
                localised(consultation, "title").text,
                consultation.organisation.name,
                localised(consultation.compact, "name").text,
                kinds[consultation.kind],
                areas.get(consultation.policy_area, consultation.policy_area),
                consultation.early_notice_on.isoformat() if consultation.early_notice_on else "",
                consultation.opens_on.isoformat(),
                consultation.closes_on.isoformat(),
                row.length_days,
                row.status_tag.label,
                compliance.feedback_due_on.isoformat(),
                consultation.feedback_published_on.isoformat() if consultation.feedback_published_on else "",
                lengths[compliance.length],
                _yes_no(compliance.early_notice_ok),
                _yes_no(compliance.feedback_ok),
                _yes_no(compliance.compliant),
            )

    return _csv_response("consultations.csv", CONSULTATION_HEADINGS, rows())
