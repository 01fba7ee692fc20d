"""The compiler's handler table and per-function emitter."""

from __future__ import annotations

import ast

import pytest

from kida_core import Environment
from kida_core import nodes as n
from kida_core.compiler import Compiler
from kida_core.compiler.emitter import (
    APPEND,
    AYIELD,
    DISCARD,
    YIELD,
    Emitter,
    Handlers,
    OutputTarget,
    append_to,
)
from kida_core.compiler.state import CompilerState
from kida_core.compiler.visitor import VISITOR
from kida_core.parser import parse
from kida_core.settings import CompileOptions


def _node_classes(base: type[n.Node]) -> set[type[n.Node]]:
    """The node classes of ``kida_core.nodes`` deriving from ``base``."""
    return {
        value
        for value in vars(n).values()
        if isinstance(value, type) and issubclass(value, base) and value is not base
    }


def _emitter(target: OutputTarget = APPEND) -> Emitter:
    state = CompilerState(
        name="t",
        filename=None,
        source=None,
        strict=True,
        autoescape=False,
        filters={},
        tests={},
        static_context={},
        jinja2_compat_warnings=True,
    )
    return Emitter(state, VISITOR, CompileOptions(), target)


def test_every_statement_and_expression_node_has_one_handler() -> None:
    assert set(VISITOR.statements) == _node_classes(n.Stmt)
    assert set(VISITOR.expressions) == _node_classes(n.Expr)


def test_a_node_type_handled_twice_is_rejected() -> None:
    first, second = Handlers(), Handlers()
    first.statement(n.Break)(lambda node, em: [])
    second.statement(n.Break)(lambda node, em: [])
    with pytest.raises(ValueError, match="Break has two handlers"):
        Handlers.combine(first, second)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (APPEND, "_append('x')"),
        (YIELD, "yield 'x'"),
        (AYIELD, "yield 'x'"),
        (DISCARD, "pass"),
    ],
)
def test_emit_follows_the_output_target(target: OutputTarget, expected: str) -> None:
    em = _emitter(target)
    assert ast.unparse(em.emit(ast.Constant("x"))) == expected
    assert em.yielded is (target in (YIELD, AYIELD))


def test_output_pushes_a_target_for_the_body_inside() -> None:
    em = _emitter(YIELD)
    with em.output(append_to("_capp1")):
        assert ast.unparse(em.emit(ast.Constant("x"))) == "_capp1('x')"
    assert em.target is YIELD


def test_line_scope_forgets_or_assumes_the_recorded_line() -> None:
    em = _emitter()
    assert len(em.line_marker(3)) == 1
    assert em.line_marker(3) == []  # already recorded
    with em.line_scope():
        assert em.line_marker(3) == []  # the code inside follows the marker
        em.line_marker(4)
    assert em.last_line is None  # the branch may not have run
    with em.line_scope(7, fresh=True):
        assert em.line_marker(7) == []
    assert em.last_line == 7


def test_a_nested_function_gets_its_own_emitter() -> None:
    em = Emitter(_emitter().state, VISITOR, CompileOptions(), AYIELD, is_async=True, block="b")
    em.line_marker(2)
    child = em.nested(append_to("_sapp"))
    assert (child.target, child.last_line, child.is_async, child.block) == (
        append_to("_sapp"),
        None,
        False,
        "b",
    )
    assert em.last_line == 2


def test_compile_module_is_deterministic() -> None:
    source = (
        "{% extends 'base.html' %}{% def d(a=1) %}{{ a }}{% end %}"
        "{% block main %}{% for x in xs if x %}{{ loop.index }}{{ d(x) }}{% end %}"
        "{% call d() %}{% slot %}s{% end %}{% end %}{% end %}"
    )
    env = Environment()
    first = ast.dump(Compiler(env).compile_module(parse(source), "t"), include_attributes=True)
    second = ast.dump(Compiler(env).compile_module(parse(source), "t"), include_attributes=True)
    assert first == second
