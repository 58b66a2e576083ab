"""A restore writes everything or nothing, and refuses files it cannot trust."""

import hashlib
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from tandem.core.models import Company
from tandem.org.models import Employee

from .backup_support import empty_database

User = get_user_model()


@pytest.fixture(autouse=True)
def fresh_content_types(db):
    """`flush` recreates content types under new ids inside the test's transaction: forget them
    when it rolls back."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def backup(org, tmp_path):
    path = tmp_path / "org.zip"
    call_command("tandem_backup", str(path), "--company", str(org.company.pk))
    return path


def rewrite(path, member, change, name="changed.zip"):
    """A copy of the backup at `path` with `member`'s text changed by `change`."""
    copy = path.with_name(name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data = change(data.decode()).encode()
            target.writestr(item.filename, data)
    return copy


def restore(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("tandem_restore", str(path))
    return str(error.value)


def test_restore_refuses_a_database_that_already_holds_the_company(org, backup):
    employees_before = Employee.history.count()

    message = restore(backup)

    assert message.startswith("This database already holds rows of this backup; nothing was restored")
    assert f"auth.user id={org.users['owner'].pk}" in message
    assert Employee.history.count() == employees_before
    assert Company.objects.count() == 1


def test_restore_refuses_a_user_name_that_is_taken_and_writes_nothing(org, backup):
    empty_database()
    User.objects.create_user(pk=10_000, username="hr", password="x" * 12)

    message = restore(backup)

    assert "First conflicts: auth.user username=hr" in message
    assert Company.objects.count() == 0
    assert list(User.objects.values_list("username", flat=True)) == ["hr"]


def test_an_altered_row_fails_the_checksum(backup):
    changed = rewrite(backup, "data/org.employee.jsonl", lambda text: text.replace("staff", "stuff"))
    empty_database()

    message = restore(changed)

    assert message == ("Checksum mismatch in data/org.employee.jsonl: the file is damaged or was "
                       "altered. Nothing was restored.")
    assert Company.objects.count() == 0


def test_a_row_count_that_disagrees_with_the_manifest_is_refused(backup):
    def one_more(text):
        manifest = json.loads(text)
        table = next(t for t in manifest["tables"] if t["model"] == "org.employee")
        table["rows"] += 1
        return json.dumps(manifest)

    changed = rewrite(backup, "manifest.json", one_more)
    empty_database()

    assert restore(changed) == ("data/org.employee.jsonl holds 6 rows, the manifest says 7. "
                                "Nothing was restored.")


def test_damaged_bytes_are_refused(backup):
    with zipfile.ZipFile(backup) as zf:
        info = zf.getinfo("data/org.employee.jsonl")
    data = bytearray(backup.read_bytes())
    header = info.header_offset
    name_length, extra_length = (int.from_bytes(data[header + at:header + at + 2], "little")
                                 for at in (26, 28))
    start = header + 30 + name_length + extra_length
    data[start + 20:start + 40] = bytes(20)  # zeros in the middle of the compressed rows
    damaged = backup.with_name("damaged.zip")
    damaged.write_bytes(bytes(data))
    empty_database()

    message = restore(damaged)

    assert message.startswith("The backup is damaged in data/org.employee.jsonl (")
    assert Company.objects.count() == 0


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    path = tmp_path / "notes.zip"
    path.write_text("hello")
    assert restore(path).startswith(f"{path} is not a Tandem backup")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert restore(tmp_path / "other.zip") == "This file has no manifest: it is not a Tandem backup."


def test_a_backup_from_another_migration_state_is_refused(backup):
    def ahead(text):
        manifest = json.loads(text)
        manifest["migrations"]["org"].append("9999_future")
        return json.dumps(manifest)

    changed = rewrite(backup, "manifest.json", ahead)
    empty_database()

    message = restore(changed)

    assert message.startswith("This database is not at the backup's migration state")
    assert "org: backup at 9999_future, this database at " in message
    assert Company.objects.count() == 0


def test_backup_refuses_an_unknown_company_and_an_existing_file(org, backup):
    with pytest.raises(CommandError, match="No company with id 999999."):
        call_command("tandem_backup", str(backup.with_name("x.zip")), "--company", "999999")
    with pytest.raises(CommandError, match="already exists; choose a new file name."):
        call_command("tandem_backup", str(backup))
    assert not backup.with_name("x.zip").exists()


def test_a_consistent_file_with_an_impossible_value_is_refused_without_a_write(backup):
    """Someone edits a row and recomputes the checksums: the restore still refuses, cleanly."""
    member = "data/org.employee.jsonl"
    with zipfile.ZipFile(backup) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        text = zf.read(member).decode()
    table = next(t for t in manifest["tables"] if t["file"] == member)
    hire_date = table["fields"].index("hire_date")
    rows = [json.loads(line) for line in text.splitlines()]
    rows[0][hire_date] = "2024-02-30"
    text = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for row in rows)
    table["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    with zipfile.ZipFile(backup) as zf:
        payload = b"".join(
            text.encode() if t["file"] == member else zf.read(t["file"])
            for t in manifest["tables"]
        )
    manifest["sha256"] = hashlib.sha256(payload).hexdigest()
    changed = rewrite(backup, "manifest.json", lambda _: json.dumps(manifest))
    changed = rewrite(changed, member, lambda _: text, name="changed-again.zip")
    empty_database()

    message = restore(changed)

    assert message.startswith(f"A row of {member} cannot be restored (")
    assert message.endswith("Nothing was restored.")
    assert Company.objects.count() == 0


def test_backup_into_a_missing_directory_is_refused(org, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot write .*/missing/x.zip: No such file"):
        call_command("tandem_backup", str(tmp_path / "missing" / "x.zip"))
