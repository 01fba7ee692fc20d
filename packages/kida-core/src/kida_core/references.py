"""The other templates a template names literally (extends/include/embed/import/from)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import kida_core.nodes as n

ReferenceKind = Literal["extends", "include", "embed", "import", "from"]
_KINDS: dict[type[n.Node], ReferenceKind] = {
    n.Extends: "extends",
    n.Include: "include",
    n.Embed: "embed",
    n.Import: "import",
    n.FromImport: "from",
}


@dataclass(frozen=True, slots=True)
class TemplateReference:
    """One literal reference, e.g. ``{% include "card.html" %}`` on line 3.

    ``names`` holds one name, or an include's candidates (the first existing
    one is used); ``optional`` marks ``ignore missing``.
    """

    kind: ReferenceKind
    names: tuple[str, ...]
    lineno: int
    optional: bool = False


def template_references(root: n.Node) -> list[TemplateReference]:
    """Every literal template name referenced under ``root``, in source order.

    Dynamic targets (variables, expressions) cannot be known statically and
    are skipped, as are candidate lists that are not all literals.
    """
    found: list[TemplateReference] = []
    for node in n.walk(root):
        kind = _KINDS.get(type(node))
        if kind is None:
            continue
        target = node.template  # type: ignore[attr-defined]
        ignore = isinstance(node, n.Include) and node.ignore_missing
        items = target.items if isinstance(target, n.ListExpr | n.TupleExpr) else (target,)
        names = tuple(name for name in map(_literal, items) if name is not None)
        if names and len(names) == len(items):
            found.append(TemplateReference(kind, names, node.lineno, ignore))
    return found


def _literal(expr: n.Expr) -> str | None:
    return expr.value if isinstance(expr, n.Const) and isinstance(expr.value, str) else None
