"""kida-core: the Kida template language engine (lexer, parser, compiler, runtime).

Zero runtime dependencies. Most users install the ``kida`` meta-package and
import from ``kida``; this package is usable on its own for embedded installs.
"""

from typing import Any

from kida_core.autoescape import select_autoescape
from kida_core.decorators import pass_context, pass_environment, pass_eval_context, pure
from kida_core.environment import Environment
from kida_core.errors import (
    CoercionWarning,
    ComponentWarning,
    ErrorCode,
    KidaWarning,
    LexerError,
    MigrationWarning,
    NoneComparisonError,
    ParseError,
    PrecedenceWarning,
    RequiredValueError,
    SecurityError,
    TemplateError,
    TemplateNotFoundError,
    TemplateRuntimeError,
    TemplatesNotFoundError,
    TemplateSyntaxError,
    UndefinedError,
)
from kida_core.loop import AsyncLoopContext, LoopContext
from kida_core.markup import Markup, html_escape
from kida_core.render_context import (
    RenderContext,
    async_render_context,
    get_render_context,
    get_render_context_required,
    render_context,
)
from kida_core.runtime.trust import trusted
from kida_core.template import RenderedTemplate, Template


def __getattr__(name: str) -> Any:
    """``SourceSnippet``, ``TemplateWarning`` and ``build_source_snippet``, loaded lazily."""
    if name in ("SourceSnippet", "TemplateWarning", "build_source_snippet"):
        from kida_core import errors

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "AsyncLoopContext",
    "CoercionWarning",
    "ComponentWarning",
    "Environment",
    "ErrorCode",
    "KidaWarning",
    "LexerError",
    "LoopContext",
    "Markup",
    "MigrationWarning",
    "NoneComparisonError",
    "ParseError",
    "PrecedenceWarning",
    "RenderContext",
    "RenderedTemplate",
    "RequiredValueError",
    "SecurityError",
    "SourceSnippet",
    "Template",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateRuntimeError",
    "TemplateSyntaxError",
    "TemplateWarning",
    "TemplatesNotFoundError",
    "UndefinedError",
    "__version__",
    "async_render_context",
    "build_source_snippet",
    "get_render_context",
    "get_render_context_required",
    "html_escape",
    "pass_context",
    "pass_environment",
    "pass_eval_context",
    "pure",
    "render_context",
    "select_autoescape",
    "trusted",
]
