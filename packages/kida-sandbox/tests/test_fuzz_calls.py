"""Hypothesis: nested calls of helpers, filters and gadgets never run or mutate a gadget.

Expressions combine the checking globals (``map``, ``filter``, ``sorted`` …), safe
constructors, filters and the context's gadgets (a recording ``system``, marked
methods, a method that calls its argument, a class-bound alias method, raw built-ins).
Integer subscripts and ``map(attribute=0)`` reach for the classes in ``[list, dict]``.
A render may succeed or fail in any way; what it must never do is call ``system``, a
marked method or a class's ``items``, or change ``roles``.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kida_sandbox import SandboxedEnvironment

if TYPE_CHECKING:
    from conftest import SideEffects

GADGETS = [
    "system", "account.delete", "account.drop", "account.apply", "account",
    "([list] | map(attribute=0) | first).append", "py_map", "py_sorted", "reduce",
    "registry", "cls", "roles", '"id"', '"admin"', "[list, dict]", "[[list]]",
]  # fmt: skip
HELPERS = [
    "map", "filter", "sorted", "min", "max", "list", "dict", "tuple", "set", "zip",
    "enumerate", "reversed", "sum", "str", "len",
]  # fmt: skip


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(GADGETS + HELPERS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds("{}({})".format, leaves, inner),
            st.builds("{}({}, {})".format, leaves, inner, inner),
            st.builds("{}({}, {}, {})".format, leaves, inner, inner, inner),
            st.builds("[{}]".format, inner),
            st.builds("({})[0]".format, inner),
            st.builds("({})?[0]".format, inner),
            st.builds("({}).append({}, {})".format, inner, inner, inner),
            st.builds("[{}, {}]".format, inner, inner),
            st.builds("sorted({}, key={})".format, inner, leaves),
            st.builds(
                "({} | map({}) | list)".format,
                inner,
                st.sampled_from(['"apply"', '"delete"', "attribute=0"]),
            ),
            st.builds(
                "({} | {})".format, inner, st.sampled_from(["list", "first", "dictsort", "sort"])
            ),
        )

    return st.recursive(leaves, extend, max_leaves=8)


@settings(
    max_examples=int(os.environ.get("KIDA_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(expression=_expressions(), consume=st.booleans())
def test_nested_calls_never_reach_a_gadget(
    fresh_context: Callable[[], tuple[SideEffects, dict[str, Any]]],
    expression: str,
    consume: bool,
) -> None:
    effects, ctx = fresh_context()
    source = f"{{{{ ({expression}) | list }}}}" if consume else f"{{{{ {expression} }}}}"
    with warnings.catch_warnings(), contextlib.suppress(Exception):
        warnings.simplefilter("ignore")  # coercion warnings for the nonsense most examples are
        SandboxedEnvironment().from_string(source).render(**ctx)
    assert effects.untouched(), f"{source!r}: {effects}"
