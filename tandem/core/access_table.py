"""The vocabulary of the access tables: who may call which URL.

Every app that declares URLs keeps its expectations in `tandem/<app>/access.py`, as plain data,
and `core/tests/test_access_matrix.py` checks them against the running code: it walks every URL
pattern of the project, calls each one as every role (and as a visitor who is not signed in)
with every HTTP method, on objects of the caller's company and of another company, and compares
the answers with the table. A URL pattern missing from the tables fails that test, and so does
a table entry that matches no URL pattern.

An app's `access.py` holds two dicts, and a third when it needs objects of its own:

``ACCESS``: one entry per URL pattern, keyed by its path with the URL arguments in angle
brackets and without converters (``"/api/v1/employees/<pk>/"``, ``"/people/employees/<pk>/edit/"``;
the test's failure message gives the exact key). An entry maps each HTTP method the URL answers
(GET, POST, PUT, PATCH, DELETE for the API; GET and POST for pages) to the roles allowed to
use it, either for every object alike (a set of roles) or object by object (a dict from object
name to a set of roles, naming every object of the model, see ``OBJECTS``). A URL with arguments
also names the model its ``<pk>`` is the id of (``"model": "org.Employee"``); a URL with another
argument, or several, maps each one to an attribute of that object
(``"kwargs": {"objective_pk": "objective_id", "pk": "pk"}``). Methods left out must be refused
(405, or 403/401 where the permission check comes first). The format-suffix twins that DRF's
router adds (``/api/v1/employees/<pk>.json``) are checked with the same entry.

``OBJECTS``: for each model named by an entry, the objects of the fixture company that the URL
ids are filled from, by name, as a path on the company that ``core.testing.make_org`` builds
(``"employees.staff"``, ``"platform"``). The same names are looked up in the second company for
the isolation checks.

``FIXTURE``: builders of the objects ``make_org`` does not build, by the attribute they are
stored in: ``{"goals": "tandem.goals.testing.make_goals"}`` sets
``org.goals = make_goals(org)`` on both companies, after ``make_org`` and the builders of the
apps before it in INSTALLED_APPS; ``OBJECTS`` then names ``"goals.staff"``.

An entry may say ``"denied_as": 404`` when the object is private to one person (a
notification): members the table denies then get 404 instead of 403, so they are not told that
it exists.

What "allowed" and "denied" mean when the matrix calls a URL with an empty body:

- allowed: a read answers 2xx or a redirect; a write answers 2xx, a redirect, 400 (the empty
  body is not valid) or 409 (refused by the data, e.g. a department that still has people);
- denied: 403 for a member of the company; 401 from the API and a redirect to the sign-in page
  from a page for a visitor who is not signed in;
- any id of another company: 404, for every role and method, with nothing of that company
  changed.

The people of the fixture company (``core.testing.Org``): owner, hr and finance (roles of the
same names, in Sales), lead (an employee who leads R&D, and so manages R&D and Platform below
it), staff (an employee in Platform who reports to lead) and peer (an employee in Sales).
"""

ROLES = ("owner", "hr", "finance", "lead", "staff", "peer")
ANONYMOUS = "anonymous"

# Sets of roles, combined with | and - in the tables.
EVERYONE = frozenset(ROLES)  # every member of the company
ANYONE = EVERYONE | {ANONYMOUS}  # public: no sign-in needed
PEOPLE_ADMINS = frozenset({"owner", "hr"})
NOBODY = frozenset()

API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PAGE_METHODS = ("GET", "POST")

# URL prefixes the matrix does not walk, and why. Everything else must be in a table.
NOT_IN_MATRIX = {
    # Django's admin has its own sign-in for staff accounts (User.is_staff), which no company
    # role grants, and it is not company-scoped. test_access_matrix checks instead that every
    # admin URL sends every company role to the admin sign-in.
    "/admin/": "staff accounts only, checked by test_admin_urls_are_for_staff_accounts_only",
    # Uploaded files, served by Django only when DEBUG is on (urls.py adds the route then); in
    # production the web server serves them. Files that must be private go through a view.
    "/media/": "development file server, present only when DEBUG is on",
    # A trailing "$" skips that exact route only. The catch-all after the API's routes answers
    # every unknown /api/ path with the API's JSON 404, for everyone alike
    # (test_api_strict_input.py::test_an_unknown_api_url_is_a_json_404).
    "/api/$": "catch-all JSON 404 for unknown API paths, the same for every caller",
}
