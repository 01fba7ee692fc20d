"""Limits are enforced before the memory is spent.

Every bomb below builds 0.1 to 3 GB (or runs for minutes) without its check. Each runs
in a child process whose address space is capped at 1 GiB over its baseline, and
must raise the expected ``SecurityError`` while the child's peak RSS stays small.
Legitimate uses of the same operations keep rendering as in a plain environment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from isolated_render import Outcome, render_isolated

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, SecurityError
from kida_core.markup import Markup
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

LIMIT = ErrorCode.RANGE_LIMIT.value
CALL = ErrorCode.BLOCKED_CALLABLE.value
OUTPUT = ErrorCode.OUTPUT_LIMIT.value
#: Peak RSS growth allowed for a whole batch of refused templates.
MAX_GROWTH_MB = 300

BIG = '(["x" * 100000] * 20000)'  # 20 000 references to one 100 kB string: 2 GB as text
#: ``n``: a 4-million-bit integer (1 MB as hex text).
HUGE_INT = '{% set s = "f" * 100000 %}{% set n = int(s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s, 16) %}'

#: ``(source, expected code, policy field named in the message)`` under
#: ``SandboxPolicy(max_output_size=1000)``.
BOMBS: list[tuple[str, str, str]] = [
    # widths and precisions, whatever the fill character
    ('{{ "{:\\n>1500000000}".format(1) }}', LIMIT, "max_repetition"),
    ('{{ "{:\n>1500000000}".format(1) }}', LIMIT, "max_repetition"),
    ('{{ "{:\\n>1500000000}" | format(1) }}', LIMIT, "max_repetition"),
    ('{{ Markup("{:\\n>1500000000}").format(1) }}', LIMIT, "max_repetition"),
    ('{{ "{:\\n>{w}}".format(1, w=1500000000) }}', LIMIT, "max_repetition"),
    ('{{ "{:{f}>{w}}".format(1, f="\\n", w=1500000000) }}', LIMIT, "max_repetition"),
    ('{{ "%(a(b)c)100000000s" % {"a(b)c": "x"} }}', LIMIT, "max_repetition"),
    ('{{ "{:f}".format(huge_decimal) }}', LIMIT, "max_repetition"),
    ('{{ "{:f}".format(tiny_decimal) }}', LIMIT, "max_repetition"),
    # many fields, each within the limits
    ('{{ ("{0}" * 30000).format("x" * 100000) }}', LIMIT, "max_sequence_length"),
    ('{{ ("%(a)s" * 15000) % {"a": "x" * 100000} }}', LIMIT, "max_sequence_length"),
    ('{{ ("%9999s" * 14000) % ((1,) * 14000) }}', LIMIT, "max_sequence_length"),
    (HUGE_INT + '{{ ("%x" * 30000) % ((n,) * 30000) }}', LIMIT, "max_sequence_length"),
    ('{{ ("%f" * 50000) % ((1e308,) * 50000) }}', LIMIT, "max_sequence_length"),
    # sizes given as numeric strings, or as the length of a string
    ('{{ [1] | batch("200000000", 0) }}', LIMIT, "max_repetition"),
    ('{{ [1] | slice("20000000") }}', LIMIT, "max_repetition"),
    ('{{ 1 | decimal("100000000") }}', LIMIT, "max_repetition"),
    ('{{ 1 | format_number("100000000") }}', LIMIT, "max_repetition"),
    ('{{ [1] | tojson(indent=("x" * 100000) ~ "x") }}', LIMIT, "max_repetition"),
    ('{{ [[[[[[1]]]]]] | tojson(indent="x" * 100000) }}', OUTPUT, "max_output_size"),
    # digits of a rounded or fixed-point number
    ("{{ 1 | round(1000000000) }}", LIMIT, "max_repetition"),
    ('{{ "1e999999999" | round }}', LIMIT, "max_repetition"),
    ('{{ "1e999999999" | decimal }}', LIMIT, "max_repetition"),
    ("{{ huge_decimal | format_number }}", LIMIT, "max_repetition"),
    # methods and built-ins that allocate by argument
    ('{{ (0).to_bytes(2000000000, "big") }}', LIMIT, "max_sequence_length"),
    ('{{ (0).to_bytes(length=2000000000, byteorder="big") }}', LIMIT, "max_sequence_length"),
    ('{{ ("a" * 20000).translate(["x" * 100000] * 128) }}', LIMIT, "max_sequence_length"),
    ('{{ ("a" * 20000).translate({97: "x" * 100000}) }}', LIMIT, "max_sequence_length"),
    ("{{ sum([[0] * 100000] * 300, []) | length }}", LIMIT, "max_sequence_length"),
    ("{{ [[0] * 100000] * 300 | sum(start=[]) | length }}", LIMIT, "max_sequence_length"),
    # reference amplification: cheap containers whose text is huge
    ("{{ " + BIG + " | string }}", OUTPUT, "max_output_size"),
    ("{{ " + BIG + " }}", OUTPUT, "max_output_size"),
    ("{{ " + BIG + ' ~ "" }}', OUTPUT, "max_output_size"),
    ('{{ "" + ' + BIG + " }}", OUTPUT, "max_output_size"),
    ("{{ [" + BIG + "] | join }}", OUTPUT, "max_output_size"),
    ("{{ " + BIG + " | tojson }}", OUTPUT, "max_output_size"),
    ('{{ "{}".format(' + BIG + ") }}", OUTPUT, "max_output_size"),
    ('{{ "{!r}".format(' + BIG + ") }}", OUTPUT, "max_output_size"),
    ('{{ "{}" | format(' + BIG + ") }}", OUTPUT, "max_output_size"),
    ('{{ "%s" % [' + BIG + "] }}", OUTPUT, "max_output_size"),
    ("{{ str(" + BIG + ") | length }}", OUTPUT, "max_output_size"),
    ('{{ Markup(", ").join([' + BIG + "]) }}", OUTPUT, "max_output_size"),
    ("{{ Markup(" + BIG + ") }}", OUTPUT, "max_output_size"),
    ("{{ " + BIG + " | upper }}", OUTPUT, "max_output_size"),
    ("{{ " + BIG + " | pprint }}", OUTPUT, "max_output_size"),
    ("{{ {'k': " + BIG + "} }}", OUTPUT, "max_output_size"),
    (
        '{% set a = ["x" * 100000] * 10 %}{% set b = [a] * 10000 %}{{ b }}',
        OUTPUT,
        "max_output_size",
    ),
    # template-supplied regular expressions (this one backtracks for minutes)
    ('{{ ("a" * 34) ~ "c" is match(\'(a+)+b\') }}', CALL, "allow_regex"),
    ("{{ [(\"a\" * 34) ~ \"c\"] | select('match', '(a+)+b') | list }}", CALL, "allow_regex"),
]

#: Bombs that stay bombs without an output limit: refused by the sequence limit.
UNLIMITED_OUTPUT_BOMBS: list[tuple[str, str, str]] = [
    # pformat indents each element to the column after a long key: 1e9 characters
    ('{{ {"k" * 100000: range(10000) | list} | pprint }}', LIMIT, "max_sequence_length"),
    ("{{ " + BIG + " | string | length }}", LIMIT, "max_sequence_length"),
    ("{{ " + BIG + " | tojson | length }}", LIMIT, "max_sequence_length"),
    ('{{ [[[[[[1]]]]]] | tojson(indent="x" * 100000) | length }}', LIMIT, "max_sequence_length"),
]


def _assert_refused(outcome: Outcome, code: str, field: str) -> None:
    assert outcome.error == "SecurityError", (outcome.source, outcome.error, outcome.message)
    assert outcome.code == code, (outcome.source, outcome.message)
    assert f"SandboxPolicy.{field}" in outcome.message, outcome
    assert outcome.peak_growth_mb < MAX_GROWTH_MB, outcome


@pytest.fixture(scope="module")
def bomb_outcomes() -> dict[str, Outcome]:
    outcomes = render_isolated([s for s, _, _ in BOMBS], {"max_output_size": 1000})
    return {o.source: o for o in outcomes}


@pytest.mark.parametrize(("source", "code", "field"), BOMBS, ids=[s[:60] for s, _, _ in BOMBS])
def test_bomb_is_refused_before_allocating(
    source: str, code: str, field: str, bomb_outcomes: dict[str, Outcome]
) -> None:
    _assert_refused(bomb_outcomes[source], code, field)


def test_bombs_without_an_output_limit_are_refused_by_the_sequence_limit() -> None:
    for outcome, (_, code, field) in zip(
        render_isolated([s for s, _, _ in UNLIMITED_OUTPUT_BOMBS]),
        UNLIMITED_OUTPUT_BOMBS,
        strict=True,
    ):
        _assert_refused(outcome, code, field)


def test_allowed_extend_cannot_double_a_list_past_the_limit() -> None:
    source = (
        '{% let a = [0] * 1000 %}{% for i in range(40) %}{{ a.extend(a) ?? "" }}{% end %}'
        "{{ a | length }}"
    )
    (outcome,) = render_isolated([source], {"allow_mutating_methods": True})
    _assert_refused(outcome, LIMIT, "max_sequence_length")
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(allow_mutating_methods=True))
    extended = (
        '{% let a = [1] %}{{ a.extend([2]) ?? "" }}{{ a.extend(reversed([4, 3])) ?? "" }}{{ a }}'
    )
    assert env.from_string(extended).render() == "[1, 2, 3, 4]"


def test_the_harness_sees_an_unchecked_allocation() -> None:
    """A render allowed to build 400 MB shows in the peak (so a small peak means something)."""
    policy = {"max_repetition": 10**9, "max_sequence_length": 10**9}
    (outcome,) = render_isolated(['{{ ("x" * 400000000) | length }}'], policy)
    assert outcome.error is None and outcome.peak_growth_mb > 300, outcome


def test_the_address_space_cap_turns_a_runaway_allocation_into_memory_error() -> None:
    policy = {"max_repetition": 10**10, "max_sequence_length": 10**10}
    (outcome,) = render_isolated(['{{ ("x" * 3000000000) | length }}'], policy)
    assert "MemoryError" in f"{outcome.error} {outcome.message}"


# -- the messages name the limit and how to raise it --------------------------------------


def _refusal(source: str, policy: SandboxPolicy | None = None, **ctx: Any) -> SecurityError:
    env = SandboxedEnvironment(sandbox_policy=policy)
    with pytest.raises(SecurityError) as info:
        env.from_string(source, name="t.html").render(**ctx)
    return info.value


def test_text_estimate_errors_name_the_field_and_suggest_a_fix() -> None:
    error = _refusal("{{ " + BIG + " | string }}")
    assert error.code is ErrorCode.RANGE_LIMIT
    assert "'list' object as text" in error.message and "1000000" in error.message
    assert "SandboxPolicy.max_sequence_length" in str(error.suggestion)
    small = _refusal("{{ [1, 2, 3] }}", SandboxPolicy(max_output_size=5))
    assert small.code is ErrorCode.OUTPUT_LIMIT
    assert "SandboxPolicy.max_output_size" in str(small.suggestion)


def test_regex_refusal_names_the_policy_field() -> None:
    error = _refusal('{{ "abc" is match("a") }}')
    assert error.code is ErrorCode.BLOCKED_CALLABLE
    assert "regular expression" in error.message
    assert "SandboxPolicy.allow_regex" in str(error.suggestion)


# -- legitimate uses keep working ---------------------------------------------------------

LEGIT: dict[str, str] = {
    "format-width": '[{{ "{:>5}".format(1) }}][{{ "{:*^7}" | format("ab") }}]',
    "format-newline-fill": '{{ "{:\\n>3}".format(1) | length }}',
    "format-nested": '[{{ "{:{w}.{p}f}".format(3.14159, w=8, p=2) }}]',
    "format-repeat": '{{ "{0}-{0}".format("ab") }} {{ "{0!r}".format("q") }}',
    "format-decimal": '{{ "{:.2f}".format(price) }}',
    "percent": '{{ "%(a(b)c)s|%(n)5.1f" % {"a(b)c": "x", "n": 2} }} {{ "%s-%s" % (1, "a") }} '
    '{{ "%x|%.2f|%d" % (255, 1e300, 7) | length }}',
    "percent-list": '{{ "%s" % [[1, "a"]] }}',
    "round": "{{ 3.14159 | round(2) }} {{ 2.5 | round }} {{ '1e5' | round }} {{ 7 | round('1') }}",
    "decimal": "{{ 1 | decimal('3') }} {{ 1234.5 | format_number(2) }} {{ '42' | decimal }}",
    "batch-slice": "{{ [1, 2, 3, 4] | batch(3) }} {{ [1, 2, 3] | batch('2', 0) }} "
    "{{ [1, 2, 3] | slice('2') }}",
    "tojson": '{{ {"a": [1, "<b>"]} | tojson }} {{ [1, [2]] | tojson(indent=2) }} '
    '{{ [1] | tojson(indent="\\t") }}',
    "string": '{{ [1, "a", {"k": None}] | string }} {{ str([1.5, True]) }} {{ str() }}',
    "output": '{{ [1, "a"] }} {{ {"k": (1, 2)} }} {{ none_value }}',
    "concat": '{{ [1] ~ "x" ~ 2 }} {{ "a" + "b" }} {{ [1] + [2] }} {{ "n" + 1 }}',
    "join": '{{ [[1, 2], "a"] | join(", ") }} {{ [[1, 2], [3]] | join(",", attribute="0") }} '
    '{{ ",".join(["a", "b"]) }}',
    "markup-join": '{{ Markup("<br>").join(["<a>", [1]]) }}',
    "translate": '{{ "abc".translate({97: "xy", 98: None}) }} {{ "ab".translate(["z"] * 128) }}',
    "to-bytes": '{{ (258).to_bytes(2, "big") }} {{ (1).to_bytes() }}',
    "sum": "{{ sum([1, 2, 3]) }} {{ sum([[1], [2]], []) }} {{ sum([(1,), (2,)], ()) }} "
    "{{ [[1], [2]] | sum(start=[]) }} "
    '{{ [{"v": [1]}, {"v": [2]}] | sum(attribute="v", start=[]) }}',
    "text-filters": '{{ [1, 2] | upper }} {{ ["a"] | length }} {{ "x" | center(5) }} '
    '{{ "a\\nb" | indent(2) }} {{ ["a"] | replace("a", "b") }}',
    "pprint": '{{ {"a": [1, 2, {"b": "x" * 30}], "c": range(30) | list} | pprint }}',
    "not-a-regex-test": '{{ "abc" is string }} {{ "a" in "abc" }}',
}


def _legit_context() -> dict[str, Any]:
    return {"Markup": Markup, "price": Decimal("3.14159"), "none_value": None}


@pytest.mark.parametrize("source", LEGIT.values(), ids=LEGIT.keys())
def test_legitimate_uses_render_as_without_the_sandbox(source: str) -> None:
    expected = Environment().from_string(source).render(**_legit_context())
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_output_size=10_000))
    assert env.from_string(source).render(**_legit_context()) == expected


def test_match_works_when_the_policy_allows_regex() -> None:
    source = '{{ "abc" is match("a.c") }} {{ ["ab", "b"] | select("match", "a") | list }}'
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(allow_regex=True))
    assert env.from_string(source).render() == "True [&#39;ab&#39;]"
    assert SandboxPolicy().allow_regex is False


def test_sum_of_lists_is_linear_and_keeps_the_type() -> None:
    env = SandboxedEnvironment()
    assert env.from_string("{{ sum([[1], [2, 3]], [0]) }}").render() == "[0, 1, 2, 3]"
    with pytest.raises(Exception, match="can only concatenate list"):
        env.from_string("{{ sum([[1], (2,)], []) }}").render()
