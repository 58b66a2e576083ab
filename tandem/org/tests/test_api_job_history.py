"""GET /api/v1/employees/{id}/job-history/: where someone worked from which date."""

from datetime import date

from django.conf import settings
from django_scopes import scope

from tandem.org import services


def url(employee):
    return f"/api/v1/employees/{employee.pk}/job-history/"


def test_entries_newest_first_with_names(org, api_as):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        engineer = services.create_position(
            company=org.company, title="工程师", title_en="Engineer", department=org.rnd
        )
        services.update_employee(employee=staff, by=org.users["hr"], department=org.rnd,
                                 effective_date=date(2025, 1, 1), note="合并")
        services.update_employee(employee=staff, by=None, position=engineer,
                                 effective_date=date(2025, 6, 1))
    api = api_as(org.users["hr"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.get(url(staff))
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    newest, older = body["results"]
    assert {k: v for k, v in newest.items() if k not in ("id", "recorded_at")} == {
        "effective_date": "2025-06-01", "change": "position",
        "department": org.rnd.pk, "department_name": "R&D",
        "position": engineer.pk, "position_title": "Engineer",
        "manager": org.employees["lead"].pk, "manager_name": "lead",
        "note": "", "recorded_by": None, "recorded_by_username": None,
    }
    assert (older["effective_date"], older["change"], older["note"], older["recorded_by_username"]) == (
        "2025-01-01", "transfer", "合并", "hr",
    )


def test_the_history_is_paginated(org, api_as):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        for department in (org.rnd, org.platform, org.rnd):
            services.update_employee(employee=staff, department=department)
    body = api_as(org.users["staff"]).get(url(staff), {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("page=2&page_size=2")


def test_filters_of_the_list_do_not_apply(org, api_as):
    # The employee is found by id whatever the query string says.
    response = api_as(org.users["hr"]).get(url(org.employees["staff"]), {"search": "nobody"})
    assert response.status_code == 200
