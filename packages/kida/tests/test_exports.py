"""Every name ``kida`` itself re-exports is the very object its package defines.

The module-path shims (``kida.lexer``, ...) are checked in ``test_module_paths.py``.
"""

from __future__ import annotations

import importlib

import pytest

import kida

# shim module -> {name: defining kida_core module}
SHIMS: dict[str, dict[str, str]] = {
    "kida": {
        "ChoiceLoader": "kida_loaders",
        "DictLoader": "kida_loaders",
        "FileSystemLoader": "kida_loaders",
        "FunctionLoader": "kida_loaders",
        "PackageLoader": "kida_loaders",
        "PrefixLoader": "kida_loaders",
        "AnalysisConfig": "kida_core.metadata",
        "AsyncLoopContext": "kida_core.loop",
        "BlockMetadata": "kida_core.metadata",
        "BlockModifierMetadata": "kida_core.metadata",
        "CoercionWarning": "kida_core.errors",
        "ComponentWarning": "kida_core.errors",
        "DefMetadata": "kida_core.metadata",
        "DefParamInfo": "kida_core.metadata",
        "Environment": "kida_core.environment",
        "ErrorCode": "kida_core.errors",
        "KidaWarning": "kida_core.errors",
        "LoopContext": "kida_core.loop",
        "Markup": "kida_core.markup",
        "MigrationWarning": "kida_core.errors",
        "PrecedenceWarning": "kida_core.errors",
        "RenderAccumulator": "kida_core.render_accumulator",
        "RenderContext": "kida_core.render_context",
        "RenderedTemplate": "kida_core.template",
        "SandboxPolicy": "kida_sandbox",
        "SandboxedEnvironment": "kida_sandbox",
        "SecurityError": "kida_core.errors",
        "SourceSnippet": "kida_core.errors",
        "Template": "kida_core.template",
        "TemplateError": "kida_core.errors",
        "TemplateMetadata": "kida_core.metadata",
        "TemplateNotFoundError": "kida_core.errors",
        "TemplatesNotFoundError": "kida_core.errors",
        "TemplateRuntimeError": "kida_core.errors",
        "TemplateStructureManifest": "kida_core.metadata",
        "TemplateSyntaxError": "kida_core.errors",
        "TemplateWarning": "kida_core.errors",
        "Token": "kida_core.lexer",
        "TokenType": "kida_core.lexer",
        "UndefinedError": "kida_core.errors",
        "async_render_context": "kida_core.render_context",
        "build_source_snippet": "kida_core.errors",
        "get_accumulator": "kida_core.render_accumulator",
        "get_render_context": "kida_core.render_context",
        "get_render_context_required": "kida_core.render_context",
        "html_escape": "kida_core.markup",
        "profiled_render": "kida_core.render_accumulator",
        "pass_context": "kida_core.decorators",
        "pass_environment": "kida_core.decorators",
        "pass_eval_context": "kida_core.decorators",
        "pure": "kida_core.decorators",
        "render_context": "kida_core.render_context",
        "select_autoescape": "kida_core.autoescape",
        "timed_block": "kida_core.render_accumulator",
        "trusted": "kida_core.runtime.trust",
    },
}
CASES = [(shim, name, source) for shim, names in SHIMS.items() for name, source in names.items()]


@pytest.mark.parametrize(("shim", "name", "source"), CASES)
def test_reexport_is_the_core_object(shim: str, name: str, source: str) -> None:
    exported = getattr(importlib.import_module(shim), name)
    assert exported is getattr(importlib.import_module(source), name)


@pytest.mark.parametrize("shim", sorted(SHIMS))
def test_all_lists_exactly_the_reexports(shim: str) -> None:
    module = importlib.import_module(shim)
    expected = set(SHIMS[shim]) | ({"__version__"} if shim == "kida" else set())
    assert set(module.__all__) == expected


def test_star_import_exposes_every_name() -> None:
    namespace: dict[str, object] = {}
    exec("from kida import *", namespace)
    assert set(kida.__all__) <= set(namespace)


def test_free_threading_declaration() -> None:
    assert kida._Py_mod_gil == 0  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = kida.no_such_name  # type: ignore[attr-defined]
