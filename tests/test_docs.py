"""The Operators configuration page lists exactly the environment variables settings.py reads."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "escape_events" / "settings.py"
CONFIGURATION = ROOT / "docs" / "operators" / "configuration.md"
ENV_HELPERS = {"env_bool", "env_list", "env_count"}


def _is_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def variables_read(source: str) -> set[str]:
    """Names read by `os.environ[...]`, `os.environ.get(...)` and the settings' env helpers."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            name = node.slice
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            environ_get = (
                isinstance(func, ast.Attribute) and func.attr == "get" and _is_environ(func.value)
            )
            helper = isinstance(func, ast.Name) and func.id in ENV_HELPERS
            if not (environ_get or helper):
                continue
            name = node.args[0]
        else:
            continue
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            found.add(name.value)
    return found


def variables_documented(markdown: str) -> set[str]:
    """Names in the first column of the page's tables, wildcards (`OIDC_*`) left out."""
    names = set()
    for line in markdown.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[1]))
    return names


def test_every_variable_settings_reads_is_documented_and_no_other():
    read = variables_read(SETTINGS.read_text())
    documented = variables_documented(CONFIGURATION.read_text())
    assert read - documented == set(), "read by settings.py, missing from configuration.md"
    assert documented - read == set(), "in configuration.md, not read by settings.py"


def test_the_scan_finds_every_way_of_reading_a_variable():
    source = (
        'A = os.environ["ONE"]\n'
        'B = os.environ.get("TWO", "x")\n'
        'C = env_bool("THREE")\n'
        'D = env_list("FOUR", "a,b")\n'
        "E = f\"{os.environ.get('FIVE', 'y')}:z\"\n"
        'F = settings.get("NOT_ENV")\n'
    )
    assert variables_read(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE"}


def test_the_table_reader_takes_the_first_column_only():
    page = (
        "| `SITE_URL`, `PORT` | `8000` | see `OTHER_NAME` |\n"
        "| --- | --- | --- |\n"
        "| `OIDC_*` | none | x |\n"
    )
    assert variables_documented(page) == {"SITE_URL", "PORT"}
