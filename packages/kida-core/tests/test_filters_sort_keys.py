"""``sort(attribute=...)`` orders by one key as it orders by that key in a key tuple.

With one attribute whose values are all plain strings or numbers the filter
sorts the keys directly; a multi-key attribute (``"k,k"``) always builds the
None-aware key tuples. Both must give the same order, ``None`` placement and
errors for every input.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kida_core.environment import Environment

keys = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.floats(-3, 3, allow_nan=False),
    st.text(alphabet="aAbB", max_size=2),
    st.booleans(),
)
records = st.lists(st.fixed_dictionaries({"k": keys, "id": st.integers()}), max_size=6)


def _sorted(env: Environment, attribute: str, items: list[Any], **flags: bool) -> Any:
    try:
        return ("sorted", env.filters["sort"](env, items, attribute=attribute, **flags))
    except Exception as exc:  # the error itself is compared
        return ("raised", type(exc), str(exc))


@settings(max_examples=200, deadline=None)
@given(
    items=records,
    reverse=st.booleans(),
    case_sensitive=st.booleans(),
    strict_none=st.booleans(),
)
def test_one_key_sorts_as_the_key_tuple_does(
    items: list[Any], reverse: bool, case_sensitive: bool, strict_none: bool
) -> None:
    env = Environment(strict_none=strict_none)
    flags = {"reverse": reverse, "case_sensitive": case_sensitive}
    assert _sorted(env, "k", items, **flags) == _sorted(env, "k,k", items, **flags)


def test_plain_keys_sort_stably() -> None:
    env = Environment()
    items = [{"k": 1, "id": "a"}, {"k": 0, "id": "b"}, {"k": 1, "id": "c"}]
    result = env.from_string("{{ items | sort(attribute='k') | map(attribute='id') | join }}")
    assert result.render(items=items) == "bac"
    reverse = env.from_string(
        "{{ items | sort(attribute='k', reverse=true) | map(attribute='id') | join }}"
    )
    assert reverse.render(items=items) == "acb"
