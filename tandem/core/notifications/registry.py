"""The kinds of notification the apps send, and the categories people mute them by.

An app declares its kinds once, at import time, in `tandem/<app>/notifications.py` (found
automatically) or in any module Django imports at start-up:

    register_category("goals", _("Goals"))
    register(NotificationKind(key="goals.target_cascaded", category="goals",
                              title=_("Target of “{key_result}” changed")))

Titles and bodies are lazy translations with `str.format` fields. They are rendered when the
notification is read, in the reader's language, so one stored row reads in Chinese for one
person and in English for another.
"""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    key: str  # "<app>.<event>", unique
    category: str  # people mute by category
    title: str  # usually a gettext_lazy proxy
    body: str = ""

    def render_title(self, params: dict[str, str]) -> str:
        return _render(self.title, params)

    def render_body(self, params: dict[str, str]) -> str:
        return _render(self.body, params)


class _KeepMissing(dict):
    """Fields a stored row lacks (a kind whose text gained a field after the row was written)
    show as `{field}` rather than breaking the page that lists it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(text, params: dict[str, str]) -> str:
    if not text:
        return ""
    # str() under the active translation: the lazy text turns into the reader's language here.
    return str(text).format_map(_KeepMissing({k: str(v) for k, v in (params or {}).items()}))


_kinds: dict[str, NotificationKind] = {}
_categories: dict[str, str] = {}
_discovered = False
_discovery_lock = Lock()


def register(kind: NotificationKind) -> NotificationKind:
    """Declare a kind. Declaring the same key again with another definition is a programming
    error (two apps would fight over one key); the same definition again is harmless."""
    if "." not in kind.key:
        raise ValueError(f"A notification kind key is '<app>.<event>', not {kind.key!r}.")
    existing = _kinds.get(kind.key)
    if existing is not None:
        if existing != kind:
            raise ValueError(f"The notification kind {kind.key!r} is already registered.")
        return existing
    _kinds[kind.key] = kind
    return kind


def register_category(key: str, label) -> None:
    """Name a category for the settings page (`label` is a lazy translation)."""
    _categories[key] = label


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _discovery_lock:
        if not _discovered:
            autodiscover_modules("notifications")
            _discovered = True


def get_kind(key: str) -> NotificationKind:
    """The registered kind; ValueError for a key nobody registered."""
    _discover()
    try:
        return _kinds[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}; register it first.") from None


def find_kind(key: str) -> NotificationKind | None:
    """The kind of a stored row, or None when its kind has since been removed from the code."""
    _discover()
    return _kinds.get(key)


def all_kinds() -> list[NotificationKind]:
    _discover()
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def category_label(key: str) -> str:
    return str(_categories.get(key, key))


def categories_in_use() -> list[tuple[str, str]]:
    """(key, label) of every category some kind belongs to, in registration order of the
    categories, then unnamed ones by key: what a person can mute."""
    used = {kind.category for kind in all_kinds()}
    named = [key for key in _categories if key in used]
    unnamed = sorted(used - set(_categories))
    return [(key, category_label(key)) for key in named + unnamed]


# The modules' categories, named here so that every app's kinds land in a familiar place.
register_category("goals", _("Goals"))
register_category("kpis", _("KPIs"))
register_category("reviews", _("Reviews"))
register_category("pay", _("Pay"))
register_category("people", _("People"))
register_category("attendance", _("Attendance"))
register_category("hiring", _("Hiring"))
register_category("learning", _("Learning"))
register_category("system", _("System"))
