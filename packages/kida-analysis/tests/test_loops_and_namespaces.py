"""Analysis of recursive loops and namespace writes."""

from __future__ import annotations


def block(analyze, body: str):
    return analyze("{% block b %}" + body + "{% end %}", None, None).blocks["b"]


def test_a_recursive_loop_is_as_pure_as_its_body(analyze) -> None:
    meta = block(
        analyze, "{% for n in nav recursive %}{{ n.title }}{{ loop(n.children) }}{% end %}"
    )
    assert meta.is_pure == "pure"
    assert meta.depends_on == frozenset({"nav"})


def test_calling_a_plain_loop_variable_stays_unknown(analyze) -> None:
    meta = block(analyze, "{% for n in nav %}{% set l = loop %}{{ l(n) }}{% end %}")
    assert meta.is_pure == "unknown"


def test_namespace_cycler_and_joiner_are_pure(analyze) -> None:
    body = "{% set ns = namespace(n=0) %}{% set c = cycler(1, 2) %}{% set j = joiner() %}{{ ns.n }}"
    assert block(analyze, body).is_pure == "pure"


def test_a_namespace_write_reads_the_namespace_and_the_value(analyze) -> None:
    meta = block(analyze, "{% set ns.total = cart.total %}")
    assert meta.depends_on == frozenset({"ns", "cart.total"})


def test_reading_a_namespace_counts_what_was_written_into_it(analyze) -> None:
    source = (
        "{% set ns = namespace(total=0) %}"
        "{% if cart %}{% set ns.total = cart.total %}{% end %}"
        "{% set ns.label %}{{ site.currency }}{% end %}"
        "{% block total %}{{ ns.total }}{{ ns.label }}{% end %}"
    )
    meta = analyze(source, None, None).blocks["total"]
    assert meta.depends_on == frozenset({"cart.total", "site.currency"})
