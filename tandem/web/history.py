"""Who changed what, and when: the django-simple-history records of one object as entries a
person can read (field labels, choice labels, names instead of ids). A fixed number of queries:
the records, then one per related model named in the changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

EMPTY = "—"


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: object | None
    kind: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}.get(self.kind, self.kind)


def change_history(instance, *, exclude=(), limit: int = 100) -> list[HistoryEntry]:
    """The newest `limit` records of `instance`, newest first, each with the fields it changed
    compared with the record before it. Fields in `exclude` are left out entirely."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")
        [: limit + 1]
    )
    model = instance._meta.model
    raw: list[tuple[object, list]] = []
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        changes = [] if older is None else newer.diff_against(older, excluded_fields=exclude).changes
        if newer.history_type == "~" and not changes:
            continue  # saved without a visible change
        raw.append((newer, changes))
    related = _related_objects(model, [c for _record, changes in raw for c in changes])
    return [
        HistoryEntry(
            when=record.history_date, who=record.history_user, kind=record.history_type,
            changes=[_describe(model, change, related) for change in changes],
        )
        for record, changes in raw
    ]


def _related_objects(model, changes) -> dict[type, dict]:
    """Every object a foreign key in the changes points at, fetched once per model."""
    wanted: dict[type, set] = {}
    for change in changes:
        model_field = model._meta.get_field(change.field)
        if isinstance(model_field, models.ForeignKey):
            ids = wanted.setdefault(model_field.related_model, set())
            ids.update(v for v in (change.old, change.new) if v is not None)
    return {
        related: related._default_manager.in_bulk(ids) for related, ids in wanted.items() if ids
    }


def _describe(model, change, related) -> FieldChange:
    model_field = model._meta.get_field(change.field)
    return FieldChange(
        label=str(model_field.verbose_name),
        old=_show(model_field, change.old, related),
        new=_show(model_field, change.new, related),
    )


def _show(model_field, value, related) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(model_field, models.ForeignKey):
        obj = related.get(model_field.related_model, {}).get(value)
        if obj is None:
            return f"#{value}"  # since deleted
        return str(getattr(obj, "display_name", obj))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)
