"""The scope model: binding declarations on nodes, the symbols module, the visitors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from kida_core import Environment
from kida_core import nodes as n
from kida_core.compiler.partial_eval import partial_evaluate
from kida_core.filters import BUILTIN_PURE_FILTERS, DEFAULT_FILTERS
from kida_core.parser import parse
from kida_core.symbols import (
    ScopeKind,
    bound_names,
    free_names,
    inner_names,
    names_bindable_in,
    scope_kind,
    scope_parts,
)
from kida_core.visitor import NodeTransformer, NodeVisitor


def first(source: str) -> n.Node:
    """The first statement of a parsed template."""
    return parse(source).body[0]


def find(source: str, kind: type[n.Node]) -> n.Node:
    """The first node of type ``kind`` in a parsed template."""
    return next(node for node in n.walk(parse(source)) if isinstance(node, kind))


def render(source: str, static: dict[str, object] | None = None, **context: object) -> str:
    return Environment(static_context=static).from_string(source).render(**context)


# -- names bound where a node stands ------------------------------------------------------


def test_set_binds_every_assignment() -> None:
    assert bound_names(first("{% set a = 1, b = 2 %}")) == ["a", "b"]


def test_let_and_export_bind_their_targets() -> None:
    assert bound_names(first("{% let a = 1 %}")) == ["a"]
    assert bound_names(first("{% export b = 1 %}")) == ["b"]


def test_capture_binds_its_name() -> None:
    assert bound_names(first("{% capture out %}x{% end %}")) == ["out"]


def test_def_binds_its_name_where_it_stands() -> None:
    assert bound_names(first("{% def card(title) %}{{ title }}{% end %}")) == ["card"]


def test_region_binds_its_name_where_it_stands() -> None:
    assert bound_names(first("{% region nav(page) %}{{ page }}{% end %}")) == ["nav"]


def test_import_binds_its_alias() -> None:
    assert bound_names(first('{% import "forms.html" as forms %}')) == ["forms"]


def test_from_import_binds_aliases_or_names() -> None:
    node = first('{% from "forms.html" import field, button as btn %}')
    assert bound_names(node) == ["field", "btn"]


def test_statements_without_bindings_bind_nothing() -> None:
    assert bound_names(first("{% if a %}{% set b = 1 %}{% end %}")) == []


# -- names bound in the scope a node opens ------------------------------------------------


def test_for_binds_its_target_and_loop_inside() -> None:
    node = first("{% for item in items %}{% end %}")
    assert (bound_names(node), inner_names(node)) == ([], ["item", "loop"])


def test_tuple_targets_are_expanded_in_order() -> None:
    node = first("{% for a, (b, c) in rows %}{% end %}")
    assert inner_names(node, implicit=False) == ["a", "b", "c"]


def test_set_tuple_targets_are_expanded() -> None:
    assert bound_names(first("{% set a, b = 1, 2 %}")) == ["a", "b"]


def test_with_binds_its_names_inside() -> None:
    node = first("{% with a = 1, b = 2 %}{% end %}")
    assert (bound_names(node), inner_names(node)) == ([], ["a", "b"])


def test_conditional_with_binds_its_targets_inside() -> None:
    assert inner_names(first("{% with user, site as u, s %}{% end %}")) == ["u", "s"]


def test_match_case_captures_names_but_not_the_wildcard() -> None:
    case = find("{% match p %}{% case (x, _, 3) %}{% end %}", n.MatchCase)
    assert inner_names(case) == ["x"]


def test_def_binds_parameters_and_callers_inside() -> None:
    node = first("{% def f(a, b=1, *rest, **opts) %}{% end %}")
    assert inner_names(node) == ["a", "b", "rest", "opts", "caller", "has_slot"]


def test_fallback_binds_the_error_name_inside() -> None:
    assert inner_names(first("{% try %}x{% fallback err %}{{ err }}{% end %}")) == ["err"]


def test_list_comprehension_binds_its_target_inside() -> None:
    assert inner_names(find("{{ [x for x in xs] }}", n.ListComp)) == ["x"]


# -- scope kinds, hoisting, setup ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("{% for x in xs %}{% end %}", ScopeKind.LOOP),
        ("{% if a %}{% end %}", ScopeKind.BRANCH),
        ("{% with a = 1 %}{% end %}", ScopeKind.BLOCK),
        ("{% def f() %}{% end %}", ScopeKind.FUNCTION),
        ("{% set a = 1 %}", None),
    ],
)
def test_scope_kind_is_declared_on_the_node(source: str, kind: ScopeKind | None) -> None:
    assert scope_kind(first(source)) is kind


def test_setup_statements_are_declared() -> None:
    setup = {cls.__name__ for cls in _node_classes() if cls.setup}
    assert setup == {
        "Set",
        "Capture",
        "NamespaceSet",
        "NamespaceCapture",
        "Def",
        "Macro",
        "Region",
        "Import",
        "FromImport",
        "Globals",
    }


def test_scope_parts_split_a_loop_around_its_scope() -> None:
    node = first("{% for x in xs if x %}A{% else %}B{% end %}")
    assert isinstance(node, n.For)
    parts = scope_parts(node)
    assert (parts.before, parts.inside, parts.after) == (
        [node.iter],
        [node.test, *node.body],
        list(node.else_),
    )


# -- free names ------------------------------------------------------------------------------


def test_free_names_of_an_expression() -> None:
    expr = find("{{ a.b + c[d] | join(e) }}", n.Output)
    assert free_names(expr) == {"a", "c", "d", "e"}


def test_comprehension_targets_are_not_free() -> None:
    assert free_names(find("{{ [x + y for x in xs] }}", n.Output)) == {"y", "xs"}


def test_loop_names_are_not_free_inside_the_loop_only() -> None:
    tree = parse("{% for x in xs %}{{ x ~ loop.index }}{% end %}{{ x }}")
    assert free_names(tree) == {"xs", "x"}


def test_a_set_binds_from_where_it_stands() -> None:
    assert free_names(parse("{{ a }}{% set a = 1 %}{{ a }}{% set b = b %}")) == {"a", "b"}


def test_a_set_inside_a_block_ends_with_the_block() -> None:
    assert free_names(parse("{% if c %}{% set a = 1 %}{{ a }}{% end %}{{ a }}")) == {"c", "a"}


def test_an_else_body_is_a_scope_of_its_own() -> None:
    source = "{% for x in xs %}{% else %}{% set a = 1 %}{{ a }}{% end %}{{ a }}"
    assert free_names(parse(source)) == {"xs", "a"}


def test_each_branch_is_a_scope_of_its_own() -> None:
    source = "{% if c %}{% set a = 1 %}{% else %}{{ a }}{% end %}"
    assert free_names(parse(source)) == {"c", "a"}


def test_pattern_values_are_read_and_captures_are_not() -> None:
    tree = parse("{% match p %}{% case (x, cfg.limit) %}{{ x }}{% case y %}{{ y }}{% end %}")
    assert free_names(tree) == {"p", "cfg"}


def test_bindable_names_cover_every_scope_and_the_implicit_names() -> None:
    tree = parse("{% for a in xs %}{% set b = 1 %}{% end %}{% from 'f' import c as d %}")
    # The implicit names of every scope: loop, def and macro bodies.
    implicit = {"loop", "caller", "has_slot", "varargs", "kwargs"}
    assert names_bindable_in(tree) == {"a", "b", "d", *implicit}


# -- partial evaluation agrees with the compiler --------------------------------------------


def fold(source: str, static: dict[str, object]) -> n.TemplateNode:
    return partial_evaluate(
        parse(source), static, filters=DEFAULT_FILTERS, pure_filters=BUILTIN_PURE_FILTERS
    )


def test_a_loop_variable_shadowing_a_static_name_is_not_folded() -> None:
    source = "{% for x in [5] %}{{ x }}{% end %}{{ x }}"
    names = [node.name for node in n.walk(fold(source, {"x": 1})) if isinstance(node, n.Name)]
    assert names == ["x", "x", "x"]
    assert render(source, {"x": 1}) == render(source, x=1) == "51"


@pytest.mark.filterwarnings("ignore:.*block-scoped")
def test_a_set_inside_a_block_keeps_the_outer_static_value_after_it() -> None:
    source = "{% if flag %}{% set y = 2 %}{{ y }}{% end %}{{ y }}"
    assert render(source, {"y": 1, "flag": True}) == render(source, y=1, flag=True) == "21"


@pytest.mark.filterwarnings("ignore:.*block-scoped")
def test_a_chosen_branch_binding_names_stays_in_its_own_scope() -> None:
    tree = fold("{% if true %}{% set y = 2 %}{% end %}{{ y }}", {})
    assert isinstance(tree.body[0], n.If)
    assert render("{% if true %}{% set y = 2 %}{% end %}{{ y }}", y=1) == "1"


def test_a_chosen_branch_without_bindings_is_inlined() -> None:
    tree = fold("{% if true %}{% for y in ys %}{{ y }}{% end %}{% end %}", {})
    assert isinstance(tree.body[0], n.For)


# -- adding a binding tag --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias(n.Stmt):
    """A made-up ``{% alias name = value %}`` tag: declared, nothing else to change."""

    binds: ClassVar[tuple[str, ...]] = ("name",)

    name: str
    value: n.Expr


def test_a_new_binding_tag_only_needs_its_declaration() -> None:
    node = Alias(name="short", value=n.Name(name="long", lineno=1), lineno=1)
    tree = n.TemplateNode(
        body=(node, n.Output(expr=n.Name(name="short", lineno=1), lineno=1)), lineno=1
    )
    assert bound_names(node) == ["short"]
    assert free_names(tree) == {"long"}
    assert "short" in names_bindable_in(tree)


# -- visitor and transformer -----------------------------------------------------------------


class NameCollector(NodeVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: n.Name) -> tuple[()]:
        self.names.append(node.name)
        return ()


def test_visitor_calls_methods_in_source_order() -> None:
    collector = NameCollector()
    collector.visit(parse("{{ a }}{% if b %}{{ c(d) }}{% end %}"))
    assert collector.names == ["a", "b", "c", "d"]


def test_visitor_walks_chains_deeper_than_the_recursion_limit() -> None:
    tree = parse("{{ " + " + ".join(["x"] * 5000) + " }}")
    collector = NameCollector()
    collector.visit(tree)
    assert len(collector.names) == 5000


class Upper(NodeTransformer):
    def transform_Name(self, node: n.Name) -> n.Node:
        return n.Name(name=node.name.upper(), lineno=node.lineno)

    def transform_If(self, node: n.If) -> list[n.Node]:
        return list(node.body)


def test_transformer_rebuilds_bottom_up_and_splices_lists() -> None:
    tree = Upper().transform(parse("{% if a %}{{ b }}{% end %}{{ c }}"))
    assert isinstance(tree, n.TemplateNode)
    outputs = [node.expr for node in tree.body if isinstance(node, n.Output)]
    assert [e.name for e in outputs if isinstance(e, n.Name)] == ["B", "C"]


def test_transformer_leaves_binding_targets_alone() -> None:
    tree = Upper().transform(parse("{% for x in xs %}{{ x }}{% end %}"))
    assert isinstance(tree, n.TemplateNode)
    loop = tree.body[0]
    assert isinstance(loop, n.For)
    assert (loop.target, loop.iter) == (
        n.Name(name="x", lineno=1, col_offset=7),
        n.Name(name="XS", lineno=1),
    )


def test_transformer_keeps_unchanged_trees() -> None:
    tree = parse("{% for x in xs %}{{ 1 }}{% end %}")
    assert NodeTransformer().transform(tree) is tree


def _node_classes() -> list[type[n.Node]]:
    classes: list[type[n.Node]] = []
    pending: list[type[n.Node]] = [n.Node]
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending.extend(c for c in cls.__subclasses__() if c.__module__ == n.__name__)
    return classes
