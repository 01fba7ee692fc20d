"""``Environment(validate_calls=True)``: check ``{% def %}`` call sites at compile time.

A call to a def defined in the same template, or imported by name with
``{% from "x.html" import d %}`` from a literal target, must match the def's
signature: no unknown keyword (unless the def takes ``**kwargs``), no more
positional arguments than parameters (unless it takes ``*args``), no
parameter given twice, and every parameter without a default given. Calls
with ``*args``/``**kwargs`` splats are not checked for missing parameters.
A violation is a ``TemplateSyntaxError`` (K-CMP-001) at the call.

A literal argument (string, number, boolean, ``none``) whose type does not
fit the parameter's annotation is a ``ComponentWarning`` (K-CMP-002). Only
``str``, ``int``, ``float``, ``bool`` and ``None`` and ``|`` unions of them
are checked, with Python's numeric rules (``int`` fits ``float``, ``bool``
fits ``int``); other annotations and non-literal arguments are skipped.

Names rebound anywhere in the template (``set``, ``let``, loop targets, ...)
are skipped: the call may not reach the def.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import kida_core.nodes as n
from kida_core.errors import ErrorCode, TemplateSyntaxError, TemplateWarning
from kida_core.symbols import free_names

Resolve = Callable[[str, str | None], n.TemplateNode | None]


def _definitions(root: n.TemplateNode) -> dict[str, n.Def]:
    defs: dict[str, n.Def] = {}
    for node in root.body:
        if isinstance(node, n.Def):
            defs[node.name] = node
        elif isinstance(node, n.Globals):
            defs.update((d.name, d) for d in node.body if isinstance(d, n.Def))
    return defs


def _rebound(root: n.TemplateNode) -> set[str]:
    names: set[str] = set()
    for node in n.walk(root):
        targets: list[n.Node] = []
        if isinstance(node, n.Set | n.With):
            targets = [a.target for a in node.assignments]
        elif isinstance(node, n.For | n.ListComp):
            targets = [node.target]
        elif isinstance(node, n.Capture):
            names.add(node.name)
        for target in targets:
            names.update(t.name for t in n.walk(target) if isinstance(t, n.Name))
    return names


def signatures(root: n.TemplateNode, name: str | None, resolve: Resolve) -> dict[str, n.Def]:
    """The defs a call in ``root`` can reach by name: local and literally imported."""
    found = _definitions(root)
    for node in root.body:
        if isinstance(node, n.FromImport) and isinstance(node.template, n.Const):
            imported = resolve(str(node.template.value), name)
            if imported is None:
                continue
            available = _definitions(imported)
            for def_name, alias in node.names:
                if def_name in available:
                    found[alias or def_name] = available[def_name]
    for rebound in _rebound(root):
        found.pop(rebound, None)
    return found


def validate(
    root: n.TemplateNode, name: str | None, source: str | None, resolve: Resolve
) -> list[TemplateWarning]:
    """Raise ``TemplateSyntaxError`` at the first call that cannot match its def.

    Returns the K-CMP-002 warnings: literal arguments that do not fit their
    parameter's annotation.
    """
    defs = signatures(root, name, resolve)
    found: list[TemplateWarning] = []
    if not defs:
        return found
    for node in n.walk(root):
        call = node.call if isinstance(node, n.CallBlock) else node
        if isinstance(call, n.Call) and isinstance(call.func, n.Name) and call.func.name in defs:
            problem = _problem(defs[call.func.name], call)
            if problem is not None:
                message, hint = problem
                exc = TemplateSyntaxError(
                    f"Call to {call.func.name}() does not match its def: {message}",
                    lineno=call.lineno,
                    name=name,
                    source=source,
                    col_offset=call.col_offset,
                    code=ErrorCode.COMPONENT_CALL_SIGNATURE,
                )
                exc.suggestion = hint
                raise exc
            for warning in _type_mismatches(defs[call.func.name], call, name):
                if warning not in found:
                    found.append(warning)
    return found


def _problem(definition: n.Def, call: n.Call) -> tuple[str, str] | None:
    params = [p.name for p in definition.params]
    signature = f"{definition.name}({', '.join(params)})"
    where = f"the def is on line {definition.lineno}: {signature}"
    takes_varargs, takes_kwargs = definition.vararg is not None, definition.kwarg is not None
    macro = isinstance(definition, n.Macro)
    if macro:
        # A macro collects extras only when its body reads varargs/kwargs.
        reads = free_names(n.TemplateNode(body=definition.body, lineno=1, col_offset=0))
        takes_varargs, takes_kwargs = "varargs" in reads, "kwargs" in reads
    if len(call.args) > len(params) and not takes_varargs:
        return f"{len(call.args)} positional arguments for {len(params)} parameters", where
    given = set(params[: len(call.args)])
    for keyword in call.kwargs:
        if keyword.name in given:
            return f"parameter '{keyword.name}' is given twice", where
        if keyword.name not in params and not takes_kwargs:
            close = difflib.get_close_matches(keyword.name, params, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? ({where})" if close else where
            return f"unknown parameter '{keyword.name}'", hint
        given.add(keyword.name)
    # A macro's missing arguments are undefined, not an error.
    if call.dyn_args is None and call.dyn_kwargs is None and not macro:
        missing = [p.name for p in definition.params if p.default is None and p.name not in given]
        if missing:
            return f"missing required parameter(s): {', '.join(missing)}", where
    return None


_LITERAL_TYPES: dict[type, str] = {str: "str", int: "int", float: "float", bool: "bool"}
_CHECKED = frozenset({"str", "int", "float", "bool", "None"})
# The annotation names a literal of each type fits (PEP 484's numeric tower).
_FITS: dict[str, frozenset[str]] = {
    "str": frozenset({"str"}),
    "int": frozenset({"int", "float"}),
    "float": frozenset({"float"}),
    "bool": frozenset({"bool", "int", "float"}),
    "None": frozenset({"None"}),
}


def _annotation_types(annotation: str | None) -> frozenset[str] | None:
    """``"str | None"`` → ``{"str", "None"}``; ``None`` when not a checkable annotation."""
    if annotation is None:
        return None
    parts = frozenset(part.strip() for part in annotation.split("|"))
    return parts if parts <= _CHECKED else None


def _type_mismatches(
    definition: n.Def, call: n.Call, template: str | None
) -> list[TemplateWarning]:
    params = {p.name: p for p in definition.params}
    given = [*zip(definition.params, call.args, strict=False)]
    given += [(params[k.name], k.value) for k in call.kwargs if k.name in params]
    found: list[TemplateWarning] = []
    for param, value in given:
        expected = _annotation_types(param.annotation)
        if expected is None or not isinstance(value, n.Const):
            continue
        literal = "None" if value.value is None else _LITERAL_TYPES.get(type(value.value))
        if literal is None or _FITS[literal] & expected:
            continue
        found.append(
            TemplateWarning(
                ErrorCode.COMPONENT_TYPE_MISMATCH,
                f"Call to {definition.name}(): argument '{param.name}' is {literal} "
                f"{value.value!r}, but the parameter is annotated '{param.annotation}'",
                template,
                value.lineno,
                f"pass a {param.annotation} value, or change the annotation "
                f"(the def is on line {definition.lineno})",
            )
        )
    return found
