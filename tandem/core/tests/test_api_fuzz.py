"""Every operation of the API, fuzzed by schemathesis from the outside, as each role.

The live server (pytest-django's, on the test database) holds two companies with one person
per role; schemathesis runs in its own process with the role's API token, reads /api/schema/
and calls every operation with generated valid and invalid input. The test fails on any 5xx,
any response that does not match the schema (status, content type, body), and any request the
schema calls invalid that the server accepts, and prints schemathesis' report. Its budget is
small in `make test`; `make fuzz` runs the same with TANDEM_FUZZ_EXAMPLES examples per
operation."""

import pytest
from django_scopes import scope
from rest_framework.authtoken.models import Token

from tandem.core.fuzzing import BOUNDED_PHASES, PHASES, long_run, run_schemathesis
from tandem.core.testing import make_employee, make_org
from tandem.org import services

# The live server runs in another thread: it must see committed rows.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

# owner/admin, HR, finance, a department leader (manager), a plain employee.
ROLES = ["owner", "hr", "finance", "lead", "staff"]


def _company_with_data(prefix: str, name: str, name_en: str):
    org = make_org(prefix=prefix, name=name, name_en=name_en)
    owner = org.users["owner"]
    with scope(company=org.company.pk):
        engineer = services.create_position(
            company=org.company, by=owner, title="工程师", title_en="Engineer",
            department=org.rnd, description="写代码",
        )
        services.create_position(company=org.company, by=owner, title="顾问", title_en="")
        employee = make_employee(org.company, org.platform, name=f"{prefix}new",
                                 manager=org.employees["lead"], position=engineer)
        services.update_employee(employee=employee, by=owner, department=org.rnd,
                                 note="调岗")
    return org


@pytest.fixture
def companies(transactional_db):
    ours = _company_with_data("", "星河科技", "Galaxy Tech")
    theirs = _company_with_data("other-", "云帆网络", "Sail Networks")
    return ours, theirs


def _operation_count(client) -> int:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(1 for path in schema["paths"].values() for method in path if method in methods)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_holds_to_the_schema_under_fuzzing(role, companies, live_server,
                                                           client, tmp_path):
    ours, _theirs = companies
    token = Token.objects.create(user=ours.users[role])
    phases = PHASES if role == "owner" or long_run() else BOUNDED_PHASES
    run = run_schemathesis(live_server.url, token.key, workdir=tmp_path, phases=phases)
    assert run.passed, (
        f"schemathesis found problems as {role!r} (exit {run.returncode}, "
        f"{run.seconds:.0f} s):\n{run.output}"
    )
    assert run.operations_tested == _operation_count(client), run.output
