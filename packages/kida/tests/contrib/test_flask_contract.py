"""The original engine's Flask contract: ``init_kida``, ``kida_render``, ``render_template``.

``init_kida`` needs only ``root_path``, ``template_folder`` and ``extensions``
of the app, so most of these use a plain namespace; one checks a real app.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from flask import Flask

from kida import Environment, UndefinedError
from kida.contrib.flask import init_kida, render_template
from kida_core.errors import ErrorCode

WriteTemplates = Callable[..., Path]


def app_like(root: Path) -> SimpleNamespace:
    return SimpleNamespace(root_path=str(root), template_folder="templates", extensions={})


def test_init_kida_registers_the_environment_on_the_app(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"hello.html": "Hello {{ name }}"})
    app = app_like(tmp_path)

    env = init_kida(app, auto_reload=False)

    assert isinstance(env, Environment)
    assert app.extensions["kida"] is env
    assert app.kida_env is env
    assert env.auto_reload is False


def test_kida_render_renders_with_the_apps_environment(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"hello.html": "Hello {{ name }}"})
    app = app_like(tmp_path)
    init_kida(app, auto_reload=False)

    assert app.kida_render("hello.html", name="Kida") == "Hello Kida"


def test_render_template_uses_the_current_app_of_flask(
    write_templates: WriteTemplates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_templates({"hello.html": "Hello {{ name }}"})
    app = app_like(tmp_path)
    init_kida(app, auto_reload=False)
    fake_flask = ModuleType("flask")
    fake_flask.current_app = app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "flask", fake_flask)

    assert render_template("hello.html", name="Kida") == "Hello Kida"


def test_an_undefined_variable_keeps_its_code_template_and_line(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"broken.html": "{{ missing }}"})
    app = app_like(tmp_path)
    init_kida(app, auto_reload=False)

    with pytest.raises(UndefinedError) as caught:
        app.kida_render("broken.html")

    assert caught.value.code is ErrorCode.UNDEFINED_VARIABLE
    assert caught.value.template_name == "broken.html"
    assert caught.value.lineno == 1


def test_a_flask_route_returns_kida_render_output(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"hello.html": "Hello {{ name }}"})
    app = Flask(__name__, root_path=str(tmp_path))
    init_kida(app, auto_reload=False)

    @app.route("/")
    def index() -> str:
        return app.kida_render("hello.html", name="Kida")  # type: ignore[attr-defined, no-any-return]

    response = app.test_client().get("/")

    assert response.status_code == 200
    assert response.text == "Hello Kida"


def test_the_template_folder_argument_wins_over_the_apps(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"hello.html": "from views"}, folder="views")
    app = app_like(tmp_path)

    init_kida(app, template_folder="views")

    assert app.kida_render("hello.html") == "from views"


def test_an_absolute_template_folder_is_used_as_is(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    folder = write_templates({"hello.html": "absolute"}, folder="elsewhere")
    app = app_like(tmp_path / "app")

    init_kida(app, template_folder=folder)

    assert app.kida_render("hello.html") == "absolute"


def test_without_any_folder_templates_load_from_templates(
    write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"hello.html": "default folder"})
    app = SimpleNamespace(root_path=str(tmp_path), template_folder=None, extensions={})

    init_kida(app)

    assert app.kida_render("hello.html") == "default folder"


def test_environment_options_pass_through(tmp_path: Path) -> None:
    app = app_like(tmp_path)

    env = init_kida(app, cache_size=10, trim_blocks=True)

    assert (env.cache_size, env.trim_blocks) == (10, True)


def test_autoescape_may_be_chosen(write_templates: WriteTemplates, tmp_path: Path) -> None:
    write_templates({"raw.html": "{{ html }}"})
    app = app_like(tmp_path)

    init_kida(app, autoescape=False)

    assert app.kida_render("raw.html", html="<b>") == "<b>"


def test_a_loader_may_replace_the_folders(tmp_path: Path) -> None:
    from kida import DictLoader

    app = app_like(tmp_path)

    init_kida(app, loader=DictLoader({"page.html": "from a dict"}))

    assert app.kida_render("page.html") == "from a dict"


def test_a_loader_and_a_template_folder_together_are_refused(tmp_path: Path) -> None:
    from kida import DictLoader

    with pytest.raises(ValueError, match="either template_folder= or loader="):
        init_kida(app_like(tmp_path), template_folder="views", loader=DictLoader({}))


def test_init_kida_is_called_once_per_app(tmp_path: Path) -> None:
    app = app_like(tmp_path)
    init_kida(app)

    with pytest.raises(RuntimeError, match="already called"):
        init_kida(app)


def test_each_app_has_its_own_environment(write_templates: WriteTemplates, tmp_path: Path) -> None:
    write_templates({"name.html": "one"}, folder="one/templates")
    write_templates({"name.html": "two"}, folder="two/templates")
    first, second = app_like(tmp_path / "one"), app_like(tmp_path / "two")

    assert init_kida(first) is not init_kida(second)
    assert (first.kida_render("name.html"), second.kida_render("name.html")) == ("one", "two")


def test_render_template_before_init_kida_raises_key_error(tmp_path: Path) -> None:
    app = Flask(__name__, root_path=str(tmp_path))

    with app.app_context(), pytest.raises(KeyError):
        render_template("hello.html")


def test_render_template_outside_an_app_context_raises_flasks_error() -> None:
    with pytest.raises(RuntimeError, match="application context"):
        render_template("hello.html")
