"""What an Environment hands its templates for rendering follows its settings."""

from __future__ import annotations

import copy
from pathlib import Path

from kida_core import Environment
from kida_loaders import FileSystemLoader

_TRY = "{% try %}{{ 1 / 0 }}{% fallback e %}{{ e.type }}{% end %}"


def test_templates_share_the_services_while_nothing_changes() -> None:
    env = Environment()
    assert env.runtime_services() is env.runtime_services()


def test_a_changed_limit_reaches_templates_compiled_after_it() -> None:
    env = Environment()
    env.runtime_services()
    env.fragment_ttl = 5.0
    assert env.runtime_services().limits.fragment_ttl == 5.0


def test_an_error_hook_set_after_a_compile_sees_errors_of_later_templates(tmp_path: Path) -> None:
    (tmp_path / "first.html").write_text(_TRY)
    (tmp_path / "second.html").write_text(_TRY)
    env = Environment(loader=FileSystemLoader(tmp_path))
    caught: list[BaseException] = []
    assert env.get_template("first.html").render() == "ZeroDivisionError"
    env.on_error = caught.append
    assert env.get_template("second.html").render() == "ZeroDivisionError"
    assert [getattr(error, "template_name", None) for error in caught] == ["second.html"]


def test_a_copied_environment_hands_out_itself() -> None:
    env = Environment()
    env.runtime_services()
    duplicate = copy.copy(env)
    assert duplicate.runtime_services().environment_ref() is duplicate
