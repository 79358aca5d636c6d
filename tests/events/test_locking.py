"""Events and series are locked in one place, events.locking: a second way of locking them could
take the rows in another order (and deadlock against the first) or lock them where the seat rules
do not expect it. The rule is checked on the source: every `select_for_update` outside
events.locking must say which model it locks, and that model is neither `Event` nor `Series`."""

import ast
import importlib
from pathlib import Path

import pytest
from django.db import models

import escape_events
from escape_events.events import locking
from escape_events.events.models import Event, Series
from escape_events.registrations.models import Registration

PACKAGE = Path(escape_events.__file__).parent
ONE_PLACE = PACKAGE / "events" / "locking.py"


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _root(node: ast.AST) -> ast.AST:
    """Where a chain such as `Event.objects.filter(...).select_for_update()` starts."""
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node


def _chain_methods(call: ast.Call, parents: dict) -> set[str]:
    """The methods called on the queryset after this call (`.select_related(...)`, ...)."""
    names, node = set(), call
    while isinstance(parent := parents.get(node), ast.Attribute | ast.Call):
        if isinstance(parent, ast.Attribute):
            names.add(parent.attr)
        node = parent
    return names


def _model(node: ast.AST, parents: dict, namespace: dict, seen=()) -> type | None:
    """The model a queryset expression is made from: a model named in the module, or a local
    name assigned from one in the enclosing function; None when the source does not say."""
    root = _root(node)
    if not isinstance(root, ast.Name) or root.id in seen:
        return None
    found = namespace.get(root.id)
    if isinstance(found, type) and issubclass(found, models.Model):
        return found
    scope = root
    while scope in parents and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        scope = parents[scope]
    assigned = [
        _model(assign.value, parents, namespace, (*seen, root.id))
        for assign in ast.walk(scope)
        if isinstance(assign, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == root.id for target in assign.targets)
    ]
    return assigned[0] if assigned and all(m is assigned[0] for m in assigned) else None


def locks_in(source: str, namespace: dict) -> list[tuple[int, type | None, bool]]:
    """Every `select_for_update` call: its line, the model it locks (None: the source does not
    say) and whether it also locks the rows it joins (select_related without `of`)."""
    tree = ast.parse(source)
    parents = _parents(tree)
    found = []
    for call in ast.walk(tree):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "select_for_update"
        ):
            continue
        joins = "select_related" in _chain_methods(call, parents) or any(
            isinstance(node, ast.Attribute) and node.attr == "select_related"
            for node in ast.walk(call.func.value)
        )
        narrowed = any(keyword.arg == "of" for keyword in call.keywords)
        found.append((call.lineno, _model(call.func, parents, namespace), joins and not narrowed))
    return found


def problems(source: str, namespace: dict, where: str) -> list[str]:
    """What breaks the rule in one module's source."""
    found = []
    for line, model, locks_joined in locks_in(source, namespace):
        if model is None:
            found.append(f"{where}:{line}: cannot tell which model select_for_update locks")
        elif issubclass(model, Event | Series):
            found.append(f"{where}:{line}: locks {model.__name__} outside events.locking")
        if locks_joined:
            found.append(f"{where}:{line}: also locks the joined rows; pass of=('self',)")
    return found


def test_only_events_locking_locks_events_and_series():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text()
        if path == ONE_PLACE or "migrations" in path.parts or "select_for_update" not in source:
            continue
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = importlib.import_module(".".join(relative.parts))
        found += problems(source, vars(module), str(path.relative_to(PACKAGE.parent)))
    assert found == [], "Lock events and series through escape_events.events.locking:\n" + (
        "\n".join(found)
    )


def test_the_scan_sees_the_locks_of_events_locking_itself():
    models_locked = {model for _, model, _ in locks_in(ONE_PLACE.read_text(), vars(locking))}
    assert models_locked == {Event, Series}


NAMESPACE = {"Event": Event, "Series": Series, "Registration": Registration}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Event.objects.select_for_update().get(pk=1)", "locks Event outside"),
        ("Series.objects.filter(pk=1).select_for_update().first()", "locks Series outside"),
        (
            "def lock(pk):\n    rows = Event.objects.filter(pk=pk)\n    rows.select_for_update()",
            "locks Event outside",
        ),
        ("def lock(of):\n    type(of).objects.select_for_update().first()", "cannot tell"),
        (
            "Registration.objects.select_for_update().select_related('event').first()",
            "also locks the joined rows",
        ),
        (
            "Registration.objects.select_related('event').select_for_update().first()",
            "also locks the joined rows",
        ),
    ],
)
def test_the_scan_finds_events_and_series_locked_elsewhere(source, expected):
    (found,) = problems(source, NAMESPACE, "sample")
    assert expected in found


def test_the_scan_lets_other_models_be_locked():
    source = (
        "Registration.objects.select_for_update(of=('self',)).select_related('event').first()\n"
        "def claim():\n"
        "    due = Registration.objects.filter(status='waiting')\n"
        "    return due.select_for_update(skip_locked=True).first()\n"
    )
    assert problems(source, NAMESPACE, "sample") == []
