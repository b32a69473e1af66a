"""Importing a Compact's existing list of signatories (read by ``signatories.csv_import``).

``signatories_import_plan`` matches each row to an organisation already in the portal and says
what importing would do; it writes nothing. ``signatories_import`` does it, all or nothing.

Matching, in this order: the same charity number, else the same company number, else the same
name once case, punctuation, "Ltd", "The" and "&"/"and" are set aside (``normalised_name``).
A row that matches two organisations, or an organisation whose number differs from the row's,
or the same organisation as another row, is an error: the coordinator must say which is meant.

Importing creates the organisations not found (without members: nobody has an account for them
yet) and a SIGNED signature of the current edition for each organisation that has no signature
on it. An organisation that already has a signature on the edition, whatever its status, is left
exactly as it is, so importing the same file twice changes nothing the second time.

An organisation already in the portal is never changed by an import (its details are kept, and
the preview lists each detail where the file says something else). Signing one needs the
coordinator's explicit confirmation (``ImportPlan.needs_confirmation``), and the preview says
plainly which of them belong to another Compact (have signed, or applied to sign, only under
another Compact's editions).

No emails are sent. An import records signatures made on paper, often long ago, for
organisations that mostly have no account here; the coordinator holds the paper. Emailing every
contact in a spreadsheet would surprise them, and the people who need to know, the coordinator,
are the ones importing. (Signatures made through the portal do send emails: see services.py.)
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Compact, Edition
from signatories.csv_import import ImportRow, LineError
from signatories.models import Organisation, Signature, SignatureEvent
from signatories.services import signing_statement

S = Signature.Status


class SignatoryImportError(Exception):
    """The import cannot go ahead; ``errors`` says why (for the user)."""

    def __init__(self, errors: list[LineError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


class Action:
    CREATE_ORGANISATION = "create_organisation"  # a new organisation, and its signature
    ADD_SIGNATURE = "add_signature"  # an organisation already here, a new signature
    UNCHANGED = "unchanged"  # the organisation already has a signature on the edition


@dataclass
class PlannedRow:
    row: ImportRow
    organisation: Organisation | None = None  # the organisation already in the portal, if any
    matched_by: str = ""  # "charity number", "company number" or "name"
    signature: Signature | None = None  # its signature on the edition, if it has one
    other_compacts: list[str] = field(default_factory=list)  # other Compacts it signed or applied to sign
    in_this_compact: bool = False  # it has a signature on some edition of this Compact

    @property
    def belongs_to_another_compact(self) -> bool:
        """An organisation of another Compact (and none of this one's) that the import would sign."""
        return self.action == Action.ADD_SIGNATURE and bool(self.other_compacts) and not self.in_this_compact

    @property
    def differences(self) -> list[tuple[str, str, str]]:
        """(what, in the file, in the portal) for each detail the file gives differently; the portal's is kept."""
        if self.organisation is None:
            return []
        organisation, row = self.organisation, self.row
        found = []
        for label, ours, theirs in (
            (_("sector"), row.sector_label, organisation.get_sector_display()),
            (_("type"), row.organisation_type_label, organisation.get_organisation_type_display()),
            (_("contact name"), row.contact_name, organisation.contact_name),
            (_("contact email"), row.contact_email, organisation.contact_email),
        ):
            if ours and str(ours).strip().lower() != str(theirs).strip().lower():
                found.append((str(label), str(ours), str(theirs) or "–"))
        return found

    @property
    def action(self) -> str:
        if self.organisation is None:
            return Action.CREATE_ORGANISATION
        if self.signature is None:
            return Action.ADD_SIGNATURE
        return Action.UNCHANGED

    @property
    def description(self) -> str:
        """What importing will do with this row, for the preview."""
        if self.organisation is None:
            return _("New organisation: added, with its signature")
        if self.signature is None:
            return _("Already exists: ‘%(name)s’ (same %(by)s) will be signed") % {
                "name": self.organisation.name,
                "by": self.matched_by,
            }
        if self.signature.status == S.SIGNED:
            return _("Matches ‘%(name)s’ (same %(by)s), which has already signed this edition: no change") % {
                "name": self.organisation.name,
                "by": self.matched_by,
            }
        return _("Matches ‘%(name)s’ (same %(by)s), already on this edition as ‘%(status)s’: no change") % {
            "name": self.organisation.name,
            "by": self.matched_by,
            "status": self.signature.get_status_display(),
        }

    @property
    def notes(self) -> list[str]:
        """What the coordinator must know: another Compact's organisation, and details that differ
        from the portal's (which are kept: an import never changes an organisation)."""
        notes = []
        if self.belongs_to_another_compact:
            notes.append(_("Belongs to another Compact: %(compacts)s.") % {"compacts": ", ".join(self.other_compacts)})
        for what, ours, theirs in self.differences:
            notes.append(
                _("The file has %(what)s ‘%(ours)s’, the portal ‘%(theirs)s’: the portal’s is kept, nothing changes.")
                % {"what": what, "ours": ours, "theirs": theirs}
            )
        return notes


@dataclass
class ImportPlan:
    edition: Edition
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    def _count(self, *actions: str) -> int:
        return sum(1 for planned in self.rows if planned.action in actions)

    @property
    def organisations_to_create(self) -> int:
        return self._count(Action.CREATE_ORGANISATION)

    @property
    def organisations_matched(self) -> int:
        return self._count(Action.ADD_SIGNATURE, Action.UNCHANGED)

    @property
    def signatures_to_create(self) -> int:
        return self._count(Action.CREATE_ORGANISATION, Action.ADD_SIGNATURE)

    @property
    def unchanged(self) -> int:
        return self._count(Action.UNCHANGED)

    @property
    def existing_to_sign(self) -> list[PlannedRow]:
        """Organisations already in the portal that the import would sign."""
        return [planned for planned in self.rows if planned.action == Action.ADD_SIGNATURE]

    @property
    def of_other_compacts(self) -> list[PlannedRow]:
        return [planned for planned in self.rows if planned.belongs_to_another_compact]

    @property
    def with_differences(self) -> list[PlannedRow]:
        return [planned for planned in self.rows if planned.differences]

    @property
    def needs_confirmation(self) -> bool:
        """Signing organisations already in the portal needs the coordinator to say they checked them."""
        return bool(self.existing_to_sign)


@dataclass(frozen=True)
class ImportResult:
    organisations_created: int
    signatures_created: int
    unchanged: int


def _candidates(rows: list[ImportRow]) -> list[Organisation]:
    """Every organisation that any row might be, in one query."""
    charity_numbers = {row.charity_number for row in rows if row.charity_number}
    company_numbers = {row.company_number for row in rows if row.company_number}
    names = {row.normalised_name for row in rows if row.normalised_name}
    return list(
        Organisation.objects.annotate(charity_upper=Upper("charity_number"), company_upper=Upper("company_number"))
        .filter(
            Q(charity_upper__in=charity_numbers) | Q(company_upper__in=company_numbers) | Q(normalised_name__in=names)
        )
        .order_by("pk")
    )


def signatories_import_plan(*, edition: Edition, rows: list[ImportRow]) -> ImportPlan:
    """What importing the rows into the edition would do, and any reason it cannot. Three queries."""
    plan = ImportPlan(edition=edition)
    by_key: dict[tuple[str, str], list[Organisation]] = {}
    for organisation in _candidates(rows):
        for kind, value in (
            ("charity", organisation.charity_number.upper()),
            ("company", organisation.company_number.upper()),
            ("name", organisation.normalised_name),
        ):
            if value:
                by_key.setdefault((kind, value), []).append(organisation)

    matched_lines: dict[int, int] = {}  # organisation pk → the first line that matched it
    for row in rows:
        planned = PlannedRow(row=row)
        problem = ""
        for kind, value, label in (
            ("charity", row.charity_number, _("charity number")),
            ("company", row.company_number, _("company number")),
            ("name", row.normalised_name, _("name")),
        ):
            found = by_key.get((kind, value), []) if value else []
            if len(found) > 1:
                problem = _(
                    "It matches %(count)s organisations already in the portal by %(by)s (%(names)s). "
                    "Add its charity or company number so that we know which it is."
                ) % {"count": len(found), "by": label, "names": ", ".join(f"‘{o.name}’" for o in found)}
                break
            if found:
                planned.organisation, planned.matched_by = found[0], label
                break
        organisation = planned.organisation
        if not problem and organisation is not None:
            for number, theirs, label in (
                (row.charity_number, organisation.charity_number, _("charity number")),
                (row.company_number, organisation.company_number, _("company number")),
            ):
                if number and theirs and number != theirs.upper():
                    problem = _(
                        "It matches ‘%(name)s’ by %(by)s, but that organisation’s %(what)s is %(theirs)s, not "
                        "%(ours)s. Check the number, or the name if they are different organisations."
                    ) % {
                        "name": organisation.name,
                        "by": planned.matched_by,
                        "what": label,
                        "theirs": theirs,
                        "ours": number,
                    }
                    break
        if not problem and organisation is not None:
            if organisation.pk in matched_lines:
                problem = _("It is the same organisation as line %(line)s (‘%(name)s’).") % {
                    "line": matched_lines[organisation.pk],
                    "name": organisation.name,
                }
            matched_lines.setdefault(organisation.pk, row.line)
        if problem:
            plan.errors.append(LineError(row.line, problem))
        plan.rows.append(planned)

    signatures = {
        signature.organisation_id: signature
        for signature in Signature.objects.filter(edition=edition, organisation_id__in=list(matched_lines))
    }
    compacts: dict[int, set[str]] = {}
    in_this: set[int] = set()
    for organisation_id, compact_id, compact_name in (
        Signature.objects.filter(organisation_id__in=list(matched_lines))
        .values_list("organisation_id", "edition__compact_id", "edition__compact__name")
        .distinct()
    ):
        if compact_id == edition.compact_id:
            in_this.add(organisation_id)
        else:
            compacts.setdefault(organisation_id, set()).add(compact_name)
    for planned in plan.rows:
        if planned.organisation is not None:
            planned.signature = signatures.get(planned.organisation.pk)
            planned.other_compacts = sorted(compacts.get(planned.organisation.pk, ()))
            planned.in_this_compact = planned.organisation.pk in in_this
    return plan


@transaction.atomic
def signatories_import(
    *, edition: Edition, rows: list[ImportRow], by, filename: str, existing_confirmed: bool = False
) -> ImportResult:
    """Create the organisations and SIGNED signatures the plan says; all or nothing, no emails.

    Refused unless ``existing_confirmed`` when it would sign organisations already in the portal."""
    # One import at a time per Compact: a second one waits, then finds the first one's rows.
    Compact.objects.select_for_update().get(pk=edition.compact_id)
    edition.refresh_from_db()
    if edition.status != Edition.Status.PUBLISHED:
        raise SignatoryImportError(
            [LineError(None, _("Signatories can only be imported into the current edition of a Compact."))]
        )
    plan = signatories_import_plan(edition=edition, rows=rows)
    if plan.errors:
        raise SignatoryImportError(plan.errors)
    if plan.needs_confirmation and not existing_confirmed:
        raise SignatoryImportError(
            [
                LineError(
                    None,
                    _("Confirm that the organisations already in the portal are the ones the file means."),
                )
            ]
        )

    now = timezone.now()
    note = _("Imported from %(filename)s") % {"filename": filename}
    organisations_created = signatures_created = 0
    for planned in plan.rows:
        if planned.action == Action.UNCHANGED:
            continue
        row = planned.row
        organisation = planned.organisation
        if organisation is None:
            organisation = Organisation(
                name=row.name,
                sector=row.sector,
                organisation_type=row.organisation_type,
                charity_number=row.charity_number,
                company_number=row.company_number,
                contact_name=row.contact_name,
                contact_email=row.contact_email,
            )
            organisation.full_clean()
            organisation.save()
            organisations_created += 1
        signature = Signature.objects.create(
            organisation=organisation,
            edition=edition,
            status=S.SIGNED,
            signatory_name=row.signatory_name,
            signatory_role=row.signatory_role,
            signed_on=row.signed_on,
            statement=signing_statement(organisation=organisation, edition=edition),
            applied_by=by,
            applied_at=now,
            recorded_on_behalf=True,
            decided_by=by,
            decided_at=now,
        )
        SignatureEvent.objects.create(signature=signature, old_status="", new_status=S.SIGNED, by=by, note=note)
        signatures_created += 1

    if signatures_created:
        # The PDF's annex lists the signatories: have it made again once this is committed.
        from commitments.tasks import render_edition_pdf

        edition_id = edition.pk
        transaction.on_commit(lambda: render_edition_pdf.delay(edition_id))
    return ImportResult(
        organisations_created=organisations_created,
        signatures_created=signatures_created,
        unchanged=plan.unchanged,
    )
