"""The isolation and permission matrix. Every URL pattern of the project is discovered from the
URL configuration and called as every role of a fixture company, and as a visitor who is not
signed in, with every HTTP method: on the objects of the caller's company the answer must be
the one the access tables say (`tandem/<app>/access.py`, vocabulary and meaning in
`core.access_table`), on the same objects of another company it must be 404 with nothing of
that company changed, and no answer may show that other company's data. A URL pattern missing
from the tables fails, and so does a table entry that matches no URL pattern."""

from __future__ import annotations

import copy
import importlib
import importlib.util
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.module_loading import import_string
from django_scopes import scope, scopes_disabled
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView

from tandem.core.access_table import ANONYMOUS, API_METHODS, NOT_IN_MATRIX, PAGE_METHODS, ROLES
from tandem.core.models import Company
from tandem.core.testing import make_org
from tandem.org import services as org_services

TABLE_VOCABULARY = "tandem/core/access_table.py"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
REDIRECTS = (301, 302, 303, 307, 308)


# ---------------------------------------------------------------------------------------------
# The URL patterns, discovered


@dataclass
class Segment:
    """A piece of a URL pattern: literal text, or a URL argument (with its path converter)."""

    text: str = ""
    argument: str | None = None
    converter: object = None


@dataclass
class Route:
    key: str  # the path with <arguments>, as the tables spell it
    segments: list[Segment]
    arguments: tuple[str, ...]  # without DRF's `format`
    callback: object
    urlconfs: tuple[str, ...]
    suffixed: list[list[Segment]] = field(default_factory=list)  # DRF's format-suffix twins

    @property
    def view(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def is_api(self) -> bool:
        return isinstance(self.view, type) and issubclass(self.view, APIView)

    @property
    def checked_methods(self) -> tuple[str, ...]:
        return API_METHODS if self.is_api else PAGE_METHODS

    @property
    def declared_methods(self) -> frozenset[str] | None:
        """What the view class says it answers; None for a function view, which cannot tell."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return frozenset(method.upper() for method in actions)
        if self.view is None:
            return None
        return frozenset(
            method.upper() for method in self.view.http_method_names
            if method not in ("head", "options") and hasattr(self.view, method)
        )

    @property
    def view_name(self) -> str:
        target = self.view or self.callback
        return f"{target.__module__}.{getattr(target, '__qualname__', target)}"

    def urls(self, values: dict[str, object]) -> list[str]:
        """This route's URL, and those of its format-suffix twins that the URL configuration
        really sends to them (a broader pattern before a twin can shadow it: a detail route
        whose id may contain a dot answers `/<pk>.json/` itself)."""
        urls = [_url(self.segments, values)]
        for segments in self.suffixed:
            url = _url(segments, values | {"format": "json"})
            match = resolve(url)
            if match.func is self.callback and "format" in match.kwargs:
                urls.append(url)
        return urls


_ROUTE_ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


def _segments(pattern) -> list[Segment]:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        segments, at = [], 0
        for match in _ROUTE_ARGUMENT.finditer(text):
            segments.append(Segment(text=text[at:match.start()]))
            name = match["name"]
            segments.append(Segment(argument=name, converter=pattern.converters.get(name)))
            at = match.end()
        return [*segments, Segment(text=text[at:])]
    if isinstance(pattern, RegexPattern):
        return _regex_segments(text)
    raise TypeError(f"unknown URL pattern type {type(pattern).__name__}")


def _regex_segments(text: str) -> list[Segment]:
    """Literal text and named groups of a regular expression pattern, as DRF's router writes
    them (`^employees/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$`)."""
    segments, at = [], 0
    for match in _REGEX_GROUP.finditer(text):
        if match.start() < at:
            continue  # a group nested in the previous one
        segments.append(Segment(text=_regex_literal(text[at:match.start()])))
        depth, end = 1, match.end()
        while depth and end < len(text):
            if text[end] == "\\":
                end += 1
            elif text[end] == "(":
                depth += 1
            elif text[end] == ")":
                depth -= 1
            end += 1
        segments.append(Segment(argument=match["name"]))
        at = end
    return [*segments, Segment(text=_regex_literal(text[at:]))]


def _regex_literal(text: str) -> str:
    text = text.removeprefix("^").removesuffix("$").replace("/?", "/")
    return re.sub(r"\\(.)", r"\1", text)


def _url(segments: list[Segment], values: dict[str, object]) -> str:
    parts = []
    for segment in segments:
        if segment.argument is None:
            parts.append(segment.text)
        else:
            value = values[segment.argument]
            converter = segment.converter
            parts.append(str(converter.to_url(value) if converter is not None else value))
    return "/" + "".join(parts)


def _key(segments: list[Segment]) -> str:
    return "/" + "".join(s.text if s.argument is None else f"<{s.argument}>" for s in segments)


def _walk(patterns, chain=(), urlconfs=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            urlconf = entry.urlconf_name
            name = urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")
            yield from _walk(entry.url_patterns, (*chain, entry.pattern), (*urlconfs, name))
        else:
            yield (*chain, entry.pattern), entry.callback, urlconfs


def discover_routes() -> dict[str, Route]:
    """Every URL pattern of the project by its key, with DRF's format-suffix twins folded into
    the route they repeat (same view, same arguments but `format`)."""
    routes: dict[str, Route] = {}
    twins = []
    for chain, callback, urlconfs in _walk(get_resolver().url_patterns):
        segments = [segment for pattern in chain for segment in _segments(pattern)]
        arguments = tuple(s.argument for s in segments if s.argument is not None)
        if "format" in arguments:
            twins.append((segments, arguments, callback, urlconfs))
            continue
        key = _key(segments)
        assert key not in routes, f"two URL patterns have the key {key}"
        routes[key] = Route(key=key, segments=segments, arguments=arguments, callback=callback,
                            urlconfs=urlconfs)
    for segments, arguments, callback, urlconfs in twins:
        bare = tuple(a for a in arguments if a != "format")
        twin_of = [r for r in routes.values() if r.callback is callback and r.arguments == bare]
        if twin_of:
            twin_of[0].suffixed.append(segments)
        else:
            key = _key(segments)
            routes[key] = Route(key=key, segments=segments, arguments=bare, callback=callback,
                                urlconfs=urlconfs, suffixed=[])
    return routes


def _skipped(key: str) -> bool:
    return any(
        key == prefix[:-1] if prefix.endswith("$") else key.startswith(prefix)
        for prefix in NOT_IN_MATRIX
    )


ALL_ROUTES = discover_routes()
ROUTES = {key: route for key, route in ALL_ROUTES.items() if not _skipped(key)}


# ---------------------------------------------------------------------------------------------
# The tables


def load_tables():
    """ACCESS, OBJECTS and FIXTURE of every app's `access` module, merged."""
    access, objects, fixture, origin = {}, {}, {}, {}
    for config in apps.get_app_configs():
        if not config.name.startswith("tandem."):
            continue
        name = f"{config.name}.access"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for key, entry in getattr(module, "ACCESS", {}).items():
            assert key not in access, f"{key} is in both {origin[key]} and {name}"
            access[key], origin[key] = entry, name
        for label, named in getattr(module, "OBJECTS", {}).items():
            assert label not in objects, f"OBJECTS[{label!r}] is declared twice (in {name})"
            objects[label] = named
        for attribute, builder in getattr(module, "FIXTURE", {}).items():
            assert attribute not in fixture, f"FIXTURE[{attribute!r}] is declared twice ({name})"
            fixture[attribute] = builder
    return access, objects, fixture, origin


ACCESS, OBJECTS, FIXTURE, ORIGIN = load_tables()


def table_file(route: Route) -> str:
    """Where the entry of a route belongs: the access.py of the app of its view, or else of the
    app whose URL configuration declares it, or else core's."""
    view_module = (route.view or route.callback).__module__
    for module in (view_module, *reversed(route.urlconfs)):
        config = apps.get_containing_app_config(module) if module else None
        if config is not None and config.name.startswith("tandem."):
            break
    else:
        config = apps.get_app_config("core")
    return str((Path(config.path) / "access.py").relative_to(settings.BASE_DIR))


def url_arguments(route: Route, entry: dict) -> dict[str, str]:
    """URL argument -> attribute of the object that fills it; a lone argument is its pk."""
    if "kwargs" in entry:
        return entry["kwargs"]
    return {route.arguments[0]: "pk"} if len(route.arguments) == 1 else {}


def entry_problems(route: Route, entry: dict) -> list[str]:
    """What is wrong with a table entry, in words an app author can act on."""
    problems = []
    known = {*route.checked_methods, "model", "kwargs", "denied_as"}
    problems += [f"unknown key {name!r} (use {sorted(known)})" for name in entry if name not in known]
    model = entry.get("model")
    objects = OBJECTS.get(model, {}) if model else {}
    if route.arguments and not model:
        problems.append(f"the URL takes {', '.join(route.arguments)}: name the model of its "
                        f"objects, e.g. \"model\": \"org.Employee\"")
    if model and model not in OBJECTS:
        problems.append(f"no objects of {model} in any access.py OBJECTS")
    if not route.arguments and model:
        problems.append("the URL takes no argument, so it needs no model")
    if entry.get("denied_as", 403) not in (403, 404):
        problems.append("denied_as: 403 (the default) or 404")
    kwargs = url_arguments(route, entry)
    missing = [name for name in route.arguments if name not in kwargs]
    if model and missing:
        problems.append(f"say which attribute of the {model} fills {', '.join(missing)}: "
                        f"\"kwargs\": {{\"{missing[0]}\": \"pk\"}}")
    for method in route.checked_methods:
        rule = entry.get(method)
        if rule is None:
            continue
        if isinstance(rule, dict):
            if not route.arguments:
                problems.append(f"{method}: object by object, but the URL takes no object")
            if model and set(rule) != set(objects):
                problems.append(f"{method}: name every object of {model}: {sorted(objects)}")
            role_sets = list(rule.values())
        else:
            role_sets = [rule]
        for roles in role_sets:
            unknown = set(roles) - {*ROLES, ANONYMOUS}
            if unknown or isinstance(roles, str):
                problems.append(f"{method}: unknown roles {sorted(unknown or [roles])}")
    declared = route.declared_methods
    if declared is not None:
        untold = sorted((declared & set(route.checked_methods)) - set(entry))
        if untold:
            problems.append(f"the view answers {', '.join(untold)}: say who may")
    return problems


# ---------------------------------------------------------------------------------------------
# Two companies side by side


def populate(org) -> None:
    """What the tables name beyond `core.testing.make_org`: a position (for org), then each
    app's FIXTURE builders (`FIXTURE = {"goals": "tandem.goals.testing.make_goals"}` sets
    `org.goals = make_goals(org)`), in the order of INSTALLED_APPS."""
    with scope(company=org.company.pk):
        org.positions = {"engineer": org_services.create_position(
            company=org.company, title="工程师", title_en="Engineer", department=org.platform)}
    for attribute, builder in FIXTURE.items():
        setattr(org, attribute, import_string(builder)(org))


def _find(org, path: str):
    target = org
    for part in path.split("."):
        target = target[part] if isinstance(target, dict) else getattr(target, part)
    return target


@dataclass
class World:
    own: object
    other: object
    api_clients: dict[str, Client]
    page_clients: dict[str, Client]
    markers: tuple[str, ...]  # text that only the other company's data contains

    def client(self, role: str, route: Route) -> Client:
        return (self.api_clients if route.is_api else self.page_clients)[role]

    def objects(self, org, model: str) -> dict[str, object]:
        found = {}
        for name, path in OBJECTS[model].items():
            try:
                found[name] = _find(org, path)
            except (AttributeError, KeyError):
                pytest.fail(f"OBJECTS[{model!r}][{name!r}] = {path!r} is not on the fixture "
                            f"company: build it with a FIXTURE builder in the app's access.py "
                            f"(see {TABLE_VOCABULARY})", pytrace=False)
        return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both companies, built once for this module inside a transaction that is rolled back at
    its end; every test runs in a savepoint inside it (pytest-django's `db`)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            own = make_org()
            other = make_org(prefix="other-", name="云帆网络", name_en="Sail Networks")
            for org in (own, other):
                populate(org)
            # The API is called with the role's token, the pages with its signed-in session.
            # A crash is a 500 answer to judge like any other, not an error of the test.
            api_clients = {ANONYMOUS: Client(raise_request_exception=False)}
            page_clients = {ANONYMOUS: Client(raise_request_exception=False)}
            for role in ROLES:
                user = own.users[role]
                token = Token.objects.create(user=user)
                api_clients[role] = Client(headers={"authorization": f"Token {token.key}"},
                                           raise_request_exception=False)
                page_clients[role] = Client(raise_request_exception=False)
                page_clients[role].force_login(user)
            with scopes_disabled():
                markers = (other.company.name, other.company.name_en,
                           *(employee.name for employee in other.employees.values()))
        yield World(own=own, other=other, api_clients=api_clients, page_clients=page_clients,
                    markers=markers)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def company_rows(company) -> dict[str, list]:
    """Every row that belongs to the company, model by model, and its members' accounts."""
    rows = {"core.Company": list(Company.objects.filter(pk=company.pk).values_list())}
    with scopes_disabled():
        for model in apps.get_models():
            links = [f.name for f in model._meta.concrete_fields
                     if f.is_relation and f.related_model is Company]
            for link in links:
                rows[f"{model._meta.label}.{link}"] = list(
                    model._base_manager.filter(**{link: company}).order_by("pk").values_list()
                )
        user_model = get_user_model()
        fields = [f.attname for f in user_model._meta.concrete_fields if f.name != "last_login"]
        rows["users"] = list(user_model.objects.filter(memberships__company=company)
                             .order_by("pk").values_list(*fields))
    return rows


def changed_models(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys()
                  if before.get(name) != after.get(name))


# ---------------------------------------------------------------------------------------------
# Calling and judging


_addresses = itertools.count(1)


def call(client: Client, method: str, url: str, *, api: bool):
    """One request with an empty body, from an address of its own (so that throttles keyed by
    address never step in), leaving the client's cookies as they were (a sign-out that is
    rolled back must not sign the client out)."""
    n = next(_addresses)
    extra = {"REMOTE_ADDR": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}
    cookies = copy.deepcopy(client.cookies)
    try:
        if method == "GET":
            return client.get(url, **extra)
        if api:
            return client.generic(method, url, "{}", content_type="application/json", **extra)
        return client.generic(method, url, "", content_type="application/x-www-form-urlencoded",
                              **extra)
    finally:
        client.cookies = cookies


def sign_in_redirect(response) -> bool:
    return (response.status_code in REDIRECTS
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?"))


def succeeded(response) -> bool:
    return 200 <= response.status_code < 300 or (
        response.status_code in REDIRECTS and not sign_in_redirect(response))


def describe(response) -> str:
    if response.status_code in REDIRECTS:
        return f"{response.status_code} to {response['Location']}"
    error = getattr(response, "exc_info", None)
    if error:
        return f"{response.status_code} ({error[0].__name__}: {error[1]})"
    return str(response.status_code)


def expected(response, *, method: str, api: bool, allowed: bool, role: str,
             denied_as: int = 403) -> str | None:
    """What the answer should have been, or None when it is right."""
    if allowed:
        if succeeded(response) or (method in WRITE_METHODS and response.status_code in (400, 409)):
            return None
        return "allowed: 2xx or a redirect" + (", 400 or 409" if method != "GET" else "")
    if role == ANONYMOUS:
        if api:
            return None if response.status_code == 401 else "401 (not signed in)"
        return None if sign_in_redirect(response) else "a redirect to the sign-in page"
    if denied_as == 404:
        return None if response.status_code == 404 else "404 (denied, and not told it exists)"
    return None if response.status_code == 403 else "403 (denied)"


def refused_method(response, *, api: bool, role: str) -> str | None:
    """A method the table does not list: 405, or the refusal that comes before it."""
    status = response.status_code
    if status == 405:
        return None
    if role == ANONYMOUS:
        ok = status == 401 if api else sign_in_redirect(response)
        return None if ok else "405 (or the sign-in refusal)"
    return None if status == 403 else "405 (or 403), since the table does not list it"


def shows(response, markers) -> list[str]:
    if response.streaming or not 200 <= response.status_code < 300:
        return []
    content = response.content.decode(errors="replace")
    return [marker for marker in markers if marker in content]


def targets(world, org, route: Route, model: str | None) -> list[tuple[str | None, dict]]:
    """(object name, URL argument values) for each object the route is called on."""
    if not route.arguments:
        return [(None, {})]
    kwargs = url_arguments(route, ACCESS[route.key])
    return [(name, {arg: _find(obj, path) for arg, path in kwargs.items()})
            for name, obj in world.objects(org, model).items()]


def allowed_roles(rule, object_name: str | None):
    return rule[object_name] if isinstance(rule, dict) else rule


# ---------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_every_url_pattern_is_in_an_access_table(key):
    route = ROUTES[key]
    if key not in ACCESS:
        pytest.fail(
            f"URL pattern {key} (view {route.view_name}) is not in the access tables: add it "
            f"to {table_file(route)} (ACCESS[{key!r}]), saying which roles may use each "
            f"method; see {TABLE_VOCABULARY}.", pytrace=False,
        )


def test_every_access_table_entry_matches_a_url_pattern():
    stale = [key for key in ACCESS if key not in ROUTES]
    if stale:
        pytest.fail("\n".join(
            f"{ORIGIN[key]}: ACCESS[{key!r}] matches no URL pattern (removed or renamed?); "
            f"the URL patterns are: {', '.join(sorted(ROUTES))}" for key in stale
        ), pytrace=False)


MATRIX = sorted(key for key in ROUTES if key in ACCESS)


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
@pytest.mark.parametrize("key", MATRIX)
def test_access_matches_the_table(world, db, key, role):
    route, entry = ROUTES[key], ACCESS[key]
    problems = entry_problems(route, entry)
    if problems:
        pytest.fail(f"{ORIGIN[key]}: ACCESS[{key!r}]: " + "; ".join(problems), pytrace=False)
    model = entry.get("model")
    client = world.client(role, route)
    own_before = company_rows(world.own.company)
    other_before = company_rows(world.other.company)
    failures = []

    def judge(method, url, whose, response, wanted):
        if wanted:
            failures.append(f"{method} {url} ({whose}) as {role}: got {describe(response)}, "
                            f"expected {wanted}")
        leaked = shows(response, world.markers)
        if leaked:
            failures.append(f"{method} {url} ({whose}) as {role}: shows the other company's "
                            f"{', '.join(leaked)}")

    def untouched(company, before, whose, calls):
        touched = changed_models(before, company_rows(company))
        if touched:
            failures.append(f"{whose} {', '.join(touched)} changed, by one of: {'; '.join(calls)}")

    # Own company: the table's answer. A call that may have changed data (a successful write,
    # and every GET, which should change nothing anyway) is rolled back, so that each starts
    # from the same data; a successful write must not have touched the other company. The
    # refused writes are kept: at the end the company's rows must be as they were.
    refused_writes = []
    for method in route.checked_methods:
        rule = entry.get(method)
        for object_name, values in targets(world, world.own, route, model):
            for url in route.urls(values):
                with transaction.atomic():
                    response = call(client, method, url, api=route.is_api)
                    done = f"{method} {url} ({describe(response)})"
                    if method in WRITE_METHODS and not succeeded(response):
                        refused_writes.append(done)
                    else:
                        if method in WRITE_METHODS:
                            untouched(world.other.company, other_before,
                                      "the other company's", [done])
                        transaction.set_rollback(True)
                if rule is None:
                    wanted = refused_method(response, api=route.is_api, role=role)
                else:
                    allowed = role in allowed_roles(rule, object_name)
                    wanted = expected(response, method=method, api=route.is_api, allowed=allowed,
                                      role=role, denied_as=entry.get("denied_as", 403))
                judge(method, url, object_name or "no object", response, wanted)
    if refused_writes:
        untouched(world.own.company, own_before, "its company's", refused_writes)

    # The other company: the same objects by name are not there, whatever the method, and
    # nothing of it changes.
    if route.arguments and role != ANONYMOUS:
        calls = []
        for method in (m for m in route.checked_methods if m in entry):
            for object_name, values in targets(world, world.other, route, model):
                for url in route.urls(values):
                    response = call(client, method, url, api=route.is_api)
                    wanted = None if response.status_code == 404 else "404 (another company's)"
                    judge(method, url, f"the other company's {object_name}", response, wanted)
                    calls.append(f"{method} {url}")
        untouched(world.other.company, other_before, "the other company's", calls)

    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_urls_are_the_ones_the_patterns_answer():
    """The matrix builds each URL itself from its pattern: each must resolve back to it."""
    values = {name: 1 for route in ROUTES.values() for name in route.arguments}
    for route in ROUTES.values():
        for url in route.urls(values):
            match = resolve(url)
            assert match.func is route.callback, (route.key, url, match)


ADMIN_URLS = sorted({
    _url(route.segments, dict.fromkeys(route.arguments, 1))
    for route in ALL_ROUTES.values() if route.key.startswith("/admin/")
})


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_admin_urls_are_for_staff_accounts_only(world, db, role):
    """No company role is a staff account: every admin URL sends it to the admin's sign-in
    (its sign-out to the admin's index, which does the same); the sign-in page shows no data."""
    client = world.page_clients[role]
    admin_login, admin_index = reverse("admin:login"), reverse("admin:index")
    assert ADMIN_URLS
    for url in ADMIN_URLS:
        response = call(client, "GET", url, api=False)
        if url == admin_login:
            assert response.status_code == 200, url
            assert not shows(response, world.markers), url
        else:
            assert response.status_code == 302, (url, response.status_code)
            location = response["Location"]
            assert location.startswith(f"{admin_login}?next=") or location == admin_index, url
