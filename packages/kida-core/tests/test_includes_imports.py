"""include / import / from-import and the include depth limit."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kida_core import (
    Environment,
    ErrorCode,
    Markup,
    TemplateNotFoundError,
    TemplateRuntimeError,
)
from kida_loaders import DictLoader, FileSystemLoader

PARTIALS = {
    "greet.html": "Hello {{ name ?? 'stranger' }}!",
    "item.html": "[{{ x }}:{{ loop.index }}:{{ note ?? '-' }}]",
    "letter.html": "{% let z = 'Z' %}{{ z }}",
    "setter.html": "{% set leaked = 'L' %}{% let leaked2 = 'L2' %}",
    "layout.html": "<L>{% block b %}{% end %}</L>",
    "extending.html": "{% extends 'layout.html' %}{% block b %}inc {{ v }}{% end %}",
    "forms.html": "{% let greeting = 'hi' %}"
    '{% def field(n, type="text") %}<input name="{{ n }}" type="{{ type }}">{% end %}'
    "{% def who() %}{{ user ?? 'anonymous' }}{% end %}"
    "{% def hello() %}{{ greeting }} {{ who() }}{% end %}",
    "a/b/page.html": "{% include '../up.html' %}|{% include './here.html' %}",
    "a/up.html": "UP",
    "a/b/here.html": "HERE",
    "a/b/imports.html": "{% from './m.html' import em %}{% import '../m2.html' as m2 %}"
    "{{ em('x') }}{{ m2.strong('y') }}",
    "a/b/m.html": "{% def em(v) %}<em>{{ v }}</em>{% end %}",
    "a/m2.html": "{% def strong(v) %}<strong>{{ v }}</strong>{% end %}",
    "escape.html": "{% include '../../outside.html' %}",
    "cycle1.html": "{% import 'cycle2.html' as c %}",
    "cycle2.html": "{% import 'cycle1.html' as c %}",
    "fcycle1.html": "{% from 'fcycle2.html' import f %}{% def g() %}{% end %}",
    "fcycle2.html": "{% from 'fcycle1.html' import g %}{% def f() %}{% end %}",
    "countdown.html": "{{ n }}{% if n > 0 %}{% with n = n - 1 %}{% include 'countdown.html' %}"
    "{% end %}{% end %}",
    "forever.html": "x{% include 'forever.html' %}",
    "missing_include.html": "line one\nline two\n{% include 'nope.html' %}",
    "missing_import.html": "line one\n{% from 'nope.html' import x %}",
}


@pytest.fixture
def env() -> Environment:
    return Environment(loader=DictLoader(PARTIALS))


def render(env: Environment, source: str, **context: object) -> str:
    return env.from_string(source).render(**context)


# -- include: context -------------------------------------------------------------------


def test_include_renders_inline(env: Environment) -> None:
    assert render(env, "<{% include 'greet.html' %}>", name="Ada") == "<Hello Ada!>"


def test_include_sees_loop_variable_and_loop(env: Environment) -> None:
    source = "{% for x in ['a', 'b'] %}{% include 'item.html' %}{% end %}"
    assert render(env, source) == "[a:1:-][b:2:-]"


def test_include_sees_block_scoped_set_inside_loop(env: Environment) -> None:
    source = "{% for x in [1, 2] %}{% set note = x * 10 %}{% include 'item.html' %}{% end %}"
    assert render(env, source) == "[1:1:10][2:2:20]"


def test_include_sees_with_binding(env: Environment) -> None:
    assert render(env, "{% with name = 'W' %}{% include 'greet.html' %}{% end %}") == "Hello W!"


def test_include_sees_top_level_let(env: Environment) -> None:
    assert render(env, "{% let name = 'Let' %}{% include 'greet.html' %}") == "Hello Let!"


def test_include_sees_set_inside_if(env: Environment) -> None:
    source = "{% if true %}{% set name = 'S' %}{% include 'greet.html' %}{% end %}"
    assert render(env, source) == "Hello S!"


def test_include_with_context_is_default(env: Environment) -> None:
    assert render(env, "{% include 'greet.html' with context %}", name="Ada") == "Hello Ada!"


def test_include_without_context_hides_caller_variables(env: Environment) -> None:
    assert render(env, "{% include 'greet.html' without context %}", name="Ada") == (
        "Hello stranger!"
    )


def test_include_without_context_still_sees_globals() -> None:
    env = Environment(loader=DictLoader({"g.html": "{{ site }}"}), globals={"site": "S"})
    assert env.from_string("{% include 'g.html' without context %}").render() == "S"


def test_included_template_lets_do_not_leak(env: Environment) -> None:
    assert render(env, "{% include 'letter.html' %}{{ z ?? 'no-z' }}") == "Zno-z"


def test_included_template_sets_do_not_leak(env: Environment) -> None:
    source = "{% include 'setter.html' %}{{ leaked ?? 'no' }}{{ leaked2 ?? 'no' }}"
    assert render(env, source) == "nono"


def test_include_output_is_not_escaped_again(env: Environment) -> None:
    assert render(env, "{% include 'greet.html' %}", name="<b>") == "Hello &lt;b&gt;!"


def test_included_template_may_extend_a_layout(env: Environment) -> None:
    assert render(env, "{% include 'extending.html' %}!", v=1) == "<L>inc 1</L>!"


def test_include_inside_def(env: Environment) -> None:
    assert render(env, "{% def w() %}({% include 'letter.html' %}){% end %}{{ w() }}") == "(Z)"


def test_include_inside_block_of_child_template() -> None:
    child = "{% extends 'layout.html' %}{% block b %}{% include 'greet.html' %}{% end %}"
    env = Environment(loader=DictLoader({**PARTIALS, "child.html": child}))
    assert env.get_template("child.html").render(name="B") == "<L>Hello B!</L>"


# -- include: names -----------------------------------------------------------------------


def test_include_ignore_missing_renders_nothing(env: Environment) -> None:
    assert render(env, "a{% include 'nope.html' ignore missing %}b") == "ab"


def test_include_ignore_missing_combined_with_context_clause(env: Environment) -> None:
    assert render(env, "{% include 'greet.html' ignore missing without context %}") == (
        "Hello stranger!"
    )


def test_include_candidate_list_first_existing_wins(env: Environment) -> None:
    source = "{% include ['nope.html', 'greet.html', 'letter.html'] %}"
    assert render(env, source, name="C") == "Hello C!"


def test_include_candidate_list_none_exist_raises(env: Environment) -> None:
    with pytest.raises(TemplateNotFoundError, match=r"nope1\.html"):
        render(env, "{% include ['nope1.html', 'nope2.html'] %}")


def test_include_candidate_list_none_exist_ignore_missing(env: Environment) -> None:
    assert render(env, "{% include ['nope1.html', 'nope2.html'] ignore missing %}x") == "x"


def test_include_dynamic_name_expression(env: Environment) -> None:
    assert render(env, "{% include kind ~ '.html' %}", kind="greet", name="D") == "Hello D!"


def test_include_dynamic_name_from_variable_list(env: Environment) -> None:
    assert render(env, "{% include names %}", names=["x.html", "letter.html"]) == "Z"


def test_include_template_object(env: Environment) -> None:
    partial = env.get_template("greet.html")
    assert render(env, "{% include p %}", p=partial, name="T") == "Hello T!"


def test_include_relative_names(env: Environment) -> None:
    assert env.get_template("a/b/page.html").render() == "UP|HERE"


def test_relative_include_above_root_raises(env: Environment) -> None:
    with pytest.raises(TemplateNotFoundError, match="above the template root"):
        env.get_template("escape.html").render()


def test_missing_include_error_names_including_template_and_line(env: Environment) -> None:
    with pytest.raises(TemplateNotFoundError) as info:
        env.get_template("missing_include.html").render()
    message = str(info.value)
    assert "nope.html" in message
    assert "missing_include.html:3" in message


def test_missing_include_error_in_stream_names_including_template(env: Environment) -> None:
    with pytest.raises(TemplateNotFoundError, match=r"missing_include\.html:3"):
        list(env.get_template("missing_include.html").render_stream())


def test_missing_dynamic_include_error_names_including_template() -> None:
    env = Environment(loader=DictLoader({"dyn.html": "x\n{% include target %}"}))
    with pytest.raises(TemplateNotFoundError) as info:
        env.get_template("dyn.html").render(target="zz.html")
    assert "zz.html" in str(info.value)
    assert "dyn.html:2" in str(info.value)


# -- include depth ---------------------------------------------------------------------------


def test_self_include_with_stop_condition_terminates(env: Environment) -> None:
    assert env.get_template("countdown.html").render(n=3) == "3210"


def test_self_include_at_default_depth_limit_renders(env: Environment) -> None:
    out = env.get_template("countdown.html").render(n=50)
    assert out == "".join(str(i) for i in range(50, -1, -1))


def test_self_include_past_default_depth_limit_raises(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("countdown.html").render(n=51)
    assert info.value.code == ErrorCode.INCLUDE_DEPTH


def test_self_include_without_stop_condition_raises_include_depth(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("forever.html").render()
    assert info.value.code == ErrorCode.INCLUDE_DEPTH
    assert "forever.html" in str(info.value)
    assert "50" in str(info.value)


def test_self_include_without_stop_condition_raises_in_stream(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        list(env.get_template("forever.html").render_stream())
    assert info.value.code == ErrorCode.INCLUDE_DEPTH


def test_max_include_depth_option_is_enforced() -> None:
    env = Environment(loader=DictLoader(PARTIALS), max_include_depth=3)
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("countdown.html").render(n=10)
    assert info.value.code == ErrorCode.INCLUDE_DEPTH


def test_max_include_depth_option_allows_depth_at_limit() -> None:
    env = Environment(loader=DictLoader(PARTIALS), max_include_depth=3)
    assert env.get_template("countdown.html").render(n=3) == "3210"


# -- import ... as ----------------------------------------------------------------------------


def test_import_as_exposes_defs(env: Environment) -> None:
    source = "{% import 'forms.html' as f %}{{ f.field('q') }}"
    assert render(env, source) == '<input name="q" type="text">'


def test_import_as_exposes_top_level_lets(env: Environment) -> None:
    assert render(env, "{% import 'forms.html' as f %}{{ f.greeting }}") == "hi"


def test_imported_def_sees_its_own_template_lets(env: Environment) -> None:
    assert render(env, "{% import 'forms.html' as f %}{{ f.hello() }}") == "hi anonymous"


def test_import_without_context_is_default(env: Environment) -> None:
    assert render(env, "{% import 'forms.html' as f %}{{ f.who() }}", user="U") == "anonymous"


def test_import_with_context_sees_caller_variables(env: Environment) -> None:
    source = "{% import 'forms.html' as f with context %}{{ f.who() }}"
    assert render(env, source, user="U") == "U"


def test_imported_def_returns_markup(env: Environment) -> None:
    source = "{% import 'forms.html' as f %}{{ f.field('a').__class__.__name__ }}"
    assert render(env, source) == "Markup"


def test_imported_def_output_not_double_escaped(env: Environment) -> None:
    source = "{% import 'forms.html' as f %}{{ f.field('<x>') }}"
    assert render(env, source) == '<input name="&lt;x&gt;" type="text">'


def test_import_missing_attribute_raises(env: Environment) -> None:
    with pytest.raises(Exception, match="nope"):
        render(env, "{% import 'forms.html' as f %}{{ f.nope() }}")


def test_import_inside_block_of_child_template() -> None:
    child = (
        "{% extends 'layout.html' %}{% import 'forms.html' as f %}"
        "{% block b %}{{ f.field('b', type='hidden') }}{% end %}"
    )
    env = Environment(loader=DictLoader({**PARTIALS, "child.html": child}))
    assert env.get_template("child.html").render() == ('<L><input name="b" type="hidden"></L>')


def test_import_relative_names(env: Environment) -> None:
    assert env.get_template("a/b/imports.html").render() == ("<em>x</em><strong>y</strong>")


def test_circular_import_raises_k_tpl_003(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("cycle1.html").render()
    assert info.value.code == ErrorCode.CIRCULAR_IMPORT
    assert "cycle1.html → cycle2.html → cycle1.html" in str(info.value)


def test_self_import_raises_k_tpl_003() -> None:
    env = Environment(loader=DictLoader({"me.html": "{% import 'me.html' as me %}"}))
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("me.html").render()
    assert info.value.code == ErrorCode.CIRCULAR_IMPORT


def test_import_of_missing_template_names_importing_template(env: Environment) -> None:
    with pytest.raises(TemplateNotFoundError, match=r"missing_import\.html:2"):
        env.get_template("missing_import.html").render()


def test_same_template_imported_twice_under_two_names(env: Environment) -> None:
    source = (
        "{% import 'forms.html' as a %}{% import 'forms.html' as b %}"
        "{{ a.greeting }}{{ b.greeting }}"
    )
    assert render(env, source) == "hihi"


# -- from ... import ---------------------------------------------------------------------------


def test_from_import_binds_named_def(env: Environment) -> None:
    source = "{% from 'forms.html' import field %}{{ field('a', type='x') }}"
    assert render(env, source) == '<input name="a" type="x">'


def test_from_import_with_alias(env: Environment) -> None:
    source = "{% from 'forms.html' import field as input %}{{ input('a') }}"
    assert render(env, source) == '<input name="a" type="text">'


def test_from_import_several_names(env: Environment) -> None:
    source = "{% from 'forms.html' import field, greeting, who as w %}{{ greeting }}{{ w() }}"
    assert render(env, source) == "hianonymous"


def test_from_import_alias_does_not_bind_original_name(env: Environment) -> None:
    source = "{% from 'forms.html' import field as input %}{{ field ?? 'unbound' }}"
    assert render(env, source) == "unbound"


def test_from_import_without_context_is_default(env: Environment) -> None:
    assert render(env, "{% from 'forms.html' import who %}{{ who() }}", user="U") == "anonymous"


def test_from_import_with_context(env: Environment) -> None:
    source = "{% from 'forms.html' import who with context %}{{ who() }}"
    assert render(env, source, user="U") == "U"


def test_from_import_missing_name_raises_k_run_008(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render(env, "{% from 'forms.html' import nope %}")
    assert info.value.code == ErrorCode.MACRO_NOT_FOUND
    assert "nope" in str(info.value)
    assert "field" in str(info.value)


def test_from_import_missing_name_reports_line() -> None:
    env = Environment(loader=DictLoader(PARTIALS))
    template = env.from_string("x\n\n{% from 'forms.html' import nope %}", name="fi.html")
    with pytest.raises(TemplateRuntimeError) as info:
        template.render()
    assert info.value.template_name == "fi.html"
    assert info.value.lineno == 3


def test_from_import_circular_raises_k_tpl_003(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("fcycle1.html").render()
    assert info.value.code == ErrorCode.CIRCULAR_IMPORT


def test_from_imported_def_result_is_markup(env: Environment) -> None:
    captured: list[object] = []
    env.add_global("keep", captured.append)
    env.from_string("{% from 'forms.html' import field %}{{ keep(field('a')) }}").render()
    assert isinstance(captured[0], Markup)


# -- missing includes on a large template tree ------------------------------------


class _CountingLoader(FileSystemLoader):
    """A FileSystemLoader counting ``list_templates`` calls."""

    listings = 0

    def list_templates(self) -> list[str]:
        self.listings += 1
        return super().list_templates()


@pytest.fixture
def big_tree(tmp_path: Path) -> _CountingLoader:
    for index in range(300):
        (tmp_path / f"partial_{index}.html").write_text(f"p{index}")
    return _CountingLoader(str(tmp_path))


def test_ignored_missing_includes_neither_list_templates_nor_keep_locks(
    big_tree: _CountingLoader,
) -> None:
    env = Environment(loader=big_tree)
    template = env.from_string(
        "{% for i in names %}{% include prefix ~ i ignore missing %}{% end %}", name="page.html"
    )
    prefix = "missing/" + "x" * 200 + "_"
    for batch in range(5):
        names = range(batch * 400, (batch + 1) * 400)
        assert template.render(names=names, prefix=prefix) == ""
    assert big_tree.listings == 0
    assert env._templates._locks == {}


def test_shown_missing_include_suggests_close_names(big_tree: _CountingLoader) -> None:
    env = Environment(loader=big_tree)
    template = env.from_string('{% include "partial_7.htm" %}', name="page.html")
    with pytest.raises(TemplateNotFoundError) as info:
        template.render()
    assert big_tree.listings == 0  # nothing listed until the message is read
    message = str(info.value)
    assert "Did you mean" in message and "'partial_7.html'" in message
    assert "page.html:1" in message
    assert str(info.value) == message and big_tree.listings == 1
    assert env._templates._locks == {}


def test_missing_template_error_pickles_with_its_suggestions(big_tree: _CountingLoader) -> None:
    env = Environment(loader=big_tree)
    with pytest.raises(TemplateNotFoundError) as info:
        env.get_template("partial_1.htm")
    copy = pickle.loads(pickle.dumps(info.value))
    assert isinstance(copy, TemplateNotFoundError)
    assert str(copy) == str(info.value) and "Did you mean" in str(copy)
