"""Error codes, exceptions, warnings and source snippets."""

from __future__ import annotations

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
    TemplateSyntaxError,
    UndefinedError,
)
from kida_core.errors.snippets import SourceSnippet, build_source_snippet
from kida_core.errors.template_warnings import (
    CoercionWarning,
    ComponentWarning,
    KidaWarning,
    MigrationWarning,
    PrecedenceWarning,
    TemplateWarning,
)

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
    "UndefinedError",
    "build_source_snippet",
]
