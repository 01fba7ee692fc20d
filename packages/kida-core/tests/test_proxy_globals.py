"""Globals whose attributes cannot be read yet, like a web framework's ``request`` proxy.

Outside a request such a proxy raises on every attribute lookup. The engine
looks for its own marks (``@pure``, ``@pass_context``...) on globals; an object
it cannot inspect is simply unmarked, so templates still compile and render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kida_core.environment import Environment
from kida_core.errors import TemplateRuntimeError
from kida_loaders import FileSystemLoader


class UnboundProxy:
    """Stands for ``flask.request`` outside a request: every attribute lookup fails."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("Working outside of request context.")

    def __call__(self, *args: Any) -> Any:
        raise RuntimeError("Working outside of request context.")


def test_a_template_compiles_into_the_bytecode_cache_beside_an_unbound_proxy(
    tmp_path: Path,
) -> None:
    (tmp_path / "page.html").write_text("Hello {{ name }}")
    env = Environment(loader=FileSystemLoader(tmp_path), globals={"request": UnboundProxy()})

    assert env.get_template("page.html").render(name="Kida") == "Hello Kida"
    assert env.cache_info()["bytecode"] is not None


def test_a_string_template_renders_beside_an_unbound_proxy() -> None:
    env = Environment(globals={"request": UnboundProxy()})

    assert env.from_string("{{ 1 + 1 }}").render() == "2"


def test_using_an_unbound_proxy_reports_its_error_at_the_template_line() -> None:
    env = Environment(globals={"request": UnboundProxy()})

    with pytest.raises(TemplateRuntimeError, match="outside of request context") as caught:
        env.from_string("line one\n{{ request.path }}", name="page.html").render()

    assert (caught.value.template_name, caught.value.lineno) == ("page.html", 2)
