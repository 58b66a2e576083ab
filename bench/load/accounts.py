"""Sign-ins for the load test: user accounts, memberships and API tokens for a sample of the demo
company's people, by kind (employees, department leaders, HR), written to a JSON file that the
locustfile reads. Only the demo's five named people have accounts; the load needs hundreds.

Runs inside a configured Django (see run.py); it writes through the ORM directly because this
is test set-up, not a user operation (no service exists for "give 300 people an account")."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_scopes import scope
from rest_framework.authtoken.models import Token

from tandem.core.models import Company, Membership, Role
from tandem.org.models import Department, Employee, EmployeeStatus, Position
from tandem.org.selectors import subtree_ids

LOAD_PASSWORD = "tandem-load-1"  # noqa: S105 (throw-away database)
SEARCH_TERMS_PER_KIND = 15


@transaction.atomic
def create_load_accounts(*, employees: int, leads: int, hr: int, seed: int = 7) -> dict:
    """Accounts for `employees` plain employees, up to `leads` department leaders and up to
    `hr` HR people of the first company; returns what the locustfile needs to know."""
    rng = random.Random(seed)
    company = Company.objects.order_by("pk").first()
    with scope(company=company.pk):
        current = Employee.objects.exclude(status=EmployeeStatus.LEFT).filter(user=None)
        led = {}  # leader id -> ids of the departments they lead
        for department_id, leader_id in Department.objects.exclude(leader=None).values_list(
                "pk", "leader_id"):
            led.setdefault(leader_id, []).append(department_id)
        leader_rows = list(current.filter(pk__in=led).values("pk", "department_id")
                           .order_by("pk"))
        rng.shuffle(leader_rows)
        leader_rows = leader_rows[:leads]
        # HR people: the people of the department the HR demo user sits in (administration).
        hr_department = Employee.objects.filter(user__username="hr").values_list(
            "department_id", flat=True).first()
        hr_rows = list(current.filter(department_id=hr_department).exclude(pk__in=led)
                       .values("pk", "department_id").order_by("pk"))[:hr]
        taken = {row["pk"] for row in leader_rows + hr_rows}
        plain_ids = list(current.exclude(pk__in=led).exclude(pk__in=taken)
                         .values_list("pk", flat=True).order_by("pk"))
        plain_rows = [{"pk": pk} for pk in rng.sample(plain_ids, min(employees, len(plain_ids)))]

        kinds = {"lead": leader_rows, "hr": hr_rows, "employee": plain_rows}
        accounts = _write_users(company, kinds)
        for row in accounts["lead"]:
            _add_team(company, row, led[row["employee_id"]], set(led))
        accounts["meta"] = _meta(rng)
    return accounts


def _write_users(company: Company, kinds: dict[str, list[dict]]) -> dict[str, list[dict]]:
    User = get_user_model()  # noqa: N806
    password = make_password(LOAD_PASSWORD)  # one hash: hashing is slow on purpose
    roles = {"lead": Role.EMPLOYEE, "hr": Role.HR, "employee": Role.EMPLOYEE}
    pending = []
    for kind, rows in kinds.items():
        for index, row in enumerate(rows):
            user = User(username=f"load-{kind}-{index}", password=password)
            pending.append((kind, row["pk"], user))
    User.objects.bulk_create([user for _, _, user in pending])
    Membership.objects.bulk_create(
        Membership(user=user, company=company, role=roles[kind]) for kind, _, user in pending
    )
    tokens = Token.objects.bulk_create(
        Token(user=user, key=Token.generate_key()) for _, _, user in pending
    )
    people = Employee.objects.in_bulk([pk for _, pk, _ in pending])
    for _, pk, user in pending:
        people[pk].user = user
    Employee.objects.bulk_update(people.values(), ["user"], batch_size=1000)
    accounts: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for (kind, pk, user), token in zip(pending, tokens, strict=True):
        accounts[kind].append({
            "username": user.username, "password": LOAD_PASSWORD, "token": token.key,
            "employee_id": pk, "department_id": people[pk].department_id,
        })
    return accounts


def _add_team(company: Company, row: dict, led_ids: list[int], leader_ids: set[int]) -> None:
    """The departments a leader leads, their direct reports (not themselves leaders) and, for
    each report, the positions of the report's department the leader may move them between."""
    subtree = subtree_ids(company, led_ids)
    reports = list(Employee.objects.filter(manager_id=row["employee_id"], department__in=subtree)
                   .exclude(status=EmployeeStatus.LEFT).exclude(pk__in=leader_ids)
                   .values("pk", "department_id").order_by("pk"))
    positions: dict[int, list[int]] = {}
    for position_id, department_id in Position.objects.filter(
            department__in=subtree).values_list("pk", "department_id"):
        positions.setdefault(department_id, []).append(position_id)
    row["led_department_ids"] = sorted(led_ids)
    row["report_ids"] = [r["pk"] for r in reports]
    row["report_positions"] = {str(r["pk"]): positions.get(r["department_id"], [])
                               for r in reports}


def _meta(rng: random.Random) -> dict:
    """Ids and search terms shared by every simulated user."""
    names = list(Employee.objects.values_list("name", "english_name", "employee_number"))
    sample = rng.sample(names, min(len(names), SEARCH_TERMS_PER_KIND))
    terms = sorted({name[:1] for name, _, _ in sample}
                   | {english.split()[0] for _, english, _ in sample if english}
                   | {number[:-2] for _, _, number in sample})
    return {
        "department_ids": list(Department.objects.values_list("pk", flat=True).order_by("pk")),
        "position_ids": list(Position.objects.values_list("pk", flat=True).order_by("pk")),
        "employee_ids": list(Employee.objects.values_list("pk", flat=True).order_by("pk")),
        "search_terms": terms,
        "statuses": ["current", *EmployeeStatus.values],
    }
