"""Create a company and its owner's sign-in: how a real (non-demo) installation starts."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tandem.core.models import Company, Membership, Role


class Command(BaseCommand):
    help = "Create a company and its owner (an existing user, or a new one)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Company name (Chinese or any).")
        parser.add_argument("--name-en", default="", help="English company name.")
        parser.add_argument("--owner", required=True, help="User name of the owner.")
        parser.add_argument("--email", default="", help="Owner's email, for a new user.")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="Read a new owner's password from standard input instead of prompting.",
        )

    def handle(self, *args, name, name_en, owner, email, password_stdin, **options):
        User = get_user_model()
        user = User.objects.filter(username=owner).first()
        password = None
        if user is None:
            password = self._read_password(password_stdin)
            try:
                validate_password(password, User(username=owner, email=email))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(username=owner, email=email, password=password)
            company = Company.objects.create(name=name, name_en=name_en)
            Membership.objects.create(user=user, company=company, role=Role.OWNER)
        self.stdout.write(self.style.SUCCESS(
            f"Company “{company.name}” (id {company.pk}) created; {user.username} is its owner."
        ))

    def _read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Owner's password: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first
