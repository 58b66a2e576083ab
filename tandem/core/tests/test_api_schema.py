"""The OpenAPI schema generates cleanly, and Swagger UI is served from our own static files."""

import json

import yaml
from django.core.management import call_command


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert set(schema["paths"]) == {
        "/api/v1/auth/token/", "/api/v1/me/",
        "/api/v1/departments/", "/api/v1/departments/{id}/",
        "/api/v1/positions/", "/api/v1/positions/{id}/",
        "/api/v1/employees/", "/api/v1/employees/{id}/", "/api/v1/employees/{id}/job-history/",
        "/api/v1/cycles/", "/api/v1/cycles/{id}/",
        "/api/v1/objectives/", "/api/v1/objectives/{id}/", "/api/v1/objectives/tree/",
        "/api/v1/objectives/{id}/submit/", "/api/v1/objectives/{id}/approve/",
        "/api/v1/objectives/{id}/return/",
        "/api/v1/objectives/{id}/alignment-suggestions/", "/api/v1/objectives/coverage/",
        "/api/v1/key-results/", "/api/v1/key-results/{id}/", "/api/v1/key-results/{id}/check-ins/",
        "/api/v1/okr-templates/", "/api/v1/okr-templates/{id}/",
        "/api/v1/okr-templates/{id}/apply/",
        "/api/v1/notifications/", "/api/v1/notifications/{id}/read/",
        "/api/v1/notifications/read-all/",
        "/api/v1/calculators/iit-withholding/", "/api/v1/calculators/annual-bonus-tax/",
        "/api/v1/calculators/overtime-pay/", "/api/v1/calculators/probation/",
        "/api/v1/calculators/annual-leave/", "/api/v1/calculators/economic-compensation/",
        "/api/v1/salary-profiles/", "/api/v1/salary-profiles/{id}/",
        "/api/v1/salary-profiles/{id}/history/", "/api/v1/city-policies/",
        "/api/v1/attendance-summaries/", "/api/v1/attendance-summaries/{id}/",
        "/api/v1/deduction-declarations/", "/api/v1/deduction-declarations/{id}/",
        "/api/v1/work-injury-rates/", "/api/v1/work-injury-rates/{id}/",
        "/api/v1/payroll-runs/", "/api/v1/payroll-runs/{id}/",
        "/api/v1/payroll-runs/{id}/calculate/", "/api/v1/payroll-runs/{id}/approve/",
        "/api/v1/payroll-runs/{id}/mark-paid/", "/api/v1/payroll-runs/{id}/problems/",
        "/api/v1/payslips/", "/api/v1/payslips/{id}/", "/api/v1/payslips/{id}/pdf/",
        "/api/v1/pay-items/", "/api/v1/pay-items/{id}/",
        "/api/v1/kpis/", "/api/v1/kpis/{id}/", "/api/v1/kpi-assignments/",
        "/api/v1/kpi-assignments/{id}/", "/api/v1/kpi-assignments/{id}/measurements/",
        "/api/v1/kpi-assignments/bulk/", "/api/v1/kpi-assignments/import/",
        "/api/v1/kpi-measurements/{id}/", "/api/v1/kr-kpi-links/", "/api/v1/kr-kpi-links/{id}/",
        "/api/v1/positions/{id}/kpi-set/", "/api/v1/cycles/{id}/apply-position-kpis/",
        "/api/v1/reports/synergy/",
        "/api/v1/review-cycles/", "/api/v1/review-cycles/{id}/",
        "/api/v1/review-cycles/{id}/open/", "/api/v1/review-cycles/{id}/start-calibration/",
        "/api/v1/review-cycles/{id}/publish/", "/api/v1/review-cycles/{id}/close/",
        "/api/v1/review-cycles/{id}/distribution/", "/api/v1/review-cycles/{id}/bonuses/",
        "/api/v1/review-cycles/{id}/approve-bonuses/",
        "/api/v1/reviews/", "/api/v1/reviews/{id}/", "/api/v1/reviews/{id}/self-assessment/",
        "/api/v1/reviews/{id}/assessment/", "/api/v1/reviews/{id}/grade/",
        "/api/v1/reviews/{id}/return/", "/api/v1/reviews/{id}/acknowledge/",
        "/api/v1/improvement-plans/", "/api/v1/improvement-plans/{id}/",
        "/api/v1/improvement-plans/{id}/items/", "/api/v1/improvement-plans/{id}/agree/",
        "/api/v1/improvement-items/{id}/",
        "/api/v1/bonus-policies/", "/api/v1/bonus-policies/{id}/",
        "/api/v1/bonus-policies/{id}/simulate/",
    }
    operation_ids = [
        operation["operationId"] for path in schema["paths"].values() for operation in path.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))
    assert {"auth_token_obtain", "me_retrieve", "employees_job_history_list"} <= set(operation_ids)


def test_private_employee_fields_are_optional_in_responses(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    employee = yaml.safe_load(target.read_text())["components"]["schemas"]["Employee"]
    private = {"birth_date", "id_number", "home_address", "emergency_contact_name",
               "emergency_contact_phone"}
    assert private <= set(employee["properties"])
    assert not private & set(employee["required"])
    assert {"id", "name", "department", "status"} <= set(employee["required"])


def test_errors_are_documented_in_the_shared_format(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    responses = schema["paths"]["/api/v1/employees/{id}/"]["patch"]["responses"]
    assert set(responses) == {"200", "400", "401", "403", "404", "409"}
    assert responses["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}


def test_the_schema_is_served(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert json.loads(response.content)["info"]["title"] == "Tandem API"


def test_swagger_ui_loads_its_assets_from_our_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">' in html
    assert 'href="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css"' in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # The initialising script is a separate file, so the strict policy allows it.
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_swagger_ui_bundle_is_served(client):
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200
