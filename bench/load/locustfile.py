"""A working day in Tandem for locust: employees, department leaders and HR people using the
pages (signed in with a session, as in the browser) and the API (with a token, as an app would).

Reads the accounts JSON that `run.py` writes (path in LOAD_ACCOUNTS). Every request has a `name`
that is its route with ids replaced by `[id]`, so the statistics are per endpoint.

Adding a feature to the day: give the user class of the people who use it a method with
`@task(weight)` (weights are relative to the other tasks of that class; see the numbers below)
that calls `self.page(...)` / `self.api(...)` / `self.api_patch(...)`. Goals, key-result
check-ins and KPI reports do not exist yet; when they do, employees get "read my OKRs" and
"check in on a key result", leads "read the team's OKRs" and HR "read reports" here, and the
ids they need go into `accounts.py`'s output.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import FastHttpUser, between, task
from locust.contrib.fasthttp import FastHttpSession

with open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8") as handle:
    ACCOUNTS = json.load(handle)
META = ACCOUNTS["meta"]
# HR edits only people whom no simulated leader edits: no two writers ever share a record.
_LEAD_REPORTS = {pk for lead in ACCOUNTS["lead"] for pk in lead["report_ids"]}
HR_EDITABLE = [pk for pk in META["employee_ids"] if pk not in _LEAD_REPORTS]
EMPLOYEES_PER_PAGE = 25
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_counters = {kind: itertools.count() for kind in ("employee", "lead", "hr")}
_lock = threading.Lock()


def failure_text(response) -> str:
    """The status and the start of the body, or the connection error of a status 0."""
    if not response.status_code:
        return f"no response: {response.error!r}"
    return f"HTTP {response.status_code}: {(response.text or '')[:200]}"


class WorkingDayUser(FastHttpUser):
    """One person of a kind (`kind` picks the account pool). The first simulated user to take an
    account is its `writer`: only writers edit, so that two simulated users never edit the same
    record at once (that would be a legitimate 409, not a load figure)."""

    abstract = True
    kind = ""
    wait_time = between(1, 5)  # seconds of reading between two actions

    def on_start(self):
        pool = ACCOUNTS[self.kind]
        with _lock:
            index = next(_counters[self.kind])
        self.account = pool[index % len(pool)]
        self.writer = index < len(pool)
        self.rng = random.Random(index)
        self.token_header = {"Authorization": f"Token {self.account['token']}"}
        # The API client is another device (a phone app): token only, cookies of its own.
        self.app = FastHttpSession(
            base_url=self.host, user=self, request_event=self.environment.events.request,
            network_timeout=self.network_timeout, connection_timeout=self.connection_timeout,
            max_retries=self.max_retries, max_redirects=self.max_redirects,
        )
        self.sign_in()

    def sign_in(self):
        """The sign-in form, as a browser submits it (CSRF cookie and token)."""
        with self.client.get("/login/", name="/login/ [form]", catch_response=True) as response:
            match = _CSRF.search(response.text or "")
            if response.status_code != 200 or not match:
                response.failure(f"no sign-in form (HTTP {response.status_code})")
                return
        form = {"username": self.account["username"], "password": self.account["password"],
                "csrfmiddlewaretoken": match.group(1), "next": "/"}
        with self.client.post("/login/", data=form, name="/login/ [sign in]",
                              headers={"Referer": f"{self.host}/login/"},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused (HTTP {response.status_code})")

    # -- helpers ------------------------------------------------------------------------------

    def page(self, path: str, name: str, *, params: dict | None = None, htmx: bool = False):
        headers = {"HX-Request": "true"} if htmx else None
        with self.client.get(path, params=params, name=name, headers=headers,
                             allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(failure_text(response))

    def api(self, path: str, name: str, *, params: dict | None = None) -> dict | None:
        with self.app.get(path, params=params, name=name, headers=self.token_header,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(failure_text(response))
                return None
            return response.json()

    def api_patch(self, path: str, name: str, changes: dict) -> None:
        """Read the record, then PATCH it, sending back its `version` when the API has one
        (optimistic locking: a stale version is a 409)."""
        current = self.api(path, f"{name} [read before edit]")
        if current is None:
            return
        body = dict(changes)
        if "version" in current:
            body["version"] = current["version"]
        with self.app.request("PATCH", path, json=body, name=name,
                                 headers=self.token_header, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(failure_text(response))

    def employee_list_params(self, **fixed) -> dict:
        """A realistic employee list query: sometimes a search, sometimes a filter, a page."""
        params = dict(fixed)
        roll = self.rng.random()
        if roll < 0.35:
            params["q"] = self.rng.choice(META["search_terms"])
        elif roll < 0.55 and "department" not in params:
            params["department"] = self.rng.choice(META["department_ids"])
        elif roll < 0.7:
            params["status"] = self.rng.choice(META["statuses"])
        if "q" not in params and "department" not in params and self.rng.random() < 0.5:
            # paging through the whole directory: most people stop within the first pages
            pages = max(1, len(META["employee_ids"]) // EMPLOYEES_PER_PAGE)
            params["page"] = min(pages, int(self.rng.expovariate(1 / 4)) + 1)
        return params

    # -- what everybody does -----------------------------------------------------------------

    def dashboard(self):
        self.page("/", "/ (dashboard)")

    def own_record(self):
        self.page(f"/people/employees/{self.account['employee_id']}/",
                  "/people/employees/[id]/ (own)")

    def department_tree(self):
        self.page("/people/departments/", "/people/departments/")

    def directory(self):
        self.page("/people/employees/", "/people/employees/",
                  params=self.employee_list_params())

    def directory_search_as_you_type(self):
        """The list's search box: htmx asks for the results part only."""
        self.page("/people/employees/", "/people/employees/ [htmx results]",
                  params={"q": self.rng.choice(META["search_terms"])}, htmx=True)

    def colleague(self):
        pk = self.rng.choice(META["employee_ids"])
        self.page(f"/people/employees/{pk}/", "/people/employees/[id]/")


class Employee(WorkingDayUser):
    """Most of the company: reads the dashboard, their own page, looks colleagues up."""

    kind = "employee"
    weight = 14

    @task(3)
    def read_dashboard(self):
        self.dashboard()

    @task(2)
    def read_own_record(self):
        self.own_record()

    @task(3)
    def look_up_colleagues(self):
        self.directory()

    @task(2)
    def search_as_you_type(self):
        self.directory_search_as_you_type()

    @task(2)
    def read_colleague(self):
        self.colleague()

    @task(1)
    def read_department_tree(self):
        self.department_tree()

    @task(1)
    def app_who_am_i(self):
        self.api("/api/v1/me/", "/api/v1/me/")

    @task(1)
    def app_own_record(self):
        self.api(f"/api/v1/employees/{self.account['employee_id']}/",
                 "/api/v1/employees/[id]/ (own)")


class Lead(WorkingDayUser):
    """A department leader: reads their team, the records of their reports, now and then moves
    a report to another position of their department (leaders may change department, position
    and manager only; a phone number is HR's to change)."""

    kind = "lead"
    weight = 4

    def report(self) -> int | None:
        reports = self.account["report_ids"]
        return self.rng.choice(reports) if reports else None

    @task(4)
    def read_team(self):
        self.page("/people/employees/", "/people/employees/?department= (team)",
                  params={"department": self.account["department_id"], "status": "current"})

    @task(3)
    def read_report(self):
        pk = self.report()
        if pk is not None:
            self.page(f"/people/employees/{pk}/", "/people/employees/[id]/ (report)")

    @task(2)
    def app_team(self):
        self.api("/api/v1/employees/", "/api/v1/employees/?department=&include_subdepartments=",
                 params={"department": self.account["department_id"],
                         "include_subdepartments": "true"})

    @task(1)
    def report_job_history(self):
        pk = self.report()
        if pk is not None:
            self.api(f"/api/v1/employees/{pk}/job-history/",
                     "/api/v1/employees/[id]/job-history/")

    @task(2)
    def read_dashboard(self):
        self.dashboard()

    @task(1)
    def read_department_tree(self):
        self.department_tree()

    @task(1)
    def move_report(self):
        pk = self.report()
        positions = self.account["report_positions"].get(str(pk), []) if pk else []
        if not self.writer or not positions:
            return
        self.api_patch(f"/api/v1/employees/{pk}/", "/api/v1/employees/[id]/ PATCH position",
                       {"position": self.rng.choice(positions),
                        "note": "load test: moved within the team"})


class HR(WorkingDayUser):
    """HR: lists with filters (pages and API), records with private fields, the dashboard,
    corrects a phone number now and then."""

    kind = "hr"
    weight = 2

    @task(4)
    def browse_directory(self):
        self.directory()

    @task(4)
    def app_employees_filtered(self):
        params = {"ordering": self.rng.choice(["name", "-hire_date", "employee_number"])}
        roll = self.rng.random()
        if roll < 0.4:
            params["status"] = self.rng.choice(["probation", "active", "left"])
        elif roll < 0.7:
            params["hire_date_after"] = f"{self.rng.randint(2022, 2026)}-01-01"
        else:
            params["search"] = self.rng.choice(META["search_terms"])
        if self.rng.random() < 0.3:
            params["department"] = self.rng.choice(META["department_ids"])
        self.api("/api/v1/employees/", "/api/v1/employees/ (filtered)", params=params)

    @task(2)
    def read_record(self):
        self.colleague()

    @task(2)
    def read_dashboard(self):
        self.dashboard()

    @task(1)
    def app_departments(self):
        self.api("/api/v1/departments/", "/api/v1/departments/")

    @task(1)
    def read_positions(self):
        self.page("/people/positions/", "/people/positions/")

    @task(1)
    def correct_phone(self):
        if not self.writer:
            return
        # Each HR account edits its own slice of the company: no two edit one record at once.
        pool = len(ACCOUNTS["hr"])
        index = ACCOUNTS["hr"].index(self.account)
        ids = HR_EDITABLE[index::pool]
        pk = self.rng.choice(ids)
        phone = f"138{self.rng.randrange(10 ** 8):08d}"
        self.api_patch(f"/api/v1/employees/{pk}/", "/api/v1/employees/[id]/ PATCH phone",
                       {"phone": phone})
