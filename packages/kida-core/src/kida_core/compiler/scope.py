"""Compile-time scopes: which Python local holds each template name.

Kida resolves template names statically. Every template-level name (context
variables, ``let``/``export`` targets, top-level ``set``) lives in one Python
local ``l_<name>`` of the render function, read from the context once at
function entry. Block-scoped ``set``, loop targets, ``with`` bindings and
``match`` captures get fresh locals (``l_<name>_<n>``) that are only visible
inside their block, so leaving the block restores the outer value for free.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal

from kida_core.nodes import ScopeKind

BindingKind = Literal["root", "block", "loop", "inline_loop", "with", "capture", "param"]


@dataclass(slots=True)
class Binding:
    """One template name bound in a scope."""

    pyname: str
    kind: BindingKind
    #: True when the value is known to be assigned (no undefined check needed).
    checked: bool = True
    #: True once a template-level name is assigned by the template itself.
    assigned: bool = False
    #: Holds a def that can append its output to the caller's buffer (``writes_into``).
    def_writes_into: bool = False
    #: The local telling whether the imported value it holds is such a def.
    into_flag: str | None = None
    #: For inline loops: the counter and length locals (length may be None).
    counter: str | None = None
    length: str | None = None
    #: Template-level names: the reads compiled in the current function, and the
    #: checked read (``l_x if l_x is not _U else ...``) when it runs at most once
    #: per call (see ``Compiler._inline_single_reads``).
    reads: int = 0
    site: ast.IfExp | None = None


@dataclass(slots=True)
class Scope:
    """The names bound by one block (the root scope is the template level)."""

    names: dict[str, Binding] = field(default_factory=dict)
    #: What opened the scope (None: the top level of a generated function).
    kind: ScopeKind | None = None
    #: Template-level locals this function assigns (``export``): ``nonlocal``.
    nonlocals: set[str] = field(default_factory=set)
    #: Names assigned with a block-scoped ``set`` here (MigrationWarning tracking).
    block_sets: dict[str, int] = field(default_factory=dict)

    @property
    def is_branch(self) -> bool:
        """An if/elif/else body: one of the blocks Jinja2 does not scope."""
        return self.kind is ScopeKind.BRANCH

    @property
    def is_function(self) -> bool:
        """A def/region/slot body: a Python function of its own."""
        return self.kind is ScopeKind.FUNCTION


def root_pyname(name: str) -> str:
    """The Python local holding a template-level name."""
    return f"l_{name}"
