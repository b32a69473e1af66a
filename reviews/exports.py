"""The review's figures as tables, for the CSV and the OpenDocument spreadsheet (one sheet a section).

Headers are in the reader's language. Every text cell is made safe for spreadsheets: one that a
spreadsheet would read as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is prefixed with an apostrophe. Nothing here names a person or a voluntary organisation
that received a funding notice; concern figures from fewer than 3 cases say so instead of a number.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from commitments.models import Sector
from compact_portal.bilingual import localised
from compact_portal.dates import long_date
from disputes.rules import HIDDEN
from monitoring.indicators import DAYS, PERCENT
from reviews.selectors import Review

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers as they are; text that a spreadsheet would run as a formula, prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: list[str]
    rows: list[list]


def _count(value) -> object:
    if value is None:
        return gettext("Fewer than 3")
    if value == HIDDEN:
        return gettext("Withheld")
    return value


def _number(value):
    """A measure's figure for a cell: the number (rounded as shown), or what stands for it."""
    if value.suppressed:
        return gettext("Fewer than 3")
    if value.value is None:
        return gettext("No data")
    return round(value.value, 1)


def review_sheets(review: Review) -> list[Sheet]:
    """The review's figures, one table per section, in the active language."""
    coverage = review.coverage
    sheets = [
        Sheet(
            gettext("Sign-ups"),
            [gettext("Type of organisation"), gettext("Sector"), gettext("Signed up at the end of the year")],
            [[row.label, _sector(row.sector), row.count] for row in coverage.by_type]
            + [
                [gettext("All public bodies"), _sector("public"), coverage.public_total],
                [gettext("All voluntary and community organisations"), _sector("vcs"), coverage.vcs_total],
                [gettext("Signatures made in the year"), "", coverage.signed_up_in_year],
            ],
        ),
        Sheet(
            gettext("Measures"),
            [gettext("Measure"), gettext("Unit"), review.label, review.last_label, gettext("Definition")],
            [
                [
                    str(row.indicator.title),
                    _unit(row.indicator.unit),
                    _number(row.this_year),
                    _number(row.last_year),
                    str(row.indicator.definition),
                ]
                for row in review.indicators
            ],
        ),
        Sheet(
            gettext("Trends"),
            [gettext("Measure"), *review.trend_labels],
            [[str(row.indicator.title), *(_number(value) for value in row.trend)] for row in review.indicators],
        ),
        Sheet(
            gettext("Consultations"),
            [gettext("Public body"), gettext("Consultation"), gettext("Closing date"), gettext("What was missed")],
            [
                [
                    item.body,
                    localised(item.consultation, "title").text,
                    long_date(item.closes_on),
                    "; ".join(item.failure_labels),
                ]
                for item in review.consultations
            ],
        ),
        Sheet(
            gettext("Funding notices"),
            [gettext("Public body"), gettext("What changes"), gettext("Notice given"), gettext("Takes effect")],
            [
                [item.body, item.change_label, long_date(item.notice_given_on), long_date(item.effective_on)]
                for item in review.notices
            ],
        ),
        Sheet(
            gettext("Breach concerns"),
            [gettext("Figure"), gettext("Concerns")],
            [[gettext("Raised in the year"), _count(review.concerns["raised"])]]
            + [
                [pgettext("concern stage", "Now at: %(stage)s") % {"stage": label}, _count(value)]
                for label, value in review.concerns["by_stage"]
            ]
            + [[gettext("Closed in the year"), _count(review.concerns["closed"])]]
            + [
                [pgettext("concern outcome", "Closed as: %(outcome)s") % {"outcome": label}, _count(value)]
                for label, value in review.concerns["by_outcome"]
            ]
            + [
                [
                    gettext("Flagged for the coordinator to review (a notice to a complainant)"),
                    _count(review.concerns["flagged"]),
                ]
            ],
        ),
        Sheet(
            gettext("Action plan"),
            [
                gettext("Action"),
                gettext("Lead organisation"),
                gettext("Due"),
                gettext("Status"),
                gettext("Done"),
                gettext("Out of"),
            ],
            [
                [
                    localised(row.action, "title").text,
                    row.action.lead_organisation.name,
                    long_date(row.action.due_on),
                    row.action.get_status_display(),
                    row.progress.done if row.progress else None,
                    row.progress.total if row.progress else None,
                ]
                for row in review.plan.actions
            ],
        ),
        Sheet(
            gettext("Evidence"),
            [
                gettext("Outcome"),
                gettext("Title"),
                gettext("Organisation"),
                gettext("Type of evidence"),
                gettext("What happened"),
            ],
            [
                [
                    f"{item.outcome.number} {localised(item.outcome, 'title').text}",
                    item.title,
                    item.organisation.name,
                    item.get_kind_display(),
                    item.text,
                ]
                for item in review.evidence
            ],
        ),
    ]
    return sheets


def _sector(value: str) -> str:
    return str(Sector(value).label)


def _unit(unit: str) -> str:
    if unit == PERCENT:
        return gettext("Per cent")
    if unit == DAYS:
        return gettext("Working days")
    return gettext("Number")


def review_csv(review: Review) -> str:
    """Every section one after another, each with its name, headers and rows, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, sheet in enumerate(review_sheets(review)):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(sheet.name)])
        writer.writerow([safe_cell(header) for header in sheet.headers])
        for row in sheet.rows:
            writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def review_ods(review: Review) -> bytes:
    """An OpenDocument spreadsheet: one sheet per section, a header row, numbers as numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for sheet in review_sheets(review):
        table = Table(name=sheet.name[:31])
        for row in [sheet.headers, *sheet.rows]:
            table_row = TableRow()
            for value in row:
                cell_value = safe_cell(value)
                if isinstance(cell_value, int | float):
                    cell = TableCell(valuetype="float", value=cell_value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(cell_value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
