"""The original adapter's contract: the backend, its Environment and KidaTemplate."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.utils import EngineHandler
from django.test import RequestFactory

from kida import Environment
from kida.contrib.django import KidaTemplate, KidaTemplates


def test_the_engine_handler_builds_a_kida_backend_that_renders_with_the_request(
    templates: Path,
) -> None:
    (templates / "hello.html").write_text("Hello {{ name }} from {{ request.path }}")
    handler = EngineHandler(
        templates=[
            {
                "NAME": "kida",
                "BACKEND": "kida.contrib.django.KidaTemplates",
                "APP_DIRS": False,
                "DIRS": [templates],
                "OPTIONS": {"autoescape": True, "extensions": []},
            }
        ]
    )
    engine = handler["kida"]
    template = engine.get_template("hello.html")
    request = RequestFactory().get("/greet")
    assert isinstance(engine, KidaTemplates)
    assert isinstance(template, KidaTemplate)
    assert template.render({"name": "<Kida>"}, request) == "Hello &lt;Kida&gt; from /greet"


def test_the_origin_names_the_file_and_the_template(templates: Path) -> None:
    (templates / "hello.html").write_text("Hello")
    engine = KidaTemplates({"NAME": "kida", "DIRS": [templates], "APP_DIRS": False})
    origin = engine.get_template("hello.html").origin
    assert origin.template_name == "hello.html"
    assert origin.name == str(templates / "hello.html")


def test_from_string_warns_that_unnamed_sources_skip_the_bytecode_cache(templates: Path) -> None:
    engine = KidaTemplates({"NAME": "kida", "DIRS": [templates], "APP_DIRS": False})
    with pytest.warns(UserWarning, match=r"from_string\(\) without name="):
        template = engine.from_string("Hi {{ name }}")
    assert template.render({"name": "there"}) == "Hi there"
    assert template.origin.name == "<string>"
    assert template.origin.template_name is None


def test_direct_construction_accepts_the_standard_keys(templates: Path) -> None:
    engine = KidaTemplates(
        {"NAME": "kida", "APP_DIRS": False, "DIRS": [templates], "OPTIONS": {"autoescape": False}}
    )
    assert engine.name == "kida"
    assert engine.dirs == [templates]
    assert engine.env.autoescape is False


def test_env_is_the_kida_environment_and_its_registrations_reach_templates(
    templates: Path,
) -> None:
    (templates / "page.html").write_text("{{ site }} {{ 'x' | twice }}")
    engine = KidaTemplates({"NAME": "kida", "DIRS": [templates], "APP_DIRS": False})
    engine.env.add_global("site", "Kida")
    engine.env.add_filter("twice", lambda value: value * 2)
    assert isinstance(engine.env, Environment)
    assert engine.get_template("page.html").render() == "Kida xx"


def test_render_leaves_the_callers_context_unchanged(templates: Path) -> None:
    (templates / "page.html").write_text("{{ request.method }}")
    engine = KidaTemplates({"NAME": "kida", "DIRS": [templates], "APP_DIRS": False})
    context = {"name": "Kida"}
    engine.get_template("page.html").render(context, RequestFactory().get("/"))
    assert context == {"name": "Kida"}
