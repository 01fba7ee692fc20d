"""The adapters import without their frameworks, and say what to install when used without them.

Each check runs in a fresh interpreter whose import system refuses the web
frameworks, as on a machine where none of them is installed.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import pytest

import kida.contrib

ADAPTERS = sorted(
    f"kida.contrib.{module.name}"
    for module in pkgutil.iter_modules(kida.contrib.__path__)
    if not module.name.startswith("_")
)

BLOCK_FRAMEWORKS = """
import importlib.abc
import sys

FRAMEWORKS = {"flask", "django", "starlette", "fastapi", "werkzeug"}


class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in FRAMEWORKS:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Blocker())
"""


def run_without_frameworks(code: str) -> subprocess.CompletedProcess[str]:
    script = BLOCK_FRAMEWORKS + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )


def test_the_flask_and_starlette_adapters_exist() -> None:
    assert {"kida.contrib.flask", "kida.contrib.starlette"} <= set(ADAPTERS)


@pytest.mark.parametrize("module", ADAPTERS)
def test_an_adapter_imports_without_any_framework(module: str) -> None:
    result = run_without_frameworks(
        f"""
        import {module}
        loaded = sorted(m for m in sys.modules if m.partition(".")[0] in FRAMEWORKS)
        print(loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_contrib_package_re_exports_nothing() -> None:
    result = run_without_frameworks(
        """
        import kida.contrib
        print([name for name in vars(kida.contrib) if not name.startswith("_")])
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_flask_helpers_without_flask_name_the_extra_to_install() -> None:
    result = run_without_frameworks(
        """
        from kida.contrib.flask import render_template
        try:
            render_template("page.html")
        except ImportError as exc:
            print(exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "needs Flask" in result.stdout
    assert "pip install 'kida[flask]'" in result.stdout


def test_starlette_responses_without_starlette_name_the_extra_to_install(tmp_path) -> None:
    result = run_without_frameworks(
        f"""
        from kida.contrib.starlette import KidaTemplates
        templates = KidaTemplates({str(tmp_path)!r})
        try:
            templates.TemplateResponse(object(), "page.html")
        except ImportError as exc:
            print(exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "needs Starlette" in result.stdout
    assert "pip install 'kida[starlette]'" in result.stdout


def test_init_kida_works_for_an_app_like_object_without_flask(tmp_path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "hello.html").write_text("Hello {{ name }}")
    result = run_without_frameworks(
        f"""
        from types import SimpleNamespace
        from kida.contrib.flask import init_kida
        app = SimpleNamespace(root_path={str(tmp_path)!r}, template_folder=None, extensions={{}})
        init_kida(app)
        print(app.kida_render("hello.html", name="Kida"))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Hello Kida"
