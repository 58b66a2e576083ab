"""What a backup file holds: one company's rows only, every company model, a manifest."""

import json
import zipfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from tandem.core.backup import backup_models, decode_value, encode_value, migration_state
from tandem.core.models import CompanyScoped
from tandem.org.models import Employee

User = get_user_model()

# Every model of the installation that a backup leaves out, and why (docs/backup.md).
LEFT_OUT = {
    "admin.logentry",  # the admin's own log, installation-wide
    "auth.permission", "contenttypes.contenttype",  # rebuilt by migrate
    "auth.group", "auth.group_permissions", "auth.user_groups", "auth.user_user_permissions",
    "sessions.session",  # sign-ins expire; people sign in again
    "authtoken.token",  # credentials in clear: people create new tokens
    "axes.accessattempt", "axes.accessattemptexpiration", "axes.accessfailurelog",
    "axes.accesslog",  # sign-in throttling state
    # Reference data shared by all companies: seeded by migration pay.0002, kept by staff in
    # the admin.
    "pay.city", "pay.citypolicy", "pay.historicalcitypolicy", "pay.schemerate",
    "pay.historicalschemerate", "pay.minimumwage", "pay.historicalminimumwage", "pay.holidayday",
    "pay.historicalholidayday", "pay.holidayyear", "pay.deductionstandard",
    # Finished Excel exports: salary files that live a day; run the export again.
    "core.exportjob",
}


def read(path) -> tuple[dict, dict[str, list[list]]]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        rows = {
            table["model"]: [json.loads(line) for line in zf.read(table["file"]).splitlines()]
            for table in manifest["tables"]
        }
    return manifest, rows


def test_every_model_is_either_backed_up_or_left_out_on_purpose():
    labels = {m._meta.label_lower for m in backup_models()}
    every = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)
             if not m._meta.proxy}
    missing = every - labels - LEFT_OUT
    assert not missing, (
        f"{sorted(missing)} are in neither the backup nor LEFT_OUT: derive company data from "
        "core.models.CompanyScoped, or add the model to LEFT_OUT and docs/backup.md"
    )
    assert labels & LEFT_OUT == set()
    scoped = {m._meta.label_lower for m in apps.get_models() if issubclass(m, CompanyScoped)
              } - LEFT_OUT
    assert {"org.employee", "org.historicalemployee", "org.jobhistory"} <= labels
    assert scoped <= labels


def test_models_come_after_the_models_they_point_to_except_inside_a_cycle():
    order = backup_models()
    position = {model: at for at, model in enumerate(order)}

    def points_to(model):
        return {f.related_model for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in position}

    def reaches(start, goal):
        seen, stack = set(), [start]
        while stack:
            model = stack.pop()
            if model is goal:
                return True
            if model not in seen:
                seen.add(model)
                stack.extend(points_to(model))
        return False

    backwards = [
        (model._meta.label_lower, target._meta.label_lower)
        for model in order for target in points_to(model)
        if position[target] > position[model]
    ]
    assert all(reaches(apps.get_model(target), apps.get_model(model))
               for model, target in backwards), backwards
    assert ("org.department", "org.employee") in backwards  # the leader: the one cycle today
    labels = [m._meta.label_lower for m in order]
    assert labels[:2] == ["auth.user", "core.company"]
    # Memberships need only users and companies: they come before the company's people.
    assert labels.index("core.membership") < labels.index("org.employee")


def test_company_option_backs_up_that_company_only(org, other_org, tmp_path):
    path = tmp_path / "other.zip"
    call_command("tandem_backup", str(path), "--company", str(other_org.company.pk))

    manifest, rows = read(path)

    assert manifest["companies"] == [{"id": other_org.company.pk, "name": "云帆网络"}]
    assert [row[0] for row in rows["core.company"]] == [other_org.company.pk]
    for table in manifest["tables"]:
        if "company_id" in table["fields"]:
            at = table["fields"].index("company_id")
            assert {row[at] for row in rows[table["model"]]} <= {other_org.company.pk}, table
    usernames = {row[manifest["tables"][0]["fields"].index("username")]
                 for row in rows["auth.user"]}
    assert usernames == {f"other-{key}" for key in other_org.users}
    assert len(rows["org.employee"]) == len(rows["org.historicalemployee"]) == 6
    assert len(rows["core.membership"]) == 6
    assert {t["model"]: t["rows"] for t in manifest["tables"]}["org.employee"] == 6


def test_the_manifest_describes_the_file(org, tmp_path):
    path = tmp_path / "org.zip"
    call_command("tandem_backup", str(path))

    manifest, rows = read(path)

    assert manifest["format"] == "tandem-backup"
    assert manifest["format_version"] == 1
    assert manifest["tandem_version"] == "0.1.0"
    assert manifest["database"] == connection.vendor
    assert manifest["migrations"] == migration_state()
    assert "0001_initial" in manifest["migrations"]["org"]
    assert len(manifest["sha256"]) == 64
    for table in manifest["tables"]:
        assert table["rows"] == len(rows[table["model"]])
        assert table["file"] == f"data/{table['model']}.jsonl"
    password = manifest["tables"][0]["fields"].index("password")
    assert all(row[password].startswith(("pbkdf2_", "argon2", "md5$", "bcrypt"))
               for row in rows["auth.user"])


def test_values_keep_full_precision(org):
    employee = org.employees["staff"]
    created = Employee._meta.get_field("created_at")
    encoded = encode_value(created, employee.created_at)
    assert decode_value(created, encoded) == employee.created_at
    assert encoded == employee.created_at.isoformat()


def test_content_types_travel_as_natural_keys(db):
    from django.contrib.admin.models import LogEntry

    field = LogEntry._meta.get_field("content_type")
    content_type = ContentType.objects.get_for_model(Employee)
    assert encode_value(field, content_type.pk) == ["org", "employee"]
    assert decode_value(field, ["org", "employee"]) == content_type.pk
