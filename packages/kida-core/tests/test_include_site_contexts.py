"""Includes reuse one render context per include site; what an included template sees
stays exactly what a fresh child context would show, in every render mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from render_support import render_every_mode
from render_support import write_later as write

from kida_core import Environment, TemplateRuntimeError, get_render_context_required
from kida_loaders import DictLoader, FileSystemLoader


def seen() -> str:
    """What the active render context says: template, line of its caller, depth, meta."""
    rc = get_render_context_required()
    stack = ",".join(f"{name}:{line}" for name, line in rc.template_stack)
    return f"{rc.template_name}|{stack}|{rc.include_depth}|{rc.get_meta('mark')}"


def mark(value: str) -> str:
    get_render_context_required().set_meta("mark", value)
    return ""


def environment(templates: dict[str, str], **options: Any) -> Environment:
    env = Environment(loader=DictLoader(templates), **options)
    env.add_global("seen", seen)
    env.add_global("mark", mark)
    return env


def every_mode(env: Environment, entry: str, **context: Any) -> str:
    """The output of ``entry``, after checking that every render mode gives it."""
    return render_every_mode(env.get_template(entry), **context)


def test_each_include_in_a_loop_sees_a_child_context_of_its_own() -> None:
    env = environment(
        {
            "page.html": "{% for i in [1, 2] %}\n{% include 'part.html' %}{% end %}",
            "part.html": "[{{ seen() }}]",
        }
    )
    expected = "[part.html|page.html:2|1|None]"
    assert every_mode(env, "page.html") == f"\n{expected}\n{expected}"


def test_metadata_set_by_one_include_is_not_seen_by_the_next_one_from_the_same_site() -> None:
    env = environment(
        {
            "page.html": "{% for i in [1, 2] %}{% include 'part.html' %}{% end %}",
            "part.html": "[{{ seen() }}{{ mark('set') }}]",
        }
    )
    assert (
        every_mode(env, "page.html")
        == "[part.html|page.html:1|1|None][part.html|page.html:1|1|None]"
    )


def test_different_templates_included_from_one_site_each_get_their_context() -> None:
    env = environment(
        {
            "page.html": "{% for name in names %}{% include name %}{% end %}",
            "a.html": "a[{{ seen() }}]",
            "b.html": "b[{{ seen() }}]",
        }
    )
    rendered = every_mode(env, "page.html", names=["a.html", "b.html", "a.html"])
    assert rendered == (
        "a[a.html|page.html:1|1|None]b[b.html|page.html:1|1|None]a[a.html|page.html:1|1|None]"
    )


def test_nested_includes_in_loops_count_their_depth() -> None:
    env = environment(
        {
            "page.html": "{% for i in [1, 2] %}{% include 'row.html' %}{% end %}",
            "row.html": "{% for j in [1, 2] %}\n{% include 'cell.html' %}{% end %}",
            "cell.html": "({{ seen() }})",
        }
    )
    cell = "(cell.html|page.html:1,row.html:2|2|None)"
    assert every_mode(env, "page.html") == f"\n{cell}\n{cell}" * 2


def test_include_in_a_def_called_in_a_loop() -> None:
    env = environment(
        {
            "page.html": "{% def card(x) %}<{% include 'part.html' %}>{% end %}"
            "{% for x in [1, 2] %}{{ card(x) }}{% end %}",
            "part.html": "{{ x }}",
        }
    )
    assert every_mode(env, "page.html") == "<1><2>"


def test_include_without_context_and_ignore_missing_in_a_loop() -> None:
    env = environment(
        {
            "page.html": "{% for x in [1, 2] %}"
            "{% include 'part.html' without context %}"
            "{% include 'gone.html' ignore missing %}{% end %}",
            "part.html": "[{{ x ?? 'none' }}]",
        }
    )
    assert every_mode(env, "page.html") == "[none][none]"


def test_unset_template_names_are_not_passed_to_an_include() -> None:
    env = environment(
        {
            "page.html": "{{ note ?? '' }}{% for x in [1] %}{% include 'part.html' %}{% end %}",
            "part.html": "{{ x }}:{{ note ?? 'default' }}",
        }
    )
    assert every_mode(env, "page.html") == "1:default"
    assert every_mode(env, "page.html", note="given") == "given1:given"


def test_an_error_in_an_include_in_a_loop_points_at_the_included_template() -> None:
    env = environment(
        {
            "page.html": "top\n{% for x in [1, 0] %}\n{% include 'part.html' %}{% end %}",
            "part.html": "ok\n{{ 10 // x }}",
        }
    )
    template = env.get_template("page.html")
    with pytest.raises(TemplateRuntimeError) as info:
        template.render()
    assert info.value.template_name == "part.html"
    assert info.value.lineno == 2
    assert list(info.value.template_stack) == [("page.html", 3)]
    with pytest.raises(TemplateRuntimeError) as streamed:
        "".join(template.render_stream())
    assert (streamed.value.template_name, streamed.value.lineno) == ("part.html", 2)


def site(tmp_path: Path) -> Path:
    write(tmp_path / "page.html", "{% for i in [1, 2] %}{% include 'part.html' %}{% end %}")
    write(tmp_path / "part.html", "old;")
    return tmp_path


def test_an_edited_include_is_picked_up_on_the_next_render_with_auto_reload(
    tmp_path: Path,
) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    template = env.get_template("page.html")
    assert template.render() == "old;old;"
    write(tmp_path / "part.html", "new;")
    assert template.render() == "new;new;"


def test_an_edited_include_is_not_reloaded_without_auto_reload(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=False)
    template = env.get_template("page.html")
    assert template.render() == "old;old;"
    write(tmp_path / "part.html", "new;")
    assert template.render() == "old;old;"


def test_one_site_including_a_name_then_a_template_object_renders_each() -> None:
    env = environment(
        {"page.html": "{% for t in targets %}{% include t %}{% end %}", "a.html": "a"}
    )
    other = env.from_string("object")
    assert every_mode(env, "page.html", targets=["a.html", other, "a.html"]) == "aobjecta"


def test_templates_with_their_own_globals_render_them_in_every_mode() -> None:
    env = environment({"page.html": "{{ greeting }} {{ name }}"})
    env.get_template("page.html", globals={"greeting": "hello"})
    assert every_mode(env, "page.html", name="Ada") == "hello Ada"
