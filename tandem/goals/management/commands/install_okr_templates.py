"""Copies the built-in OKR template library into every company (or one, with --company)."""

from django.core.management.base import BaseCommand
from django_scopes import scope

from tandem.core.models import Company
from tandem.goals.okr_templates import install_library


class Command(BaseCommand):
    help = "Install or refresh the built-in OKR template library in every company."

    def add_arguments(self, parser):
        parser.add_argument("--company", type=int, help="Only this company id.")

    def handle(self, *args, company=None, **options):
        companies = Company.objects.order_by("pk")
        if company is not None:
            companies = companies.filter(pk=company)
        for each in companies:
            with scope(company=each.pk):
                count = install_library(company=each)
            self.stdout.write(f"{each}: {count} templates")
