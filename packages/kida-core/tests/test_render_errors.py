"""Runtime and compile-time error reporting, context hygiene and thread isolation."""

from __future__ import annotations

import copy
import threading
from typing import Any

import pytest

from kida_core import (
    Environment,
    ErrorCode,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
)


def runtime_error(
    source: str, /, env: Environment | None = None, name: str = "page.html", **context: Any
) -> TemplateRuntimeError:
    env = env or Environment()
    template = env.from_string(source, name=name)
    with pytest.raises(TemplateRuntimeError) as info:
        template.render(**context)
    return info.value


def syntax_error(source: str, /, env: Environment | None = None) -> TemplateSyntaxError:
    env = env or Environment()
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string(source, name="page.html")
    return info.value


def boom(value: Any) -> Any:
    raise ValueError(f"cannot handle {value!r}")


def failing_env() -> Environment:
    env = Environment()
    env.add_filter("boom", boom)
    env.add_test("boomy", boom)
    return env


DIVISION = "<h1>Report</h1>\n<p>\n  Average: {{ total / count }}\n</p>\n"


# -- error codes -----------------------------------------------------------------------


def test_zero_division_is_k_run_011() -> None:
    err = runtime_error(DIVISION, total=10, count=0)
    assert err.code is ErrorCode.ZERO_DIVISION
    assert err.code.value == "K-RUN-011"


def test_type_error_is_k_run_012() -> None:
    err = runtime_error("{{ price * qty }}", price=None, qty=2)
    assert err.code is ErrorCode.TYPE_ERROR


def test_subtracting_string_is_type_error() -> None:
    assert runtime_error("{{ a - 1 }}", a="x").code is ErrorCode.TYPE_ERROR


def test_failing_filter_is_k_run_002_naming_the_filter() -> None:
    err = runtime_error("{{ v | boom }}", env=failing_env(), v=1)
    assert err.code is ErrorCode.FILTER_ERROR
    assert "boom" in err.message


def test_failing_builtin_filter_is_k_run_002() -> None:
    err = runtime_error("{{ v | join(',') }}", v=5)
    assert err.code is ErrorCode.FILTER_ERROR
    assert "Filter 'join' failed" in err.message


def test_failing_custom_test_is_k_run_003() -> None:
    err = runtime_error("{% if v is boomy %}x{% end %}", env=failing_env(), v=1)
    assert err.code is ErrorCode.TEST_ERROR
    assert "boomy" in err.message


def test_other_exceptions_are_generic_runtime_errors() -> None:
    def fails() -> None:
        raise RuntimeError("backend down")

    err = runtime_error("{{ f() }}", f=fails)
    assert err.code is ErrorCode.RUNTIME_ERROR
    assert "backend down" in err.message


# -- location, expression, values, hint, cause ---------------------------------------------


def test_runtime_error_has_template_name() -> None:
    assert runtime_error(DIVISION, name="report.html", total=1, count=0).template_name == (
        "report.html"
    )


def test_runtime_error_has_exact_line_of_multiline_template() -> None:
    assert runtime_error(DIVISION, total=1, count=0).lineno == 3


def test_runtime_error_line_inside_loop_body() -> None:
    source = "<ul>\n{% for item in items %}\n  <li>{{ item.price - 1 }}</li>\n{% end %}\n</ul>"
    err = runtime_error(source, items=[{"price": 2}, {"price": "x"}])
    assert err.lineno == 3


def test_runtime_error_line_after_multiline_block() -> None:
    source = "{% if a %}\nA\n{% else %}\nB\n{% end %}\n{{ 1 // zero }}"
    assert runtime_error(source, a=True, zero=0).lineno == 6


def test_runtime_error_has_expression_text() -> None:
    assert runtime_error(DIVISION, total=1, count=0).expression == "{{ total / count }}"


def test_runtime_error_has_values_involved() -> None:
    assert runtime_error(DIVISION, total=10, count=0).values == {"total": 10, "count": 0}


def test_runtime_error_values_for_loop_variable() -> None:
    err = runtime_error("{% for n in ns %}{{ 10 / n }}{% end %}", ns=[5, 0])
    assert err.values == {"n": 0}


def test_runtime_error_values_include_names_ending_in_digits() -> None:
    err = runtime_error("{{ row_2 / count }}", row_2=10, count=0)
    assert err.values == {"row_2": 10, "count": 0}


def test_runtime_error_values_use_the_binding_in_scope() -> None:
    source = (
        "{% for i in 1..2 %}"
        "{% if i == 2 %}{% with d = 0 %}{{ 100 / d }}{% end %}{% end %}"
        "{% with d = 9 %}{% end %}"
        "{% end %}"
    )
    assert runtime_error(source).values == {"d": 0}


def test_runtime_error_has_suggestion() -> None:
    err = runtime_error(DIVISION, total=1, count=0)
    assert err.suggestion
    assert "Hint:" in str(err)


def test_runtime_error_chains_original_exception() -> None:
    err = runtime_error(DIVISION, total=1, count=0)
    assert isinstance(err.__cause__, ZeroDivisionError)


def test_filter_error_chains_original_exception() -> None:
    err = runtime_error("{{ v | boom }}", env=failing_env(), v=1)
    assert isinstance(err.__cause__, ValueError)
    assert str(err.__cause__) == "cannot handle 1"


def test_runtime_error_has_source_snippet() -> None:
    err = runtime_error(DIVISION, total=1, count=0)
    assert err.source_snippet is not None
    assert err.source_snippet.error_line == 3
    assert ">3 |   Average: {{ total / count }}" in str(err)


def test_format_compact_contains_code_and_location() -> None:
    compact = runtime_error(DIVISION, name="report.html", total=1, count=0).format_compact()
    assert "K-RUN-011" in compact
    assert "report.html:3" in compact


def test_str_contains_code_message_and_docs_link() -> None:
    text = str(runtime_error(DIVISION, total=1, count=0))
    assert text.startswith("K-RUN-011: ZeroDivisionError: division by zero")
    assert "Docs: " in text


def test_render_stream_errors_are_enhanced_the_same_way() -> None:
    env = Environment()
    template = env.from_string(DIVISION, name="report.html")
    with pytest.raises(TemplateRuntimeError) as info:
        list(template.render_stream(total=10, count=0))
    err = info.value
    assert (err.code, err.template_name, err.lineno) == (
        ErrorCode.ZERO_DIVISION,
        "report.html",
        3,
    )
    assert err.values == {"total": 10, "count": 0}
    assert isinstance(err.__cause__, ZeroDivisionError)


def test_render_stream_yields_chunks_before_the_error() -> None:
    env = Environment()
    template = env.from_string("ok\n{% for n in ns %}{{ 10 // n }},{% end %}")
    chunks: list[str] = []
    with pytest.raises(TemplateRuntimeError):
        for chunk in template.render_stream(ns=[5, 2, 0]):
            chunks.append(chunk)
    assert "".join(chunks) == "ok\n2,5,"


def test_undefined_error_in_stream_is_located() -> None:
    env = Environment()
    template = env.from_string("a\n{{ nope }}", name="s.html")
    with pytest.raises(UndefinedError) as info:
        list(template.render_stream())
    assert (info.value.template, info.value.lineno) == ("s.html", 2)


# -- syntax errors -----------------------------------------------------------------------


def test_unknown_filter_is_k_par_004_with_did_you_mean() -> None:
    err = syntax_error("a\n{{ name | uper }}")
    assert err.code is ErrorCode.INVALID_FILTER
    assert err.suggestion == "Did you mean 'upper'?"
    assert err.lineno == 2
    assert "Unknown filter 'uper'" in str(err)


def test_unknown_filter_without_close_match_suggests_registering() -> None:
    err = syntax_error("{{ name | zzqqxx }}")
    assert err.code is ErrorCode.INVALID_FILTER
    assert "add_filter" in (err.suggestion or "")


def test_unknown_test_is_k_par_005_with_did_you_mean() -> None:
    err = syntax_error("{% if n is od %}{% end %}")
    assert err.code is ErrorCode.INVALID_TEST
    assert err.suggestion == "Did you mean 'odd'?"


def test_syntax_error_is_raised_at_compile_time_not_render() -> None:
    env = Environment()
    with pytest.raises(TemplateSyntaxError):
        env.from_string("{% if false %}{{ x | nosuchfilter }}{% end %}")


# -- the user's context is never mutated --------------------------------------------------------


CONTEXT_SOURCE = """
{% set local = 1 %}{% let wide = 2 %}
{% for item in items %}{% export total = (total ?? 0) + item.n %}{{ loop.index }}{% end %}
{% capture cap %}{{ user.name }}{% end %}{{ cap }}
{% with user.name as n %}{{ n }}{% end %}
{% match items | length %}{% case k %}{{ k }}{% end %}
{{ total }} {{ local }} {{ wide }}
"""


def test_render_does_not_mutate_context_dict() -> None:
    env = Environment()
    template = env.from_string(CONTEXT_SOURCE)
    context = {"items": [{"n": 1}, {"n": 2}], "user": {"name": "Ada"}, "tags": {"a"}}
    before = copy.deepcopy(context)
    template.render(context)
    assert context == before


def test_render_adds_no_internal_keys_to_context() -> None:
    env = Environment()
    template = env.from_string(CONTEXT_SOURCE)
    context = {"items": [{"n": 1}], "user": {"name": "Ada"}}
    template.render(context)
    list(template.render_stream(context))
    assert sorted(context) == ["items", "user"]
    assert not [key for key in context if key.startswith("_")]


def test_failing_render_does_not_mutate_context() -> None:
    env = Environment()
    template = env.from_string("{% let x = 1 %}{% for i in xs %}{{ 1 / i }}{% end %}")
    context = {"xs": [1, 0]}
    before = copy.deepcopy(context)
    with pytest.raises(TemplateRuntimeError):
        template.render(context)
    assert context == before


def test_context_values_seen_by_functions_are_the_users_objects() -> None:
    env = Environment()
    seen: list[Any] = []
    payload = {"k": [1]}
    env.add_global("capture", lambda v: seen.append(v) or "")
    env.from_string("{{ capture(payload) }}").render(payload=payload)
    assert seen == [payload]
    assert seen[0] is payload


# -- thread isolation --------------------------------------------------------------------------


THREADED_SOURCE = (
    "<h1>{{ title }}</h1>\n"
    "{% for item in items %}"
    "<li>{{ loop.index }}. {{ item.name }}: {{ 100 // item.qty }}</li>\n"
    "{% end %}"
    "Total: {{ items | length }}"
)


def expected_threaded(title: str) -> str:
    lines = "".join(f"<li>{i}. item{i}: {100 // i}</li>\n" for i in range(1, 4))
    return f"<h1>{title}</h1>\n{lines}Total: 3"


def test_failing_renders_do_not_affect_concurrent_renders() -> None:
    env = Environment()
    template = env.from_string(THREADED_SOURCE, name="threads.html")
    threads_count, renders = 16, 200
    barrier = threading.Barrier(threads_count)
    failures: list[str] = []
    error_lines: list[int | None] = []

    def worker(index: int) -> None:
        bad = index % 2 == 1
        title = f"T{index}"
        good_items = [{"name": f"item{i}", "qty": i} for i in range(1, 4)]
        bad_items = [{"name": "item1", "qty": 1}, {"name": "zero", "qty": 0}]
        barrier.wait()
        for _ in range(renders):
            if bad:
                try:
                    template.render(title=title, items=bad_items)
                except TemplateRuntimeError as exc:
                    if exc.code is not ErrorCode.ZERO_DIVISION:
                        failures.append(f"wrong code {exc.code}")
                    if exc.values != {"item": {"name": "zero", "qty": 0}}:
                        failures.append(f"wrong values {exc.values}")
                    error_lines.append(exc.lineno)
                else:
                    failures.append("bad render did not fail")
            else:
                out = template.render(title=title, items=good_items)
                if out != expected_threaded(title):
                    failures.append(out)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(error_lines) == (threads_count // 2) * renders
    assert set(error_lines) == {2}
