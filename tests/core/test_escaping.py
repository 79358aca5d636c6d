"""Escaping by construction: every way around autoescape carries its reason on the same line.

Python: `# safe: <reason>` after `mark_safe(...)` / `SafeString(...)`; templates:
`{# safe: <reason> #}` after `|safe`, `|safeseq` or `{% autoescape off %}`. `format_html` and
`format_html_join` escape their arguments, so they pass without a reason as long as the format
string is a literal written in code.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYTHON_BYPASS = re.compile(r"\b(mark_safe|SafeString|SafeText|mark_for_escaping)\(")
TEMPLATE_BYPASS = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off\s*%}")
PYTHON_REASON = re.compile(r"#.*\bsafe: \S")
TEMPLATE_REASON = re.compile(r"{#\s*safe: \S.*#}")
FORMAT_STRING_ARGUMENT = {"format_html": 0, "format_html_join": 1}


def python_files():
    return sorted((ROOT / "escape_events").rglob("*.py"))


def template_files():
    return sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"})


def unexplained(path: Path, root: Path, bypass: re.Pattern, reason: re.Pattern) -> list[str]:
    """Lines that go around autoescape without saying why on the same line."""
    lines = path.read_text().splitlines()
    return [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for number, line in enumerate(lines, 1)
        if bypass.search(line) and not reason.search(line)
    ]


def unexplained_python(path: Path, root: Path = ROOT) -> list[str]:
    return unexplained(path, root, PYTHON_BYPASS, PYTHON_REASON)


def format_strings_not_literal(path: Path, root: Path = ROOT) -> list[str]:
    """`format_html(some_variable)` trusts the variable as markup: the format must be literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in FORMAT_STRING_ARGUMENT:
            continue
        position = FORMAT_STRING_ARGUMENT[name]
        argument = node.args[position] if len(node.args) > position else None
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name} with a computed format")
    return found


def unexplained_templates(path: Path, root: Path = ROOT) -> list[str]:
    return unexplained(path, root, TEMPLATE_BYPASS, TEMPLATE_REASON)


def test_every_way_around_autoescape_in_python_says_why_it_is_safe():
    offenders = [hit for path in python_files() for hit in unexplained_python(path)]
    assert offenders == []


def test_format_html_is_only_called_with_a_literal_format_string():
    offenders = [hit for path in python_files() for hit in format_strings_not_literal(path)]
    assert offenders == []


def test_every_way_around_autoescape_in_templates_says_why_it_is_safe():
    offenders = [hit for path in template_files() for hit in unexplained_templates(path)]
    assert offenders == []


def test_the_audit_finds_an_unexplained_bypass(tmp_path):
    """The control: the scanners do catch what they are for."""
    python = tmp_path / "bad.py"
    python.write_text(
        "from django.utils.html import format_html\n"
        "from django.utils.safestring import mark_safe\n"
        "a = mark_safe(text)\n"
        "b = mark_safe('')  # safe: empty\n"
        "c = format_html(text)\n"
        "d = format_html('<b>{}</b>', text)\n"
    )
    template = tmp_path / "bad.html"
    template.write_text(
        "{{ a|safe }}\n{{ b|safe }}{# safe: written in code #}\n{% autoescape off %}\n{{ c }}\n"
    )
    assert [hit.split(":")[1] for hit in unexplained_python(python, tmp_path)] == ["3"]
    assert [hit.split(":")[1] for hit in format_strings_not_literal(python, tmp_path)] == ["5"]
    assert [hit.split(":")[1] for hit in unexplained_templates(template, tmp_path)] == ["1", "3"]
