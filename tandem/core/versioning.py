"""Optimistic versioning: two people editing one record never silently overwrite each other.

A model derives from `core.models.Versioned` (a `version` column). Whoever edits it says which
version the edit started from: the API client sends the `version` it read, a page posts it back
in a hidden field, and code that loaded the row itself defaults to the version it loaded. The
service calls `claim_version` inside its transaction before saving:

    UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s

One row updated: the edit is ours and the row stays locked until our transaction ends. None:
someone saved the row in between (on PostgreSQL, a concurrent writer waits for our lock, then
finds the version moved), and the service stops with `EditConflict` before writing anything.
The API answers 409, the pages keep the user's input and offer to reload."""

from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .api import AutoSchema, ErrorSerializer
from .drf import Conflict

CONFLICT_MESSAGE = _("This record was changed by someone else meanwhile; reload and try again.")
MAX_VERSION = 2**31 - 1  # PositiveIntegerField's range on every database


class EditConflict(ValidationError):
    """The record moved on since the edit started. A ValidationError, so that a caller that
    does not know about versions still refuses the input instead of failing; the API turns it
    into 409 (see `edit_conflicts_as_409`)."""

    def __init__(self, *, expected: int, current: int | None):
        super().__init__(CONFLICT_MESSAGE, code="edit_conflict")
        self.expected = expected
        self.current = current


def claim_version(instance: models.Model, expected: int | None = None) -> None:
    """Moves `instance`'s row from version `expected` (by default the version `instance` was
    loaded with) to the next one, or raises EditConflict. Call it inside the service's
    transaction, after validating and before saving: the save then writes the new version."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_version must run inside the transaction that saves the edit")
    expected = instance.version if expected is None else expected
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if not rows.filter(version=expected).update(version=models.F("version") + 1):
        raise EditConflict(expected=expected,
                           current=rows.values_list("version", flat=True).first())
    instance.version = expected + 1


# ---------------------------------------------------------------------------------------------
# Pages


class VersionedFormMixin:
    """For the edit forms of a Versioned model: the version the page was rendered from travels
    in a hidden field and comes back in `cleaned_data["version"]`. Create forms drop it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict = False
        if self.instance.pk is None:
            return
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_VERSION,
            initial=self.instance.version,
        )

    def clean(self):
        cleaned = super().clean()
        if "version" in self.fields and cleaned.get("version") is None:
            # A hidden field's own error would be invisible: say it on top of the form.
            self._errors.pop("version", None)
            self.add_error(None, _("This page is out of date. Reload it and make your changes "
                                   "again."))
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        self.edit_conflict = isinstance(error, EditConflict)
        super().add_service_errors(error)


# ---------------------------------------------------------------------------------------------
# API


class VersionedModelSerializer(serializers.ModelSerializer):
    """Adds `version` (list it in `Meta.fields`): read in every response, required on PUT and
    PATCH, ignored on create. A client that does not send it cannot overwrite anything."""

    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION,
        help_text=_("The version of the record as you read it. Required on PUT and PATCH: the "
                    "update is refused with 409 when the record was saved by someone else "
                    "since. Goes up by one with every saved edit."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs.pop("version", None)
        elif "version" not in attrs:
            raise serializers.ValidationError({"version": [_(
                "Send the version you read, so that changes saved meanwhile are not "
                "overwritten.")]})
        return attrs


class VersionConflict(Conflict):
    def __init__(self, conflict: EditConflict):
        super().__init__(CONFLICT_MESSAGE)
        if conflict.current is None:
            message = _("It was deleted meanwhile.")
        else:
            message = _("You started from version %(expected)s; it is now at version "
                        "%(current)s.") % {"expected": conflict.expected,
                                           "current": conflict.current}
        self.errors = {"version": [str(message)]}


@contextmanager
def edit_conflicts_as_409():
    try:
        yield
    except EditConflict as conflict:
        raise VersionConflict(conflict) from conflict


class VersionedAutoSchema(AutoSchema):
    """Documents the versioning contract of a viewset whose serializer has `version`: required
    in PUT and PATCH bodies (a component of its own for PUT, since POST shares the serializer
    and leaves it out), absent from POST bodies, and 409 on PUT and PATCH."""

    _UPDATES = ("PUT", "PATCH")

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        if direction == "request" and self.method == "PUT" and "version" in serializer.fields:
            name = name.removesuffix("Serializer") + "Update"
        return name

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        properties = schema.get("properties", {})
        if direction == "request" and "version" in properties:
            if self.method in self._UPDATES:
                schema["required"] = [*schema.get("required", []), "version"]
            else:
                del properties["version"]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in self._UPDATES and "409" not in responses:
            responses["409"] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=str(_(
                    "The record was saved by someone else since the `version` you sent; "
                    "read it again and reapply your change."))),
                "409", direction=direction,
            )
        return dict(sorted(responses.items()))
