"""Error codes, exceptions, warnings and source snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kida_core.errors.codes import ERRORS_DOCS_URL, ErrorCode
from kida_core.errors.exceptions import (
    BlockNotFoundError,
    LexerError,
    NoneComparisonError,
    ParseError,
    RequiredValueError,
    SecurityError,
    TemplateError,
    TemplateNotFoundError,
    TemplateRuntimeError,
    TemplatesNotFoundError,
    TemplateSyntaxError,
    UndefinedError,
    UndefinedItemError,
    format_template_stack,
)
from kida_core.errors.template_warnings import (
    CoercionWarning,
    ComponentWarning,
    KidaWarning,
    MigrationWarning,
    PrecedenceWarning,
)

if TYPE_CHECKING:
    from kida_core.errors.snippets import SourceSnippet, build_source_snippet
    from kida_core.errors.warning_record import TemplateWarning

#: Dataclass-based names, imported on first use: name → module.
_LAZY = {
    "SourceSnippet": "kida_core.errors.snippets",
    "build_source_snippet": "kida_core.errors.snippets",
    "TemplateWarning": "kida_core.errors.warning_record",
}


def __getattr__(name: str) -> Any:
    """Load the dataclass-based names lazily (they need ``dataclasses``)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ERRORS_DOCS_URL",
    "BlockNotFoundError",
    "CoercionWarning",
    "ComponentWarning",
    "ErrorCode",
    "KidaWarning",
    "LexerError",
    "MigrationWarning",
    "NoneComparisonError",
    "ParseError",
    "PrecedenceWarning",
    "RequiredValueError",
    "SecurityError",
    "SourceSnippet",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateRuntimeError",
    "TemplateSyntaxError",
    "TemplateWarning",
    "TemplatesNotFoundError",
    "UndefinedError",
    "UndefinedItemError",
    "build_source_snippet",
    "format_template_stack",
]
