"""Who may call the Goals URLs, pages and API, role by role and object by object; the rules
themselves are in `goals.rules`. The vocabulary is explained in `core.access_table`.

The objects come from `goals.testing.make_goals` (as `org.goals`): company ← rnd (R&D's,
led by lead) ← staff (staff's own); peer's objective is an orphan; each has one key result."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

# Objects that make_org does not build come from this builder (sets `org.goals`).
FIXTURE = {"goals": "tandem.goals.testing.make_goals",
           "okr_templates": "tandem.goals.testing_templates.make_templates"}

OBJECTS = {
    "goals.Cycle": {"year": "goals.year", "quarter": "goals.quarter"},
    "goals.Objective": {"company": "goals.company", "rnd": "goals.rnd", "staff": "goals.staff",
                        "peer": "goals.peer"},
    "goals.KeyResult": {"company_kr": "goals.company_kr", "rnd_kr": "goals.rnd_kr",
                        "staff_kr": "goals.staff_kr", "peer_kr": "goals.peer_kr"},
    "goals.OkrTemplate": {"builtin": "okr_templates.builtin", "saved": "okr_templates.saved"},
}

# Company objectives: HR and administrators. Department objectives: their leader (and leaders
# above). Individual objectives: the person and their manager.
CHANGE_OBJECTIVE = {
    "company": PEOPLE_ADMINS,
    "rnd": PEOPLE_ADMINS | {"lead"},
    "staff": PEOPLE_ADMINS | {"lead", "staff"},
    "peer": PEOPLE_ADMINS | {"peer"},
}
CHANGE_KEY_RESULT = {
    "company_kr": CHANGE_OBJECTIVE["company"],
    "rnd_kr": CHANGE_OBJECTIVE["rnd"],
    "staff_kr": CHANGE_OBJECTIVE["staff"],
    "peer_kr": CHANGE_OBJECTIVE["peer"],
}
# The owner submits (a department's leader for it); not their manager.
SUBMIT = {
    "company": PEOPLE_ADMINS,
    "rnd": PEOPLE_ADMINS | {"lead"},
    "staff": PEOPLE_ADMINS | {"staff"},
    "peer": PEOPLE_ADMINS | {"peer"},
}
# The owner's manager or HR approves; company objectives: administrators (the owner role).
# R&D is a top department: nobody leads a department above it.
APPROVE = {
    "company": frozenset({"owner"}),
    "rnd": PEOPLE_ADMINS,
    "staff": PEOPLE_ADMINS | {"lead"},
    "peer": PEOPLE_ADMINS,
}
# Check-ins: the key result's owner (by default the objective's owner), HR and administrators.
CHECK_IN = {
    "company_kr": PEOPLE_ADMINS,
    "rnd_kr": PEOPLE_ADMINS | {"lead"},
    "staff_kr": PEOPLE_ADMINS | {"staff"},
    "peer_kr": PEOPLE_ADMINS | {"peer"},
}

ACCESS = {
    # REST API. OKRs are public inside the company: everyone reads them all.
    "/api/v1/cycles/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    "/api/v1/cycles/<pk>/": {
        "model": "goals.Cycle",
        "GET": EVERYONE, "PUT": PEOPLE_ADMINS, "PATCH": PEOPLE_ADMINS, "DELETE": PEOPLE_ADMINS,
    },
    # Everyone may create objectives; the service checks whose (400 for an empty body).
    "/api/v1/objectives/": {"GET": EVERYONE, "POST": EVERYONE},
    "/api/v1/objectives/tree/": {"GET": EVERYONE},
    "/api/v1/objectives/coverage/": {"GET": EVERYONE},
    "/api/v1/objectives/<pk>/alignment-suggestions/": {"model": "goals.Objective", "GET": EVERYONE},
    "/api/v1/objectives/<pk>/": {
        "model": "goals.Objective",
        "GET": EVERYONE, "PUT": CHANGE_OBJECTIVE, "PATCH": CHANGE_OBJECTIVE,
        "DELETE": CHANGE_OBJECTIVE,
    },
    "/api/v1/objectives/<pk>/submit/": {"model": "goals.Objective", "POST": SUBMIT},
    "/api/v1/objectives/<pk>/approve/": {"model": "goals.Objective", "POST": APPROVE},
    "/api/v1/objectives/<pk>/return/": {"model": "goals.Objective", "POST": APPROVE},
    "/api/v1/key-results/": {"GET": EVERYONE, "POST": EVERYONE},
    "/api/v1/key-results/<pk>/": {
        "model": "goals.KeyResult",
        "GET": EVERYONE, "PUT": CHANGE_KEY_RESULT, "PATCH": CHANGE_KEY_RESULT,
        "DELETE": CHANGE_KEY_RESULT,
    },
    "/api/v1/key-results/<pk>/check-ins/": {
        "model": "goals.KeyResult", "GET": EVERYONE, "POST": CHECK_IN,
    },
    # Pages. The views do not restrict methods: a POST to a page without a form renders it
    # like a GET, for the same people.
    "/goals/": {"GET": EVERYONE, "POST": EVERYONE},
    "/goals/tree/": {"GET": EVERYONE, "POST": EVERYONE},
    "/goals/objectives/new/": {"GET": EVERYONE, "POST": EVERYONE},
    "/goals/objectives/<pk>/": {"model": "goals.Objective", "GET": EVERYONE, "POST": EVERYONE},
    "/goals/objectives/<pk>/edit/": {
        "model": "goals.Objective", "GET": CHANGE_OBJECTIVE, "POST": CHANGE_OBJECTIVE,
    },
    "/goals/objectives/<pk>/key-results/new/": {
        "model": "goals.Objective", "GET": CHANGE_OBJECTIVE, "POST": CHANGE_OBJECTIVE,
    },
    "/goals/key-results/<pk>/edit/": {
        "model": "goals.KeyResult", "GET": CHANGE_KEY_RESULT, "POST": CHANGE_KEY_RESULT,
    },
    "/goals/key-results/<pk>/check-in/": {
        "model": "goals.KeyResult", "GET": CHECK_IN, "POST": CHECK_IN,
    },
    # Approval pages: everyone may open the inbox (empty unless they approve something); the
    # actions follow the API's rules.
    "/goals/approvals/": {"GET": EVERYONE, "POST": EVERYONE},
    # Chart fragments (htmx): OKRs are public inside the company.
    "/goals/objectives/<pk>/charts/": {"model": "goals.Objective", "GET": EVERYONE,
                                       "POST": EVERYONE},
    "/goals/tree/sunburst/": {"GET": EVERYONE, "POST": EVERYONE},
    # The alignment tree's fragments (htmx): a node's individual objectives, and more of the
    # objectives aligned to nothing.
    "/goals/tree/objectives/<pk>/individuals/": {"model": "goals.Objective", "GET": EVERYONE,
                                                 "POST": EVERYONE},
    "/goals/tree/orphans/": {"GET": EVERYONE, "POST": EVERYONE},
    # My team's OKRs: department leaders, HR and administrators.
    "/goals/team/": {"GET": PEOPLE_ADMINS | {"lead"}, "POST": PEOPLE_ADMINS | {"lead"}},
    "/goals/objectives/<pk>/submit/": {"model": "goals.Objective", "GET": SUBMIT, "POST": SUBMIT},
    "/goals/objectives/<pk>/approve/": {
        "model": "goals.Objective", "GET": APPROVE, "POST": APPROVE,
    },
    "/goals/objectives/<pk>/return/": {"model": "goals.Objective", "GET": APPROVE, "POST": APPROVE},
    # OKR templates: everyone reads and applies them (the service checks whose objective, 400
    # for an empty body); HR and administrators save objectives as templates.
    "/api/v1/okr-templates/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    # Deleting: HR and administrators; a built-in template is refused by the data (409), so
    # it counts as allowed for them.
    "/api/v1/okr-templates/<pk>/": {"model": "goals.OkrTemplate", "GET": EVERYONE,
                                    "DELETE": PEOPLE_ADMINS},
    "/api/v1/okr-templates/<pk>/apply/": {"model": "goals.OkrTemplate", "POST": EVERYONE},
    "/goals/templates/": {"GET": EVERYONE, "POST": EVERYONE},
    "/goals/templates/<pk>/": {"model": "goals.OkrTemplate", "GET": EVERYONE, "POST": EVERYONE},
    "/goals/templates/<pk>/delete/": {"model": "goals.OkrTemplate", "GET": PEOPLE_ADMINS,
                                      "POST": PEOPLE_ADMINS},
    "/goals/objectives/<pk>/save-as-template/": {
        "model": "goals.Objective", "GET": PEOPLE_ADMINS, "POST": PEOPLE_ADMINS,
    },
}
