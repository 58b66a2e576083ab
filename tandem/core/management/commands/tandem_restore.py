"""`manage.py tandem_restore PATH`: put a backup's companies into a database without them."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tandem.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore a backup written by tandem_backup into a database at the same migration "
            "state that holds none of its companies, users or rows: see docs/backup.md.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")

    def handle(self, *args, path, **options):
        try:
            summary = restore_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 1:
            for table in summary.tables:
                self.stdout.write(f"{table.label}: {table.rows}")
        names = "、".join(f"{name} ({pk})" for pk, name in summary.companies)
        self.stdout.write(self.style.SUCCESS(
            _("Restored %(companies)s: %(rows)d rows from %(path)s.")
            % {"companies": names, "rows": summary.total_rows, "path": summary.path}
        ))
