"""Built-in filters compiled inline give exactly what calling the filter gives.

Each expression is compiled twice: in an Environment holding the built-in
filters (so the compiler inlines them) and in one where copies of the same
functions are registered (so the compiler calls them). For many inputs —
``None``, undefined, ``Markup``, subclasses, generators, dicts, non-strings —
both give the same value of the same type, the same warnings, or the same
error.
"""

from __future__ import annotations

import functools
import types
import warnings
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kida_core.compiler import Compiler
from kida_core.environment import Environment
from kida_core.errors import ErrorCode, TemplateRuntimeError, UndefinedError
from kida_core.filters import DEFAULT_FILTERS, INLINABLE_FILTERS
from kida_core.lexer import Lexer
from kida_core.markup import Markup
from kida_core.parser import Parser
from kida_core.render_accumulator import profiled_render
from kida_core.runtime.namespace import code_names
from kida_core.undefined import UNDEFINED, Undefined

#: Expressions over ``v`` whose filter compiles inline (arguments are literals).
INLINED = (
    "v | upper",
    "v | lower",
    "v | capitalize",
    "v | center",
    "v | center(12)",
    "v | wordcount",
    "v | trim",
    "v | strip",
    "v | trim('x')",
    "v | replace('a', 'b')",
    "v | replace('a', 'b', 1)",
    "v | replace(old='a', new='<')",
    "v | string",
    "v | escape",
    "v | e",
    "v | length",
    "v | count",
    "v | first",
    "v | last",
    "v | list",
    "v | default('z')",
    "v | d(3)",
    "v | default('z', false)",
    "v | map(attribute='name')",
    "v | map(attribute='a.name')",
    "v | map(attribute=0)",
    "v | join",
    "v | join(', ')",
    "v | sort",
    "v | sort(reverse=true)",
    "v | sort(case_sensitive=true)",
    "v | sort(true, true)",
    "v | map(attribute='name') | sort | join(', ')",
)


class Text(str):
    """A ``str`` subclass: never handled by the inline branch."""


class Items(list[Any]):
    """A ``list`` subclass: never handled by the inline branch."""


class OneShot:
    """A one-shot iterator (like a generator) whose text is the same every time."""

    def __init__(self, items: list[Any]) -> None:
        self._items = iter(items)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self._items)

    def __repr__(self) -> str:
        return "OneShot"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OneShot)

    def __hash__(self) -> int:
        return 0


class Generated:
    """Items given to the expression as a fresh one-shot iterator each evaluation."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def make(self) -> OneShot:
        return OneShot(self.items)


def _copy(func: Any) -> Any:
    """The same filter as another function object (same code, defaults and marks)."""
    clone = types.FunctionType(
        func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__
    )
    clone.__kwdefaults__ = func.__kwdefaults__
    clone.__dict__.update(func.__dict__)
    return clone


@functools.cache
def _expression(source: str, *, inline: bool, autoescape: bool, strict: bool) -> Any:
    """``source`` compiled with the built-in filters (inline) or wrapped ones (called)."""
    env = Environment(autoescape=autoescape, strict_undefined=strict, bytecode_cache=False)
    if not inline:
        for name in INLINABLE_FILTERS:
            env.add_filter(name, _copy(DEFAULT_FILTERS[name]))
    return env.compile_expression(source, undefined_to_none=False)


def _compiled_names(source: str, env: Environment | None = None) -> set[str]:
    """The global names the compiled expression reads."""
    env = env or Environment()
    tokens = Lexer(source, env.syntax).tokenize_expression()
    node = Parser(tokens, source=source).parse_standalone_expression()
    return code_names(Compiler(env).compile_expression(node, source)).names


def _inlined(names: set[str]) -> bool:
    return "_K_type" in names or "_K_isinstance" in names


def _outcome(expression: Any, value: Any) -> tuple[Any, ...]:
    """What evaluating ``expression`` with ``v`` gives: value, warnings or error."""
    if isinstance(value, Generated):
        value = value.make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: Any = expression(v=value)
        except Exception as exc:  # the error itself is what is compared
            result = ("raised", type(exc), str(exc))
        else:
            result = ("returned", type(result), result)
    return (*result, [(w.category, str(w.message)) for w in caught])


texts = st.text(alphabet="aAbB xX<&'é", max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
    texts.map(Markup),
    texts.map(Text),
    st.just(UNDEFINED),
    st.just(Undefined("missing")),
)
records = st.one_of(
    st.fixed_dictionaries({"name": scalars}),
    st.fixed_dictionaries({"a": st.fixed_dictionaries({"name": texts})}),
    st.builds(SimpleNamespace, name=texts),
    st.dictionaries(st.sampled_from(["name", "other"]), scalars, max_size=2),
    st.lists(texts, max_size=2),
    scalars,
)
items = st.one_of(st.lists(texts, max_size=5), st.lists(st.one_of(scalars, records), max_size=4))
values = st.one_of(
    scalars,
    items,
    items.map(tuple),
    items.map(Items),
    st.lists(texts, max_size=4).map(Generated),
    st.dictionaries(texts, st.integers(), max_size=3),
)


@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("source", INLINED)
@settings(max_examples=40, deadline=None)
@given(value=values)
def test_inline_form_gives_what_the_filter_gives(
    source: str, strict: bool, autoescape: bool, value: Any
) -> None:
    modes = {"autoescape": autoescape, "strict": strict}
    expected = _outcome(_expression(source, inline=False, **modes), value)
    got = _outcome(_expression(source, inline=True, **modes), value)
    assert got == expected


@pytest.mark.parametrize("source", INLINED)
def test_each_expression_compiles_inline(source: str) -> None:
    assert _inlined(_compiled_names(source))


@pytest.mark.parametrize(
    "source",
    [
        "v | replace(old, 'b')",  # a variable argument
        "v | default(other)",  # evaluated even when v is defined: errors would differ
        "v | default('z', true)",  # truthiness may call a failing __bool__
        "v | map('upper')",  # a filter name
        "v | map(attribute='items.0')",  # digit segments depend on the value's type
        "v | map(attribute='name', default='-')",
        "v | join(', ', attribute='name')",
        "v | sort(attribute='name')",
        "v | upper(*args)",
        "v ?| upper",
    ],
)
def test_other_argument_shapes_call_the_filter(source: str) -> None:
    assert not _inlined(_compiled_names(source))


def test_overridden_builtin_filter_is_honoured() -> None:
    env = Environment()
    env.add_filter("upper", lambda value: f"<{value}>")
    assert env.from_string("{{ 'a' | upper }}").render() == "&lt;a&gt;"


def test_filter_overridden_after_an_earlier_compile_is_honoured() -> None:
    env = Environment()
    assert env.from_string("{{ name | length }}").render(name="abc") == "3"
    env.add_filter("length", lambda value: 42)
    assert env.from_string("{{ name | length }}").render(name="abc") == "42"


def test_environment_overriding_getattr_sees_map_lookups() -> None:
    seen: list[str] = []

    class Watching(Environment):
        def getattr(self, obj: Any, name: str) -> Any:
            seen.append(name)
            return super().getattr(obj, name)

    template = Watching().from_string("{{ users | map(attribute='name') | join(',') }}")
    assert template.render(users=[{"name": "a"}, {"name": "b"}]) == "a,b"
    assert seen == ["name", "name"]


def test_profiling_counts_calls_of_inlinable_filters() -> None:
    env = Environment(enable_profiling=True)
    template = env.from_string("{% for w in words %}{{ w | upper }}{% end %}")
    with profiled_render() as metrics:
        assert template.render(words=["a", "b"]) == "AB"
    assert metrics.summary()["filters"]["upper"] == 2


def test_missing_attribute_in_inlined_map_reports_the_template_line() -> None:
    template = Environment().from_string("line one\n{{ users | map(attribute='name') | join }}")
    with pytest.raises(UndefinedError) as caught:
        template.render(users=[{"name": "a"}, {"nick": "b"}])
    assert caught.value.lineno == 2
    assert "name" in str(caught.value)


class Broken:
    """An object whose ``name`` property fails."""

    @property
    def name(self) -> str:
        raise ValueError("no name today")


def test_error_inside_inlined_map_is_reported_as_the_filters() -> None:
    template = Environment().from_string("line one\n{{ users | map(attribute='name') | join }}")
    with pytest.raises(TemplateRuntimeError) as caught:
        template.render(users=[Broken()])
    assert caught.value.code is ErrorCode.FILTER_ERROR
    assert "Filter 'map' failed: ValueError: no name today" in str(caught.value)
    assert caught.value.lineno == 2


def test_inlined_filter_in_a_comprehension_iterable() -> None:
    env = Environment()
    template = env.from_string("{{ [w for w in words | map(attribute='n') | sort] | join('-') }}")
    assert template.render(words=[{"n": "b"}, {"n": "A"}]) == "A-b"


def test_join_escapes_plain_items_next_to_markup() -> None:
    template = Environment().from_string("{{ items | join(', ') }}")
    assert template.render(items=[Markup("<b>x</b>"), "<i>"]) == "<b>x</b>, &lt;i&gt;"
