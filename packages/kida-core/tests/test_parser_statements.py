"""Statement parsing: every core tag, its closers and the nodes it produces."""

from __future__ import annotations

import pytest

from kida_core import nodes as n
from kida_core.errors import ErrorCode, TemplateSyntaxError
from kida_core.lexer import LexerConfig
from kida_core.nodes import (
    Assign,
    Break,
    Capture,
    Compare,
    Const,
    Continue,
    Data,
    Filter,
    FilterBlock,
    FilterCall,
    Flush,
    For,
    If,
    Match,
    MatchCase,
    Name,
    Node,
    NullCoalesce,
    Output,
    Set,
    Spaceless,
    TemplateDecl,
    TemplateNode,
    TupleExpr,
    UnaryOp,
    While,
    With,
    WithCond,
)
from kida_core.parser import parse


def only(source: str) -> Node:
    """The single node a template parses to."""
    (node,) = parse(source).body
    return node


def names(node: Node) -> object:
    """A Name / TupleExpr of names as a plain string or nested tuple."""
    if isinstance(node, Name):
        return node.name
    assert isinstance(node, TupleExpr)
    return tuple(names(item) for item in node.items)


def text(body: tuple[Node, ...]) -> str:
    """Concatenated Data of a body (other nodes shown as ``<Type>``)."""
    return "".join(b.value if isinstance(b, Data) else f"<{type(b).__name__}>" for b in body)


# -- template root ------------------------------------------------------------


def test_template_node_holds_body_and_name() -> None:
    root = parse("hi {{ x }}", name="page.html")
    assert isinstance(root, TemplateNode)
    assert root.name == "page.html"
    assert [type(b) for b in root.body] == [Data, Output]


def test_parse_accepts_a_lexer_config() -> None:
    root = parse("<% if a %>x<% end %>", config=LexerConfig(block_start="<%", block_end="%>"))
    assert isinstance(root.body[0], If)


def test_comments_leave_no_node() -> None:
    assert text(parse("a{# note #}b").body) == "ab"


# -- if / unless --------------------------------------------------------------


def test_if_elif_else() -> None:
    node = only("{% if a %}A{% elif b %}B{% elif c %}C{% else %}D{% end %}")
    assert isinstance(node, If)
    assert names(node.test) == "a"
    assert text(node.body) == "A"
    assert [(names(t), text(b)) for t, b in node.elifs] == [("b", "B"), ("c", "C")]
    assert text(node.else_) == "D"


@pytest.mark.parametrize("closer", ["end", "endif"])
def test_if_closers(closer: str) -> None:
    assert isinstance(only("{% if a %}x{% " + closer + " %}"), If)


def test_nested_blocks_close_innermost_first() -> None:
    node = only("{% if a %}{% for x in y %}{% end %}{% endif %}")
    assert isinstance(node, If) and isinstance(node.body[0], For)


def test_statement_position_is_the_opening_delimiter() -> None:
    node = parse("x\n  {% if a %}{% end %}").body[1]
    assert (node.lineno, node.col_offset) == (2, 2)


@pytest.mark.parametrize("closer", ["end", "endunless", "endif"])
def test_unless_is_if_not(closer: str) -> None:
    node = only("{% unless a %}x{% else %}y{% " + closer + " %}")
    assert isinstance(node, If)
    assert isinstance(node.test, UnaryOp) and node.test.op == "not"
    assert names(node.test.operand) == "a"
    assert (text(node.body), text(node.else_)) == ("x", "y")


# -- for / while / break / continue -------------------------------------------


def test_for_loop() -> None:
    node = only("{% for x in items %}{{ x }}{% endfor %}")
    assert isinstance(node, For)
    assert (names(node.target), names(node.iter)) == ("x", "items")
    assert not node.is_async and node.test is None and node.else_ == ()


def test_for_tuple_target() -> None:
    node = only("{% for k, v in d.items() %}{% end %}")
    assert isinstance(node, For) and names(node.target) == ("k", "v")


def test_for_nested_tuple_target() -> None:
    node = only("{% for i, (k, v) in pairs %}{% end %}")
    assert isinstance(node, For) and names(node.target) == ("i", ("k", "v"))


def test_for_inline_filter() -> None:
    node = only("{% for u in users if u.active %}{% end %}")
    assert isinstance(node, For) and node.test is not None
    assert names(node.iter) == "users"


@pytest.mark.parametrize("keyword", ["else", "empty"])
def test_for_else_and_empty(keyword: str) -> None:
    node = only("{% for x in xs %}a{% " + keyword + " %}none{% end %}")
    assert isinstance(node, For) and text(node.else_) == "none"


def test_for_iterable_may_use_null_coalesce() -> None:
    node = only("{% for x in maybe ?? [] if x %}{% end %}")
    assert isinstance(node, For) and isinstance(node.iter, NullCoalesce)
    assert names(node.test) == "x"


def test_async_for() -> None:
    node = only("{% async for x in stream() if x %}{% empty %}-{% endfor %}")
    assert isinstance(node, For) and node.is_async and text(node.else_) == "-"


@pytest.mark.parametrize("closer", ["end", "endwhile"])
def test_while(closer: str) -> None:
    node = only("{% while n < 3 %}x{% " + closer + " %}")
    assert isinstance(node, While) and isinstance(node.test, Compare)


def test_break_and_continue_inside_loops() -> None:
    node = only("{% for x in xs %}{% if x %}{% break %}{% else %}{% continue %}{% end %}{% end %}")
    assert isinstance(node, For)
    inner = node.body[0]
    assert isinstance(inner, If)
    assert isinstance(inner.body[0], Break) and isinstance(inner.else_[0], Continue)


def test_break_inside_while() -> None:
    node = only("{% while true %}{% break %}{% end %}")
    assert isinstance(node, While) and isinstance(node.body[0], Break)


# -- set / let / export / promote / capture -------------------------------------


@pytest.mark.parametrize("scope", ["set", "let", "export"])
def test_assignment_scopes(scope: str) -> None:
    node = only("{% " + scope + " x = 1 %}")
    assert isinstance(node, Set) and node.scope == scope
    (assign,) = node.assignments
    assert names(assign.target) == "x" and not assign.coalesce
    assert isinstance(assign.value, Const) and assign.value.value == 1


def test_promote_is_export() -> None:
    node = only("{% promote total = total + 1 %}")
    assert isinstance(node, Set) and node.scope == "export"


def test_multiple_assignments() -> None:
    node = only("{% set a = 1, b = c | f %}")
    assert isinstance(node, Set)
    assert [names(a.target) for a in node.assignments] == ["a", "b"]
    assert isinstance(node.assignments[1].value, Filter)


def test_tuple_target_assignment() -> None:
    node = only("{% let a, b = pair %}")
    assert isinstance(node, Set) and names(node.assignments[0].target) == ("a", "b")


def test_coalescing_assignment() -> None:
    node = only("{% set a ??= 1, b = 2 %}")
    assert isinstance(node, Set)
    assert [a.coalesce for a in node.assignments] == [True, False]


def test_assignment_value_may_be_a_ternary() -> None:
    node = only("{% set x = a if b else c %}")
    assert isinstance(node, Set) and isinstance(node.assignments[0], Assign)


@pytest.mark.parametrize("closer", ["end", "endset"])
def test_block_set_is_a_capture(closer: str) -> None:
    node = only("{% set x %}<b>{{ y }}</b>{% " + closer + " %}")
    assert isinstance(node, Capture) and node.name == "x"
    assert text(node.body) == "<b><Output></b>"


def test_block_set_with_filter() -> None:
    node = only("{% set x | trim %} a {% end %}")
    assert isinstance(node, Capture) and [f.name for f in node.filters] == ["trim"]


@pytest.mark.parametrize("closer", ["end", "endcapture"])
def test_capture(closer: str) -> None:
    node = only("{% capture out %}hi{% " + closer + " %}")
    assert isinstance(node, Capture) and (node.name, text(node.body)) == ("out", "hi")
    assert node.filters == ()


def test_capture_with_filter_chain() -> None:
    node = only("{% capture out | trim | truncate(10, end='…') %}x{% end %}")
    assert isinstance(node, Capture)
    trim, truncate = node.filters
    assert isinstance(trim, FilterCall) and trim.name == "trim"
    assert truncate.name == "truncate" and len(truncate.args) == 1
    assert truncate.kwargs[0].name == "end"


# -- with ----------------------------------------------------------------------


def test_with_assignment_form() -> None:
    node = only("{% with a = 1, b = x.y %}{{ a }}{% endwith %}")
    assert isinstance(node, With)
    assert [names(a.target) for a in node.assignments] == ["a", "b"]


def test_with_conditional_form_binds_it() -> None:
    node = only("{% with user %}{{ it }}{% end %}")
    assert isinstance(node, WithCond) and node.targets == ("it",)


def test_with_conditional_form_with_names_and_else() -> None:
    node = only("{% with a, b.c as x, y %}ok{% empty %}no{% end %}")
    assert isinstance(node, WithCond)
    assert node.targets == ("x", "y") and len(node.values) == 2
    assert (text(node.body), text(node.else_)) == ("ok", "no")


def test_with_single_value_as_name() -> None:
    node = only("{% with page?.author ?? none as author %}{% else %}anon{% end %}")
    assert isinstance(node, WithCond) and node.targets == ("author",)
    assert isinstance(node.values[0], NullCoalesce)


# -- match ---------------------------------------------------------------------


def test_match_with_tuple_subject_patterns_and_guard() -> None:
    node = only(
        "{% match parcel.state, parcel.eta %}\n"
        '  {% case "queued", _ %}Waiting\n'
        '  {% case "moving", eta if eta %}Arrives\n'
        "  {% case _ %}Unknown\n"
        "{% end %}"
    )
    assert isinstance(node, Match) and isinstance(node.subject, TupleExpr)
    first, second, third = node.cases
    assert isinstance(first, MatchCase) and isinstance(first.pattern, TupleExpr)
    assert isinstance(second.pattern, TupleExpr) and names(second.guard) == "eta"
    assert names(third.pattern) == "_" and third.guard is None
    assert text(first.body).strip() == "Waiting"


def test_match_case_positions_are_the_case_tags() -> None:
    node = only("{% match x %}\n{% case 1 %}one{% end %}")
    assert isinstance(node, Match) and node.cases[0].lineno == 2


def test_valueless_match() -> None:
    node = only("{% match %}{% case _ if a > 1 %}big{% case _ %}small{% endmatch %}")
    assert isinstance(node, Match) and node.subject is None
    assert [c.guard is not None for c in node.cases] == [True, False]


def test_match_literal_and_capture_patterns() -> None:
    node = only("{% match x %}{% case -1 %}neg{% case [1, 2] %}l{% case other %}{% end %}")
    assert isinstance(node, Match)
    assert [type(c.pattern).__name__ for c in node.cases] == ["Const", "ListExpr", "Name"]


# -- filter, spaceless, flush, raw, template ----------------------------------------


@pytest.mark.parametrize("closer", ["end", "endfilter"])
def test_filter_block(closer: str) -> None:
    node = only("{% filter truncate(20) | upper %}text{% " + closer + " %}")
    assert isinstance(node, FilterBlock)
    assert [f.name for f in node.filters] == ["truncate", "upper"]
    assert text(node.body) == "text"


@pytest.mark.parametrize("closer", ["end", "endspaceless"])
def test_spaceless(closer: str) -> None:
    node = only("{% spaceless %}<a> </a>{% " + closer + " %}")
    assert isinstance(node, Spaceless) and text(node.body) == "<a> </a>"


def test_flush() -> None:
    assert isinstance(only("{% flush %}"), Flush)


def test_raw_body_becomes_data() -> None:
    assert only("{% raw %}{{ x }}{% endraw %}") == Data(value="{{ x }}", lineno=1, col_offset=9)


def test_template_declaration() -> None:
    node = only("{% template page: Page, site, items: list[Item] | None %}")
    assert isinstance(node, TemplateDecl)
    assert node.names == (("page", "Page"), ("site", None), ("items", "list[Item] | None"))


# -- output --------------------------------------------------------------------


def test_output_whitespace_control_keeps_expression() -> None:
    node = parse("a {{- -x -}} b").body[1]
    assert isinstance(node, Output) and isinstance(node.expr, UnaryOp)


def test_output_of_a_filtered_comparison() -> None:
    node = only("{{ n > 1 | int }}")
    assert isinstance(node, Output) and isinstance(node.expr, Compare)


# -- references to other templates (parsed now; rendered by a later release) --


def test_extends_takes_any_expression() -> None:
    (node,) = parse("{% extends layout ~ '.html' %}").body
    assert isinstance(node, n.Extends)
    assert isinstance(node.template, n.BinOp)


def test_include_defaults_to_with_context_and_not_ignoring_missing() -> None:
    (node,) = parse('{% include "card.html" %}').body
    assert isinstance(node, n.Include)
    assert (node.with_context, node.ignore_missing) == (True, False)


def test_include_clauses_in_either_order() -> None:
    for source in (
        '{% include "a.html" ignore missing without context %}',
        '{% include "a.html" without context ignore missing %}',
    ):
        (node,) = parse(source).body
        assert isinstance(node, n.Include)
        assert (node.with_context, node.ignore_missing) == (False, True)


def test_include_accepts_a_list_of_candidates() -> None:
    (node,) = parse('{% include ["a.html", "b.html"] %}').body
    assert isinstance(node, n.Include)
    assert isinstance(node.template, n.ListExpr)


def test_include_with_arguments_is_rejected_with_a_let_hint() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        parse('{% include "a.html" with title="x" %}')
    assert info.value.code is ErrorCode.UNSUPPORTED_SYNTAX
    assert "let" in (info.value.suggestion or "")


def test_include_only_is_rejected() -> None:
    with pytest.raises(TemplateSyntaxError, match="only"):
        parse('{% include "a.html" only %}')


def test_import_binds_a_namespace_without_context_by_default() -> None:
    (node,) = parse('{% import "forms.html" as forms %}').body
    assert isinstance(node, n.Import)
    assert (node.target, node.with_context) == ("forms", False)


def test_import_with_context() -> None:
    (node,) = parse('{% import "forms.html" as forms with context %}').body
    assert isinstance(node, n.Import)
    assert node.with_context is True


def test_import_requires_as() -> None:
    with pytest.raises(TemplateSyntaxError, match="expected 'as'"):
        parse('{% import "forms.html" %}')


def test_from_import_names_and_aliases() -> None:
    (node,) = parse('{% from "forms.html" import field, button as btn with context %}').body
    assert isinstance(node, n.FromImport)
    assert node.names == (("field", None), ("button", "btn"))
    assert node.with_context is True


def test_from_requires_import() -> None:
    with pytest.raises(TemplateSyntaxError, match="expected 'import'"):
        parse('{% from "forms.html" field %}')


# -- inheritance: block, fragment, globals ---------------------------------------


def test_block_with_each_closer() -> None:
    for closer in ("end", "endblock", "endblock content"):
        node = only("{% block content %}hi {{ x }}{% " + closer + " %}")
        assert isinstance(node, n.Block)
        assert (node.name, text(node.body), node.condition, node.modifiers) == (
            "content",
            "hi <Output>",
            None,
            (),
        )
        assert node.fragment is False


def test_block_condition() -> None:
    node = only("{% block aside if show_aside and user %}x{% end %}")
    assert isinstance(node, n.Block)
    assert isinstance(node.condition, n.BoolOp)


def test_block_modifiers_keep_order_literal_values_and_positions() -> None:
    node = only(
        '{% block chart mode="live" rows=20 ratio=-0.5 on=true off=False none_=none if flag %}'
        "{% end %}"
    )
    assert isinstance(node, n.Block)
    assert [(m.name, m.value) for m in node.modifiers] == [
        ("mode", "live"),
        ("rows", 20),
        ("ratio", -0.5),
        ("on", True),
        ("off", False),
        ("none_", None),
    ]
    assert (node.modifiers[1].lineno, node.modifiers[1].col_offset) == (1, 27)
    assert isinstance(node.condition, Name) and node.condition.name == "flag"


def test_blocks_nest_in_blocks_if_and_with() -> None:
    node = only(
        "{% block outer %}{% if a %}{% with b = 1 %}{% block inner %}i{% end %}"
        "{% end %}{% end %}{% end %}"
    )
    assert isinstance(node, n.Block)
    inner = [b for b in n.walk(node) if isinstance(b, n.Block) and b.name == "inner"]
    assert len(inner) == 1


def test_block_after_a_loop_is_not_inside_it() -> None:
    root = parse("{% for x in y %}{% end %}{% block b %}{% end %}")
    assert isinstance(root.body[1], n.Block)


def test_fragment_is_a_block_flagged_fragment() -> None:
    for closer in ("end", "endfragment", "endfragment card"):
        node = only('{% fragment card kind="row" if ok %}c{% ' + closer + " %}")
        assert isinstance(node, n.Block)
        assert (node.name, node.fragment, text(node.body)) == ("card", True, "c")
        assert [(m.name, m.value) for m in node.modifiers] == [("kind", "row")]
        assert node.condition is not None


@pytest.mark.parametrize("tag", ["globals", "imports"])
def test_setup_sections(tag: str) -> None:
    for closer in ("end", "end" + tag):
        node = only(
            "{% " + tag + ' %}{% from "f.html" import field %}{% let x = 1 %}'
            "{% def f() %}{% end %}{% " + closer + " %}"
        )
        assert isinstance(node, n.Globals)
        assert [type(b) for b in node.body] == [n.FromImport, Set, n.Def]


# -- def and region ------------------------------------------------------------------


def test_def_parameters_of_every_kind() -> None:
    node = only(
        '{% def badge(label, tone: str = "info", size: int | None = none, '
        "*extra, **attrs) %}<b>{{ label }}</b>{% enddef %}"
    )
    assert isinstance(node, n.Def)
    assert node.name == "badge"
    assert [(p.name, p.annotation) for p in node.params] == [
        ("label", None),
        ("tone", "str"),
        ("size", "int | None"),
    ]
    assert node.params[0].default is None
    assert isinstance(node.params[1].default, Const) and node.params[1].default.value == "info"
    assert (node.vararg, node.kwarg) == ("extra", "attrs")
    assert text(node.body) == "<b><Output></b>"
    assert (node.params[1].lineno, node.params[1].col_offset) == (1, 20)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("str", "str"),
        ("list[int]", "list[int]"),
        ("list [ int ]", "list[int]"),
        ("str|None", "str | None"),
        ("dict[str,Any]", "dict[str, Any]"),
        ("dict[str, list[int | None]]", "dict[str, list[int | None]]"),
        ("typing.Mapping[str, int]", "typing.Mapping[str, int]"),
        ('Literal["a", "b"]', "Literal['a', 'b']"),
        ("Callable[[int], str]", "Callable[[int], str]"),
    ],
)
def test_def_annotations_are_normalised_source_text(written: str, normalised: str) -> None:
    for params in (f"x: {written}", f"x: {written} = 1", f"x: {written}, y"):
        node = only("{% def f(" + params + ") %}{% end %}")
        assert isinstance(node, n.Def)
        assert node.params[0].annotation == normalised


def test_def_defaults_are_any_expression() -> None:
    node = only("{% def f(a=x if y else z, b=items | length, c=[1, 2]) %}{% end %}")
    assert isinstance(node, n.Def)
    assert [type(p.default) for p in node.params] == [n.CondExpr, Filter, n.ListExpr]


def test_def_without_parameters_and_trailing_comma() -> None:
    empty = only("{% def f() %}{% end %}")
    trailing = only("{% def f(a, b,) %}{% end %}")
    assert isinstance(empty, n.Def) and isinstance(trailing, n.Def)
    assert empty.params == () and (empty.vararg, empty.kwarg) == (None, None)
    assert [p.name for p in trailing.params] == ["a", "b"]


def test_def_only_kwargs() -> None:
    node = only("{% def f(**kw) %}{% end %}")
    assert isinstance(node, n.Def)
    assert (node.params, node.vararg, node.kwarg) == ((), None, "kw")


def test_defs_in_a_setup_section_or_at_top_level_after_other_tags() -> None:
    root = parse("{% if a %}{% end %}{% def f() %}{% end %}{% region r() %}{% end %}")
    assert [type(b) for b in root.body] == [If, n.Def, n.Region]


def test_region_parameters_and_closers() -> None:
    for closer in ("end", "endregion"):
        node = only('{% region crumbs(path="/", trail=page?.trail ?? []) %}r{% ' + closer + " %}")
        assert isinstance(node, n.Region)
        assert node.name == "crumbs"
        assert [p.name for p in node.params] == ["path", "trail"]
        assert isinstance(node.params[1].default, NullCoalesce)
        assert text(node.body) == "r"


def test_region_parameter_annotations() -> None:
    node = only("{% region r(items: list[str], n: int = 3) %}{% end %}")
    assert isinstance(node, n.Region)
    assert [p.annotation for p in node.params] == ["list[str]", "int"]


# -- call and slots ------------------------------------------------------------------


def test_call_separates_named_slots_from_the_default_body() -> None:
    node = only(
        '{% call panel("Billing", open=true) %}'
        "<p>{% slot toolbar %}<button>{{ x }}</button>{% end %}Body</p>"
        "{% slot footer %}F{% end %}{% endcall %}"
    )
    assert isinstance(node, n.CallBlock)
    assert isinstance(node.call, n.Call) and isinstance(node.call.func, Name)
    assert node.call.func.name == "panel"
    assert text(node.body) == "<p>Body</p>"
    assert [(s.name, text(s.body)) for s in node.slots] == [
        ("toolbar", "<button><Output></button>"),
        ("footer", "F"),
    ]
    assert (node.slots[0].lineno, node.slots[0].col_offset) == (1, 41)


def test_call_of_a_namespaced_function_with_only_a_default_body() -> None:
    node = only("{% call forms.field(name) %}x{% end %}")
    assert isinstance(node, n.CallBlock)
    assert isinstance(node.call.func, n.Getattr)
    assert (text(node.body), node.slots) == ("x", ())


@pytest.mark.parametrize("slot", ["{% slot %}", "{% slot default %}"])
def test_explicit_default_slot_becomes_the_body(slot: str) -> None:
    node = only(
        "{% call card() %}\n  " + slot + "D{% end %}\n  {% slot meta %}M{% end %}\n{% end %}"
    )
    assert isinstance(node, n.CallBlock)
    assert text(node.body) == "D"
    assert [s.name for s in node.slots] == ["meta"]


def test_slot_placeholders_inside_a_def() -> None:
    node = only("{% def card() %}<h1>{% slot header %}</h1>{% if x %}{% slot %}{% end %}{% end %}")
    assert isinstance(node, n.Def)
    header, cond = node.body[1], node.body[3]
    assert isinstance(header, n.Slot) and header.name == "header"
    assert isinstance(cond, If)
    (default,) = cond.body
    assert isinstance(default, n.Slot) and default.name == "default"


def test_slot_inside_a_call_inside_a_def_is_content() -> None:
    node = only(
        "{% def outer() %}{% call inner() %}{% slot head %}{% slot %}{% end %}{% end %}{% end %}"
    )
    assert isinstance(node, n.Def)
    (call,) = node.body
    assert isinstance(call, n.CallBlock)
    (head,) = call.slots
    assert head.name == "head"
    assert [type(b) for b in head.body] == [n.Slot]


def test_nested_calls_keep_their_own_slots() -> None:
    node = only(
        "{% call a() %}{% slot x %}{% call b() %}{% slot y %}Y{% end %}{% end %}{% end %}{% end %}"
    )
    assert isinstance(node, n.CallBlock)
    (x,) = node.slots
    (inner,) = x.body
    assert isinstance(inner, n.CallBlock)
    assert [s.name for s in inner.slots] == ["y"]


# -- try / fallback, cache -------------------------------------------------------------


def test_try_with_fallback() -> None:
    for closer in ("end", "endtry"):
        node = only("{% try %}a{{ x }}{% fallback %}b{% " + closer + " %}")
        assert isinstance(node, n.Try)
        assert (text(node.body), text(node.fallback), node.error_name) == ("a<Output>", "b", None)


def test_fallback_can_name_the_error() -> None:
    node = only(
        "{% try %}{% try %}x{% fallback %}y{% end %}{% fallback err %}{{ err.message }}{% end %}"
    )
    assert isinstance(node, n.Try)
    assert node.error_name == "err"
    assert isinstance(node.body[0], n.Try)


def test_cache_key_only() -> None:
    for closer in ("end", "endcache"):
        node = only('{% cache "nav-" ~ user.id %}c{% ' + closer + " %}")
        assert isinstance(node, n.Cache)
        assert isinstance(node.key, n.BinOp)
        assert (text(node.body), node.ttl, node.depends) == ("c", None, None)


def test_cache_options_in_any_order() -> None:
    for source in (
        '{% cache key, ttl="5m", depends=page.updated %}{% end %}',
        '{% cache key, depends=page.updated, ttl="5m" %}{% end %}',
    ):
        node = only(source)
        assert isinstance(node, n.Cache)
        assert isinstance(node.ttl, Const) and node.ttl.value == "5m"
        assert isinstance(node.depends, n.Getattr)


def test_cache_numeric_ttl() -> None:
    node = only("{% cache (a, b), ttl=30 %}{% end %}")
    assert isinstance(node, n.Cache)
    assert isinstance(node.key, TupleExpr)
    assert isinstance(node.ttl, Const) and node.ttl.value == 30


def test_break_inside_try_and_cache_in_a_loop_is_allowed() -> None:
    root = parse("{% for x in y %}{% try %}{% break %}{% fallback %}{% end %}{% end %}")
    assert isinstance(root.body[0], For)
