"""Backup and restore of whole companies: one zip file with a JSON-lines file per table and a
manifest (format, versions, migration state, row counts, SHA-256 checksums).

What a company's data is, is discovered, not listed: the Company row, its memberships, the users
they (or any row below, through a constrained foreign key) point to, every concrete model that
derives from `CompanyScoped`, the simple-history tables of those models and their automatic
many-to-many tables. Rows keep their primary keys, so a restore into a database that does not
hold them reproduces every reference. See docs/backup.md.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string
from django_scopes import scopes_disabled

from .models import Company, CompanyScoped, Membership
from .models_exports import ExportJob

FORMAT = "tandem-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_SIZE = 2000
INSERT_BATCH = 500
LISTED_CONFLICTS = 10


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Table:
    """One model's rows in a backup: which fields, in which order, and how many."""

    model: type[models.Model]
    fields: list[models.Field]
    rows: int = 0
    sha256: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def member(self) -> str:
        return f"data/{self.label}.jsonl"

    @property
    def attnames(self) -> list[str]:
        return [f.attname for f in self.fields]


@dataclass
class Summary:
    path: Path
    companies: list[tuple[int, str]]
    tables: list[Table]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


# ---------------------------------------------------------------------------- discovery


# Finished Excel exports live a day and hold salary files: a backup leaves them out.
NOT_BACKED_UP: tuple = (ExportJob,)


def company_models() -> list[type[models.Model]]:
    """Every model that holds company rows, except Company and Membership themselves: the
    concrete `CompanyScoped` models, their simple-history models and their automatic
    many-to-many tables."""
    found: list[type[models.Model]] = []
    for model in apps.get_models():
        if not issubclass(model, CompanyScoped) or model._meta.proxy or model in NOT_BACKED_UP:
            continue
        found.append(model)
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history:
            found.append(getattr(model, history).model)
        found.extend(
            field.remote_field.through for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )
    return found


def backup_models() -> list[type[models.Model]]:
    """All models a backup holds, each after the models its foreign keys point to (cycles,
    such as department leader ↔ employee department, are broken deterministically: the
    database checks foreign keys at commit, so the order is for readers and tools)."""
    return _dependency_order([get_user_model(), Company, Membership, *company_models()])


def _dependency_order(todo: list[type[models.Model]]) -> list[type[models.Model]]:
    remaining = dict.fromkeys(todo)
    ordered: list[type[models.Model]] = []

    def waiting_on(model) -> set[type[models.Model]]:
        return {
            f.related_model for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in remaining and f.related_model is not model
        }

    def in_a_cycle(model) -> bool:
        seen, stack = set(), list(waiting_on(model))
        while stack:
            other = stack.pop()
            if other is model:
                return True
            if other not in seen:
                seen.add(other)
                stack.extend(waiting_on(other))
        return False

    while remaining:
        ready = [m for m in remaining if not waiting_on(m)]
        if not ready:  # only cycles are left at the front: open one at its least-bound model
            cyclic = [m for m in remaining if in_a_cycle(m)]
            ready = [min(cyclic, key=lambda m: (len(waiting_on(m)), m._meta.label))]
        for model in sorted(ready, key=lambda m: m._meta.label):
            ordered.append(model)
            del remaining[model]
    return ordered


def _stored_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _rows_of(model: type[models.Model], company_ids: list[int],
             users: models.Q | None = None) -> models.QuerySet:
    manager = model._base_manager
    if model is get_user_model():
        return manager.filter(users)
    if model is Company:
        return manager.filter(pk__in=company_ids)
    if any(f.name == "company" for f in model._meta.concrete_fields):
        return manager.filter(company_id__in=company_ids)
    # An automatic many-to-many table: the rows whose source row belongs to the companies.
    source = next(
        f for f in model._meta.concrete_fields
        if f.is_relation and issubclass(f.related_model, CompanyScoped)
    )
    owners = source.related_model._base_manager.filter(company_id__in=company_ids)
    return manager.filter(**{f"{source.name}__in": owners.values("pk")})


def _users(company_ids: list[int], models_: list[type[models.Model]]) -> models.Q:
    """The members of the companies, and every user a row points to through a constrained
    foreign key (a history row's author, a job change's recorder), so that references hold.
    Unconstrained references (history copies of `Employee.user`) do not pull other people in.
    Subqueries, not id lists: the database does the work whatever the head count."""
    User = get_user_model()  # noqa: N806
    users = models.Q(pk__in=Membership.objects.filter(company_id__in=company_ids)
                     .values("user_id"))
    for model in models_:
        if model is User:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User and field.db_constraint:
                users |= models.Q(pk__in=_rows_of(model, company_ids).values(field.attname))
    return users


# ---------------------------------------------------------------------------- values


def encode_value(field: models.Field, value: Any) -> Any:
    """A field's database value as JSON, without loss (full microseconds, exact decimals).
    References to content types travel as natural keys: their ids differ between databases."""
    if value is None:
        return None
    if field.is_relation and field.related_model is ContentType:
        content_type = ContentType.objects.get_for_id(value)
        return [content_type.app_label, content_type.model]
    if isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise BackupError(f"{field.model._meta.label}.{field.name}: cannot store a "
                      f"{type(value).__name__} value")


def decode_value(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if field.is_relation and field.related_model is ContentType:
        return ContentType.objects.get_by_natural_key(*value).pk
    return field.to_python(value)


# ---------------------------------------------------------------------------- backup


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The applied migrations of every app, by app label, in order of their names."""
    state: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app_label, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def tandem_version() -> str:
    try:
        return metadata.version("tandem")
    except metadata.PackageNotFoundError:
        return "unknown"


def write_backup(path: str | os.PathLike, *, company_ids: Iterable[int] | None = None,
                 using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the companies (all of them when `company_ids` is None) to a new file at `path`.
    Rows are read in chunks and streamed into the zip, so memory does not grow with head count.
    The file appears under its name only once complete."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    # Across companies on purpose: this is the one place that reads every company's rows.
    with scopes_disabled(), transaction.atomic(using=using):
        _read_one_snapshot(using)
        companies = Company.objects.using(using).order_by("pk")
        if company_ids is not None:
            wanted = sorted(set(company_ids))
            companies = companies.filter(pk__in=wanted)
            missing = sorted(set(wanted) - set(companies.values_list("pk", flat=True)))
            if missing:
                raise BackupError(f"No company with id {', '.join(map(str, missing))}.")
        chosen = [(c.pk, c.name) for c in companies]
        if not chosen:
            raise BackupError("There is no company to back up.")
        ids = [pk for pk, _ in chosen]
        models_ = backup_models()
        users = _users(ids, models_)
        tables = [Table(model, _stored_fields(model)) for model in models_]
        partial = path.with_name(path.name + ".part")
        try:
            _write_zip(partial, tables, ids, users, chosen, using)
            os.replace(partial, path)
        except OSError as error:
            raise BackupError(f"Cannot write {path}: {error.strerror or error}.") from None
        finally:
            partial.unlink(missing_ok=True)
    return Summary(path, chosen, tables)


def _read_one_snapshot(using: str) -> None:
    """On PostgreSQL, read every table at the same instant (SQLite's transaction already
    does). Only possible as the first statement of the outermost transaction."""
    connection = connections[using]
    outermost = len(connection.atomic_blocks) == 1
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _write_zip(path: Path, tables: list[Table], ids: list[int], users: models.Q,
               chosen: list[tuple[int, str]], using: str) -> None:
    total = hashlib.sha256()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for table in tables:
            digest = hashlib.sha256()
            rows = (_rows_of(table.model, ids, users).using(using).order_by("pk")
                    .values_list(*table.attnames).iterator(chunk_size=CHUNK_SIZE))
            with zf.open(table.member, "w", force_zip64=True) as out:
                for row in rows:
                    values = [encode_value(f, v) for f, v in zip(table.fields, row, strict=True)]
                    line = (json.dumps(values, ensure_ascii=False, separators=(",", ":"))
                            + "\n").encode()
                    out.write(line)
                    digest.update(line)
                    total.update(line)
                    table.rows += 1
            table.sha256 = digest.hexdigest()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "tandem_version": tandem_version(),
            "created_at": timezone.now().isoformat(),
            "database": connections[using].vendor,
            "time_zone": settings.TIME_ZONE,
            "companies": [{"id": pk, "name": name} for pk, name in chosen],
            "migrations": migration_state(using),
            "tables": [
                {"model": t.label, "file": t.member, "fields": t.attnames, "rows": t.rows,
                 "sha256": t.sha256}
                for t in tables
            ],
            "sha256": total.hexdigest(),
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------- restore


def read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise BackupError("This file has no manifest: it is not a Tandem backup.") from None
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError) as error:
        raise BackupError(f"The manifest cannot be read ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Tandem backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')}; this Tandem "
            f"({tandem_version()}) reads version {FORMAT_VERSION}."
        )
    shapes = {"companies": list, "migrations": dict, "tables": list, "sha256": str}
    if any(not isinstance(manifest.get(key), kind) for key, kind in shapes.items()):
        raise BackupError("The manifest of this backup is incomplete.")
    return manifest


def restore_backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Restore a backup into a database migrated to the same state that holds none of its
    rows: all of it in one transaction, or nothing."""
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not a Tandem backup ({error}).") from None
    with zf:
        manifest = read_manifest(zf)
        _check_migrations(manifest["migrations"], using)
        tables = _tables_of(manifest)
        _verify(zf, manifest, tables)
        with scopes_disabled():
            try:
                with transaction.atomic(using=using):
                    _refuse_conflicts(zf, tables, using)
                    for table in tables:
                        try:
                            _insert(zf, table, using)
                        except (ValidationError, ValueError, TypeError) as error:
                            raise BackupError(
                                f"A row of {table.member} cannot be restored ({error}). "
                                "Nothing was restored."
                            ) from None
                    connection = connections[using]
                    with connection.cursor() as cursor:
                        for sql in connection.ops.sequence_reset_sql(
                            no_style(), [t.model for t in tables]
                        ):
                            cursor.execute(sql)
                    connection.check_constraints(
                        table_names=[t.model._meta.db_table for t in tables]
                    )
            except IntegrityError as error:
                raise BackupError(f"The restore was rolled back, nothing was written: {error}") \
                    from None
    companies = [(c["id"], c["name"]) for c in manifest["companies"]]
    return Summary(Path(path), companies, tables)


def _check_migrations(expected: dict[str, list[str]], using: str) -> None:
    current = migration_state(using)
    differences = []
    for app in sorted(set(expected) | set(current)):
        theirs, ours = expected.get(app, []), current.get(app, [])
        if theirs != ours:
            differences.append(
                f"{app}: backup at {theirs[-1] if theirs else 'none'}, "
                f"this database at {ours[-1] if ours else 'none'}"
            )
    if differences:
        raise BackupError(
            "This database is not at the backup's migration state; migrate it (or use the "
            "Tandem version that wrote the backup) and try again. " + "; ".join(differences)
        )


def _tables_of(manifest: dict) -> list[Table]:
    tables = []
    for entry in manifest["tables"]:
        try:
            model = apps.get_model(entry["model"])
        except (LookupError, ValueError, KeyError, TypeError):
            raise BackupError(f"This Tandem has no model {entry.get('model')!r}.") from None
        by_attname = {f.attname: f for f in _stored_fields(model)}
        if sorted(entry["fields"]) != sorted(by_attname):
            raise BackupError(f"The fields of {entry['model']} differ from this Tandem's.")
        tables.append(Table(model, [by_attname[a] for a in entry["fields"]],
                            rows=entry["rows"], sha256=entry["sha256"]))
    return tables


def _lines(zf: zipfile.ZipFile, table: Table) -> Iterator[bytes]:
    try:
        with zf.open(table.member) as member:
            yield from member
    except KeyError:
        raise BackupError(f"The backup lacks {table.member}.") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise BackupError(f"The backup is damaged in {table.member} ({error}).") from None


def _verify(zf: zipfile.ZipFile, manifest: dict, tables: list[Table]) -> None:
    """Every table's checksum and row count, and the whole payload's checksum, before any
    write."""
    total = hashlib.sha256()
    for table in tables:
        digest, rows = hashlib.sha256(), 0
        for line in _lines(zf, table):
            digest.update(line)
            total.update(line)
            rows += 1
        if digest.hexdigest() != table.sha256:
            raise BackupError(f"Checksum mismatch in {table.member}: the file is damaged or "
                              "was altered. Nothing was restored.")
        if rows != table.rows:
            raise BackupError(f"{table.member} holds {rows} rows, the manifest says "
                              f"{table.rows}. Nothing was restored.")
    if total.hexdigest() != manifest["sha256"]:
        raise BackupError("Checksum mismatch of the backup's payload. Nothing was restored.")


def _column(zf: zipfile.ZipFile, table: Table, attname: str) -> Iterator[list[Any]]:
    """One column of a table, in chunks."""
    index = table.attnames.index(attname)
    chunk: list[Any] = []
    for line in _lines(zf, table):
        chunk.append(json.loads(line)[index])
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _refuse_conflicts(zf: zipfile.ZipFile, tables: list[Table], using: str) -> None:
    """Refuse when any row of the backup, or a user name, is already in the database: a
    restore never merges."""
    User = get_user_model()  # noqa: N806
    conflicts: list[str] = []
    for table in tables:
        manager = table.model._base_manager.db_manager(using)
        keys = [table.model._meta.pk.attname]
        if table.model is User:
            keys.append(User.USERNAME_FIELD)
        for key in keys:
            for chunk in _column(zf, table, key):
                taken = manager.filter(**{f"{key}__in": chunk}).order_by(key)
                for value in taken.values_list(key, flat=True)[:LISTED_CONFLICTS]:
                    conflicts.append(f"{table.label} {key}={value}")
                if len(conflicts) >= LISTED_CONFLICTS:
                    break
    if conflicts:
        raise BackupError(
            "This database already holds rows of this backup; nothing was restored (a restore "
            "goes into a database without these companies and users). First conflicts: "
            + ", ".join(conflicts[:LISTED_CONFLICTS])
        )


def _insert(zf: zipfile.ZipFile, table: Table, using: str) -> None:
    """Insert the rows as they are: `raw` skips `pre_save`, so auto_now dates keep their
    stored values."""
    model, attnames = table.model, table.attnames
    manager = model._base_manager.db_manager(using)
    size = max(1, min(INSERT_BATCH, connections[using].ops.bulk_batch_size(
        table.fields, [None] * INSERT_BATCH)))
    batch: list[models.Model] = []
    for line in _lines(zf, table):
        values = [decode_value(f, v) for f, v in zip(table.fields, json.loads(line), strict=True)]
        batch.append(model.from_db(using, attnames, _in_model_order(model, attnames, values)))
        if len(batch) == size:
            manager._insert(batch, fields=table.fields, using=using, raw=True)
            batch = []
    if batch:
        manager._insert(batch, fields=table.fields, using=using, raw=True)


def _in_model_order(model, attnames: list[str], values: list[Any]) -> list[Any]:
    by_name = dict(zip(attnames, values, strict=True))
    return [by_name[f.attname] for f in model._meta.concrete_fields if f.attname in by_name]
