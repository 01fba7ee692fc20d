"""The ``kida`` command, run as ``python -m kida`` in a subprocess on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def kida(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kida", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text("<h1>{{ title }}</h1>{% for x in items %}<i>{{ x }}</i>{% end %}\n")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"title": "Fish & Chips", "items": [1, 2]}))
    return path


def test_render_shipped_example() -> None:
    result = kida("render", EXAMPLES / "hello.kida", "--data", EXAMPLES / "hello.json")
    assert result.returncode == 0, result.stderr
    assert "<h1>Hello, Ada Lovelace!</h1>" in result.stdout
    assert '<li class="done">Write the first program</li>' in result.stdout
    assert "Escape &lt;b&gt;markup&lt;/b&gt; &amp; friends (last one!)" in result.stdout
    assert "<footer>Made with Kida</footer>" in result.stdout
    assert result.stderr == ""


def test_render_with_data(page: Path, data: Path) -> None:
    result = kida("render", page, "--data", data)
    assert (result.returncode, result.stdout) == (0, "<h1>Fish &amp; Chips</h1><i>1</i><i>2</i>")


def test_render_keeps_the_final_newline_when_asked(page: Path, data: Path) -> None:
    result = kida("render", page, "--data", data, "--keep-trailing-newline")
    assert (result.returncode, result.stdout) == (0, "<h1>Fish &amp; Chips</h1><i>1</i><i>2</i>\n")


def test_var_overrides_data_and_is_a_string(page: Path, data: Path) -> None:
    result = kida("render", page, "--data", data, "--var", "title=Soup", "--var", "items=ab")
    assert result.stdout == "<h1>Soup</h1><i>a</i><i>b</i>"


def test_var_value_may_contain_equals_sign(page: Path) -> None:
    result = kida("render", page, "--var", "title=a=b", "--var", "items=")
    assert result.stdout == "<h1>a=b</h1>"


def test_output_file(page: Path, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    result = kida("render", page, "--data", data, "--output", out)
    assert (result.returncode, result.stdout) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("<h1>Fish &amp; Chips</h1>")


def test_undefined_variable_is_reported_without_traceback(page: Path) -> None:
    result = kida("render", page, "--var", "items=x")
    assert result.returncode == 1
    assert "title" in result.stderr
    assert "K-RUN-001" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_syntax_error_is_reported_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("line one\n{% if x %}never closed\n")
    result = kida("render", broken, "--var", "x=1")
    assert result.returncode == 1
    assert "K-PAR-002" in result.stderr
    assert str(broken) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--var", "novalue"], "--var expects key=value"),
        (["--var", "=x"], "--var expects key=value"),
        (["--data", "missing.json"], "cannot read data file"),
    ],
)
def test_usage_errors_exit_2(page: Path, extra: list[str], message: str) -> None:
    result = kida("render", page, *extra, cwd=page.parent)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_template_exits_2(tmp_path: Path) -> None:
    result = kida("render", tmp_path / "nope.html")
    assert result.returncode == 2
    assert "no such template file" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"), [("{oops", "invalid JSON"), ("[1]", "JSON object")]
)
def test_bad_data_file_exits_2(page: Path, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = kida("render", page, "--data", bad)
    assert result.returncode == 2
    assert message in result.stderr


def test_no_command_is_a_usage_error() -> None:
    assert kida().returncode == 2


@pytest.mark.parametrize("command", [[], ["render"], ["check"]], ids=["kida", "render", "check"])
def test_help_of_every_command(command: list[str]) -> None:
    result = kida(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {' '.join(['kida', *command])} ")
    assert result.stderr == ""


def test_check_help_shows_the_def_tag() -> None:
    assert "{% def %}" in kida("check", "--help").stdout


def test_help_documents_exit_status() -> None:
    result = kida("--help")
    assert result.returncode == 0
    assert "exit status" in result.stdout
    assert "usage error" in result.stdout


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def test_check_reports_each_file_and_a_summary(tmp_path: Path) -> None:
    root = _tree(
        tmp_path / "templates",
        {
            "index.html": "{% for x in xs %}{{ x | upper }}{% end %}",
            "mail/welcome.j2": "Hi {{ name }}",
            "partials/broken.kida": "{% if x %}\nunclosed",
            "notes.rst": "{% not a template %}",
            ".hidden/skip.html": "{% if %}",
        },
    )
    result = kida("check", root)
    assert result.returncode == 1
    assert "ok     index.html" in result.stdout
    assert "ok     mail/welcome.j2" in result.stdout
    assert "error  partials/broken.kida" in result.stderr
    assert "K-PAR-002" in result.stderr
    assert "notes.rst" not in result.stdout + result.stderr
    assert "skip.html" not in result.stdout + result.stderr
    assert "checked 3 templates" in result.stdout
    assert "2 ok, 1 with errors" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_skips_markdown_and_text_files_by_default(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "README.md": "Use {% raw %}{{ name }}{% endraw %} and {% if %} in templates.",
            "notes.txt": "50% done {% oops",
            "page.html": "{{ title }}",
        },
    )
    result = kida("check", root)
    assert result.returncode == 0, result.stderr
    assert "README.md" not in result.stdout + result.stderr
    assert "notes.txt" not in result.stdout + result.stderr
    assert "checked 1 template in" in result.stdout


def test_check_ext_replaces_the_default_endings(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {"mail.txt": "Hi {{ name }}", "page.html.j2": "{{ x }}", "page.html": "{% if %}"},
    )
    result = kida("check", root, "--ext", "txt", "--ext", ".html.j2")
    assert result.returncode == 0, result.stderr
    assert "ok     mail.txt" in result.stdout
    assert "ok     page.html.j2" in result.stdout
    assert "checked 2 templates" in result.stdout


def test_check_ext_reports_a_broken_text_template(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"mail.txt": "Hi {{ name "})
    result = kida("check", root, "--ext", ".txt")
    assert result.returncode == 1
    assert "error  mail.txt" in result.stderr


def test_check_exclude_skips_a_directory_and_a_pattern(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "drafts/wip.html": "{% if %}",
            "vendor/lib.min.html": "{% for %}",
            "pages/a.min.html": "{% end %}",
            "pages/a.html": "{{ a }}",
        },
    )
    result = kida("check", root, "--exclude", "drafts", "--exclude", "*.min.html")
    assert result.returncode == 0, result.stderr
    assert "checked 1 template" in result.stdout
    assert "ok     pages/a.html" in result.stdout


def test_check_exclude_matches_paths_relative_to_the_directory(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"emails/a.html": "{% if %}", "pages/emails.html": "{{ x }}"})
    result = kida("check", root, "--exclude", "emails/*")
    assert result.returncode == 0, result.stderr
    assert "ok     pages/emails.html" in result.stdout


def test_check_search_path_resolves_names_from_a_parent_directory(tmp_path: Path) -> None:
    templates = _tree(
        tmp_path / "templates",
        {
            "layout/base.html": "<main>{% block body %}{% end %}</main>",
            "pages/index.html": '{% extends "layout/base.html" %}{% block body %}hi{% end %}',
        },
    )
    alone = kida("check", templates / "pages")
    assert alone.returncode == 1
    assert "target 'layout/base.html' not found" in alone.stderr
    result = kida("check", templates / "pages", "--search-path", templates)
    assert result.returncode == 0, result.stderr
    assert "ok     pages/index.html" in result.stdout
    assert "checked 1 template" in result.stdout


def test_check_search_paths_are_searched_in_order(tmp_path: Path) -> None:
    custom = _tree(tmp_path / "custom", {"base.html": "custom {% block body %}{% end %}"})
    default = _tree(
        tmp_path / "default",
        {"page.html": '{% extends "base.html" %}{% block body %}x{% end %}'},
    )
    result = kida("check", default, "--search-path", custom, "--search-path", default)
    assert result.returncode == 0, result.stderr
    assert "ok     page.html" in result.stdout


def test_check_compiles_a_shadowed_file_from_its_own_source(tmp_path: Path) -> None:
    custom = _tree(tmp_path / "custom", {"card.html": "fine {{ x }}"})
    default = _tree(tmp_path / "default", {"card.html": "broken {% if x %}"})
    result = kida("check", default, "--search-path", custom, "--search-path", default)
    assert result.returncode == 1
    assert "error  card.html" in result.stderr
    assert "K-PAR-002" in result.stderr


def test_check_directory_outside_every_search_path_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    result = kida("check", tmp_path / "a", "--search-path", tmp_path / "b")
    assert result.returncode == 2
    assert "is not inside any search path" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_search_path_that_is_not_a_directory_exits_2(tmp_path: Path) -> None:
    result = kida("check", tmp_path, "--search-path", tmp_path / "nope")
    assert result.returncode == 2
    assert "--search-path is not a directory" in result.stderr


def test_check_empty_directory_exits_0(tmp_path: Path) -> None:
    result = kida("check", tmp_path)
    assert result.returncode == 0
    assert "checked 0 templates" in result.stdout


def test_check_writes_no_bytecode_cache(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"page.html": "{{ a }}"})
    assert kida("check", root).returncode == 0
    assert sorted(p.name for p in root.iterdir()) == ["page.html"]


def test_check_reports_application_filters_and_tests_as_warnings(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"post.html": "{{ body | markdown }}{% if user is admin %}!{% end %}"})
    result = kida("check", root)
    assert result.returncode == 0, result.stderr
    assert "ok     post.html" in result.stdout
    assert "warning: unknown filter 'markdown'; if the application registers it" in result.stdout
    assert "declare it with --filter markdown" in result.stdout
    assert "warning: unknown test 'admin'" in result.stdout


def test_check_declared_filters_and_tests_are_not_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"post.html": "{{ body | markdown }}{% if user is admin %}!{% end %}"})
    result = kida("check", root, "--filter", "markdown", "--test", "admin")
    assert result.returncode == 0, result.stderr
    assert "unknown" not in result.stdout + result.stderr


def test_check_suggests_the_builtin_a_misspelt_filter_resembles(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"page.html": "{{ title | uper }}"})
    result = kida("check", root)
    assert "unknown filter 'uper' (did you mean 'upper'?)" in result.stdout


def test_check_strict_fails_a_template_with_warnings(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"page.html": "{{ title | uper }}", "other.html": "{{ x }}"})
    result = kida("check", root, "--strict")
    assert result.returncode == 1
    assert "error  page.html" in result.stderr
    assert "unknown filter 'uper'" in result.stderr
    assert "1 ok, 1 with errors" in result.stdout


def test_check_application_filters_inside_imported_defs(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "a_page.html": '{% from "z_macros.html" import card %}{{ card("x") }}',
            "z_macros.html": "{% def card(text) %}{{ text | markdown }}{% end %}",
        },
    )
    result = kida("check", "--validate-calls", root)
    assert result.returncode == 0, result.stderr
    assert "ok     a_page.html" in result.stdout


def test_check_still_reports_real_errors_next_to_application_filters(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"page.html": '{{ x | markdown }}\n{% include "nav.html" %}'})
    result = kida("check", root)
    assert result.returncode == 1
    assert "page.html:2: {% include %} target 'nav.html' not found" in result.stderr
    assert "warning: unknown filter 'markdown'" in result.stderr


def test_check_alias_resolves_at_names_as_the_application_does(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "ui/components/card.html": "<div>{{ title }}</div>",
            "page.html": '{% include "@components/card.html" %}',
        },
    )
    assert kida("check", root).returncode == 1
    result = kida("check", root, "--alias", "components=ui/components")
    assert result.returncode == 0, result.stderr
    assert "ok     page.html" in result.stdout


def test_check_malformed_alias_exits_2(tmp_path: Path) -> None:
    result = kida("check", tmp_path, "--alias", "components")
    assert result.returncode == 2
    assert "--alias expects NAME=PREFIX" in result.stderr


def test_check_clean_directory_exits_0(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a.html": "{{ a }}", "b.j2": "{% if b %}b{% endif %}"})
    result = kida("check", root)
    assert result.returncode == 0, result.stderr
    assert "checked 2 templates" in result.stdout
    assert "2 ok, 0 with errors" in result.stdout


def test_check_shipped_examples() -> None:
    result = kida("check", EXAMPLES)
    assert result.returncode == 0, result.stderr


def test_check_missing_directory_exits_2(tmp_path: Path) -> None:
    result = kida("check", tmp_path / "nope")
    assert result.returncode == 2
    assert "not a directory" in result.stderr


def test_check_reports_an_undecodable_file_as_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "good.html").write_text("{{ x }}")
    (tmp_path / "latin1.html").write_bytes("caf\xe9 {{ x }}".encode("latin-1"))
    result = kida("check", tmp_path)
    assert result.returncode == 1
    assert "error  latin1.html" in result.stderr
    assert "utf-8" in result.stderr
    assert "ok     good.html" in result.stdout


def test_check_reports_missing_include_targets(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text('a\n{% include "nav.html" %}')
    result = kida("check", tmp_path)
    assert result.returncode == 1
    assert "page.html:2: {% include %} target 'nav.html' not found" in result.stderr


def test_check_accepts_existing_targets_and_ignore_missing(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "nav.html").write_text("<nav></nav>")
    (tmp_path / "page.html").write_text(
        '{% include ["nope.html", "partials/nav.html"] %}{% include "x.html" ignore missing %}'
    )
    result = kida("check", tmp_path)
    assert "not found" not in result.stderr


def test_render_with_a_named_loader(tmp_path: Path) -> None:
    (tmp_path / "hi.html").write_text("Hi {{ who }}")
    result = kida("render", "--loader", f"filesystem:{tmp_path}", "hi.html", "--var", "who=Kida")
    assert result.returncode == 0
    assert result.stdout == "Hi Kida"


def test_render_with_an_unknown_loader_exits_2(tmp_path: Path) -> None:
    result = kida("render", "--loader", "nope", "hi.html")
    assert result.returncode == 2
    assert "No Kida plugin 'nope'" in result.stderr


def test_check_validate_calls_reports_a_bad_call(tmp_path: Path) -> None:
    (tmp_path / "components.html").write_text("{% def card(title) %}{{ title }}{% end %}")
    (tmp_path / "page.html").write_text(
        '{% from "components.html" import card %}\n{{ card(titel="x") }}'
    )
    plain = kida("check", tmp_path)
    assert plain.returncode == 0
    checked = kida("check", "--validate-calls", tmp_path)
    assert checked.returncode == 1
    assert "K-CMP-001" in checked.stderr
    assert "unknown parameter 'titel'" in checked.stderr


def test_check_validate_calls_prints_type_warnings_and_passes(tmp_path: Path) -> None:
    (tmp_path / "components.html").write_text("{% def badge(label: str) %}{{ label }}{% end %}")
    (tmp_path / "page.html").write_text(
        '{% from "components.html" import badge %}\n{{ badge(42) }}'
    )
    checked = kida("check", "--validate-calls", tmp_path)
    assert checked.returncode == 0
    assert "warning: [K-CMP-002] Call to badge(): argument 'label' is int 42" in checked.stdout
    assert "(page.html:2)" in checked.stdout


# -- failures while writing: one line on stderr, never a traceback --------------------------


def kida_env(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kida", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env={**os.environ, **env},
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int) -> None:
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kida: error: ")


def test_output_the_stdout_encoding_cannot_represent(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("caf\u00e9 {{ 'n\u00e6ive' }}", encoding="utf-8")
    result = kida_env("render", page, PYTHONIOENCODING="ascii")
    assert_one_line_error(result, 2)
    assert "PYTHONIOENCODING" in result.stderr
    assert result.stdout == ""


def test_output_file_that_cannot_be_encoded(page: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    result = kida_env("render", page, "--var", "title=\udcff", "--var", "items=", "-o", out)
    assert_one_line_error(result, 2)
    assert "out.html" in result.stderr


@pytest.mark.parametrize("where", ["directory", "missing/dir/out.html"])
def test_output_path_that_cannot_be_written(page: Path, tmp_path: Path, where: str) -> None:
    target = tmp_path if where == "directory" else tmp_path / where
    result = kida_env("render", page, "--var", "title=t", "--var", "items=", "-o", target)
    assert_one_line_error(result, 2)


def test_template_error_on_an_ascii_stderr(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("\u00e9l\u00e8ve {{ x + }}", encoding="utf-8")
    result = kida_env("render", page, PYTHONIOENCODING="ascii")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "K-" in result.stderr and "\\xe9" in result.stderr


def test_deeply_nested_json_data_is_a_usage_error(page: Path, tmp_path: Path) -> None:
    data = tmp_path / "deep.json"
    data.write_text("[" * 100_000 + "]" * 100_000)
    result = kida_env("render", page, "--data", data)
    assert_one_line_error(result, 2)
    assert "nested too deeply" in result.stderr


def test_check_shows_one_based_columns(tmp_path: Path) -> None:
    root = _tree(tmp_path / "templates", {"page.html": "ok\n  {{ x y }}"})
    result = kida("check", root)
    header = next(line for line in result.stderr.splitlines() if "-->" in line)
    assert header.endswith("page.html:2:8")  # the unexpected name 'y', 8th character
    assert "\n       |        ^\n" in result.stderr  # the caret under it
