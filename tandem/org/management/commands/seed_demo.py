"""`manage.py seed_demo`: load the demo company (see `tandem.org.demo`) and print its sign-ins."""

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tandem.core.models import Company, Role
from tandem.org.demo import (
    DEFAULT_EMPLOYEES,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    MIN_EMPLOYEES,
    SignIn,
    existing_sign_ins,
    seed_demo_company,
)


def _width(text: str) -> int:
    """Columns a terminal gives `text`: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Create the demo company 星河科技有限公司 (Galaxy Tech) with five sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees", type=int, default=DEFAULT_EMPLOYEES,
            help=f"Number of employees, at least {MIN_EMPLOYEES} (default {DEFAULT_EMPLOYEES}).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same company (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing when the database already holds a company.",
        )
        parser.add_argument(
            "--force-new-company", action="store_true",
            help="Create another demo company next to the existing ones.",
        )
        parser.add_argument(
            "--no-payroll", action="store_true",
            help="Leave out the payroll runs (faster for thousands of employees).",
        )

    def handle(self, *args, employees, seed, if_empty, force_new_company, no_payroll,
               **options):
        if employees < MIN_EMPLOYEES:
            raise CommandError(
                _("The demo company needs at least %(minimum)d employees.")
                % {"minimum": MIN_EMPLOYEES}
            )
        if Company.objects.exists():
            if if_empty:
                self.stdout.write(_("The database already holds a company: demo data not loaded."))
                existing = existing_sign_ins()
                if existing:
                    self._print_sign_ins(existing)
                return
            if not force_new_company:
                raise CommandError(_(
                    "The database already holds a company. Use --if-empty to leave it as it "
                    "is, or --force-new-company to add another demo company next to it."
                ))
        started = time.perf_counter()
        demo = seed_demo_company(employees=employees, seed=seed, payroll_runs=not no_payroll)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            _("Created %(company)s: %(employees)d employees in %(departments)d departments "
              "(%(seconds).1f s).")
            % {"company": demo.company.name, "employees": demo.employee_count,
               "departments": demo.department_count, "seconds": elapsed}
        ))
        self._print_sign_ins(demo.sign_ins)

    def _print_sign_ins(self, sign_ins: list[SignIn]) -> None:
        roles = dict(Role.choices)
        rows = [(_("User name"), _("Role"), _("Password"), _("Who they are"))]
        for sign_in in sign_ins:
            employee = sign_in.employee
            who = f"{employee.display_name} {employee.employee_number}, " \
                  f"{employee.position.display_name}, {employee.department.display_name}"
            rows.append((sign_in.username, str(roles[sign_in.role]), DEMO_PASSWORD, who))
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        for row in rows:
            self.stdout.write("  ".join(
                [_pad(cell, width) for cell, width in zip(row, widths, strict=False)] + [row[3]]
            ).rstrip())
