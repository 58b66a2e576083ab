"""`manage.py tandem_backup PATH [--company ID]`: write companies' full data to one file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tandem.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Back up one company (or all of them) to a new file: see docs/backup.md."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write (it must not exist yet).")
        parser.add_argument(
            "--company", type=int, action="append", dest="companies", metavar="ID",
            help="Id of a company to back up; repeat for several. All companies when omitted.",
        )

    def handle(self, *args, path, companies, **options):
        try:
            summary = write_backup(path, company_ids=companies)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 1:
            for table in summary.tables:
                self.stdout.write(f"{table.label}: {table.rows}")
        names = "、".join(f"{name} ({pk})" for pk, name in summary.companies)
        self.stdout.write(self.style.SUCCESS(
            _("Backed up %(companies)s: %(rows)d rows to %(path)s.")
            % {"companies": names, "rows": summary.total_rows, "path": summary.path}
        ))
