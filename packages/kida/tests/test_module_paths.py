"""The original engine's module paths import and re-export the packages' own objects.

Each shim module of the ``kida`` meta-package lists exactly the names below
in ``__all__``, and each name is the very object its package defines.
"""

from __future__ import annotations

import importlib
import inspect

import pytest

import kida_core.errors
import kida_core.nodes
import kida_core.protocols


def _same(source: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, source)


_METADATA = (
    "BlockMetadata",
    "BlockModifierMetadata",
    "CallValidation",
    "DefMetadata",
    "DefParamInfo",
    "TemplateMetadata",
    "TemplateStructureManifest",
)
_LOADERS = (
    "ChoiceLoader",
    "DictLoader",
    "FileSystemLoader",
    "FunctionLoader",
    "PackageLoader",
    "PrefixLoader",
)

# shim module -> {name: module defining it}
SHIMS: dict[str, dict[str, str]] = {
    "kida.environment": _same("kida_core.environment", "Environment"),
    "kida.environment.core": _same("kida_core.environment", "Environment"),
    "kida.environment.exceptions": _same("kida_core.errors", *kida_core.errors.__all__),
    "kida.environment.filters": _same(
        "kida_core.filters", "BUILTIN_PURE_FILTERS", "DEFAULT_FILTERS"
    ),
    "kida.environment.loaders": _same("kida_loaders", *_LOADERS),
    "kida.environment.protocols": _same("kida_core.protocols", *kida_core.protocols.__all__),
    "kida.environment.registry": _same("kida_core.registry", "Registry"),
    "kida.environment.tests": _same("kida_core.builtin_tests", "DEFAULT_TESTS"),
    "kida.exceptions": _same("kida_core.errors", *kida_core.errors.__all__),
    "kida.template": {
        **_same("kida_core.template", "Template", "RenderedTemplate"),
        **_same("kida_core.loop", "LoopContext", "AsyncLoopContext"),
        "Markup": "kida_core.markup",
    },
    "kida.template.core": {
        **_same("kida_core.template", "Template", "RenderedTemplate", "ErrorDict"),
        **_same("kida_core.loop", "LoopContext", "AsyncLoopContext"),
        "Markup": "kida_core.markup",
    },
    "kida.template.loop_context": _same("kida_core.loop", "LoopContext", "AsyncLoopContext"),
    "kida.analysis": {
        **_same("kida_core.metadata", "AnalysisConfig", *_METADATA),
        **_same(
            "kida_analysis",
            "BlockAnalyzer",
            "DependencyWalker",
            "PurityAnalyzer",
            "classify_role",
            "infer_cache_scope",
        ),
        **_same("kida_analysis.i18n", "ExtractMessagesVisitor", "ExtractedMessage"),
    },
    "kida.analysis.analyzer": {
        "BlockAnalyzer": "kida_analysis.analyzers",
        "TemplateAnalysisError": "kida_analysis.analyzer",
    },
    "kida.analysis.cache": _same("kida_analysis.cache", "infer_cache_scope"),
    "kida.analysis.config": _same(
        "kida_core.metadata", "AnalysisConfig", "DEFAULT_PAGE_PREFIXES", "DEFAULT_SITE_PREFIXES"
    ),
    "kida.analysis.dependencies": _same("kida_analysis.analyzers", "DependencyWalker"),
    "kida.analysis.i18n": _same(
        "kida_analysis.i18n",
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
    ),
    "kida.analysis.landmarks": _same("kida_analysis.roles", "emits_html", "landmarks"),
    "kida.analysis.metadata": _same(
        "kida_core.metadata", "CacheScope", "InferredRole", "Purity", *_METADATA
    ),
    "kida.analysis.purity": _same("kida_analysis.analyzers", "PurityAnalyzer"),
    "kida.analysis.roles": _same(
        "kida_analysis.roles", "block_role_for_framework", "classify_role"
    ),
    "kida.compiler": _same("kida_core.compiler", "Compiler"),
    "kida.compiler.core": _same("kida_core.compiler.core", "Compiler"),
    "kida.parser": {
        "ParseError": "kida_core.errors",
        **_same("kida_core.parser", "Parser", "parse"),
    },
    "kida.parser.errors": _same("kida_core.errors", "ParseError"),
    "kida.lexer": _same(
        "kida_core.lexer", "Lexer", "LexerConfig", "Token", "TokenType", "tokenize"
    ),
    "kida._types": _same("kida_core.lexer", "Token", "TokenType"),
    "kida.bytecode_cache": _same("kida_cache", "BytecodeCache", "hash_source"),
    "kida.utils.html": {
        **_same("kida_core.markup", "Markup", "escape", "html_escape", "striptags", "unescape"),
        **_same(
            "kida_core.utils.html",
            "SAFE_URL_SCHEMES",
            "JSString",
            "SoftStr",
            "css_escape",
            "format_html",
            "js_escape",
            "safe_url",
            "strip_tags",
            "url_is_safe",
            "xmlattr",
        ),
    },
    "kida.utils.lru_cache": _same("kida_core.lru", "LRUCache"),
    "kida.render_context": _same(
        "kida_core.render_context",
        "RenderContext",
        "async_render_context",
        "get_render_context",
        "get_render_context_required",
        "render_context",
        "reset_render_context",
        "set_render_context",
    ),
    "kida.render_accumulator": _same(
        "kida_core.render_accumulator",
        "BlockTiming",
        "RenderAccumulator",
        "get_accumulator",
        "profiled_render",
        "timed_block",
    ),
    "kida.composition": _same(
        "kida_analysis.composition",
        "block_role_for_framework",
        "get_structure",
        "validate_block_exists",
        "validate_template_block",
    ),
    "kida.sandbox": {
        **_same("kida_sandbox", "DEFAULT_POLICY", "SandboxedEnvironment", "SandboxPolicy"),
        "SecurityError": "kida_core.errors",
    },
}

CASES = [(shim, name, source) for shim, names in SHIMS.items() for name, source in names.items()]


@pytest.mark.parametrize(("shim", "name", "source"), CASES)
def test_reexport_is_the_defining_object(shim: str, name: str, source: str) -> None:
    exported = getattr(importlib.import_module(shim), name)
    assert exported is getattr(importlib.import_module(source), name)


@pytest.mark.parametrize("shim", sorted(SHIMS))
def test_all_lists_exactly_the_reexports(shim: str) -> None:
    assert set(importlib.import_module(shim).__all__) == set(SHIMS[shim])


def test_nodes_exposes_every_node_class_and_walker() -> None:
    import kida.nodes

    node_classes = {
        name
        for name, value in vars(kida_core.nodes).items()
        if inspect.isclass(value) and issubclass(value, kida_core.nodes.Node)
    }
    assert {"Node", "TemplateNode", "Block", "Def", "Output"} <= node_classes
    for name in (*node_classes, "ScopeKind", "walk", "iter_child_nodes"):
        assert getattr(kida.nodes, name) is getattr(kida_core.nodes, name)


def test_lexer_tokenize_path_tokenizes() -> None:
    from kida.lexer import TokenType, tokenize

    types = [token.type for token in tokenize("a{{ x }}")]
    assert types[0] is TokenType.DATA
    assert TokenType.NAME in types
