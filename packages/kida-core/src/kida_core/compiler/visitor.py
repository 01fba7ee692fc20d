"""The one table of node handlers: every statement and expression the compiler knows."""

from __future__ import annotations

import kida_core.compiler.composition as composition
import kida_core.compiler.expressions as expressions
import kida_core.compiler.filters as filters
import kida_core.compiler.i18n as i18n
import kida_core.compiler.loops as loops
import kida_core.compiler.macros as macros
import kida_core.compiler.namespaces as namespaces
import kida_core.compiler.stacks as stacks
import kida_core.compiler.statements as statements
from kida_core.compiler.emitter import Handlers

#: Node type → handler, for statements and expressions (a node type handled
#: by two modules fails here, at import).
VISITOR = Handlers.combine(
    expressions.HANDLERS,
    filters.HANDLERS,
    statements.HANDLERS,
    loops.HANDLERS,
    composition.HANDLERS,
    stacks.HANDLERS,
    macros.HANDLERS,
    namespaces.HANDLERS,
    i18n.HANDLERS,
)
