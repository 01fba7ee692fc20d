"""Introspection of flat but very long templates: long operator, filter and elif chains.

The parser builds such chains as deeply nested trees (``a + b + c`` is
``(a + b) + c``); they compile and render, so analysing them must work too,
with the same results a short chain gives.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kida import Environment, FileSystemLoader
from kida.composition import get_structure
from kida_analysis import Analyzer, TemplateAnalysisError
from kida_core.errors import TemplateError
from kida_core.parser import parse
from kida_core.references import template_references

LONG = 1500


def chain(operator: str, term: str = "x", count: int = LONG) -> str:
    """``term <operator> term ...`` with ``count`` terms."""
    return f" {operator} ".join([term] * count)


def template(source: str, **options: object) -> object:
    return Environment(**options).from_string(source, name="t.html")  # type: ignore[arg-type]


def test_a_long_plus_chain_requires_its_one_name() -> None:
    t = template("{{ " + chain("+") + " }}")
    assert t.render(x=1) == str(LONG)
    assert t.required_context() == {"x"}


def test_a_long_concat_chain_depends_on_its_paths() -> None:
    terms = " ~ ".join(f"page.part{i % 3}" for i in range(LONG))
    assert template("{{ " + terms + " }}").depends_on() == {
        "page.part0",
        "page.part1",
        "page.part2",
    }


def test_a_long_chain_mixing_concat_and_arithmetic_requires_every_name() -> None:
    terms = " ~ ".join(f"a{i} + b{i} * 2" for i in range(LONG // 2))
    expected = {f"{root}{i}" for i in range(LONG // 2) for root in ("a", "b")}
    assert template("{{ " + terms + " }}").required_context() == expected


def test_long_and_or_chains_require_every_operand() -> None:
    terms = " or ".join(f"x{i} and y{i}" for i in range(LONG // 2))
    expected = {f"{root}{i}" for i in range(LONG // 2) for root in ("x", "y")}
    assert template("{% if " + terms + " %}yes{% end %}").required_context() == expected


def test_a_long_comparison_chain_requires_every_operand() -> None:
    terms = " < ".join(f"n{i}" for i in range(LONG))
    assert template("{{ " + terms + " }}").required_context() == {f"n{i}" for i in range(LONG)}


def test_a_thousand_elifs_in_a_block_collect_every_branch() -> None:
    branches = "".join(f"{{% elif n == {i} %}}<nav>{{{{ item{i} }}}}" for i in range(1, 1000))
    t = template("{% block menu %}{% if n == 0 %}zero" + branches + "{% end %}{% end %}")
    block = t.block_metadata()["menu"]
    assert block.depends_on == {"n", *(f"item{i}" for i in range(1, 1000))}
    assert (block.is_pure, block.inferred_role, block.emits_landmarks) == (
        "pure",
        "navigation",
        frozenset({"nav"}),
    )


def test_a_long_filter_pipeline_keeps_its_purity() -> None:
    steps = " | upper | trim" * 99
    t = template("{% block b %}{{ title" + steps + " | shuffle }}{% end %}")
    block = t.block_metadata()["b"]
    assert (block.depends_on, block.is_pure, block.cache_scope) == ({"title"}, "impure", "none")


def test_a_long_attribute_chain_is_one_path() -> None:
    t = template("{{ site" + ".child" * 250 + " }}")
    assert t.depends_on() == {"site" + ".child" * 250}


def test_a_local_set_to_a_long_chain_carries_its_reads_into_a_block() -> None:
    t = template("{% let total = " + chain("-", "price") + " %}{% block b %}{{ total }}{% end %}")
    assert t.block_metadata()["b"].depends_on == {"price"}


def test_def_metadata_of_a_def_with_long_chains() -> None:
    source = (
        "{% def row(a=" + chain("+", "base") + ") %}"
        "{{ a ~ " + chain("~", "caller('cell')") + " }}{% slot %}{% end %}"
    )
    found = template(source).def_metadata()["row"]
    assert (found.depends_on, found.slots, found.has_default_slot) == (
        {"base"},
        ("cell",),
        True,
    )


def test_the_hash_of_a_block_with_a_long_chain_is_its_canonical_form() -> None:
    # canonical text of ``{{ x + x + ... }}`` built by hand, left-nested as parsed
    name = "Name(name='x')"
    expression = name
    for _ in range(LONG - 1):
        expression = f"BinOp(op='+',left={expression},right={name})"
    text = (
        f"Block(body=(Output(expr={expression})),condition=None,modifiers=(),"
        "fragment=False,scoped=False,required=False)"
    )
    t = template("{% block b %}{{ " + chain("+") + " }}{% end %}")
    assert t.block_metadata()["b"].block_hash == hashlib.sha256(text.encode()).hexdigest()[:16]


def test_structure_of_templates_on_disk_with_long_chains(tmp_path: Path) -> None:
    (tmp_path / "base.html").write_text(
        "{% block head %}{{ " + chain("~", "site.name") + " }}{% end %}{% block body %}{% end %}"
    )
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% block body %}{{ ' + chain("*", "page.count") + " }}{% end %}"
    )
    env = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=False)
    manifest = get_structure(env, "page.html")
    assert manifest is not None
    assert (manifest.extends, manifest.block_names, manifest.dependencies) == (
        "base.html",
        ("head", "body"),  # the parent's blocks first
        frozenset({"page.count", "site.name"}),
    )


def test_compiling_with_call_validation_walks_a_long_chain() -> None:
    source = "{% def card(title) %}{{ title }}{% end %}{{ card(" + chain("+") + ") }}"
    t = template(source, validate_calls=True)
    assert t.render(x=1) == str(LONG)


def test_a_long_chain_partly_folded_by_a_static_context_requires_the_rest() -> None:
    terms = " + ".join(["x", *["n"] * (LONG - 1)])
    t = template("{{ " + terms + " }}", static_context={"n": 1})
    assert t.required_context() == {"x"}


def test_template_references_of_a_long_template() -> None:
    source = "{{ " + chain("+") + ' }}{% include "card.html" %}'
    [reference] = template_references(parse(source))
    assert (reference.kind, reference.names) == ("include", ("card.html",))


def test_a_long_chain_of_defs_calling_defs_reaches_the_last_one() -> None:
    depth = 600  # the recursive walk gave up before 200
    defs = "".join(f"{{% def d{i}() %}}{{{{ d{i + 1}() }}}}{{% end %}}" for i in range(depth))
    t = template(defs + f"{{% def d{depth}() %}}{{{{ x }}}}{{% end %}}{{{{ d0() }}}}")
    assert t.def_metadata()["d0"].depends_on == {"x"}


def test_running_out_of_stack_while_linking_is_a_template_error() -> None:
    def resolve(name: str, caller: str | None) -> None:
        raise RecursionError

    tree = parse('{% include "card.html" %}', name="t.html")
    with pytest.raises(TemplateAnalysisError) as caught:
        Analyzer().analyze(tree, "t.html", resolve=resolve)
    assert isinstance(caught.value, TemplateError)
    assert caught.value.message == (
        "cannot analyse template 't.html': its includes or extends chain nest too deeply to follow"
    )
