"""The layers hold in code and in templates: an app never imports, loads the tags of, names the
URLs of, or extends or includes the templates of an app on a floor above its own.

    site, api, organisers, feeds    front rooms: may also use each other
    surveys                         feedback surveys after an event
    registrations
    outbox                          every mail as a row; knows events only
    calendars
    timetable
    events
    accounts
    core

Every app is checked, migrations aside, with no exemptions. The project's own files sit above
every app and are not checked: settings.py and urls.py (they name every app), and the frame
of every page, templates/base.html, templates/partials/ and the error pages (they name the
site's, organisers' and feeds' URLs in the menu and footer). Any app's page may extend the
frame; the frame holds nothing of one app's page.
"""

import ast
from functools import cache
from pathlib import Path

import pytest
from django.template.backends.django import get_installed_libraries
from django.template.base import Lexer, TokenType
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parent.parent
FLOORS = [
    {"core"},
    {"accounts"},
    {"events"},
    {"timetable"},
    {"calendars"},
    {"outbox"},
    {"registrations"},
    {"surveys"},
    {"site", "api", "organisers", "feeds"},
]
FLOOR = {app: number for number, apps in enumerate(FLOORS) for app in apps}
FRONT_ROOMS = FLOORS[-1]
# Template folders (under templates/) by the app whose pages or mails they are.
TEMPLATE_FOLDERS = {
    "site": "site",
    "organisers": "organisers",
    "feeds": "feeds",
    "api": "api",
    "timetable": "timetable",
    "mail/registrations": "registrations",
    "mail/surveys": "surveys",
    "surveys": "surveys",
    "mail/accounts": "accounts",
    "mail/organisers": "organisers",
    "account": "accounts",
    "allauth": "accounts",  # allauth's pages, dressed by the accounts app
    "admin": "core",  # the admin site is core's (core/admin_site.py)
}
FRAME = ("base.html", "partials/", "400.html", "403.html", "403_csrf.html", "404.html",
         "429.html", "500.html", "503.html")  # fmt: skip
# URL namespaces that are not an app's own urls.py.
NAMESPACES = {"api": "api", "admin": "core"}


def may_use(user: str, used: str) -> bool:
    if user == used:
        return True
    if user in FRONT_ROOMS and used in FRONT_ROOMS:
        return True
    return FLOOR[used] < FLOOR[user]


def app_of_module(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "escape_events" or len(parts) < 2 or parts[1] not in FLOOR:
        return None
    return parts[1]


def app_of_template(name: str) -> str | None:
    """The app whose template folder `name` lies in; None for the frame and outside ones."""
    for folder, app in sorted(TEMPLATE_FOLDERS.items(), key=lambda item: -len(item[0])):
        if name.startswith(f"{folder}/"):
            return app
    return None


@cache
def library_apps() -> dict[str, str]:
    """Template tag libraries ({% load %} names) of our apps, by the app that defines them."""
    return {
        name: app
        for name, module in get_installed_libraries().items()
        if (app := app_of_module(module)) is not None
    }


@cache
def namespace_apps() -> dict[str, str]:
    """URL namespaces by the app whose views they name."""
    found = dict(NAMESPACES)
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        urlconf = resolver.urlconf_name  # the module include() was given, or its name
        if (app := app_of_module(getattr(urlconf, "__name__", str(urlconf)))) is not None:
            found[namespace] = app
    return found


def app_of_url_name(name: str) -> str | None:
    namespace, _, rest = name.partition(":")
    return namespace_apps().get(namespace) if rest and ":" not in rest else None


def python_uses(path: Path, package: str) -> list[tuple[int, str, str]]:
    """(line, app, what) for every import of one of our apps in the module at `path` (of
    `package`), every URL name it reverses and every template of an app it names."""
    uses = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                modules = [".".join([*base, node.module] if node.module else base)]
            else:
                modules = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            app = app_of_url_name(node.value)
            if app is None and node.value.endswith((".html", ".txt")):
                app = app_of_template(node.value)
            if app is not None:
                uses.append((node.lineno, app, node.value))
            continue
        else:
            continue
        for module in modules:
            if (app := app_of_module(module)) is not None:
                uses.append((node.lineno, app, f"import {module}"))
    return sorted(uses)


def template_uses(path: Path) -> list[tuple[int, str, str]]:
    """(line, app, what) for every tag library of one of our apps the template loads, every URL
    name it reverses, every template of an app it extends or includes."""
    uses = []
    for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if bits[0] == "load":
            names = [bits[-1]] if "from" in bits else bits[1:]
            found = [(library_apps().get(name), f"load {name}") for name in names]
        elif bits[0] == "url" and len(bits) > 1:
            found = [(app_of_url_name(bits[1].strip("\"'")), f"url {bits[1]}")]
        elif bits[0] in {"extends", "include"} and len(bits) > 1 and bits[1][0] in "\"'":
            found = [(app_of_template(bits[1].strip("\"'")), f"{bits[0]} {bits[1]}")]
        else:
            continue
        uses.extend((token.lineno, app, what) for app, what in found if app is not None)
    return uses


def python_files(app: str):
    for path in sorted((ROOT / "escape_events" / app).rglob("*.py")):
        if "migrations" not in path.parts:
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            yield path, package


def template_files(app: str):
    for folder, owner in TEMPLATE_FOLDERS.items():
        if owner == app:
            for path in sorted((ROOT / "templates" / folder).rglob("*")):
                if path.suffix in {".html", ".txt"}:
                    yield path


def offences(app: str) -> list[str]:
    found = []
    for path, package in python_files(app):
        for line, used, what in python_uses(path, package):
            if not may_use(app, used):
                found.append(f"{path.relative_to(ROOT)}:{line}: {what} ({used})")
    for path in template_files(app):
        for line, used, what in template_uses(path):
            if not may_use(app, used):
                found.append(f"{path.relative_to(ROOT)}:{line}: {what} ({used})")
    return found


def test_every_app_and_template_folder_has_a_floor():
    apps = {path.parent.name for path in (ROOT / "escape_events").glob("*/apps.py")}
    assert apps == set(FLOOR)
    folders = set()
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in {".html", ".txt"}:
            name = path.relative_to(ROOT / "templates").as_posix()
            if not name.startswith(FRAME):
                assert app_of_template(name) is not None, f"{name}: no app owns its folder"
                folders.add(name)
    assert folders


@pytest.mark.parametrize("app", sorted(FLOOR))
def test_no_app_uses_an_app_above_it(app):
    assert offences(app) == []


def test_the_checks_find_what_is_planted(tmp_path):
    """The test above can fail: each kind of use, planted in a lower app, is found."""
    module = tmp_path / "planted.py"
    module.write_text(
        "from escape_events.site.caching import event_page_version\n"
        "from ..registrations import services\n"
        'URL = reverse("organisers:dashboard")\n'
        'PAGE = "site/event_detail.html"\n'
    )
    uses = python_uses(module, "escape_events.events")
    assert [(line, app) for line, app, _ in uses] == [
        (1, "site"), (2, "registrations"), (3, "organisers"), (4, "site")
    ]  # fmt: skip
    assert not any(may_use("events", app) for _, app, _ in uses)
    template = tmp_path / "planted.html"
    template.write_text(
        '{% extends "site/event_detail.html" %}\n{% load static registration_tags %}\n'
        "{% url 'feeds:all' as feed %}{% include \"organisers/_field.html\" %}\n"
    )
    uses = template_uses(template)
    assert [(line, app) for line, app, _ in uses] == [
        (1, "site"), (2, "site"), (3, "feeds"), (3, "organisers")
    ]  # fmt: skip
    assert not any(may_use("timetable", app) for _, app, _ in uses)
    assert all(may_use("site", app) for _, app, _ in uses)
