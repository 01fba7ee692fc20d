"""``kida.analysis.i18n``: message extraction, from ``kida_analysis``."""

from kida_analysis.i18n import (
    DEFAULT_KEYWORDS,
    GETTEXT_FUNCTIONS,
    ExtractedMessage,
    ExtractMessagesVisitor,
    KeywordSpec,
    TranslatorComments,
    extract_from_ast,
    extract_from_source,
    parse_keyword,
    parse_template,
)

__all__ = [
    "DEFAULT_KEYWORDS",
    "GETTEXT_FUNCTIONS",
    "ExtractMessagesVisitor",
    "ExtractedMessage",
    "KeywordSpec",
    "TranslatorComments",
    "extract_from_ast",
    "extract_from_source",
    "parse_keyword",
    "parse_template",
]
