"""Indirect calls, opaque lookup results and unsafe markers (beyond the escape corpus).

The corpus shows each escape is refused; these tests show the gadgets are real (they
fire without the sandbox), cover what needs its own environment or policy, and check
that the legitimate uses of the same features keep working.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import typing
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, SecurityError
from kida_loaders import DictLoader
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

if TYPE_CHECKING:
    from conftest import SideEffects

CALL = ErrorCode.BLOCKED_CALLABLE
TYPE = ErrorCode.BLOCKED_TYPE


def _refused(env: Environment, source: str, ctx: dict[str, Any]) -> SecurityError:
    with pytest.raises(SecurityError) as info:
        env.from_string(source).render(**ctx)
    return info.value


def test_the_gadgets_fire_without_the_sandbox(ctx: dict[str, Any], effects: SideEffects) -> None:
    plain = Environment()
    plain.from_string('{{ list(map(list, map(map, [system], [["id"]]))) }}').render(**ctx)
    plain.from_string(
        '{{ ([list] | map(attribute=0) | first).append(roles, "admin") }}{{ account.delete() }}'
        "{{ registry | dictsort }}"
    ).render(**ctx)
    assert effects.calls == ["id", "delete", "Registry.items"]
    assert effects.roles == ["user", "admin"]


# -- unsafe markers -----------------------------------------------------------------------


def _purge() -> str:
    raise AssertionError("a marked callable ran")


_purge.alters_data = True  # type: ignore[attr-defined]


@pytest.mark.parametrize("marker", ["alters_data", "unsafe_callable"])
def test_a_marked_global_is_refused(marker: str) -> None:
    def purge() -> str:
        raise AssertionError("a marked global ran")

    setattr(purge, marker, True)
    env = SandboxedEnvironment()
    env.add_global("purge", purge)
    error = _refused(env, "{{ purge() }}", {})
    assert error.code is CALL
    assert f"marked {marker} = True" in str(error)
    assert "before rendering" in str(error)


def test_the_marker_wins_over_safe_callables_and_allow_calling() -> None:
    safe = SandboxedEnvironment(sandbox_policy=SandboxPolicy().allowing_callables(_purge))
    assert _refused(safe, "{{ purge() }}", {"purge": _purge}).code is CALL
    by_type = SandboxPolicy(allow_calling=frozenset({"function"}))
    assert (
        _refused(
            SandboxedEnvironment(sandbox_policy=by_type), "{{ purge() }}", {"purge": _purge}
        ).code
        is CALL
    )


def test_a_marker_on_a_callable_object_is_honoured() -> None:
    class Purger:
        unsafe_callable = True

        def __call__(self) -> str:
            raise AssertionError("a marked callable object ran")

    env = SandboxedEnvironment()
    env.add_global("purge", Purger())
    assert "unsafe_callable" in str(_refused(env, "{{ purge() }}", {}))


def test_a_false_marker_and_unmarked_methods_stay_callable(ctx: dict[str, Any]) -> None:
    def shout(text: str) -> str:
        return text.upper()

    shout.alters_data = False  # type: ignore[attr-defined]
    env = SandboxedEnvironment()
    env.add_global("shout", shout)
    assert env.from_string("{{ shout('a') }} {{ account.apply(str, 5) }}").render(**ctx) == "A 5"


# -- helpers that call their arguments -------------------------------------------------------


def test_the_higher_order_globals_are_checking_versions() -> None:
    env = SandboxedEnvironment()
    for name in ("map", "filter", "sorted", "min", "max"):
        assert env.globals[name] is not getattr(builtins, name)
    assert Environment().globals["map"] is builtins.map


def test_a_raw_higher_order_builtin_is_refused_even_as_a_global(
    ctx: dict[str, Any], effects: SideEffects
) -> None:
    env = SandboxedEnvironment()
    env.add_global("raw_map", builtins.map)
    error = _refused(env, "{{ raw_map(str, [1]) | list }}", ctx)
    assert error.code is CALL
    assert "calls its arguments" in str(error)
    assert effects.untouched()


@pytest.mark.parametrize("func", [builtins.map, builtins.sorted, builtins.iter])
def test_higher_order_builtins_cannot_be_marked_safe(func: Any) -> None:
    with pytest.raises(ValueError, match="call their arguments"):
        SandboxPolicy().allowing_callables(func)


def test_an_indirect_call_is_not_swallowed_by_try(
    ctx: dict[str, Any], effects: SideEffects
) -> None:
    source = '{% try %}{{ list(map(list, map(map, [system], [["id"]]))) }}{% fallback %}x{% end %}'
    assert _refused(SandboxedEnvironment(), source, ctx).code is CALL
    assert effects.untouched()


def test_defs_and_globals_work_as_functions_of_the_checking_helpers() -> None:
    env = SandboxedEnvironment()
    source = (
        "{% def twice(n) %}{{ n * 2 }}{% end %}"
        "{{ map(twice, [1, 2]) | join(',') }} {{ sorted(['bb', 'a'], key=len) | join }}"
        " {{ filter(len, ['', 'a']) | list }}"
    )
    expected = Environment().from_string(source).render()
    assert env.from_string(source).render() == expected == "2,4 abb [&#39;a&#39;]"


# -- opaque lookup results -------------------------------------------------------------------


def test_environment_lookups_refuse_classes_and_unbound_methods() -> None:
    env = SandboxedEnvironment()
    for obj, key in (([list], 0), ({"k": dict}, "k"), ([str.upper], 0), ([{}.fromkeys], 0)):
        with pytest.raises(SecurityError) as info:
            env.getitem(obj, key)
        assert info.value.code is TYPE
    with pytest.raises(SecurityError):
        env.getattr({"k": list}, "k")
    assert env.getitem([[1]], 0) == [1]
    assert env.getattr({"k": [1]}, "k") == [1]


@pytest.mark.parametrize(
    "alias",
    [list[int], dict[str, int], typing.List[int], typing.Union[int, str], int | str],  # noqa: UP006, UP007
)
def test_generic_aliases_are_opaque(alias: Any, effects: SideEffects) -> None:
    env = SandboxedEnvironment()
    roles = effects.roles
    assert _refused(env, "{{ alias.append }}", {"alias": alias}).code is TYPE
    assert _refused(env, "{{ alias[0] }}", {"alias": alias}).code is TYPE
    assert _refused(env, "{{ alias(roles) }}", {"alias": alias, "roles": roles}).code is CALL
    assert effects.untouched()


def test_an_unbound_method_from_the_context_is_not_callable(effects: SideEffects) -> None:
    env = SandboxedEnvironment()
    source = '{{ append(roles, "admin") }}'
    assert _refused(env, source, {"append": list.append, "roles": effects.roles}).code is CALL
    assert effects.untouched()


def test_lenient_environments_refuse_opaque_results_too(
    ctx: dict[str, Any], effects: SideEffects
) -> None:
    env = SandboxedEnvironment(strict_undefined=False)
    source = '{{ ([list] | map(attribute=0) | first).append(roles, "admin") }}'
    assert _refused(env, source, ctx).code is TYPE
    assert _refused(env, "{{ [list]?[0] }}", ctx).code is TYPE
    assert effects.untouched()


def test_a_call_result_is_vetted_like_a_lookup() -> None:
    env = SandboxedEnvironment()
    env.add_global("model_class", lambda: dict)
    error = _refused(env, "{{ model_class() }}", {})
    assert error.code is TYPE
    assert "class 'dict'" in str(error)


def test_mappings_keep_private_looking_keys() -> None:
    env = SandboxedEnvironment()
    source = '{{ row["_id"] }} {{ {"_k": 1}["_k"] }}'
    assert env.from_string(source).render(row=OrderedDict(_id=7)) == "7 1"


# -- regions rendered as blocks ---------------------------------------------------------------

REGION_PAGES = {
    "base.html": "<{% block crumbs %}{% end %}>",
    "child.html": (
        '{% extends "base.html" %}{% region crumbs(path="/") %}[{{ path }}]{% end %}'
        "{% globals %}{% set crumbs = system %}{% end %}"
    ),
    "solo.html": '{% region crumbs(path="/") %}[{{ path }}]{% end %}{% set crumbs = system %}',
}


def _block_async(template: Any, ctx: dict[str, Any]) -> str:
    async def run() -> str:
        stream = template.render_block_stream_async("crumbs", **ctx)
        return "".join([chunk async for chunk in stream])

    return asyncio.run(run())


REGION_RENDERS: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "render": lambda t, c: t.render(**c),
    "render_block": lambda t, c: t.render_block("crumbs", **c),
    "render_block_stream_async": _block_async,
}


@pytest.mark.parametrize(
    ("page", "how"),
    [("child.html", how) for how in REGION_RENDERS]
    + [("solo.html", "render_block"), ("solo.html", "render_block_stream_async")],
)
def test_a_region_name_rebound_to_a_context_function_is_not_called(
    page: str, how: str, ctx: dict[str, Any], effects: SideEffects
) -> None:
    plain_env = Environment(loader=DictLoader(REGION_PAGES))
    with contextlib.suppress(Exception):  # system() returns 0, which output cannot join
        REGION_RENDERS[how](plain_env.get_template(page), ctx)
    assert effects.calls == [""], "the gadget fires without the sandbox"
    effects.calls.clear()
    env = SandboxedEnvironment(loader=DictLoader(REGION_PAGES))
    with pytest.raises(SecurityError) as info:
        REGION_RENDERS[how](env.get_template(page), ctx)
    assert info.value.code is CALL
    assert effects.untouched()


def test_regions_still_render_as_blocks() -> None:
    env = SandboxedEnvironment(loader=DictLoader(REGION_PAGES))
    source = '{% region crumbs(path="/") %}[{{ path }}]{% end %}'
    template = env.from_string(source)
    assert template.render_block("crumbs", path="/docs") == "[/docs]"
    assert template.render_block("crumbs") == "[/]"


def test_defs_forwarded_for_the_recursion_check_stay_callable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On interpreters that need it, each def sits behind a forwarder the sandbox trusts."""
    monkeypatch.setattr(
        "kida_core.compiler.composition.default_filling_calls_check_recursion", lambda: False
    )
    env = SandboxedEnvironment()
    source = '{% def greet(name="you") %}hi {{ name }}{% end %}{{ greet() }} {{ greet("ann") }}'
    assert env.from_string(source).render() == "hi you hi ann"


# -- composition tags: their bodies' calls still go through the guard ---------------------


def test_a_call_in_an_embed_override_is_refused(ctx: dict[str, Any], effects: SideEffects) -> None:
    env = SandboxedEnvironment(loader=DictLoader({"card.html": "[{% block b %}{% end %}]"}))
    source = "{% embed 'card.html' %}{% block b %}{{ account.delete() }}{% end %}{% end %}"
    assert _refused(env, source, ctx).code is CALL
    assert effects.calls == []


def test_a_call_in_a_scoped_slot_value_is_refused(
    ctx: dict[str, Any], effects: SideEffects
) -> None:
    source = (
        "{% def d() %}{% slot let:v=account.delete() %}{% end %}{% end %}"
        "{% call d() %}{% slot let:v %}{{ v }}{% end %}{% end %}"
    )
    assert _refused(SandboxedEnvironment(), source, ctx).code is CALL
    assert effects.calls == []


def test_a_call_forwarded_by_yield_is_refused(ctx: dict[str, Any], effects: SideEffects) -> None:
    source = (
        "{% def i() %}{% slot %}{% end %}{% def o() %}{% call i() %}{% yield %}{% end %}{% end %}"
        "{% call o() %}{{ account.delete() }}{% end %}"
    )
    assert _refused(SandboxedEnvironment(), source, ctx).code is CALL
    assert effects.calls == []
