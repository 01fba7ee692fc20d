"""The link between Template/Environment introspection and the analyzer plug-in.

The analyzer lives in ``kida-analysis`` and is found through the
``kida.analysis`` entry-point group; core only hands it preserved ASTs, a way
to load the ASTs of other templates, and what the Environment knows about
pure filters and globals.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import kida_core.plugins as plugins
from kida_core.decorators import is_pure
from kida_core.errors import TemplateError
from kida_core.names import resolve_template_name
from kida_core.protocols import AnalysisContext, TemplateAnalyzer

if TYPE_CHECKING:
    from collections.abc import Callable

    from kida_core.environment import Environment
    from kida_core.nodes import TemplateNode

_lock = threading.Lock()
_analyzers: list[TemplateAnalyzer] = []


def analyzer() -> TemplateAnalyzer:
    """The process-wide analyzer; a clear error when kida-analysis is not installed."""
    if not _analyzers:
        with _lock:
            if not _analyzers:
                try:
                    factory = plugins.ANALYZERS.factory("default")
                except plugins.PluginConflictError:
                    raise
                except LookupError as exc:
                    from kida_core.errors.codes import DOCS_URL

                    raise RuntimeError(
                        "Template introspection (template_metadata, block_metadata, "
                        "depends_on, ...) needs the kida-analysis distribution; "
                        f"install it as {DOCS_URL}installation/ shows"
                    ) from exc
                _analyzers.append(factory())
    return _analyzers[0]


def resolver(env: Environment | None) -> Callable[[str, str | None], TemplateNode | None]:
    """``resolve(name, caller)``: the preserved AST of another template, or None."""

    def resolve(name: str, caller: str | None) -> TemplateNode | None:
        if env is None or env.loader is None:
            return None
        try:
            target = resolve_template_name(name, caller, env.template_aliases)
            return env.get_template(target)._tree()
        except TemplateError:
            return None

    return resolve


def context(env: Environment | None) -> AnalysisContext:
    """What the Environment knows about filters and globals."""
    if env is None:
        return AnalysisContext()
    return AnalysisContext(
        pure_filters=frozenset(env.pure_filters),
        pure_globals=frozenset(name for name, value in env.globals.items() if is_pure(value)),
        global_names=frozenset(env.globals),
    )
