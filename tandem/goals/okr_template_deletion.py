"""Deleting an OKR template: HR and administrators delete the templates their company saved;
the built-in library's entries stay (`okr_templates.install_library` would only copy them back,
and every company shares their text), so deleting one is refused by the data, not by the
role: `BuiltinTemplate`, which the API answers with 409 and the page explains.

Objectives made from a template keep everything: applying a template copies its text and key
results into a new objective, which keeps no link to the template."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tandem.core.permissions import is_people_admin

from .models import OkrTemplate

rules.set_perm("goals.delete_okrtemplate", is_people_admin)

BUILTIN_MESSAGE = _("Built-in templates come with Tandem and cannot be deleted; only the "
                    "templates your company saved can.")


class BuiltinTemplate(Exception):  # noqa: N818 (a refusal, named after what it refuses)
    """The template belongs to the built-in library."""

    def __init__(self) -> None:
        super().__init__(str(BUILTIN_MESSAGE))


@transaction.atomic
def delete_template(*, template: OkrTemplate, by=None, actor=None) -> None:
    """Deletes a company template with its key results. HR and administrators; a built-in
    template raises `BuiltinTemplate`."""
    if actor is not None and not is_people_admin(actor.user):
        raise PermissionDenied
    if template.builtin_key:
        raise BuiltinTemplate
    template.delete()
