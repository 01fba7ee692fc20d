"""How ``{% trans %}`` blocks count for dependencies and purity."""

from __future__ import annotations


def block(analyze, body: str):
    return analyze("{% block b %}" + body + "{% end %}").blocks["b"]


def test_binding_expressions_are_dependencies(analyze) -> None:
    meta = block(analyze, "{% trans name=user.display_name %}Hi {{ name }}{% endtrans %}")
    assert meta.depends_on == frozenset({"user.display_name"})


def test_plural_selector_is_a_dependency(analyze) -> None:
    body = "{% trans count=cart.items | length %}One{% plural %}{{ count }} items{% endtrans %}"
    assert block(analyze, body).depends_on == frozenset({"cart.items"})


def test_placeholders_are_not_dependencies(analyze) -> None:
    body = "{% trans who=author %}By {{ who }}{% endtrans %}"
    assert block(analyze, body).depends_on == frozenset({"author"})


def test_trans_without_bindings_depends_on_nothing(analyze) -> None:
    assert block(analyze, "{% trans %}Hello{% endtrans %}").depends_on == frozenset()


def test_trans_is_impure(analyze) -> None:
    assert block(analyze, "{% trans %}Hello{% endtrans %}").is_pure == "impure"


def test_a_block_without_trans_stays_pure(analyze) -> None:
    assert block(analyze, "Hello").is_pure == "pure"
