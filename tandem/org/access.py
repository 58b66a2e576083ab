"""Who may call the org chart's URLs, pages and API, role by role and object by object; the
rules themselves are in `core.permissions`. The vocabulary is explained in
`core.access_table`."""

from tandem.core.access_table import ANYONE, EVERYONE, PEOPLE_ADMINS

# The fixture objects the URL ids are filled from (paths on `core.testing.Org`). lead leads
# R&D and so manages R&D and Platform below it, with staff in it; peer is in Sales.
OBJECTS = {
    "org.Department": {"rnd": "rnd", "platform": "platform", "sales": "sales"},
    "org.Employee": {"lead": "employees.lead", "staff": "employees.staff",
                     "peer": "employees.peer"},
    # make_org builds no position: populate() in core/tests/test_access_matrix.py adds it.
    "org.Position": {"engineer": "positions.engineer"},  # a position of Platform
}

# A department leader maintains the departments they lead (and below), not the others.
CHANGE_DEPARTMENT = {
    "rnd": PEOPLE_ADMINS | {"lead"},
    "platform": PEOPLE_ADMINS | {"lead"},
    "sales": PEOPLE_ADMINS,
}
# A leader changes the people below them; not themself, not anyone outside their subtree.
CHANGE_EMPLOYEE = {
    "lead": PEOPLE_ADMINS,
    "staff": PEOPLE_ADMINS | {"lead"},
    "peer": PEOPLE_ADMINS,
}
# Job history: HR, administrators, the person's manager and the person themself.
EMPLOYEE_HISTORY = {
    "lead": PEOPLE_ADMINS | {"lead"},
    "staff": PEOPLE_ADMINS | {"lead", "staff"},
    "peer": PEOPLE_ADMINS | {"peer"},
}

ACCESS = {
    # REST API
    "/api/v1/departments/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS | {"lead"}},
    "/api/v1/departments/<pk>/": {
        "model": "org.Department",
        "GET": EVERYONE,
        "PUT": CHANGE_DEPARTMENT,
        "PATCH": CHANGE_DEPARTMENT,
        "DELETE": PEOPLE_ADMINS,
    },
    "/api/v1/positions/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    "/api/v1/positions/<pk>/": {
        "model": "org.Position",
        "GET": EVERYONE,
        "PUT": PEOPLE_ADMINS,
        "PATCH": PEOPLE_ADMINS,
        "DELETE": PEOPLE_ADMINS,
    },
    "/api/v1/employees/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    "/api/v1/employees/<pk>/": {
        "model": "org.Employee",
        "GET": EVERYONE,
        "PUT": CHANGE_EMPLOYEE,
        "PATCH": CHANGE_EMPLOYEE,
        "DELETE": PEOPLE_ADMINS,
    },
    "/api/v1/employees/<pk>/job-history/": {"model": "org.Employee", "GET": EMPLOYEE_HISTORY},
    # Pages. The views do not restrict methods: a POST to a page without a form renders it
    # like a GET, for the same people.
    "/people/": {"GET": ANYONE, "POST": ANYONE},  # a redirect to the employee list
    "/people/employees/": {"GET": EVERYONE, "POST": EVERYONE},
    "/people/employees/new/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/people/employees/<pk>/": {"model": "org.Employee", "GET": EVERYONE, "POST": EVERYONE},
    "/people/employees/<pk>/edit/": {
        "model": "org.Employee", "GET": CHANGE_EMPLOYEE, "POST": CHANGE_EMPLOYEE,
    },
    "/people/employees/<pk>/delete/": {
        "model": "org.Employee", "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS,
    },
    "/people/departments/": {"GET": EVERYONE, "POST": EVERYONE},
    "/people/departments/new/": {"GET": PEOPLE_ADMINS | {"lead"}, "POST": PEOPLE_ADMINS | {"lead"}},
    "/people/departments/<pk>/edit/": {
        "model": "org.Department", "GET": CHANGE_DEPARTMENT, "POST": CHANGE_DEPARTMENT,
    },
    "/people/departments/<pk>/delete/": {
        "model": "org.Department", "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS,
    },
    "/people/positions/": {"GET": EVERYONE, "POST": EVERYONE},
    "/people/positions/new/": {"GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS},
    "/people/positions/<pk>/edit/": {
        "model": "org.Position", "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS,
    },
    "/people/positions/<pk>/delete/": {
        "model": "org.Position", "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS,
    },
}
