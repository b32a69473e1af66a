"""Import a local Compact from a Word (.docx), PDF or plain-text file as a new draft edition, read
with the Compact's reading rules (the ones coordinators add on the check page).

python manage.py import_compact PATH --compact SLUG [--name "Edition name"] [--dry-run]
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments import import_sources, importer, selectors, services
from commitments.models import Compact, Edition
from compact_portal.dates import long_date

NAME_MAX_LENGTH = Edition._meta.get_field("name").max_length


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a property so that it is translated when shown, not when imported
        return _(
            "Read a local Compact from a Word (.docx), PDF or plain-text file and save it as a new draft "
            "edition. Nothing is saved if any line cannot be read."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("The file of the Compact (.docx, .pdf or .txt)."))
        parser.add_argument("--compact", required=True, metavar="SLUG", help=_("The short name of the Compact."))
        parser.add_argument("--name", help=_("The name of the new edition (default: ‘Imported’ and today’s date)."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Read the file and report what was found, but save nothing."),
        )

    def handle(self, *args, path: Path, compact: str, name: str | None, dry_run: bool, **options):
        try:
            compact_obj = Compact.objects.get(slug=compact)
        except Compact.DoesNotExist:
            raise CommandError(_("There is no Compact with the short name ‘%(slug)s’.") % {"slug": compact}) from None
        name = (name or "").strip() or _("Imported %(date)s") % {"date": long_date(timezone.localdate())}
        if len(name) > NAME_MAX_LENGTH:
            raise CommandError(_("The edition name must be %(max)s characters or fewer.") % {"max": NAME_MAX_LENGTH})
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(_("There is no file at %(path)s.") % {"path": path}) from None
        except OSError as exc:
            raise CommandError(
                _("The file %(path)s could not be read: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        try:
            source = import_sources.read_source(name=path.name, data=data, max_bytes=settings.COMPACT_IMPORT_MAX_BYTES)
        except import_sources.SourceError as exc:
            raise CommandError(
                _("%(path)s could not be imported and nothing was saved: %(reason)s") % {"path": path, "reason": exc}
            ) from None
        for change in source.changes:
            self.stdout.write(
                _("Changed line %(line)s: %(description)s") % {"line": change.line, "description": change.description}
            )
        for warning in source.warnings:
            self.stdout.write(self.style.WARNING(warning))
        try:
            parsed = importer.parse_compact_text(source.text, selectors.reading_rules_for_compact(compact=compact_obj))
        except importer.CompactTextError as exc:
            lines = [
                _("%(path)s could not be imported and nothing was saved. Fix these and try again:") % {"path": path}
            ]
            lines += [f"  {error}" for error in exc.errors]
            raise CommandError("\n".join(lines)) from None

        self._report(parsed)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            edition = services.edition_create_from_import(compact=compact_obj, parsed=parsed, name=name, by=None)
        except services.EditionError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Created the draft edition ‘%(name)s’ (id %(pk)s) of %(compact)s.")
                % {"name": edition.name, "pk": edition.pk, "compact": compact_obj.name}
            )
        )

    def _report(self, parsed: importer.ParsedCompact) -> None:
        self.stdout.write(_("Title: %(title)s") % {"title": parsed.title or _("(none found)")})
        for outcome in parsed.outcomes:
            counts = outcome.count_by_sector()
            line = _(
                "Outcome %(number)s: %(title)s – %(public)s public sector, %(vcs)s voluntary and community sector"
            ) % {
                "number": outcome.number,
                "title": outcome.title,
                "public": counts["public"],
                "vcs": counts["vcs"],
            }
            if counts.get("joint"):
                line += ", " + _("%(joint)s both sectors") % {"joint": counts["joint"]}
            self.stdout.write(line)
        counts = parsed.count_by_sector()
        self.stdout.write(
            _(
                "Total: %(outcomes)s outcomes, %(total)s undertakings "
                "(%(public)s public sector, %(vcs)s voluntary and community sector)."
            )
            % {
                "outcomes": len(parsed.outcomes),
                "total": sum(counts.values()),
                "public": counts["public"],
                "vcs": counts["vcs"],
            }
        )
        self.stdout.write(
            _("Principles: %(principles)s; codes of practice: %(codes)s")
            % {"principles": len(parsed.principles), "codes": len(parsed.codes_of_practice)}
        )
        for section, text in (
            (_("Introduction"), parsed.introduction),
            (_("Making the Compact work"), parsed.making_it_work),
            (_("Resolving differences"), parsed.dispute_resolution),
            (_("Contacts"), parsed.contacts),
        ):
            found = _("%(words)s words") % {"words": len(text.split())} if text else _("not found")
            self.stdout.write(f"{section}: {found}")
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(_("Check: %(warning)s") % {"warning": warning}))
