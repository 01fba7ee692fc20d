"""Building Kida AST nodes: keyword-only fields, defaults, immutability, equality."""

from __future__ import annotations

import dataclasses

import pytest

import kida_core.nodes as n
from kida_core.parser import parse


def _node_classes() -> list[type[n.Node]]:
    return [
        value for value in vars(n).values() if isinstance(value, type) and issubclass(value, n.Node)
    ]


def test_every_field_given_by_keyword_is_stored() -> None:
    for cls in _node_classes():
        values = {field.name: f"{cls.__name__}.{field.name}" for field in dataclasses.fields(cls)}
        node = cls(**values)
        assert {name: getattr(node, name) for name in values} == values


def test_omitted_fields_take_their_defaults() -> None:
    call = n.Call(func=n.Name(name="f", lineno=1), lineno=1)
    assert (call.args, call.kwargs, call.dyn_args, call.col_offset) == ((), (), None, 0)


def test_a_missing_required_field_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="name"):
        n.Name(lineno=1)  # type: ignore[call-arg]


def test_fields_cannot_be_passed_positionally_or_misspelled() -> None:
    with pytest.raises(TypeError):
        n.Name("x", 1)  # type: ignore[misc]
    with pytest.raises(TypeError, match="nmae"):
        n.Name(nmae="x", lineno=1)  # type: ignore[call-arg]


def test_nodes_are_frozen() -> None:
    node = n.Name(name="x", lineno=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.name = "y"  # type: ignore[misc]


def test_replace_builds_a_changed_copy() -> None:
    node = n.Getattr(obj=n.Name(name="user", lineno=1), attr="name", lineno=1, col_offset=3)
    changed = dataclasses.replace(node, optional=True)
    assert (changed.attr, changed.optional, changed.col_offset) == ("name", True, 3)
    assert node.optional is False


def test_trees_parsed_from_the_same_source_are_equal_and_hash_alike() -> None:
    source = "{% for x in items if x %}{{ x.name | upper ~ '!' }}{% end %}"
    first, second = parse(source), parse(source)
    assert first == second
    assert hash(first) == hash(second)
    assert first != parse(source.replace("upper", "lower"))


def test_a_builder_makes_the_same_node_as_the_class() -> None:
    for cls in _node_classes():
        values = {field.name: f"{cls.__name__}.{field.name}" for field in dataclasses.fields(cls)}
        built = n.builder(cls)(**values)
        assert type(built) is cls
        assert built == cls(**values)


def test_a_built_node_takes_defaults_and_stays_frozen() -> None:
    node = n.builder(n.Getattr)(obj=n.Name(name="user", lineno=1), attr="name", lineno=1)
    assert (node.optional, node.col_offset) == (False, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.attr = "email"  # type: ignore[misc]


def test_a_builder_rejects_what_the_class_rejects() -> None:
    with pytest.raises(TypeError, match="name"):
        n.builder(n.Name)(lineno=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        n.builder(n.Name)("x", 1)  # type: ignore[misc]
