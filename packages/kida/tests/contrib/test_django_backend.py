"""The Kida backend configured in ``settings.TEMPLATES``, used through Django's loader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines, loader
from django.test import RequestFactory

from kida import DictLoader, ErrorCode, SecurityError, UndefinedError
from kida.contrib.django import KidaTemplate, KidaTemplates

from .conftest import PROJECT, UseTemplates, kida_settings

DTL = {"BACKEND": "django.template.backends.django.DjangoTemplates", "NAME": "dtl"}
#: With the app folder searched first, the automatic bytecode cache would write into
#: the source tree (``kidaapp/kida/__pycache__``).
NO_CACHE = {"bytecode_cache": False}


# -- configuration ---------------------------------------------------------------------------


def test_app_dirs_searches_the_kida_folder_of_each_installed_app(
    use_templates: UseTemplates,
) -> None:
    use_templates(kida_settings([], APP_DIRS=True, OPTIONS=NO_CACHE))
    template = loader.get_template("app_page.html")
    assert template.render({"who": "kidaapp"}) == "<p>From the app: kidaapp</p>"
    assert template.origin.name == str(PROJECT / "kidaapp" / "kida" / "app_page.html")


def test_app_dirs_never_reads_the_django_language_templates_folder(
    use_templates: UseTemplates,
) -> None:
    use_templates(kida_settings([], APP_DIRS=True, OPTIONS=NO_CACHE))
    with pytest.raises(TemplateDoesNotExist):
        engines["kida"].get_template("dtl_only.html")


def test_dirs_come_before_the_app_folders(templates: Path, use_templates: UseTemplates) -> None:
    (templates / "app_page.html").write_text("project override")
    use_templates(kida_settings([templates], APP_DIRS=True))
    assert loader.render_to_string("app_page.html") == "project override"


def test_the_environment_option_names_the_callable_that_builds_the_environment(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("{{ word | shout }}")
    kida_engine(environment="kida_django_support.shouting_environment")
    assert loader.render_to_string("page.html", {"word": "hey"}) == "HEY!"


def test_the_sandboxed_environment_guards_templates_rendered_by_django(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("ok\n{{ request.__class__ }}")
    kida_engine(environment="kida.SandboxedEnvironment")
    with pytest.raises(SecurityError) as caught:
        loader.render_to_string("page.html", request=RequestFactory().get("/"))
    assert caught.value.code is ErrorCode.BLOCKED_ATTRIBUTE
    assert caught.value.template_debug["line"] == 2


def test_other_options_are_passed_to_the_environment(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("{% if true %}\nyes\n{% end %}")
    engine = kida_engine(trim_blocks=True, autoescape=False)
    assert engine.env.autoescape is False
    assert loader.render_to_string("page.html") == "yes\n"


def test_a_loader_option_replaces_the_folder_loader(kida_engine: Callable[..., Any]) -> None:
    kida_engine(loader=DictLoader({"inline.html": "from a dict"}))
    assert loader.render_to_string("inline.html") == "from a dict"


@pytest.mark.parametrize("debug", [True, False])
def test_auto_reload_follows_settings_debug(
    debug: bool, templates: Path, use_templates: UseTemplates
) -> None:
    use_templates(kida_settings([templates]), DEBUG=debug)
    assert engines["kida"].env.auto_reload is debug


def test_autoescape_is_on_by_default(templates: Path, kida_engine: Callable[..., Any]) -> None:
    (templates / "page.html").write_text("{{ value }}")
    kida_engine()
    assert loader.render_to_string("page.html", {"value": "<b>"}) == "&lt;b&gt;"


def test_an_unknown_top_level_key_is_improperly_configured(templates: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="Unknown parameters: LOADERS"):
        KidaTemplates({"NAME": "kida", "DIRS": [templates], "APP_DIRS": False, "LOADERS": []})


# -- context processors ----------------------------------------------------------------------


def test_context_processors_add_to_the_context_of_renders_with_a_request(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("{{ site_name }} at {{ path }}")
    kida_engine(context_processors=["kida_django_support.site"])
    request = RequestFactory().get("/about/")
    assert loader.render_to_string("page.html", request=request) == "Kida Site at /about/"


def test_context_processor_values_win_over_the_views_context(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("{{ title }}")
    kida_engine(context_processors=["kida_django_support.overriding"])
    request = RequestFactory().get("/")
    rendered = loader.render_to_string("page.html", {"title": "from the view"}, request)
    assert rendered == "from the processor"


def test_context_processors_are_not_run_without_a_request(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("{{ site_name ?? 'no processor' }}")
    kida_engine(context_processors=["kida_django_support.site"])
    assert loader.render_to_string("page.html") == "no processor"


# -- loading through Django -------------------------------------------------------------------


def test_get_template_returns_a_kida_template(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("page")
    kida_engine()
    template = loader.get_template("page.html")
    assert isinstance(template, KidaTemplate)
    assert template.name == "page.html"


def test_select_template_falls_back_to_the_next_name(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "default.html").write_text("the default")
    kida_engine()
    template = loader.select_template(["custom.html", "default.html"])
    assert template.render() == "the default"


def test_render_to_string_with_a_list_renders_the_first_that_exists(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "b.html").write_text("B")
    (templates / "c.html").write_text("C")
    kida_engine()
    assert loader.render_to_string(["a.html", "b.html", "c.html"]) == "B"


def test_a_name_missing_in_kida_falls_through_to_the_next_engine(
    templates: Path, tmp_path: Path, use_templates: UseTemplates
) -> None:
    dtl_dir = tmp_path / "dtl"
    dtl_dir.mkdir()
    (dtl_dir / "legacy.html").write_text("{% spaceless %}<p> DTL </p>{% endspaceless %}")
    use_templates(kida_settings([templates]), {**DTL, "DIRS": [dtl_dir]})
    assert loader.render_to_string("legacy.html") == "<p> DTL </p>"


def test_template_does_not_exist_lists_the_files_tried_and_the_backend(
    templates: Path, tmp_path: Path, use_templates: UseTemplates
) -> None:
    other = tmp_path / "more"
    other.mkdir()
    use_templates(kida_settings([templates, other]))
    with pytest.raises(TemplateDoesNotExist) as caught:
        engines["kida"].get_template("missing.html")
    error = caught.value
    assert str(error) == "missing.html"
    assert error.backend is engines["kida"]
    assert [(origin.name, reason) for origin, reason in error.tried] == [
        (str(templates / "missing.html"), "Source does not exist"),
        (str(other / "missing.html"), "Source does not exist"),
    ]
    assert error.tried[0][0].template_name == "missing.html"
    assert error.tried[0][0].loader_name == "kida_loaders.filesystem.FileSystemLoader"
    assert "not found in" in str(error.__cause__)


# -- errors --------------------------------------------------------------------------------------


def test_a_syntax_error_is_djangos_template_syntax_error_with_debug_info(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "broken.html").write_text("<h1>Title</h1>\n{% if %}\n<p>after</p>\n")
    kida_engine()
    with pytest.raises(TemplateSyntaxError) as caught:
        loader.get_template("broken.html")
    debug = caught.value.template_debug
    assert debug == {
        "name": str(templates / "broken.html"),
        "message": "expected an expression, got end of tag '%}'",
        "source_lines": [(1, "<h1>Title</h1>"), (2, "{% if %}"), (3, "<p>after</p>"), (4, "")],
        "line": 2,
        "before": "",
        "during": "{% if %}",
        "after": "",
        "total": 4,
        "top": 0,
        "bottom": 4,
    }
    assert "K-PAR-003" in str(caught.value)
    assert caught.value.__cause__.lineno == 2


def test_a_syntax_error_stops_select_template(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "broken.html").write_text("{{ x")
    (templates / "fine.html").write_text("fine")
    kida_engine()
    with pytest.raises(TemplateSyntaxError):
        loader.select_template(["broken.html", "fine.html"])


def test_debug_source_lines_show_ten_lines_around_the_error(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    lines = [f"line {n}" for n in range(1, 31)]
    lines[19] = "{{ missing }}"
    (templates / "long.html").write_text("\n".join(lines))
    kida_engine()
    with pytest.raises(UndefinedError) as caught:
        loader.render_to_string("long.html")
    debug = caught.value.template_debug
    assert (debug["line"], debug["top"], debug["bottom"], debug["total"]) == (20, 9, 30, 30)
    assert debug["source_lines"][0] == (10, "line 10")
    assert debug["source_lines"][-1] == (30, "line 30")
    assert debug["during"] == "{{ missing }}"


def test_a_runtime_error_stays_kidas_and_carries_debug_info(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("ok\n{{ user.nmae }}\n")
    kida_engine()
    with pytest.raises(UndefinedError) as caught:
        loader.render_to_string("page.html", {"user": {"name": "Ada"}})
    assert caught.value.code is not None and caught.value.code.value == "K-RUN-001"
    debug = caught.value.template_debug
    assert (debug["name"], debug["line"], debug["during"]) == (
        str(templates / "page.html"),
        2,
        "{{ user.nmae }}",
    )


def test_an_error_in_an_included_template_points_at_that_template(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("<main>\n{% include 'part.html' %}\n</main>")
    (templates / "part.html").write_text("{{ 1 // 0 }}")
    kida_engine()
    with pytest.raises(Exception) as caught:
        loader.render_to_string("page.html")
    debug = caught.value.template_debug
    assert (debug["name"], debug["line"], debug["during"]) == (
        str(templates / "part.html"),
        1,
        "{{ 1 // 0 }}",
    )


def test_a_syntax_error_in_an_included_template_is_raised_at_render(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("{% include 'part.html' %}")
    (templates / "part.html").write_text("first\n{% for %}")
    kida_engine()
    template = loader.get_template("page.html")
    with pytest.raises(TemplateSyntaxError) as caught:
        template.render()
    debug = caught.value.template_debug
    assert (debug["name"], debug["line"]) == (str(templates / "part.html"), 2)


def test_a_syntax_error_in_from_string_shows_the_string(kida_engine: Callable[..., Any]) -> None:
    engine = kida_engine()
    with (
        pytest.warns(UserWarning, match="without name="),
        pytest.raises(TemplateSyntaxError) as caught,
    ):
        engine.from_string("one\ntwo {{ }}")
    debug = caught.value.template_debug
    assert debug["name"] == "<string>"
    assert debug["source_lines"] == [(1, "one"), (2, "two {{ }}")]


def test_a_runtime_error_in_from_string_shows_the_string(kida_engine: Callable[..., Any]) -> None:
    engine = kida_engine()
    with pytest.warns(UserWarning, match="without name="):
        template = engine.from_string("a\n{{ nope }}")
    with pytest.raises(UndefinedError) as caught:
        template.render()
    debug = caught.value.template_debug
    assert (debug["line"], debug["during"]) == (2, "{{ nope }}")


def test_an_error_while_streaming_carries_debug_info(
    templates: Path, kida_engine: Callable[..., Any]
) -> None:
    (templates / "page.html").write_text("first\n{{ nope }}")
    chunks = kida_engine().get_template("page.html").render_stream()
    with pytest.raises(UndefinedError) as caught:
        "".join(chunks)
    assert caught.value.template_debug["line"] == 2
