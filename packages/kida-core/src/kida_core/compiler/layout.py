"""What a template is made of, found before compiling: extends, blocks, defs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import kida_core.nodes as n
from kida_core.compiler.state import CompilerState
from kida_core.decorators import wants_context
from kida_core.errors import ErrorCode
from kida_core.parser.record import ParseRecord


@dataclass(slots=True)
class TemplateLayout:
    """The structure of one template that shapes its generated module."""

    extends: n.Extends | None = None
    blocks: list[n.Block] = field(default_factory=list)
    regions: list[n.Region] = field(default_factory=list)
    # Regions inside a block or def: their block functions define them anew.
    nested_regions: list[n.Region] = field(default_factory=list)
    setup: list[n.Node] = field(default_factory=list)
    def_names: list[str] = field(default_factory=list)
    block_names: list[str] = field(default_factory=list)
    _context_globals: frozenset[str] = frozenset()
    is_async: bool = False
    includes: bool = False
    #: Calls a ``@pass_context`` function (or outputs through ``finalize``).
    passes_context: bool = False

    @property
    def has_sync_variant(self) -> bool:
        """Sync render functions exist (templates without ``await``/``async for``)."""
        return not self.is_async

    @property
    def has_async_variant(self) -> bool:
        """An async stream exists: async templates, and composing sync ones.

        A sync template that has blocks or includes also gets one, so an async
        child can override its blocks and it can include async templates when
        rendered with ``render_stream_async``.
        """
        return self.is_async or self.has_blocks or self.includes

    @property
    def has_blocks(self) -> bool:
        """Blocks or regions exist, or the template extends another."""
        return bool(self.blocks or self.regions or self.extends)

    @property
    def shares_context(self) -> bool:
        """Template-level names are written to ``ctx``: blocks read them there, and
        ``@pass_context`` functions see them."""
        return self.has_blocks or self.passes_context

    def block_entries(self) -> Iterator[tuple[str, bool, bool]]:
        """``(name, has condition, is fragment)`` for every block and region."""
        for block in self.blocks:
            yield block.name, block.condition is not None, block.fragment
        for region in self.regions:
            yield region.name, False, False

    @classmethod
    def of(
        cls,
        root: n.TemplateNode,
        state: CompilerState,
        context_globals: frozenset[str] = frozenset(),
        record: ParseRecord | None = None,
    ) -> TemplateLayout:
        """Scan ``root``; raises for misplaced extends and duplicate blocks.

        ``context_globals`` are the globals that take the template context.
        ``record`` is what the parser noted while building ``root``: when it
        describes ``root`` itself, it replaces the walk of the whole tree.
        """
        layout = cls()
        layout._context_globals = context_globals
        for node in root.body:
            if isinstance(node, n.Extends):
                if layout.extends is not None:
                    raise state.error(
                        "A template can extend only one parent",
                        node,
                        ErrorCode.UNEXPECTED_TOKEN,
                        "Remove the second {% extends %}.",
                    )
                layout.extends = node
            if node.setup:  # declared on the node class: imports, defs, lets...
                layout.setup.append(node)
            if isinstance(node, n.Def):
                layout.def_names.append(node.name)
            if isinstance(node, n.Globals):
                if any(isinstance(other, n.Globals) for other in layout.setup[:-1]):
                    raise state.error(
                        "A template may have only one {% globals %}/{% imports %} section",
                        node,
                        ErrorCode.UNEXPECTED_TOKEN,
                        "Merge the sections into one.",
                    )
                layout.def_names.extend(d.name for d in node.body if isinstance(d, n.Def))
        if record is not None and record.describes(root):
            layout._read(record, state)
        else:
            layout._scan(root, state, top_level=True, inside_callable=False)
        return layout

    def _read(self, record: ParseRecord, state: CompilerState) -> None:
        """What :meth:`_scan` finds, taken from the parser's record of the tree."""
        self.is_async = record.is_async
        self.includes = record.includes
        filters, tests = state.filters, state.tests
        self.passes_context = (
            any(wants_context(filters.get(name)) for name in set(record.filters))
            or any(wants_context(tests.get(name)) for name in set(record.tests))
            or not self._context_globals.isdisjoint(record.calls)
        )
        for section in record.sections:
            assert section.node is not None  # set when its tag was parsed
            self._section(
                section.node,
                state,
                top_level=section.top_level,
                inside_callable=section.inside_callable,
            )

    def _passes_context(self, node: n.Node, state: CompilerState) -> bool:
        """Whether ``node`` calls a filter, test or global that takes the template context."""
        if isinstance(node, n.Filter | n.FilterCall):
            return wants_context(state.filters.get(node.name))
        if isinstance(node, n.Test):
            return wants_context(state.tests.get(node.name))
        if isinstance(node, n.Call) and isinstance(node.func, n.Name):
            return node.func.name in self._context_globals
        return False

    def _scan(
        self, root: n.Node, state: CompilerState, *, top_level: bool, inside_callable: bool
    ) -> None:
        # Depth-first, in source order, with an explicit stack: long expression
        # chains make trees deeper than Python's recursion limit allows.
        pending = [
            (child, top_level, inside_callable)
            for child in n.iter_child_nodes(root)
            if type(child) not in _LEAVES
        ]
        pending.reverse()
        while pending:
            child, top_level, inside_callable = pending.pop()
            if type(child) not in _NOTABLE:  # most nodes: nothing to record, only children
                children = n.iter_child_nodes(child)
                if children:
                    pending += [
                        (node, False, inside_callable)
                        for node in reversed(children)
                        if type(node) not in _LEAVES
                    ]
                continue
            if isinstance(child, n.Extends | n.Block | n.Region):
                self._section(child, state, top_level=top_level, inside_callable=inside_callable)
            if (isinstance(child, n.For) and child.is_async) or isinstance(child, n.Await):
                self.is_async = True
            if isinstance(child, n.Include):
                self.includes = True
            if not self.passes_context and self._passes_context(child, state):
                self.passes_context = True
            callable_ = inside_callable or isinstance(child, n.Def | n.CallBlock)
            top = top_level and isinstance(child, n.Globals)
            grandchildren = [
                (node, top, callable_)
                for node in n.iter_child_nodes(child)
                if type(node) not in _LEAVES
            ]
            pending.extend(reversed(grandchildren))

    def _section(
        self,
        node: n.Extends | n.Block | n.Region,
        state: CompilerState,
        *,
        top_level: bool,
        inside_callable: bool,
    ) -> None:
        """Check and record an extends, block or region met at this position."""
        if isinstance(node, n.Extends):
            if not top_level:
                raise state.error(
                    "{% extends %} must be at the top level of the template",
                    node,
                    ErrorCode.UNEXPECTED_TOKEN,
                    "Move it to the top level; to choose the parent, give it an expression: "
                    "{% extends 'a.html' if condition else 'b.html' %}.",
                )
            return
        if inside_callable and isinstance(node, n.Block):
            raise state.error(
                "{% block %} cannot be defined inside a def, macro or call",
                node,
                ErrorCode.DEFINITION_NOT_TOPLEVEL,
                "Move the {% block %} out and call the def or macro inside it.",
            )
        if node.name in self.block_names:
            raise state.error(
                f"Block '{node.name}' is defined twice in this template",
                node,
                ErrorCode.UNEXPECTED_TOKEN,
                "Rename one of them.",
            )
        self.block_names.append(node.name)
        if isinstance(node, n.Block):
            self.blocks.append(node)
        else:
            self.regions.append(node)
            if not top_level:
                self.nested_regions.append(node)


def _node_classes() -> list[type[n.Node]]:
    """Every node class."""
    found, pending = [], [n.Node]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


#: Node classes :meth:`TemplateLayout._scan` records something about (or whose
#: children it scans differently): every other node only has its children scanned.
_NOTABLE = frozenset(
    cls
    for cls in _node_classes()
    if issubclass(
        cls,
        (
            n.Extends,
            n.For,
            n.Await,
            n.Include,
            n.Filter,
            n.FilterCall,
            n.Test,
            n.Call,
            n.Block,
            n.Region,
            n.Def,
            n.CallBlock,
            n.Globals,
        ),
    )
)

#: Node classes without children that :meth:`TemplateLayout._scan` records nothing
#: about (names, constants, text...): it never queues them.
_LEAVES = frozenset(
    cls for cls in _node_classes() if cls not in _NOTABLE and not n.child_field_names(cls)
)
