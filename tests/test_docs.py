"""The documentation covers every error code, filter and test the engine has."""

from __future__ import annotations

import argparse
import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from kida.cli import build_parser
from kida_core.environment import Environment
from kida_core.errors import ErrorCode
from kida_core.errors.codes import DOCS_URL, ERRORS_DOCS_URL

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _site_url() -> str:
    """The ``site_url`` of mkdocs.yml (one top-level line, read without a YAML parser)."""
    match = re.search(r"^site_url:\s*(\S+)\s*$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    assert match is not None, "mkdocs.yml has no site_url"
    return match.group(1)


def test_error_links_point_at_the_errors_page_of_the_built_site() -> None:
    assert _site_url() + "errors/" == ERRORS_DOCS_URL
    assert ErrorCode.UNDEFINED_VARIABLE.docs_url == _site_url() + "errors/#k-run-001"


@pytest.mark.parametrize(
    "pyproject", sorted((ROOT / "packages").glob("*/pyproject.toml")), ids=lambda p: p.parent.name
)
def test_every_package_names_the_documentation_site(pyproject: Path) -> None:
    urls = tomllib.loads(pyproject.read_text())["project"]["urls"]
    assert urls["Documentation"] == DOCS_URL == _site_url()


def test_every_error_code_has_an_anchor_on_the_errors_page() -> None:
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (DOCS / "errors.md").read_text()))
    missing = [code.value for code in ErrorCode if code.value.lower() not in anchors]
    assert missing == []


@pytest.mark.parametrize("registry", ["filters", "tests"])
def test_every_builtin_is_documented(registry: str) -> None:
    documented = set(re.findall(r"`([^`\s]+)`", (DOCS / "filters.md").read_text()))
    builtins = set(getattr(Environment(), registry))
    assert sorted(builtins - documented) == []


def _cli_sections() -> dict[str, str]:
    """The text of each ``## kida ...`` section of the command-line page, by heading."""
    text = (DOCS / "cli.md").read_text()
    parts = re.split(r"^## (kida.*)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _cli_options() -> list[tuple[str, str]]:
    """``(section heading, option string)`` for every option of every ``kida`` command."""
    parser = build_parser()
    commands = {"kida": parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands.update({f"kida {name}": sub for name, sub in action.choices.items()})
    return [
        (heading, option)
        for heading, command in commands.items()
        for action in command._actions
        for option in action.option_strings
    ]


@pytest.mark.parametrize(("heading", "option"), _cli_options())
def test_every_command_line_option_is_documented(heading: str, option: str) -> None:
    section = _cli_sections()[heading]
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section)


def _documented_environment_options() -> list[tuple[str, str]]:
    """``(name, default)`` of each row of the constructor-options table, in order."""
    text = (DOCS / "api" / "environment.md").read_text()
    section = text.split("## Constructor options", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| .+? \| `([^`]*)` \| .+ \|$", section, re.MULTILINE)
    return [(name, default) for name, default in rows]


def _default(field: dataclasses.Field[object]) -> object:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def test_every_environment_option_is_documented_in_order() -> None:
    options = [field.name for field in dataclasses.fields(Environment) if field.init]
    assert [name for name, _ in _documented_environment_options()] == options


def test_documented_environment_defaults_are_the_real_ones() -> None:
    fields = {field.name: field for field in dataclasses.fields(Environment)}
    documented = dict(_documented_environment_options())
    assert {name: repr(_default(fields[name])) for name in documented} == documented


def _documented_imports() -> list[tuple[str, str]]:
    """``(module, name)`` of every ``from kida... import ...`` in the docs and READMEs."""
    pages = [
        *DOCS.rglob("*.md"),
        *ROOT.glob("examples/**/*.md"),
        ROOT / "README.md",
        *ROOT.glob("packages/*/README.md"),
    ]
    statement = re.compile(r"^\s*from (kida[\w.]*) import \(?([\w\s,]+?)\)?\s*(?:#.*)?$", re.M)
    found = {
        (module, name.strip())
        for page in pages
        for module, names in statement.findall(page.read_text())
        for name in names.split(",")
        if name.strip()
    }
    return sorted(found)


DOCUMENTED_IMPORTS = _documented_imports()


@pytest.mark.parametrize(
    ("module", "name"), DOCUMENTED_IMPORTS, ids=[f"{m}:{n}" for m, n in DOCUMENTED_IMPORTS]
)
def test_every_documented_import_works(module: str, name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {module} import {name}", namespace)
    assert namespace[name] is not None


@pytest.mark.parametrize("name", ["pass_context", "pass_environment", "pass_eval_context", "pure"])
def test_the_decorators_are_exported_by_kida(name: str) -> None:
    import kida
    import kida_core.decorators

    assert getattr(kida, name) is getattr(kida_core.decorators, name)
    assert name in kida.__all__
