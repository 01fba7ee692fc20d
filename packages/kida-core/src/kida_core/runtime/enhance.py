"""Turn an exception raised while rendering into a located Kida error.

Generated code carries template line numbers and columns in its Python
positions, so the traceback says where a render failed without any runtime
bookkeeping: the innermost frame of generated code gives the line, its
instruction position gives the column of the failing expression, and its
locals give the values involved.
"""

from __future__ import annotations

import inspect
import itertools
import re
import types
from collections.abc import Mapping
from typing import Any, cast

from kida_core.errors import ErrorCode, TemplateError, TemplateRuntimeError
from kida_core.render_context import RenderContext
from kida_core.runtime.inheritance import skipped_hops
from kida_core.runtime.primitives import map_lookup
from kida_core.runtime.template_info import TemplateInfo
from kida_core.undefined import UNDEFINED, Undefined

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYWORDS = frozenset(
    {"and", "or", "not", "in", "is", "if", "else", "for", "loop"}
    | {"true", "false", "none", "True", "False", "None"}
)
#: Generated functions an include, extends or import enters. A call into an
#: imported def (``l_<name>``) of another template is an entry too; blocks and
#: slots called across templates are not.
_TEMPLATE_ENTRY_POINTS = frozenset(
    {"render", "render_stream", "render_stream_async", "_globals_setup"}
)
_CODES: tuple[tuple[type[BaseException], ErrorCode], ...] = (
    (KeyError, ErrorCode.KEY_ERROR),
    (AttributeError, ErrorCode.ATTRIBUTE_ERROR),
    (ZeroDivisionError, ErrorCode.ZERO_DIVISION),
    (TypeError, ErrorCode.TYPE_ERROR),
)
_HINTS: dict[ErrorCode, str] = {
    ErrorCode.KEY_ERROR: "Check the key exists, or use `?[...]` / `| default(...)`.",
    ErrorCode.ATTRIBUTE_ERROR: "Check the attribute name, or use `?.` for optional values.",
    ErrorCode.ZERO_DIVISION: "The divisor is zero; check it first, e.g. `{% if count %}`.",
    ErrorCode.TYPE_ERROR: "Check the value types; a None value can be replaced with `?? default`.",
    ErrorCode.FILTER_ERROR: "Check the filter's input and arguments.",
    ErrorCode.TEST_ERROR: "Check the test's input and arguments.",
}

#: Python's message for a call that does not fit a def's signature (generated
#: functions are named ``l_<def>``, possibly inside another function).
_DEF_SIGNATURE = re.compile(r"^(?:[\w<>.]+\.)?l_(\w+)\(\) (.+)$", re.DOTALL)
_NOT_CALLABLE = re.compile(r"^'(\w+)' object is not callable$")
#: Python's count of the keyword-only arguments a call passed, in a "too many positional
#: arguments" message: a def's only keyword-only parameters are the internal slots and
#: output ones, which the template did not write.
_KEYWORD_ONLY_COUNT = re.compile(
    r"(\d+) positional arguments? \(and \d+ keyword-only arguments?\) were given"
)

#: Runtime helpers of inlined built-in filters: an error raised in one is the filter's.
_INLINED_FILTERS = {map_lookup.__code__: "map"}

_RECURSION_HINT = (
    "A {% def %}, include or import calls itself without end; give the recursion a "
    "stopping condition, e.g. {% if depth < 10 %}."
)


def _generated_frame(
    tb: types.TracebackType | None,
) -> tuple[types.TracebackType | None, TemplateInfo | None, types.TracebackType | None]:
    """(innermost generated-code tb entry, its template, the entry after it)."""
    found: types.TracebackType | None = None
    info: TemplateInfo | None = None
    callee: types.TracebackType | None = None
    while tb is not None:
        candidate = tb.tb_frame.f_globals.get("__kida_template__")
        if isinstance(candidate, TemplateInfo):
            found, info, callee = tb, candidate, tb.tb_next
        tb = tb.tb_next
    return found, info, callee


def _generated_frames(
    tb: types.TracebackType | None,
) -> list[tuple[TemplateInfo, types.TracebackType]]:
    frames: list[tuple[TemplateInfo, types.TracebackType]] = []
    while tb is not None:
        info = tb.tb_frame.f_globals.get("__kida_template__")
        if isinstance(info, TemplateInfo):
            frames.append((info, tb))
        tb = tb.tb_next
    return frames


def component_stack(tb: types.TracebackType | None) -> list[tuple[str | None, int, str]]:
    """``(caller template, caller line, def name)`` for every def/region call on the way
    to the error, outermost first (def and region functions are named ``l_<name>``)."""
    frames = _generated_frames(tb)
    stack = []
    for (caller_info, caller_tb), (_, callee_tb) in itertools.pairwise(frames):
        name = callee_tb.tb_frame.f_code.co_name
        if name.startswith("l_"):
            stack.append((caller_info.name, caller_tb.tb_lineno, name[2:]))
    return stack


def template_stack(exc: BaseException) -> list[tuple[str | None, int]]:
    """``(template, line)`` of every include/extends/import, and of every call into
    another template's def, on the way to the error.

    Extends-only parents a render went through without calling them have no
    frame; the extends that skipped them recorded them on the exception.
    """
    frames = _generated_frames(exc.__traceback__)
    stack = []
    for (caller_info, caller_tb), (callee_info, callee_tb) in itertools.pairwise(frames):
        function = callee_tb.tb_frame.f_code.co_name
        entered = function in _TEMPLATE_ENTRY_POINTS or function.startswith("l_")
        if callee_info is not caller_info and entered:
            stack.append((caller_info.name, caller_tb.tb_lineno))
            stack.extend(skipped_hops(exc, caller_tb.tb_frame))
    return stack


def _column(tb: types.TracebackType) -> int | None:
    """The template column of the instruction that failed in ``tb``'s frame."""
    positions = list(tb.tb_frame.f_code.co_positions())
    index = tb.tb_lasti // 2
    if 0 <= index < len(positions):
        col = positions[index][2]
        return col
    return None


def _expression(source: str | None, lineno: int, col: int | None) -> str | None:
    """The ``{{ ... }}`` / ``{% ... %}`` tag around ``col`` on ``lineno``."""
    if source is None:
        return None
    lines = source.splitlines()
    if not 1 <= lineno <= len(lines):
        return None
    line = lines[lineno - 1]
    col = min(col if col is not None else 0, len(line))
    starts = [line.rfind(opener, 0, col + 2) for opener in ("{{", "{%")]
    start = max(starts)
    if start < 0:
        start = max(line.find("{{"), line.find("{%"))
        if start < 0:
            return line.strip() or None
    closer = "}}" if line.startswith("{{", start) else "%}"
    end = line.find(closer, start)
    return line[start : end + 2].strip() if end >= 0 else line[start:].strip()


def _values(frame: types.FrameType, lineno: int, expression: str | None) -> dict[str, Any]:
    """Template variables named in ``expression`` with their current values.

    The compiler records, per function and line, which Python local holds
    each template name, so the value is the one the failing code read.
    """
    if not expression:
        return {}
    table = {
        function: {line: dict(names) for line, names in lines}
        for function, lines in frame.f_globals.get("__kida_names__", ())
    }
    local_values = frame.f_locals
    bindings = table.get(frame.f_code.co_name, {}).get(lineno)
    if bindings is None:  # a def or slot body: recorded with its enclosing function
        bindings = {}
        for function_table in table.values():
            for name, local in function_table.get(lineno, {}).items():
                if local in local_values:
                    bindings.setdefault(name, local)
    found: dict[str, Any] = {}
    for name in _IDENT.findall(expression):
        local = bindings.get(name)
        if local == "":  # read from the context where it is used, never held in a local
            local = "ctx"
        if name in _KEYWORDS or local is None or local not in local_values:
            continue
        value = local_values[local]
        if local == "ctx":
            value = _context_value(frame, value, name)
        if not isinstance(value, Undefined) and _def_name(value) is None:
            found[name] = value
    return found


def _context_value(frame: types.FrameType, ctx: Mapping[str, Any], name: str) -> Any:
    """What template name ``name`` reads in ``frame``: from ``ctx``, else the globals."""
    if name in ctx:
        return ctx[name]
    lookup = frame.f_globals.get("_K_global")
    if lookup is not None:
        return lookup(name, ctx)
    # Code reading its names only where it uses them binds the strict lookup alone.
    strict = frame.f_globals.get("_K_strict_global")
    if strict is None:
        return UNDEFINED
    try:
        return strict(name, ctx)
    except TemplateError:  # not a global either
        return UNDEFINED


def _def_name(value: object) -> str | None:
    """The template name of a def's generated function (None for anything else)."""
    value = _unwrapped(value)
    if not isinstance(value, types.FunctionType):
        return None
    name = value.__name__
    if name.startswith("l_") and "__kida_template__" in value.__globals__:
        return name[2:]
    return None


def _unwrapped(value: object) -> object:
    """A def behind its recursion-checking forwarder (``recursion_checked``) is the def."""
    return getattr(value, "__wrapped__", value) if isinstance(value, types.FunctionType) else value


def _def_signature(frame: types.FrameType, name: str) -> str | None:
    """``name(a, b=…)`` for the def ``name`` visible in ``frame``, if found."""
    for value in frame.f_locals.values():
        if _def_name(value) == name:
            value = cast("types.FunctionType", _unwrapped(value))
            code = value.__code__
            params = list(code.co_varnames[: code.co_argcount])
            defaults = len(value.__defaults__ or ())
            for index in range(len(params) - defaults, len(params)):
                params[index] += "=…"
            flags = code.co_flags
            position = code.co_argcount + code.co_kwonlyargcount
            if flags & inspect.CO_VARARGS:
                params.append("*" + code.co_varnames[position])
                position += 1
            if flags & inspect.CO_VARKEYWORDS:
                params.append("**" + code.co_varnames[position])
            return f"{name}({', '.join(params)})"
    return None


def _positional_count(match: re.Match[str]) -> str:
    """ "N were given" (Python's words for a call without keyword-only arguments)."""
    count = match.group(1)
    return f"{count} was given" if count == "1" else f"{count} were given"


def _call_problem(
    exc: Exception, frame: types.FrameType | None, values: Mapping[str, Any]
) -> tuple[str, ErrorCode, str] | None:
    """Message, code and hint for a call of a def with the wrong arguments, or of a
    value that cannot be called; None for other errors."""
    if type(exc) is not TypeError:
        return None
    text = str(exc)
    match = _DEF_SIGNATURE.match(text)
    if match is not None:
        name, problem = match.groups()
        problem = _KEYWORD_ONLY_COUNT.sub(_positional_count, problem)
        signature = _def_signature(frame, name) if frame is not None else None
        hint = (
            f"Call it as it is declared: {signature}."
            if signature
            else f"Check the parameters of {{% def {name}(...) %}}."
        )
        return f"def '{name}' {problem}", ErrorCode.COMPONENT_CALL_SIGNATURE, hint
    match = _NOT_CALLABLE.match(text)
    if match is not None:
        kind = match.group(1)
        culprits = [n for n, v in values.items() if type(v).__name__ == kind and not callable(v)]
        subject = f"'{culprits[0]}'" if len(culprits) == 1 else "The value"
        return (
            f"{subject} cannot be called: it is {kind}, not a def or function",
            ErrorCode.TYPE_ERROR,
            "Only defs, functions and methods can be called; remove the parentheses to "
            "output the value, or check the name.",
        )
    return None


def _filter_or_test(
    callee: types.TracebackType | None, namespace: Mapping[str, Any]
) -> tuple[ErrorCode, str] | None:
    """If the failing call went into a filter or test, which one."""
    if callee is None:
        return None
    code = callee.tb_frame.f_code
    inlined = _INLINED_FILTERS.get(code)
    if inlined is not None:
        return ErrorCode.FILTER_ERROR, inlined
    for key, func in namespace.items():
        if not key.startswith(("_F_", "_T_")):
            continue
        target = getattr(func, "func", func)
        if getattr(target, "__code__", None) is code:
            kind = ErrorCode.FILTER_ERROR if key.startswith("_F_") else ErrorCode.TEST_ERROR
            return kind, key[3:]
    return None


def enhance_error(exc: Exception, rc: RenderContext) -> Exception:
    """A located Kida error for ``exc`` (Kida errors are completed in place)."""
    tb, info, callee = _generated_frame(exc.__traceback__)
    name = info.name if info else rc.template_name
    source = info.source if info else rc.source
    lineno = tb.tb_lineno if tb is not None else (rc.line or None)
    components = component_stack(exc.__traceback__)
    templates = [*rc.template_stack, *template_stack(exc)]
    if isinstance(exc, TemplateError):
        with_location = getattr(exc, "with_location", None)
        if with_location is not None:
            with_location(name, lineno, source)
            if getattr(exc, "template_stack", None) == [] and templates:
                exc.template_stack = templates  # type: ignore[attr-defined]
            if getattr(exc, "component_stack", None) == [] and components:
                exc.component_stack = components  # type: ignore[attr-defined]
        return exc
    col = _column(tb) if tb is not None else None
    expression = _expression(source, lineno, col) if lineno else None
    values = _values(tb.tb_frame, lineno, expression) if tb is not None and lineno else {}
    code = next((c for cls, c in _CODES if isinstance(exc, cls)), ErrorCode.RUNTIME_ERROR)
    message = f"{type(exc).__name__}: {exc}"
    hint = _RECURSION_HINT if isinstance(exc, RecursionError) else _HINTS.get(code)
    called = _filter_or_test(callee, tb.tb_frame.f_globals) if tb is not None else None
    problem = _call_problem(exc, tb.tb_frame if tb is not None else None, values)
    if problem is not None:
        message, code, hint = problem
    elif called is not None:
        code, func_name = called
        kind = "Filter" if code is ErrorCode.FILTER_ERROR else "Test"
        message = f"{kind} '{func_name}' failed: {message}"
    from kida_core.errors.snippets import build_source_snippet

    snippet = build_source_snippet(source, lineno) if source and lineno else None
    return TemplateRuntimeError(
        message,
        expression=expression,
        values=values,
        template_name=name,
        lineno=lineno,
        suggestion=hint,
        source_snippet=snippet,
        template_stack=templates,
        component_stack=components,
        code=code,
    )
