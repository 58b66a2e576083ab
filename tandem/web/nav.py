"""The left navigation: a registry of modules (sections) and their pages (entries).

Each app adds its own entries, either from its `AppConfig.ready()` or from a `nav.py` module
at the root of the app (imported once by `WebConfig.ready()`):

    from django.utils.translation import gettext_lazy as _
    from tandem.web import nav

    nav.registry.section("goals", _("Goals"), order=20)
    nav.registry.entry("goals", "my-okrs", _("My OKRs"), "goals:mine", icon="target",
                       permission="goals.view_objective")

Registering the same key again replaces the earlier registration, so a reload is harmless.
A request sees only the entries its user may use, and only sections with an entry left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# A permission name for `user.has_perm` (checked without an object), a callable given the
# request, or None for every member of the company.
Permission = str | Callable[[HttpRequest], bool] | None


@dataclass(frozen=True)
class Section:
    key: str
    label: str  # empty: the entries show without a heading
    order: int


@dataclass(frozen=True)
class Entry:
    section: str
    key: str
    label: str
    url_name: str
    icon: str  # a name from `web.templatetags.tandem.ICONS`, or a short text shown instead
    permission: Permission = None
    order: int = 100

    def allows(self, request: HttpRequest) -> bool:
        if getattr(request, "actor", None) is None:
            return False
        if self.permission is None:
            return True
        if callable(self.permission):
            return bool(self.permission(request))
        return request.user.has_perm(self.permission)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    icon: str
    active: bool


@dataclass(frozen=True)
class MenuSection:
    label: str
    items: list[MenuItem]


class NavRegistry:
    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}
        self._entries: dict[tuple[str, str], Entry] = {}

    def section(self, key: str, label: str, *, order: int) -> Section:
        section = Section(key=key, label=label, order=order)
        self._sections[key] = section
        return section

    def entry(self, section: str, key: str, label: str, url_name: str, *, icon: str,
              permission: Permission = None, order: int = 100) -> Entry:
        entry = Entry(section=section, key=key, label=label, url_name=url_name, icon=icon,
                      permission=permission, order=order)
        self._entries[(section, key)] = entry
        return entry

    def unregister(self, section: str, key: str | None = None) -> None:
        """Remove one entry, or a whole section with its entries when no key is given."""
        if key is not None:
            self._entries.pop((section, key), None)
            return
        self._sections.pop(section, None)
        for entry_key in [k for k in self._entries if k[0] == section]:
            del self._entries[entry_key]

    def entries(self) -> list[Entry]:
        missing = {e.section for e in self._entries.values()} - set(self._sections)
        if missing:
            raise ImproperlyConfigured(f"navigation entries name unknown sections: {sorted(missing)}")
        return sorted(
            self._entries.values(),
            key=lambda e: (self._sections[e.section].order, e.order, e.key),
        )

    def menu(self, request: HttpRequest) -> list[MenuSection]:
        """The sections and entries this request's user may use, the current page marked."""
        visible = [(entry, reverse(entry.url_name)) for entry in self.entries()
                   if entry.allows(request)]
        active_url = _best_match(request.path, [url for _, url in visible])
        sections: list[MenuSection] = []
        current: str | None = None
        for entry, url in visible:
            if entry.section != current:
                current = entry.section
                sections.append(MenuSection(label=self._sections[current].label, items=[]))
            sections[-1].items.append(
                MenuItem(label=entry.label, url=url, icon=entry.icon, active=url == active_url)
            )
        return sections


def _best_match(path: str, urls: list[str]) -> str | None:
    """The entry URL the path lies under, the longest one winning; "/" matches only itself."""
    candidates = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(candidates, key=len, default=None)


registry = NavRegistry()


def register_defaults() -> None:
    """The dashboard; every other module registers its own entries in its `nav.py`."""
    registry.section("home", "", order=0)
    registry.entry("home", "dashboard", _("Dashboard"), "dashboard", icon="home")
