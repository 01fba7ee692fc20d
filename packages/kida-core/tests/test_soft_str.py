"""``SoftStr``: a lazy string computed at its first use, at most once, and escaped like text."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from kida_core.environment import Environment
from kida_core.errors import TemplateRuntimeError
from kida_core.markup import Markup
from kida_core.utils.html import SoftStr

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
JSON_SCRIPT = '"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"'


class Counted:
    """A text function that records how often it ran."""

    def __init__(self, text: object = "hello") -> None:
        self.text = text
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.text


# -- laziness ------------------------------------------------------------------------------------


def test_the_function_does_not_run_when_the_string_is_made() -> None:
    func = Counted()
    s = SoftStr(func)
    assert func.calls == 0
    assert not s.evaluated


def test_a_template_that_does_not_print_it_never_runs_the_function() -> None:
    func = Counted()
    template = Environment().from_string("{% if detailed %}{{ s }}{% end %}done")
    assert template.render(detailed=False, s=SoftStr(func)) == "done"
    assert func.calls == 0


def test_the_function_runs_once_however_often_the_value_is_used() -> None:
    func = Counted()
    s = SoftStr(func)
    template = Environment().from_string("{{ s }} {{ s | upper }} {{ s | length }}")
    assert template.render(s=s) == "hello HELLO 5"
    assert template.render(s=s) == "hello HELLO 5"
    assert func.calls == 1
    assert s.evaluated


def test_repr_does_not_run_the_function() -> None:
    def build_summary() -> str:
        return "text"

    s = SoftStr(build_summary)
    assert repr(s) == "SoftStr(<pending build_summary>)"
    str(s)
    assert repr(s) == "SoftStr('text')"


def test_concurrent_first_uses_run_the_function_once() -> None:
    release = threading.Event()
    func = Counted()

    def slow() -> object:
        release.wait()
        return func()

    s = SoftStr(slow)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(str(s))) for _ in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join()
    assert results == ["hello"] * 8
    assert func.calls == 1


# -- it behaves like its text --------------------------------------------------------------------


def test_str_len_and_truthiness_read_the_text() -> None:
    assert str(SoftStr(lambda: "abc")) == "abc"
    assert len(SoftStr(lambda: "abc")) == 3
    assert bool(SoftStr(lambda: "")) is False


def test_it_equals_and_hashes_like_its_text() -> None:
    s = SoftStr(lambda: "key")
    assert s == "key"
    assert s == SoftStr(lambda: "key")
    assert s != "other"
    assert hash(s) == hash("key")
    assert {"key": 1}[s] == 1  # type: ignore[index]


def test_it_orders_like_its_text() -> None:
    assert sorted([SoftStr(lambda: "b"), "c", SoftStr(lambda: "a")]) == ["a", "b", "c"]


def test_adding_and_formatting_use_the_text() -> None:
    s = SoftStr(lambda: "mid")
    assert s + "!" == "mid!"
    assert "<" + s == "<mid"
    assert f"[{s:>5}]" == "[  mid]"
    assert "%s" % s == "mid"  # noqa: UP031


def test_containment_indexing_and_iteration_use_the_text() -> None:
    s = SoftStr(lambda: "abc")
    assert "b" in s
    assert s[0] == "a"
    assert s[1:] == "bc"
    assert list(s) == ["a", "b", "c"]


def test_it_does_not_combine_with_non_strings() -> None:
    with pytest.raises(TypeError, match="unsupported operand"):
        _ = SoftStr(lambda: "a") + 1  # type: ignore[operator]
    assert SoftStr(lambda: "1") != 1


def test_a_result_that_is_not_text_is_converted_with_str() -> None:
    assert str(SoftStr(lambda: 42)) == "42"


def test_a_non_callable_is_refused() -> None:
    with pytest.raises(TypeError, match="needs a function"):
        SoftStr("text")  # type: ignore[arg-type]


# -- escaping ------------------------------------------------------------------------------------


def test_it_is_plain_text_not_markup() -> None:
    assert not hasattr(SoftStr(lambda: "x"), "__html__")


def test_autoescape_escapes_it() -> None:
    env = Environment()
    assert env.from_string("{{ s }}").render(s=SoftStr(lambda: SCRIPT)) == ESCAPED_SCRIPT


def test_a_markup_result_is_escaped_too() -> None:
    s = SoftStr(lambda: Markup(SCRIPT))
    assert Environment().from_string("{{ s }}").render(s=s) == ESCAPED_SCRIPT


def test_without_autoescape_it_is_written_as_is() -> None:
    env = Environment(autoescape=False)
    assert env.from_string("{{ s }}").render(s=SoftStr(lambda: SCRIPT)) == SCRIPT


def test_adding_markup_escapes_the_text_and_keeps_the_markup() -> None:
    s = SoftStr(lambda: "<i>")
    assert Markup("<b>") + s == Markup("<b>&lt;i&gt;")
    assert s + Markup("<b>") == Markup("&lt;i&gt;<b>")


# -- in templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "output"),
    [
        ("{{ s }}", ESCAPED_SCRIPT),
        ("{{ s | upper }}", "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;"),
        ("{{ s | length }}", "25"),
        ("{{ s | escape }}", ESCAPED_SCRIPT),
        ("{{ s | e }}", ESCAPED_SCRIPT),
        ("{{ s ~ '!' }}", ESCAPED_SCRIPT + "!"),
        ("{{ '!' ~ s }}", "!" + ESCAPED_SCRIPT),
        ("{{ s + '!' }}", ESCAPED_SCRIPT + "!"),
        ("{{ s | tojson }}", JSON_SCRIPT),
        ("{{ {'a': [s]} | tojson }}", f'{{"a": [{JSON_SCRIPT}]}}'),
        ("{{ s | string }}", ESCAPED_SCRIPT),
        ("{{ s == '<script>alert(1)</script>' }}", "True"),
        ("{% if s %}shown{% end %}", "shown"),
    ],
)
def test_renders_in_templates(source: str, output: str) -> None:
    template = Environment().from_string(source)
    assert template.render(s=SoftStr(lambda: SCRIPT)) == output
    assert "".join(template.render_stream(s=SoftStr(lambda: SCRIPT))) == output


async def test_renders_in_async_templates() -> None:
    template = Environment().from_string("{{ s | upper }}|{{ s }}")
    expected = "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;|" + ESCAPED_SCRIPT
    assert await template.render_async(s=SoftStr(lambda: SCRIPT)) == expected
    chunks = [chunk async for chunk in template.render_stream_async(s=SoftStr(lambda: SCRIPT))]
    assert "".join(chunks) == expected


def test_the_string_filter_gives_the_plain_text() -> None:
    env = Environment()
    env.filters["kind"] = lambda value: type(value).__name__
    assert env.from_string("{{ s | string | kind }}").render(s=SoftStr(lambda: "x")) == "str"


def test_tojson_still_passes_other_values_to_default() -> None:
    template = Environment().from_string("{{ [s, n] | tojson(default=as_list) }}")
    assert template.render(s=SoftStr(lambda: "a"), n={1}, as_list=list) == '["a", [1]]'


# -- failures ------------------------------------------------------------------------------------


def _failing() -> str:
    raise ValueError("backend down")


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("intro\n{{ s }}", 2),
        ("intro\n\n  <p>{{ s | upper }}</p>", 3),
        ("{% for i in [1] %}\n{{ s ~ i }}{% end %}", 2),
    ],
)
@pytest.mark.parametrize("coalescing", [True, False], ids=["f-strings", "appends"])
def test_a_failing_function_is_a_runtime_error_at_the_line_that_used_it(
    source: str, line: int, coalescing: bool
) -> None:
    env = Environment(fstring_coalescing=coalescing)
    template = env.from_string(source, name="page.html")
    for render in (template.render, lambda **ctx: "".join(template.render_stream(**ctx))):
        with pytest.raises(TemplateRuntimeError, match="backend down") as caught:
            render(s=SoftStr(_failing))
        assert caught.value.lineno == line
        assert caught.value.template_name == "page.html"
        assert isinstance(caught.value.__cause__, ValueError)


def test_a_failed_evaluation_is_tried_again_at_the_next_use() -> None:
    outcomes: list[Callable[[], str]] = [_failing, lambda: "recovered"]
    s = SoftStr(lambda: outcomes.pop(0)())
    with pytest.raises(ValueError, match="backend down"):
        str(s)
    assert not s.evaluated
    assert str(s) == "recovered"


def test_a_function_reading_its_own_soft_str_is_an_error() -> None:
    holder: list[SoftStr] = []
    s = SoftStr(lambda: "x" + str(holder[0]))
    holder.append(s)
    with pytest.raises(RuntimeError, match="reads the SoftStr it computes"):
        str(s)
    template = Environment().from_string("{{ s }}")
    with pytest.raises(TemplateRuntimeError, match="reads the SoftStr it computes"):
        template.render(s=s)
