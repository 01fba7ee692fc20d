"""Kida: a template engine that compiles templates straight to Python AST.

This meta-package holds no logic: it re-exports the stable API of the Kida
packages and keeps the original module paths (``kida.lexer``,
``kida.template``, ...) working as thin shims.

>>> from kida import Environment
>>> Environment().from_string("Hello, {{ name }}!").render(name="World")
'Hello, World!'
"""

from typing import TYPE_CHECKING, Any

# Imported through the submodule of the same name: loading ``kida.render_context``
# here binds the module first, so the function bound next stays ``kida.render_context``
# (a later ``import kida.render_context`` finds the module loaded and rebinds nothing).
from kida.render_context import (
    RenderContext,
    async_render_context,
    get_render_context,
    get_render_context_required,
    render_context,
)
from kida_core.autoescape import select_autoescape
from kida_core.decorators import pass_context, pass_environment, pass_eval_context, pure
from kida_core.environment import Environment
from kida_core.errors import (
    CoercionWarning,
    ComponentWarning,
    ErrorCode,
    KidaWarning,
    MigrationWarning,
    PrecedenceWarning,
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
from kida_core.runtime.trust import trusted
from kida_core.template import RenderedTemplate, Template
from kida_loaders import (
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    FunctionLoader,
    PackageLoader,
    PrefixLoader,
)

__version__ = "0.1.0"

__all__ = [
    "AnalysisConfig",
    "AsyncLoopContext",
    "BlockMetadata",
    "BlockModifierMetadata",
    "ChoiceLoader",
    "CoercionWarning",
    "ComponentWarning",
    "DefMetadata",
    "DefParamInfo",
    "DictLoader",
    "Environment",
    "ErrorCode",
    "FileSystemLoader",
    "FunctionLoader",
    "KidaWarning",
    "LoopContext",
    "Markup",
    "MigrationWarning",
    "PackageLoader",
    "PrecedenceWarning",
    "PrefixLoader",
    "RenderAccumulator",
    "RenderContext",
    "RenderedTemplate",
    "SandboxPolicy",
    "SandboxedEnvironment",
    "SecurityError",
    "SourceSnippet",
    "Template",
    "TemplateError",
    "TemplateMetadata",
    "TemplateNotFoundError",
    "TemplateRuntimeError",
    "TemplateStructureManifest",
    "TemplateSyntaxError",
    "TemplateWarning",
    "TemplatesNotFoundError",
    "Token",
    "TokenType",
    "UndefinedError",
    "__version__",
    "async_render_context",
    "build_source_snippet",
    "get_accumulator",
    "get_render_context",
    "get_render_context_required",
    "html_escape",
    "pass_context",
    "pass_environment",
    "pass_eval_context",
    "profiled_render",
    "pure",
    "render_context",
    "select_autoescape",
    "timed_block",
    "trusted",
]


#: Names imported on first use (most programs never need them): name → module.
_LAZY = {
    **dict.fromkeys(
        (
            "AnalysisConfig",
            "BlockMetadata",
            "BlockModifierMetadata",
            "DefMetadata",
            "DefParamInfo",
            "TemplateMetadata",
            "TemplateStructureManifest",
        ),
        "kida_core.metadata",
    ),
    "Token": "kida_core.lexer",
    "TokenType": "kida_core.lexer",
    "SourceSnippet": "kida_core.errors",
    "TemplateWarning": "kida_core.errors",
    "build_source_snippet": "kida_core.errors",
    "RenderAccumulator": "kida_core.render_accumulator",
    "get_accumulator": "kida_core.render_accumulator",
    "profiled_render": "kida_core.render_accumulator",
    "timed_block": "kida_core.render_accumulator",
    "SandboxedEnvironment": "kida_sandbox",
    "SandboxPolicy": "kida_sandbox",
}


def __getattr__(name: str) -> Any:
    """Lazy analysis dataclasses and sandbox, and ``_Py_mod_gil`` (safe without the GIL)."""
    if name == "_Py_mod_gil":
        return 0
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from kida_core.errors import SourceSnippet, TemplateWarning, build_source_snippet
    from kida_core.lexer import Token, TokenType
    from kida_core.metadata import (
        AnalysisConfig,
        BlockMetadata,
        BlockModifierMetadata,
        DefMetadata,
        DefParamInfo,
        TemplateMetadata,
        TemplateStructureManifest,
    )
    from kida_core.render_accumulator import (
        RenderAccumulator,
        get_accumulator,
        profiled_render,
        timed_block,
    )
    from kida_sandbox import SandboxedEnvironment, SandboxPolicy
