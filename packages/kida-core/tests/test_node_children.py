"""Walking template trees: which node fields are searched for children."""

from __future__ import annotations

import dataclasses
import typing

import kida_core.nodes as n


def _node_classes() -> list[type[n.Node]]:
    found, pending = [], [n.Node]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if dataclasses.is_dataclass(cls):
            found.append(cls)
    return found


def _can_hold_node(annotation: object) -> bool:
    """Whether a (resolved) annotation admits a Node anywhere inside it."""
    if isinstance(annotation, type):
        return issubclass(annotation, n.Node)
    if isinstance(annotation, str):
        return False  # a Literal's value
    return any(_can_hold_node(arg) for arg in typing.get_args(annotation))


def test_only_fields_that_cannot_hold_nodes_are_skipped() -> None:
    for cls in _node_classes():
        searched = set(n.child_field_names(cls))
        for field in dataclasses.fields(cls):
            if field.name in searched:
                continue
            annotation = eval(field.type, vars(n))  # the module's own annotation strings
            assert not _can_hold_node(annotation), f"{cls.__name__}.{field.name} is skipped"


def test_children_come_from_nested_tuples_in_order() -> None:
    body = n.Data(value="a", lineno=1, col_offset=0)
    test = n.Name(name="x", lineno=1, col_offset=3)
    elif_test = n.Name(name="y", lineno=2, col_offset=3)
    elif_body = n.Data(value="b", lineno=2, col_offset=0)
    other = n.Data(value="c", lineno=3, col_offset=0)
    node = n.If(
        test=test, body=(body,), elifs=((elif_test, (elif_body,)),), else_=(other,), lineno=1
    )
    assert n.iter_child_nodes(node) == [test, body, elif_test, elif_body, other]
