"""Write (or refresh) Pay's reference data: city policies, minimum wages, deduction standards
and the holiday table. The data migration already does this once; run it again after
`pay.seeds` gains figures."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from tandem.pay.seeds import seed_reference_data


class Command(BaseCommand):
    help = "Write Pay's reference data (idempotent: updates existing rows, deletes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            seed_reference_data(apps)
        self.stdout.write(self.style.SUCCESS("Pay reference data written."))
