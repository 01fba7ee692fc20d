"""``keep_trailing_newline``: one final newline of each template is dropped by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kida_core import Environment
from kida_loaders import FileSystemLoader


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_bytes(text.encode())


def test_from_string_drops_one_trailing_newline() -> None:
    assert Environment().from_string("hello\n").render() == "hello"


def test_keep_trailing_newline_keeps_it() -> None:
    assert Environment(keep_trailing_newline=True).from_string("hello\n").render() == "hello\n"


def test_an_include_adds_no_blank_line(tmp_path: Path) -> None:
    write(tmp_path, "item.html", "<li>{{ x }}</li>\n")
    write(tmp_path, "list.html", "{% for x in [1, 2] %}{% include 'item.html' %}\n{% end %}")
    env = Environment(loader=FileSystemLoader(tmp_path))
    assert env.get_template("list.html").render() == "<li>1</li>\n<li>2</li>\n"


def test_a_crlf_file_renders_with_newline_sequence(tmp_path: Path) -> None:
    write(tmp_path, "page.html", "a\r\nb\r\n")
    plain = Environment(loader=FileSystemLoader(tmp_path))
    windows = Environment(loader=FileSystemLoader(tmp_path), newline_sequence="\r\n")
    assert plain.get_template("page.html").render() == "a\nb"
    assert windows.get_template("page.html").render() == "a\r\nb"


@pytest.mark.parametrize(("keep", "expected"), [(False, "end"), (True, "end\n")])
def test_the_bytecode_cache_keeps_the_two_settings_apart(
    tmp_path: Path, keep: bool, expected: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    write(templates, "page.html", "end\n")
    cache: Any = "filesystem:" + str(tmp_path / "cache")
    other = Environment(
        loader=FileSystemLoader(templates), bytecode_cache=cache, keep_trailing_newline=not keep
    )
    other.get_template("page.html").render()  # fills the cache under the other setting
    env = Environment(
        loader=FileSystemLoader(templates), bytecode_cache=cache, keep_trailing_newline=keep
    )
    assert env.get_template("page.html").render() == expected
