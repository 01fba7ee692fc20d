"""Escape attempts against the default sandbox: every one must raise SecurityError.

Each case is a real template with the K-SEC code it must raise. The known Jinja2
sandbox advisories are re-expressed in Kida syntax (marked ``CVE``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from kida_core.errors import ErrorCode, SecurityError
from kida_loaders import DictLoader
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

if TYPE_CHECKING:
    from conftest import SideEffects

ATTR = ErrorCode.BLOCKED_ATTRIBUTE
TYPE = ErrorCode.BLOCKED_TYPE
LIMIT = ErrorCode.RANGE_LIMIT
CALL = ErrorCode.BLOCKED_CALLABLE
OUTPUT = ErrorCode.OUTPUT_LIMIT

CORPUS: list[tuple[str, str, ErrorCode]] = [
    # -- classic attribute walks
    ("str-class-mro-subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}", ATTR),
    ("tuple-class-bases", "{{ ().__class__.__bases__[0] }}", ATTR),
    ("init-globals", "{{ user.__init__.__globals__ }}", ATTR),
    ("method-func-globals", "{{ user.greet.__func__.__globals__ }}", ATTR),
    ("loop-class", "{% for i in items %}{{ loop.__class__ }}{% end %}", ATTR),
    ("range-self", "{{ range.__self__ }}", ATTR),
    ("global-func-globals", "{{ consume.__globals__ }}", ATTR),
    ("global-func-py2-globals", "{{ consume.func_globals }}", ATTR),
    ("global-func-public-attr", "{{ consume.name }}", TYPE),
    ("object-dict", "{{ user.__dict__ }}", ATTR),
    ("dict-class", "{{ d.__class__ }}", ATTR),
    ("single-underscore", "{{ user._private }}", ATTR),
    ("subscript-dunder", "{{ x['__class__'] }}", ATTR),
    ("subscript-dunder-dict", "{{ d['__class__'] }}", ATTR),
    ("subscript-dunder-object", "{{ user['__dict__'] }}", ATTR),
    ("optional-chain-dunder", "{{ user?.__class__ }}", ATTR),
    ("default-dunder", "{{ user.__class__ | default('x') }}", ATTR),
    ("defined-test-dunder", "{{ user.__class__ is defined }}", ATTR),
    ("null-coalesce-dunder", "{{ user.__class__ ?? 'x' }}", ATTR),
    ("bound-builtin-self", "{{ x.upper.__self__ }}", ATTR),
    ("builtin-method-receiver", "{{ x.upper.name }}", TYPE),
    ("class-mro", "{{ cls.mro() }}", ATTR),
    ("class-attribute", "{{ cls.greet }}", TYPE),
    ("class-item", "{{ cls['greet'] }}", TYPE),
    ("module-attribute", "{{ os_mod.system('true') }}", TYPE),
    ("module-environ", "{{ os_mod.environ }}", TYPE),
    ("function-attribute", "{{ plain_fn.name }}", TYPE),
    ("generator-frame", "{{ gen.gi_frame.f_globals }}", ATTR),
    ("generator-code", "{{ gen.gi_code }}", ATTR),
    ("generator-public", "{{ gen.send }}", TYPE),
    ("async-generator-frame", "{{ agen.ag_frame }}", ATTR),
    ("traceback-frame", "{{ tb.tb_frame.f_globals }}", ATTR),
    ("frame-back", "{{ frame.f_back }}", ATTR),
    ("frame-public", "{{ frame.clear }}", TYPE),
    ("partial-func", "{{ partial.func }}", TYPE),
    # -- format-string tricks
    ("CVE-2016-10745-format-class", '{{ "{0.__class__}".format(x) }}', ATTR),
    ("format-globals", '{{ "{0.__init__.__globals__}".format(user) }}', ATTR),
    ("format-item-dunder", '{{ "{0[__class__]}".format(x) }}', ATTR),
    ("format-nested-attr", '{{ "{0.author.__dict__}".format(post) }}', ATTR),
    ("format-generator", '{{ "{0.gi_frame}".format(gen) }}', ATTR),
    ("format-class-receiver", '{{ "{0.greet}".format(cls) }}', TYPE),
    ("CVE-2019-10906-format-map", '{{ "{a.__class__}".format_map(d) }}', ATTR),
    ("format-map-kwargs", '{{ "{u.__dict__}".format_map({"u": user}) }}', ATTR),
    ("format-filter-field", '{{ "{0.__class__}" | format(x) }}', ATTR),
    ("format-filter-globals", '{{ "{0.__init__.__globals__}" | format(user) }}', ATTR),
    ("markup-format", '{{ Markup("{0.__class__}").format(x) }}', ATTR),
    ("markup-format-map", '{{ Markup("{a.__class__}").format_map(d) }}', ATTR),
    ("CVE-2024-56326-stored-format", '{% set f = "{0.__class__}".format %}{{ f(x) }}', ATTR),
    ("CVE-2024-56326-map-format", '{{ ["{0.__class__}"] | map("format", x) | list }}', ATTR),
    ("CVE-2024-56326-global-map", '{{ map("{0.__class__}".format, [x]) | list }}', ATTR),
    ("CVE-2025-27516-attr-format", '{% set f = "{0.__class__}" | attr("format") %}{{ f(x) }}', ATTR),  # noqa: E501
    ("format-width-bomb", '{{ "{:99999999}".format(1) }}', LIMIT),
    ("format-precision-bomb", '{{ "{:.99999999f}".format(1.0) }}', LIMIT),
    ("format-nested-width", '{{ "{:{w}}".format(1, w=99999999) }}', LIMIT),
    ("format-filter-width", '{{ "{:>99999999}" | format(1) }}', LIMIT),
    ("percent-width-bomb", '{{ "%99999999d" % 1 }}', LIMIT),
    ("percent-star-width", '{{ "%*d" % (99999999, 1) }}', LIMIT),
    ("percent-precision", '{{ "%.99999999f" % 1.0 }}', LIMIT),
    ("ljust-bomb", "{{ x.ljust(999999999) }}", LIMIT),
    ("center-filter-bomb", "{{ x | center(999999999) }}", LIMIT),
    # -- filter reflection
    ("attr-filter-class", '{{ x | attr("__class__") }}', ATTR),
    ("map-attribute-class", '{{ users | map(attribute="__class__") | list }}', ATTR),
    ("map-attribute-dotted", '{{ users | map(attribute="name.__class__") | list }}', ATTR),
    ("map-method-dunder", '{{ users | map("__reduce__") | list }}', ATTR),
    ("selectattr-class", '{{ users | selectattr("__class__") | list }}', ATTR),
    ("rejectattr-dict", '{{ users | rejectattr("__dict__") | list }}', ATTR),
    ("sort-attribute-dict", '{{ users | sort(attribute="__dict__") }}', ATTR),
    ("groupby-class", '{{ users | groupby("__class__") }}', ATTR),
    ("sum-attribute", '{{ users | sum(attribute="__sizeof__") }}', ATTR),
    ("unique-attribute", '{{ users | unique(attribute="__class__") | list }}', ATTR),
    ("map-call-context-fn", '{{ [{"f": plain_fn}] | map("f") | list }}', CALL),
    ("attr-filter-module", '{{ os_mod | attr("system") }}', TYPE),
    # -- reflection callables, plain functions and classes from the context
    ("context-getattr", '{{ getattr(x, "upper") }}', CALL),
    ("context-eval", '{{ eval("1+1") }}', CALL),
    ("context-exec", '{{ exec("import os") }}', CALL),
    ("context-import", '{{ imp("os") }}', CALL),
    ("context-type", "{{ type(x) }}", CALL),
    ("context-vars", "{{ vars(user) }}", CALL),
    ("context-lambda", "{{ fn() }}", CALL),
    ("context-function", "{{ plain_fn() }}", CALL),
    ("context-class", "{{ cls('eve') }}", CALL),
    ("context-partial", "{{ partial() }}", CALL),
    ("eval-through-map", '{{ map(eval, ["1+1"]) | list }}', CALL),
    ("eval-through-sorted-key", "{{ sorted(items, key=eval) }}", CALL),
    ("function-stored-in-dict", '{% set h = {"f": plain_fn} %}{{ h.f() }}', CALL),
    # -- mutation
    ("list-append", "{{ items.append(1) }}", ATTR),
    ("list-sort", "{{ items.sort() }}", ATTR),
    ("dict-update", "{{ d.update(x=1) }}", ATTR),
    ("dict-clear", "{{ d.clear() }}", ATTR),
    ("dict-setdefault", '{{ d.setdefault("z", 1) }}', ATTR),
    ("dict-pop", '{{ d.pop("a") }}', ATTR),
    ("set-add", "{{ s.add(3) }}", ATTR),
    ("mutation-via-map", '{{ [items] | map("append", 1) | list }}', ATTR),
    # -- calls hidden inside higher-order helpers (every call goes through the policy)
    ("nested-map-calls-context-fn", '{{ list(map(list, map(map, [system], [["id"]]))) }}', CALL),
    ("map-global-checks-before-iterating", "{{ map(system, []) | list }}", CALL),
    ("filter-global-context-fn", '{{ filter(system, ["id"]) | list }}', CALL),
    ("filter-invokes-items", "{{ filter(map, [system]) | list }}", CALL),
    ("map-of-filter-objects", '{{ list(map(list, map(filter, [system], [["id"]]))) }}', CALL),
    ("sorted-key-context-fn", '{{ sorted(["id"], key=system) }}', CALL),
    ("sorted-key-through-kwargs", '{{ sorted(*[["id"]], **{"key": system}) }}', CALL),
    ("min-key-context-fn", '{{ min(["id"], key=system) }}', CALL),
    ("max-key-context-fn", '{{ max("id", "x", key=system) }}', CALL),
    ("stored-map-global", '{% set m = map %}{{ m(system, ["id"]) | list }}', CALL),
    ("dict-of-map", '{{ dict(map(system, ["id"])) }}', CALL),
    ("map-over-context-class", "{{ map(dict, [cls]) | list }}", CALL),
    ("method-applies-callable", '{{ account.apply(system, "id") }}', CALL),
    ("method-applies-map", '{{ account.apply(map, system, ["id"]) | list }}', CALL),
    ("raw-map-from-context", '{{ py_map(map, [system], [["id"]]) | list }}', CALL),
    ("raw-sorted-from-context", '{{ py_sorted(["id"], key=system) }}', CALL),
    ("reduce-from-context", '{{ reduce(system, ["a", "b"]) }}', CALL),
    # -- integer and dotted lookups: no class, alias or unbound method reaches a template
    ("alias-append-mutates-roles", '{{ ([list] | map(attribute=0) | first).append(roles, "admin") }}', TYPE),  # noqa: E501
    ("alias-update-mutates-dict", "{{ ([dict] | map(attribute=0) | first).update(d, a=9) }}", TYPE),
    ("alias-method-in-nested-map",
     '{{ list(map(list, map(map, [([list] | map(attribute=0) | first).append], [[roles]], [["admin"]]))) }}',  # noqa: E501
     TYPE),
    ("digit-path-yields-class", '{{ [[list]] | map(attribute="0.0") | list }}', TYPE),
    ("sort-int-attribute", "{{ [[list]] | sort(attribute=0) }}", TYPE),
    ("groupby-digit-attribute", '{{ [[list]] | groupby("0") }}', TYPE),
    ("sum-int-attribute", "{{ [[list]] | sum(attribute=0, start=[]) }}", TYPE),
    ("unique-int-attribute", "{{ [[list]] | unique(attribute=0) }}", TYPE),
    ("selectattr-int-attribute", "{{ [[list]] | selectattr(0) | list }}", TYPE),
    ("rejectattr-digit-attribute", '{{ [[list]] | rejectattr("0") | list }}', TYPE),
    ("join-int-attribute", "{{ [[list]] | join(attribute=0) }}", TYPE),
    ("min-filter-int-attribute", "{{ [[list]] | min(attribute=0) }}", TYPE),
    ("get-filter-index-class", "{{ [list] | get(0) }}", TYPE),
    ("get-filter-key-class", '{{ {"k": list} | get("k") }}', TYPE),
    ("attr-filter-class-value", '{{ {"k": cls} | attr("k") }}', TYPE),
    ("subscript-class-item", "{{ [list][0] }}", TYPE),
    ("dict-key-class", '{{ {"k": dict}.k }}', TYPE),
    ("optional-subscript-class", "{{ [list]?[0] }}", TYPE),
    ("optional-chain-class", '{{ {"a": {"b": dict}}?.a?.b }}', TYPE),
    ("format-field-class", '{{ "{0[0]}".format([list]) }}', TYPE),
    ("classmethod-bound-to-class", "{{ account.create }}", TYPE),
    ("builtin-bound-to-class", "{{ d.fromkeys }}", TYPE),
    ("lax-getitem-dunder", '{{ account["__class__"] }}', ATTR),
    ("lax-getitem-private", '{{ account["_effects"] }}', ATTR),
    ("lax-getitem-markup-key", '{{ account[Markup("__dict__")] }}', ATTR),
    ("dictsort-calls-class-items", "{{ registry | dictsort }}", TYPE),
    ("xmlattr-calls-class-items", "<a {{ registry | xmlattr }}>", TYPE),
    # -- unsafe markers (Jinja2's unsafe_callable, Django's alters_data)
    ("alters-data-method", "{{ account.delete() }}", CALL),
    ("unsafe-callable-method", "{{ account.drop() }}", CALL),
    ("marked-method-through-map-filter", '{{ [account] | map("delete") | list }}', CALL),
    ("marked-method-through-map-global", "{{ map(account.delete, []) | list }}", CALL),
    ("marked-method-as-sort-key", "{{ sorted([1], key=account.drop) }}", CALL),
    ("marked-method-stored", "{% set f = account.delete %}{{ f() }}", CALL),
    # -- resource exhaustion
    ("range-huge", "{{ range(10**9) | length }}", LIMIT),
    ("range-astronomic", "{{ range(10**30) | length }}", LIMIT),
    ("range-literal-huge", "{% for i in 1..10**9 %}{% end %}", LIMIT),
    ("str-repeat", '{{ "a" * 10**9 }}', LIMIT),
    ("list-repeat", "{{ [1] * 10**9 }}", LIMIT),
    ("repeat-reversed", "{{ 10**9 * [1] }}", LIMIT),
    ("int-power", "{{ 10 ** 100000 }}", LIMIT),
    ("int-tower", "{{ 9 ** 9 ** 9 }}", LIMIT),
    ("int-square-growth", "{% set a = 10 ** 4000 %}{{ a * a }}", LIMIT),
    ("while-true", "{% while true %}x{% end %}", LIMIT),
    ("concat-doubling",
     '{% let s = "ab" * 50000 %}{% for i in range(30) %}{% export s = s ~ s %}{% end %}{{ s | length }}',  # noqa: E501
     LIMIT),
    ("replace-growth", '{{ ("a" * 100000).replace("a", "a" * 100000) }}', LIMIT),
    ("join-growth", '{{ ("x" * 100000).join(["y" for i in range(10000)]) }}', LIMIT),
    ("join-filter-growth", '{{ range(10000) | join("x" * 100000) }}', LIMIT),
    ("indent-filter-growth", '{{ ("\\n" * 100000) | indent(100000) }}', LIMIT),
    # sizes just past the default limits (test_limits_allocation.py runs the real bombs)
    ("format-newline-fill", '{{ "{:\\n>100001}".format(1) }}', LIMIT),
    ("format-filter-newline-fill", '{{ "{:\\n>100001}" | format(1) }}', LIMIT),
    ("markup-format-newline-fill", '{{ Markup("{:\\n>100001}").format(1) }}', LIMIT),
    ("format-arabic-digits", '{{ "{:>\u0661\u0660\u0660\u0660\u0660\u0661}".format(1) }}', LIMIT),
    ("format-nested-fill", '{{ "{:{f}>{w}}".format(1, f="\\n", w=100001) }}', LIMIT),
    ("format-repeated-field", '{{ ("{0}" * 1001).format("x" * 1000) }}', LIMIT),
    ("percent-nested-key", '{{ "%(a(b)c)100001s" % {"a(b)c": "x"} }}', LIMIT),
    ("percent-big-numbers", '{{ ("%x" * 1000) % ((int("f" * 10000, 16),) * 1000) }}', LIMIT),
    ("percent-fixed-floats", '{{ ("%f" * 5000) % ((1e308,) * 5000) }}', LIMIT),
    ("batch-string-size", '{{ [1] | batch("100001", 0) }}', LIMIT),
    ("slice-string-size", '{{ [1] | slice("100001") }}', LIMIT),
    ("decimal-string-places", '{{ 1 | decimal("100001") }}', LIMIT),
    ("format-number-string-places", '{{ 1 | format_number("100001") }}', LIMIT),
    ("round-precision", "{{ 1 | round(100001) }}", LIMIT),
    ("round-huge-number", '{{ "1e100001" | round }}', LIMIT),
    ("tojson-string-indent", '{{ [1] | tojson(indent=("x" * 100000) ~ "x") }}', LIMIT),
    ("to-bytes-length", '{{ (0).to_bytes(1000001, "big") }}', LIMIT),
    ("translate-list-table", '{{ ("a" * 1000).translate(["x" * 1001] * 128) }}', LIMIT),
    ("sum-of-lists", "{{ sum([[0] * 1001] * 1000, []) }}", LIMIT),
    ("string-of-references", '{{ (["x" * 1000] * 1001) | string }}', LIMIT),
    ("output-of-references", '{{ ["x" * 1000] * 1001 }}', LIMIT),
    ("concat-references", '{{ (["x" * 1000] * 1001) ~ "" }}', LIMIT),
    ("markup-of-references", '{{ Markup(["x" * 1000] * 1001) }}', LIMIT),
    ("pprint-key-indentation", '{{ {"k" * 1000: range(1001) | list} | pprint }}', LIMIT),
    ("regex-match-test", '{{ x is match("s") }}', CALL),
    ("regex-select-match", '{{ ["s"] | select("match", "s") | list }}', CALL),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "code"), [(s, c) for _, s, c in CORPUS], ids=[i for i, _, _ in CORPUS]
)
def test_escape_is_blocked(
    source: str, code: ErrorCode, ctx: dict[str, Any], effects: SideEffects
) -> None:
    env = SandboxedEnvironment()
    with pytest.raises(SecurityError) as info:
        env.from_string(source, name="evil.html").render(**ctx)
    assert info.value.code is code, str(info.value)
    assert "evil.html:1" in str(info.value)
    assert effects.untouched(), effects


def test_corpus_size() -> None:
    assert len(CORPUS) >= 60
    assert len({i for i, _, _ in CORPUS}) == len(CORPUS)


SMALL = SandboxPolicy(max_range=10**7, max_loop_iterations=100, max_output_size=1000)
LIMITED: list[tuple[str, str, ErrorCode]] = [
    ("for-beyond-budget", "{% for i in range(10**6) %}{% end %}", LIMIT),
    ("comprehension-beyond-budget", "{{ [i for i in range(10**6)] | length }}", LIMIT),
    ("while-beyond-budget", "{% let i = 0 %}{% while i < 1000 %}{% export i = i + 1 %}{% end %}", LIMIT),  # noqa: E501
    ("infinite-generator", "{% for i in counter %}{% end %}", LIMIT),
    ("output-too-large", '{% for i in range(50) %}{{ "x" * 100 }}{% end %}', OUTPUT),
    *[(name, body.replace("BIG", '{% for i in range(50) %}{{ "x" * 100 }}{% end %}'), OUTPUT)
      for name, body in [
          ("capture-grows-unseen", "{% capture c %}BIG{% end %}{{ c | length }}"),
          ("def-result-grows-unseen", "{% def f() %}BIG{% end %}{{ f() | length }}"),
          ("slot-body-grows-unseen",
           "{% def f() %}{{ caller() | length }}{% end %}{% call f() %}BIG{% end %}"),
          ("filter-block-grows-unseen", "{% filter length %}BIG{% end %}"),
      ]],
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "code"), [(s, c) for _, s, c in LIMITED], ids=[i for i, _, _ in LIMITED]
)
def test_configured_limits(source: str, code: ErrorCode) -> None:
    import itertools

    env = SandboxedEnvironment(sandbox_policy=SMALL)
    with pytest.raises(SecurityError) as info:
        env.from_string(source, name="evil.html").render(counter=itertools.count())
    assert info.value.code is code


# -- the same escape through every render path ------------------------------------------

ESCAPE = "{{ x.__class__ }}"
PAGES = {
    "evil.html": ESCAPE,
    "page.html": 'before {% include "evil.html" %} after',
    "lib.html": "{% def leak(v) %}{{ v.__class__ }}{% end %}",
    "imports.html": '{% from "lib.html" import leak %}{{ leak(x) }}',
    "def_body.html": "{% def inner() %}" + ESCAPE + "{% end %}{{ inner() }}",
    "slot.html": "{% def box() %}[{% slot %}]{% end %}{% call box() %}" + ESCAPE + "{% end %}",
    "try.html": "{% try %}" + ESCAPE + "{% fallback err %}swallowed{% end %}",
    "blocks.html": "{% block main %}" + ESCAPE + "{% end %}",
    "child.html": '{% extends "blocks.html" %}{% block main %}child ' + ESCAPE + "{% end %}",
}


def _collect_async(template: Any, ctx: dict[str, Any]) -> str:
    async def run() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(**ctx)])

    return asyncio.run(run())


RENDERERS: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "render": lambda t, c: t.render(**c),
    "render_stream": lambda t, c: "".join(t.render_stream(**c)),
    "render_stream_async": _collect_async,
}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize(
    "name", ["evil.html", "page.html", "imports.html", "def_body.html", "slot.html", "try.html",
             "child.html"]
)  # fmt: skip
def test_every_path_is_guarded(name: str, renderer: str, ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment(loader=DictLoader(PAGES))
    with pytest.raises(SecurityError) as info:
        RENDERERS[renderer](env.get_template(name), ctx)
    assert info.value.code is ATTR
    assert ":1" in str(info.value)


OUTPUT_CASES = [(i, s) for i, s, c in LIMITED if c is OUTPUT]


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("source", [s for _, s in OUTPUT_CASES], ids=[i for i, _ in OUTPUT_CASES])
def test_output_limit_holds_on_every_render_path(source: str, renderer: str) -> None:
    env = SandboxedEnvironment(sandbox_policy=SMALL)
    with pytest.raises(SecurityError) as info:
        RENDERERS[renderer](env.from_string(source, name="evil.html"), {})
    assert info.value.code is OUTPUT


@pytest.mark.parametrize("name", ["blocks.html", "child.html"])
def test_render_block_is_guarded(name: str, ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment(loader=DictLoader(PAGES))
    with pytest.raises(SecurityError, match="__class__"):
        env.get_template(name).render_block("main", **ctx)


def test_render_async_is_guarded(ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment(loader=DictLoader(PAGES))
    with pytest.raises(SecurityError):
        asyncio.run(env.get_template("page.html").render_async(**ctx))


def _escape_pages(source: str) -> dict[str, str]:
    """``source`` as a page, an included page, a def body (local and imported) and a block."""
    return {
        "evil.html": source,
        "page.html": 'before {% include "evil.html" %} after',
        "lib.html": "{% def leak() %}" + source + "{% end %}",
        "imports.html": '{% from "lib.html" import leak with context %}{{ leak() }}',
        "def_body.html": "{% def inner() %}" + source + "{% end %}{{ inner() }}",
        "blocks.html": "{% block main %}" + source + "{% end %}",
        "child.html": '{% extends "blocks.html" %}{% block main %}' + source + "{% end %}",
    }


#: Every way to render a corpus escape (``render`` itself is ``test_escape_is_blocked``).
ESCAPE_PATHS: dict[str, Callable[[SandboxedEnvironment, dict[str, Any]], object]] = {
    "render_stream": lambda env, c: "".join(env.get_template("evil.html").render_stream(**c)),
    "render_stream_async": lambda env, c: _collect_async(env.get_template("evil.html"), c),
    "render_async": lambda env, c: asyncio.run(env.get_template("evil.html").render_async(**c)),
    "render_block": lambda env, c: env.get_template("blocks.html").render_block("main", **c),
    "extends": lambda env, c: env.get_template("child.html").render(**c),
    "include": lambda env, c: env.get_template("page.html").render(**c),
    "import": lambda env, c: env.get_template("imports.html").render(**c),
    "def": lambda env, c: env.get_template("def_body.html").render(**c),
}


#: The policy escapes (resource limits depend on scoping, e.g. ``export`` inside a def).
POLICY_CORPUS = [case for case in CORPUS if case[2] not in (LIMIT, OUTPUT)]


@pytest.mark.parametrize("path", sorted(ESCAPE_PATHS))
@pytest.mark.parametrize(
    ("source", "code"),
    [(s, c) for _, s, c in POLICY_CORPUS],
    ids=[i for i, _, _ in POLICY_CORPUS],
)
def test_escape_is_blocked_on_every_path(
    source: str, code: ErrorCode, path: str, ctx: dict[str, Any], effects: SideEffects
) -> None:
    env = SandboxedEnvironment(loader=DictLoader(_escape_pages(source)))
    with pytest.raises(SecurityError) as info:
        ESCAPE_PATHS[path](env, ctx)
    assert info.value.code is code, str(info.value)
    assert effects.untouched(), effects


def test_error_names_what_was_blocked_and_where(ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment()
    with pytest.raises(SecurityError) as info:
        env.from_string("ok\n\n{{ user.__dict__ }}", name="t.html").render(**ctx)
    text = str(info.value)
    assert "'__dict__'" in text and "'User' object" in text
    assert "t.html:3" in text and "Hint:" in text and "k-sec-001" in text


def test_include_error_points_at_the_included_template(ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment(loader=DictLoader(PAGES))
    with pytest.raises(SecurityError) as info:
        env.get_template("page.html").render(**ctx)
    assert "evil.html:1" in str(info.value)


def test_security_error_is_not_swallowed_by_lenient_mode(ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment(strict_undefined=False)
    with pytest.raises(SecurityError):
        env.from_string("{{ user.__class__ }}").render(**ctx)
    assert env.from_string("[{{ user.missing }}]").render(**ctx) == "[]"


def test_filters_use_the_guarded_environment_lookups(ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment()
    with pytest.raises(SecurityError):
        env.getattr("s", "__class__")
    with pytest.raises(SecurityError):
        env.getitem("s", "__class__")


def test_static_context_cannot_fold_an_escape(ctx: dict[str, Any]) -> None:
    env = SandboxedEnvironment()
    template = env.from_string(
        '{{ "{0.__class__}" | format(secret) }}', static_context={"secret": ctx["user"]}
    )
    with pytest.raises(SecurityError):
        template.render()
