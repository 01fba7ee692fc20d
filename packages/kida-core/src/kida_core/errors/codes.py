"""Stable error codes shared by exceptions, warnings and lint findings.

Names and values are a public contract: tools match on them, and the docs page
has one anchor per code. Members are declared in the historical order so that
iteration order stays stable across releases.
"""

from __future__ import annotations

from enum import Enum

#: Root of this project's documentation site (``site_url`` in mkdocs.yml).
DOCS_URL = "https://kida-project.github.io/kida/"
#: The errors page; ``ErrorCode.docs_url`` adds the code's anchor.
ERRORS_DOCS_URL = f"{DOCS_URL}errors/"

_CATEGORIES: dict[str, str] = {
    "LEX": "lexer",
    "PAR": "parser",
    "RUN": "runtime",
    "TPL": "template",
    "SEC": "security",
    "CMP": "component",
    "WARN": "warning",
    "PRI": "privacy",
    "CTX": "context",
    "ESC": "escape",
    "A11Y": "accessibility",
    "TYP": "type",
    "PATH": "path",
    "MOD": "modularity",
}


class ErrorCode(Enum):
    """Every diagnostic code Kida can report (``K-<AREA>-<NNN>``)."""

    # Lexer
    UNCLOSED_TAG = "K-LEX-001"
    UNCLOSED_COMMENT = "K-LEX-002"
    UNCLOSED_VARIABLE = "K-LEX-003"
    TOKEN_LIMIT = "K-LEX-004"
    # Parser
    UNEXPECTED_TOKEN = "K-PAR-001"
    UNCLOSED_BLOCK = "K-PAR-002"
    INVALID_EXPRESSION = "K-PAR-003"
    INVALID_FILTER = "K-PAR-004"
    INVALID_TEST = "K-PAR-005"
    INVALID_IDENTIFIER = "K-PAR-006"
    # Runtime
    UNDEFINED_VARIABLE = "K-RUN-001"
    FILTER_ERROR = "K-RUN-002"
    TEST_ERROR = "K-RUN-003"
    REQUIRED_VALUE = "K-RUN-004"
    NONE_COMPARISON = "K-RUN-005"
    INCLUDE_DEPTH = "K-RUN-006"
    RUNTIME_ERROR = "K-RUN-007"
    MACRO_NOT_FOUND = "K-RUN-008"
    KEY_ERROR = "K-RUN-009"
    ATTRIBUTE_ERROR = "K-RUN-010"
    ZERO_DIVISION = "K-RUN-011"
    TYPE_ERROR = "K-RUN-012"
    MACRO_ITERATION = "K-RUN-013"
    # Template loading and structure
    TEMPLATE_NOT_FOUND = "K-TPL-001"
    SYNTAX_ERROR = "K-TPL-002"
    CIRCULAR_IMPORT = "K-TPL-003"
    DEFINITION_NOT_TOPLEVEL = "K-TPL-004"
    TEMPLATE_ROOT_CONFIGURATION = "K-TPL-005"
    # Sandbox
    BLOCKED_ATTRIBUTE = "K-SEC-001"
    BLOCKED_TYPE = "K-SEC-002"
    RANGE_LIMIT = "K-SEC-003"
    BLOCKED_CALLABLE = "K-SEC-004"
    OUTPUT_LIMIT = "K-SEC-005"
    # Component calls
    COMPONENT_CALL_SIGNATURE = "K-CMP-001"
    COMPONENT_TYPE_MISMATCH = "K-CMP-002"
    # Runtime (added later)
    ENV_GARBAGE_COLLECTED = "K-RUN-014"
    NOT_COMPILED = "K-RUN-015"
    NO_LOADER = "K-RUN-016"
    NOT_IN_RENDER_CONTEXT = "K-RUN-017"
    # Parser (added later)
    UNSUPPORTED_SYNTAX = "K-PAR-007"
    # Compile-time warnings
    FILTER_PRECEDENCE = "K-WARN-001"
    JINJA2_SET_SCOPING = "K-WARN-002"
    # Privacy lint
    PRIVACY_SENSITIVE_CONTEXT = "K-PRI-001"
    PRIVACY_SECRET_LITERAL = "K-PRI-002"
    PRIVACY_SAFE_SENSITIVE_VALUE = "K-PRI-003"
    PRIVACY_BROAD_CONTEXT_OUTPUT = "K-PRI-004"
    PRIVACY_DYNAMIC_TEMPLATE_NAME = "K-PRI-005"
    # Context contract
    CONTEXT_MISSING = "K-CTX-001"
    CONTEXT_UNUSED = "K-CTX-002"
    # Escape audit
    ESCAPE_ESCAPED_OUTPUT = "K-ESC-001"
    ESCAPE_TRUSTED_MARKUP = "K-ESC-002"
    ESCAPE_UNESCAPED_OUTPUT = "K-ESC-003"
    ESCAPE_TRUSTED_JSON = "K-ESC-004"
    ESCAPE_TRUSTED_XMLATTR = "K-ESC-005"
    # Accessibility lint
    A11Y_IMG_ALT = "K-A11Y-001"
    A11Y_HEADING_ORDER = "K-A11Y-002"
    A11Y_HTML_LANG = "K-A11Y-003"
    A11Y_INPUT_LABEL = "K-A11Y-004"
    # Template type declarations
    TYPE_UNDECLARED_VARIABLE = "K-TYP-001"
    TYPE_UNUSED_DECLARATION = "K-TYP-002"
    TYPE_TYPO_SUGGESTION = "K-TYP-003"
    # Paths
    FRAGILE_TEMPLATE_PATH = "K-PATH-001"
    # Modularity advice
    MODULARITY_EXTRACTION_CANDIDATE = "K-MOD-102"
    MODULARITY_PASS_THROUGH_COMPONENT = "K-MOD-103"

    @property
    def category(self) -> str:
        """Area named by the code prefix (``"runtime"`` for ``K-RUN-*``), else ``"unknown"``."""
        parts = self.value.split("-")
        return _CATEGORIES.get(parts[1], "unknown") if len(parts) == 3 else "unknown"

    @property
    def docs_url(self) -> str:
        """Link to this code's section of the errors page."""
        return f"{ERRORS_DOCS_URL}#{self.value.lower()}"
