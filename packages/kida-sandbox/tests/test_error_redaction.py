"""``{% fallback err %}`` in a sandbox: the bound error names its type and place, no more.

The full report quotes source lines of the failing template (comments
included) and names files; in a sandbox it goes to the application only, via
the ``kida_core.errors`` logger and ``Environment.on_error``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kida_core.errors import UndefinedError
from kida_loaders import DictLoader, FileSystemLoader
from kida_sandbox import SandboxedEnvironment

SECRET_PAGE = "{# api key: hunter2 #}\nbefore\n{{ missing.attr }}\nafter"
PAGES = {
    "secret.html": SECRET_PAGE,
    "page.html": '{% try %}{% include "secret.html" %}{% fallback e %}{{ e.message }}{% end %}',
    "fields.html": (
        '{% try %}{% include "secret.html" %}'
        "{% fallback e %}{{ e.type }}|{{ e.template }}|{{ e.line }}{% end %}"
    ),
    "whole.html": '{% try %}{% include "secret.html" %}{% fallback e %}{{ e }}{% end %}',
    "python.html": "ok\n{% try %}{{ 1 // zero }}{% fallback e %}{{ e.message }}{% end %}",
    "unnamed.html": '{% try %}{% include "secret.html" %}{% fallback %}x{% end %}',
}


def make_env() -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=DictLoader(PAGES))


def test_fallback_message_is_type_template_and_line_only() -> None:
    output = make_env().get_template("page.html").render(missing={})
    assert output == "UndefinedError in secret.html line 3"


def test_fallback_message_does_not_quote_another_templates_source() -> None:
    output = make_env().get_template("whole.html").render(missing={})
    assert "hunter2" not in output and "before" not in output


def test_fallback_fields_are_still_available() -> None:
    output = make_env().get_template("fields.html").render(missing={})
    assert output == "UndefinedError|secret.html|3"


def test_python_errors_are_reported_by_type_and_place() -> None:
    output = make_env().get_template("python.html").render(zero=0)
    assert output == "ok\nZeroDivisionError in python.html line 2"


def test_fallback_message_does_not_reveal_file_paths(tmp_path: Path) -> None:
    (tmp_path / "secret.html").write_text(SECRET_PAGE, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGES["whole.html"], encoding="utf-8")
    env = SandboxedEnvironment(loader=FileSystemLoader(tmp_path))
    output = env.get_template("page.html").render(missing={})
    assert str(tmp_path) not in output and "hunter2" not in output


def test_full_report_is_logged_for_the_application(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kida_core.errors"):
        make_env().get_template("page.html").render(missing={})
    [record] = caplog.records
    assert record.name == "kida_core.errors"
    assert "hunter2" in record.getMessage() and "K-RUN-001" in record.getMessage()


def test_on_error_receives_the_full_error() -> None:
    caught: list[BaseException] = []
    env = SandboxedEnvironment(loader=DictLoader(PAGES), on_error=caught.append)
    env.get_template("page.html").render(missing={})
    [error] = caught
    assert isinstance(error, UndefinedError)
    assert "hunter2" in str(error)


def test_errors_caught_without_a_name_are_reported_too() -> None:
    caught: list[BaseException] = []
    env = SandboxedEnvironment(loader=DictLoader(PAGES), on_error=caught.append)
    assert env.get_template("unnamed.html").render(missing={}) == "x"
    assert [type(e) for e in caught] == [UndefinedError]
