"""``TemplateExpression``: one template expression compiled into a callable."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kida_core.render_context import RenderContext, _current
from kida_core.runtime.enhance import enhance_error
from kida_core.runtime.namespace import bind_parameters, build_namespace, code_names
from kida_core.runtime.template_info import TemplateInfo
from kida_core.undefined import is_undefined

if TYPE_CHECKING:
    from kida_core.runtime.services import RuntimeServices


class TemplateExpression:
    """What ``Environment.compile_expression`` returns: call it with variables.

    ``expr(**context)`` (or ``expr(mapping)``) evaluates the expression with
    template semantics: filters, tests, globals, strict or lenient undefined
    handling, and the runtime guard of a sandboxed Environment. Errors come out
    as located template errors quoting the expression.
    """

    __slots__ = ("_evaluate", "_source", "_undefined_to_none")

    def __init__(
        self,
        services: RuntimeServices,
        code: types.CodeType,
        source: str,
        precomputed: list[Any],
        *,
        undefined_to_none: bool = True,
    ) -> None:
        scan = code_names(code)
        info = TemplateInfo(None, None, source)
        namespace = build_namespace(services, code, info, precomputed, scan=scan)
        exec(code, namespace)
        bind_parameters(scan, namespace)
        self._evaluate: Callable[[Mapping[str, Any]], Any] = namespace["evaluate"]
        self._source = source
        self._undefined_to_none = undefined_to_none

    def __call__(self, *args: Mapping[str, Any], **kwargs: Any) -> Any:
        """The expression's value for the variables in ``args[0]`` and ``kwargs`` (these win)."""
        if len(args) > 1:
            raise TypeError(
                f"a compiled expression takes at most one positional argument, a mapping "
                f"of variables (got {len(args)})"
            )
        ctx: Mapping[str, Any] = {**args[0], **kwargs} if args else kwargs
        rc = RenderContext(None, None, self._source)
        token = _current.set(rc)
        try:
            value = self._evaluate(ctx)
        except Exception as exc:
            enhanced = enhance_error(exc, rc)
            if enhanced is exc:
                raise
            raise enhanced from exc
        finally:
            _current.reset(token)
        if self._undefined_to_none and is_undefined(value):
            return None
        return value

    def __repr__(self) -> str:
        return f"<TemplateExpression {self._source!r}>"
