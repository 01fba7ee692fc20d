"""Environment settings as frozen groups, the compiler's explicit inputs, and the
rejection of options that are not implemented yet."""

from __future__ import annotations

import ast
import gc
from typing import Any

import pytest

from kida_core import Environment
from kida_core.compiler import Compiler
from kida_core.compiler.inputs import CompileInputs
from kida_core.parser import parse
from kida_core.settings import CompileOptions, Limits, SyntaxSettings
from kida_loaders import DictLoader

# -- options accepted but not implemented -------------------------------------------------------

UNSUPPORTED: list[tuple[str, Any]] = [
    ("enable_capture", True),
    ("inline_components", True),
    ("terminal_color", True),
    ("terminal_width", 80),
    ("terminal_unicode", True),
    ("ambiguous_width", 2),
]


@pytest.mark.parametrize(("option", "value"), UNSUPPORTED)
def test_an_unsupported_option_with_a_non_default_value_is_rejected(
    option: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=rf"^{option}=.* is not supported yet"):
        Environment(**{option: value})


def test_unsupported_options_at_their_defaults_are_accepted() -> None:
    env = Environment(
        enable_capture=False,
        inline_components=False,
        optimize_translations=False,
        extensions=[],
        terminal_color=None,
        terminal_width=None,
        terminal_unicode=None,
        ambiguous_width=None,
    )
    assert env.render_string("{{ 1 + 1 }}") == "2"


# -- groups ------------------------------------------------------------------------------------


def test_the_syntax_group_holds_the_delimiter_and_whitespace_settings() -> None:
    env = Environment(block_start="<%", block_end="%>", trim_blocks=True)
    assert env.syntax == SyntaxSettings(block_start="<%", block_end="%>", trim_blocks=True)


def test_the_limits_group_holds_the_depth_and_fragment_cache_settings() -> None:
    env = Environment(max_include_depth=3, fragment_ttl=5.0)
    assert env.limits == Limits(max_include_depth=3, fragment_ttl=5.0)


def test_environment_defaults_are_the_groups_defaults() -> None:
    env = Environment()
    assert (env.syntax, env.limits) == (SyntaxSettings(), Limits())


def test_compile_options_resolve_autoescape_for_the_template_name() -> None:
    env = Environment(autoescape=lambda name: bool(name and name.endswith(".html")))
    assert env.compile_options("page.html").autoescape is True
    assert env.compile_options("mail.txt").autoescape is False


def test_compile_options_name_the_runtime_guard_class() -> None:
    env = Environment()
    assert env.compile_options(None).guard is None
    assert not env.compile_options(None).guarded


def test_compile_options_are_frozen() -> None:
    with pytest.raises(AttributeError):
        CompileOptions().autoescape = False  # type: ignore[misc]


# -- the compiler's inputs ---------------------------------------------------------------------


def test_the_compiler_runs_from_explicit_options_and_inputs() -> None:
    source = "{% for x in xs %}{{ x | upper }}{% end %}"
    explicit = Compiler(CompileOptions(autoescape=False), CompileInputs()).compile_module(
        parse(source), "t"
    )
    from_env = Compiler(Environment(autoescape=False)).compile_module(parse(source), "t")
    assert ast.dump(explicit) == ast.dump(from_env)


def test_explicit_static_context_is_folded_into_the_code() -> None:
    inputs = CompileInputs(static_context={"title": "Docs"})
    module = Compiler(CompileOptions(), inputs).compile_module(parse("{{ title }}"), "t")
    assert "Docs" in ast.unparse(module)


# -- runtime services --------------------------------------------------------------------------


def test_an_include_renders_after_the_environment_variable_is_dropped() -> None:
    env = Environment(loader=DictLoader({"part.html": "part"}))
    template = env.from_string('{% include "part.html" %}', name="page.html")
    del env
    gc.collect()
    assert template.render() == "part"


# -- the bytecode-cache key ----------------------------------------------------------------------


class KeyRecorder:
    """A bytecode cache that never hits and records the context hash of each lookup."""

    def __init__(self) -> None:
        self.keys: list[str | None] = []

    def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> Any:
        self.keys.append(context_hash)
        return None, None, None

    def set(self, name: str, source_hash: str, code: Any, **extra: Any) -> None:
        pass

    def clear(self, current_version_only: bool = False) -> int:
        return 0

    def cleanup(self, max_age_days: int = 30) -> int:
        return 0

    def stats(self) -> dict[str, int]:
        return {"file_count": 0, "total_bytes": 0}


#: An Environment keyword changing each CompileOptions field (the guard is set by a sandbox).
OPTION_SETTINGS: dict[str, dict[str, Any]] = {
    "autoescape": {"autoescape": False},
    "strict_undefined": {"strict_undefined": False},
    "fstring_coalescing": {"fstring_coalescing": False},
    "profiling": {"enable_profiling": True},
    "jinja2_compat_warnings": {"jinja2_compat_warnings": False},
    "preserve_ast": {"preserve_ast": False},
    "validate_calls": {"validate_calls": True},
    "syntax": {"trim_blocks": True},
    "finalize": {"finalize": str},
    "optimize_translations": {"optimize_translations": True},
}

#: The policy behind each CompileOptions field read from ``Environment.policies``.
POLICY_OPTIONS: dict[str, str] = {
    "i18n_trusted": "ext.i18n.trusted",
    "i18n_implicit_variables": "ext.i18n.implicit_variables",
}


def cache_key(source: str = "{{ x }}", **settings: Any) -> str | None:
    cache = KeyRecorder()
    Environment(bytecode_cache=cache, **settings).from_string(source, name="t.html")
    [key] = cache.keys
    return key


def test_every_compile_option_is_covered_by_the_key_test() -> None:
    assert set(OPTION_SETTINGS) | {"guard"} | set(POLICY_OPTIONS) == set(CompileOptions._fields)


#: An Environment keyword changing each syntax setting away from its default.
SYNTAX_SETTINGS: dict[str, Any] = {
    "block_start": "<%",
    "block_end": "%>",
    "variable_start": "<<",
    "variable_end": ">>",
    "comment_start": "<#",
    "comment_end": "#>",
    "trim_blocks": True,
    "lstrip_blocks": True,
    "newline_sequence": "\r\n",
    "keep_trailing_newline": True,
    "line_statement_prefix": "#",
    "line_comment_prefix": "##",
}


def test_every_syntax_setting_is_covered_by_the_key_test() -> None:
    assert set(SYNTAX_SETTINGS) == set(SyntaxSettings._fields)


@pytest.mark.parametrize("name", SYNTAX_SETTINGS)
def test_changing_a_syntax_setting_changes_the_bytecode_cache_key(name: str) -> None:
    source = "text"  # valid under every delimiter set
    assert cache_key(source, **{name: SYNTAX_SETTINGS[name]}) != cache_key(source)


@pytest.mark.parametrize("name", SYNTAX_SETTINGS)
def test_environment_passes_each_syntax_setting_to_the_lexer(name: str) -> None:
    env = Environment(**{name: SYNTAX_SETTINGS[name]})
    assert getattr(env.syntax, name) == SYNTAX_SETTINGS[name]


def test_an_unknown_newline_sequence_is_refused() -> None:
    with pytest.raises(ValueError, match="newline_sequence"):
        Environment(newline_sequence="\n\n")


@pytest.mark.parametrize("settings", OPTION_SETTINGS.values(), ids=list(OPTION_SETTINGS))
def test_changing_a_compile_option_changes_the_bytecode_cache_key(
    settings: dict[str, Any],
) -> None:
    assert cache_key(**settings) != cache_key()


@pytest.mark.parametrize("policy", POLICY_OPTIONS.values())
def test_changing_a_compile_time_policy_changes_the_bytecode_cache_key(policy: str) -> None:
    cache = KeyRecorder()
    env = Environment(bytecode_cache=cache)
    env.from_string("{{ x }}", name="t.html")
    env.policies[policy] = True
    env.from_string("{{ x }}", name="t.html")
    first, second = cache.keys
    assert first != second


def test_settings_that_do_not_shape_code_keep_the_bytecode_cache_key() -> None:
    assert cache_key(cache_size=3, max_include_depth=7, fragment_ttl=1.0) == cache_key()
