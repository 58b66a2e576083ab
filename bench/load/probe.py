"""Queries and server time of one request to each endpoint of the scenario, per kind of user: the
first thing to look at when a line of the load table is slow. Runs inside a configured Django
against the load database (run.py --query-counts), with the accounts JSON that accounts.py wrote.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

REPEAT = 5


def _lead(accounts: dict) -> dict:
    return next((a for a in accounts["lead"] if a["report_ids"]), accounts["lead"][0])


def _endpoints(accounts: dict) -> dict[str, list[tuple[str, str, dict]]]:
    """(name, path, extra client arguments) per kind, the same routes as the locustfile."""
    employee, lead = accounts["employee"][0], _lead(accounts)
    colleague = accounts["meta"]["employee_ids"][len(accounts["meta"]["employee_ids"]) // 2]
    term = accounts["meta"]["search_terms"][0]
    report = lead["report_ids"][0] if lead["report_ids"] else colleague
    api = "/api/v1/employees/"
    return {
        "employee": [
            ("dashboard", "/", {}),
            ("own record", f"/people/employees/{employee['employee_id']}/", {}),
            ("colleague", f"/people/employees/{colleague}/", {}),
            ("directory", "/people/employees/", {}),
            ("directory page 5", "/people/employees/?page=5", {}),
            ("directory search", f"/people/employees/?q={term}", {}),
            ("directory htmx", f"/people/employees/?q={term}", {"HTTP_HX_REQUEST": "true"}),
            ("department tree", "/people/departments/", {}),
            ("api me", "/api/v1/me/", {}),
            ("api own record", f"{api}{employee['employee_id']}/", {}),
        ],
        "lead": [
            ("team list", f"/people/employees/?department={lead['department_id']}&status=current",
             {}),
            ("report", f"/people/employees/{report}/", {}),
            ("api team", f"{api}?department={lead['department_id']}&include_subdepartments=true",
             {}),
            ("api job history", f"{api}{report}/job-history/", {}),
        ],
        "hr": [
            ("directory", "/people/employees/", {}),
            ("record (private)", f"/people/employees/{colleague}/", {}),
            ("api employees", f"{api}?status=active&ordering=name", {}),
            ("api departments", "/api/v1/departments/", {}),
            ("positions", "/people/positions/", {}),
        ],
    }


def probe(accounts: dict) -> list[tuple[str, str, int, int, float]]:
    users = get_user_model().objects
    rows = []
    for kind, endpoints in _endpoints(accounts).items():
        account = _lead(accounts) if kind == "lead" else accounts[kind][0]
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(users.get(username=account["username"]))
        for name, path, extra in endpoints:
            timings = []
            for _ in range(REPEAT):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path, **extra)
                    timings.append((time.perf_counter() - started) * 1000)
            rows.append((kind, name, response.status_code, len(queries), statistics.median(timings)))
    return rows


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        accounts = json.load(handle)
    print("| kind | endpoint | status | queries | median ms (one request, no load) |")
    print("|---|---|---|---|---|")
    for kind, name, status, queries, ms in probe(accounts):
        print(f"| {kind} | {name} | {status} | {queries} | {ms:.0f} |")


if __name__ == "__main__":
    main(sys.argv[1])
