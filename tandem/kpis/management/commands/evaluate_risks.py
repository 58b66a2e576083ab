"""`manage.py evaluate_risks [--date YYYY-MM-DD] [--company ID ...]`: the daily risk evaluation
(`kpis.risk.evaluate`) by hand, as the periodic task runs it."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tandem.kpis.risk import evaluate


class Command(BaseCommand):
    help = "Evaluate the pace and risk of every key result and KPI assignment; send the alerts."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Evaluate as of this day (default: today).")
        parser.add_argument("--company", type=int, action="append",
                            help="Only this company id (repeatable).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        summary = evaluate(today, company_ids=options["company"])
        self.stdout.write(
            f"items {summary.items}, at risk {summary.at_risk}, changed {summary.changed}, "
            f"alerts {summary.alerts}, digests {summary.digests}, "
            f"escalated {summary.escalated}, rows written {summary.written}")
