"""Linking templates together: includes, imports, defs and the extends chain.

A :class:`Program` is one analysis run. It loads the templates reachable
from the analysed one through ``resolve(name, caller)`` and keeps one
:class:`Unit` per template, so every template is scanned once per run.
Nothing outlives the run, which keeps the analyzer stateless.

Rules (see also :mod:`kida_analysis.dependencies` and
:mod:`kida_analysis.purity`):

* ``include`` of a literal name (or a list of them, first loadable wins)
  contributes everything the included template reads when rendered, minus
  the names local at the include point (loop variables, ``set`` values, ...);
  ``without context`` keeps only its purity. Dynamic or unloadable includes
  make the includer's purity ``"unknown"``.
* Calling a def or region contributes what its body reads (outside its
  parameters and the template's top-level names) and its purity. A def
  imported ``with context`` contributes the same; one imported without
  context (the default) only sees its own template's globals, so it
  contributes its purity only.
* The extends chain: blocks come from every template in the chain, the most
  derived definition winning; a block's facts include those of the blocks
  nested in it (as overridden). Names that a template of the chain binds in
  its top-level setup (``let``/``set``/``capture``, defs, regions, imports)
  are not dependencies of the other templates of the chain -- the setup code
  of the whole chain runs in the shared context -- but what their values
  read is.
* Include, import and extends cycles are cut: a template being scanned
  contributes nothing to itself a second time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from kida_analysis.dependencies import (
    EMPTY,
    UNKNOWN,
    Facts,
    Handoff,
    Scanner,
    Section,
    drive,
    root,
)
from kida_analysis.purity import PurityRules
from kida_core import nodes as n
from kida_core.symbols import bound_names, inner_names, scope_parts
from kida_core.template_globals import default_globals

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from kida_core.protocols import AnalysisContext, ASTResolver

__all__ = ["BUILTIN_GLOBAL_NAMES", "Chain", "Program", "Unit"]

BUILTIN_GLOBAL_NAMES: frozenset[str] = frozenset(default_globals(htmx=True))
"""Globals every Environment starts with; never context dependencies."""


class _Import(NamedTuple):
    """A name bound by ``import`` (``member`` None) or ``from ... import``."""

    template: str | None
    with_context: bool
    member: str | None


def _literal_names(expr: n.Expr) -> tuple[str, ...] | None:
    """The template name(s) a literal target expression denotes, or None."""
    items = expr.items if isinstance(expr, n.ListExpr | n.TupleExpr) else (expr,)
    names = tuple(i.value for i in items if isinstance(i, n.Const) and isinstance(i.value, str))
    return names if names and len(names) == len(items) else None


def _literal_name(expr: n.Expr) -> str | None:
    return expr.value if isinstance(expr, n.Const) and isinstance(expr.value, str) else None


class Program:
    """One analysis run over a template and the templates it reaches."""

    def __init__(self, resolve: ASTResolver | None, context: AnalysisContext | None) -> None:
        self.rules = PurityRules(context)
        self.known_globals = BUILTIN_GLOBAL_NAMES | (context.global_names if context else set())
        self._resolve = resolve
        self._resolved: dict[tuple[str, str | None], n.TemplateNode | None] = {}
        self._units: dict[int, Unit] = {}

    def unit(self, template_ast: n.TemplateNode, name: str | None) -> Unit:
        """The unit of a template AST (created on first use)."""
        found = self._units.get(id(template_ast))
        if found is None:
            found = self._units[id(template_ast)] = Unit(self, template_ast, name)
        return found

    def load(self, name: str, caller: str | None) -> Unit | None:
        """The unit of the template ``name`` referenced from ``caller``, if loadable."""
        if self._resolve is None:
            return None
        key = (name, caller)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, caller)
        found = self._resolved[key]
        return None if found is None else self.unit(found, found.name or name)


class Unit:
    """One template of a run: its symbols, its scan, and the facts of its defs."""

    def __init__(self, program: Program, template_ast: n.TemplateNode, name: str | None) -> None:
        self.program = program
        self.ast = template_ast
        self.name = name
        self.extends_node: n.Extends | None = None
        self.defs: dict[str, n.Def] = {}
        self.regions: dict[str, n.Region] = {}
        self.imports: dict[str, _Import] = {}
        # Every def and region, also those inside blocks and defs (first one wins).
        self.nested: dict[str, n.Def | n.Region] = {}
        self._setup: list[n.Set | n.Capture] = []
        for node in template_ast.body:
            for item in node.body if isinstance(node, n.Globals) else (node,):
                if isinstance(item, n.Extends):
                    self.extends_node = item
                elif isinstance(item, n.Def):
                    self.defs[item.name] = item
                elif isinstance(item, n.Region):
                    self.regions[item.name] = item
                elif isinstance(item, n.Set | n.Capture):
                    self._setup.append(item)
        for definition in _hoisted_definitions(template_ast):
            self.nested.setdefault(definition.name, definition)
        for node in n.walk(template_ast):
            if isinstance(node, n.Import):
                self.imports[node.target] = _Import(
                    _literal_name(node.template), node.with_context, None
                )
            elif isinstance(node, n.FromImport):
                for member, alias in node.names:
                    self.imports[alias or member] = _Import(
                        _literal_name(node.template), node.with_context, member
                    )
        self.hoisted = frozenset(self.nested.keys() | self.imports.keys())
        self.setup_names = self.hoisted.union(*(bound_names(s) for s in self._setup))
        self.extends = _literal_name(self.extends_node.template) if self.extends_node else None
        self._setup_values: dict[str, Facts] | None = None
        self._scanner: Scanner | None = None
        self._scanning = False
        self._in_whole = False
        self._callables: dict[str, Facts] = {}
        self._busy: set[str] = set()

    # -- scanning ------------------------------------------------------------------

    def scanned(self) -> Scanner | None:
        """The whole-template scan; None while it runs (a cycle back into this template)."""
        if self._scanner is None and not self._scanning:
            self._scanning = True
            scanner = Scanner(self, self.program.rules, self.program.known_globals)
            scanner.scan(self.ast.body)
            self._scanner = scanner
            self._scanning = False
        return self._scanner

    def setup_values(self) -> dict[str, Facts]:
        """What the values of the top-level ``let``/``set``/``capture`` names read."""
        if self._setup_values is None:
            if "<setup>" in self._busy:  # a setup value calls a def reading setup names
                return {}
            self._busy.add("<setup>")
            scanner = Scanner(
                self, self.program.rules, self.program.known_globals, split_blocks=False
            )
            scanner.scan(self._setup)
            self._busy.discard("<setup>")
            self._setup_values = scanner.values
        return self._setup_values

    def facts_of(self, node: n.Def | n.Region) -> Facts:
        """What calling a def or region of this template reads, and its purity."""
        found: list[Facts] = []
        scan = self.calling(node, found.append)
        if scan is not None:
            drive(scan)
        return found[0]

    def calling(self, node: n.Def | n.Region, deliver: Callable[[Facts], object]) -> Handoff | None:
        """Pass ``deliver`` the facts of calling ``node`` (see :meth:`Linker.call`).

        Returns the scan of the body when it has not been scanned yet; the
        caller's walk runs it, so defs calling defs do not nest Python calls.
        """
        if node.name in self._callables:
            deliver(self._callables[node.name])
            return None
        if node.name in self._busy:  # recursion: the outer call accounts for the body
            deliver(EMPTY)
            return None
        self._busy.add(node.name)
        scanner = Scanner(
            self,
            self.program.rules,
            self.program.known_globals,
            split_blocks=False,
            # What a def/macro body binds without declaring it (``caller``, ``varargs``...).
            specials=frozenset(node.implicit) if isinstance(node, n.Def) else frozenset(),
            bound=self.setup_names - self.hoisted,
            values=self.setup_values(),
        )
        params = inner_names(node, implicit=False)

        def finish() -> None:
            self._busy.discard(node.name)
            facts = self._callables[node.name] = scanner.top.facts()
            deliver(facts)

        parts = scope_parts(node)
        tasks = [*scanner.scoped(parts.before, ()), *scanner.scoped(parts.inside, params), finish]
        return Handoff(scanner, tasks)

    def ancestry(self) -> tuple[list[Unit], bool]:
        """This template and its parents, most derived first; False when the chain is cut.

        The chain is cut by a dynamic or unloadable ``extends``; a cycle just
        ends it (rendering such a chain fails anyway).
        """
        units = [self]
        current = self
        while current.extends_node is not None:
            if current.extends is None:
                return units, False
            parent = self.program.load(current.extends, current.name)
            if parent is None:
                return units, False
            if any(parent is unit for unit in units):
                break
            units.append(parent)
            current = parent
        return units, True

    def whole(self) -> Facts:
        """Everything a full render of this template reads (for includes)."""
        if self._in_whole:
            return EMPTY
        self._in_whole = True
        try:
            return Chain(self).whole()
        finally:
            self._in_whole = False

    # -- Linker ------------------------------------------------------------------

    def hoists(self, node: n.Def) -> bool:
        """Whether ``node`` is scanned when called (see :meth:`Linker.hoists`)."""
        return self.nested.get(node.name) is node

    def call(
        self, name: str, attr: str | None, deliver: Callable[[Facts], object]
    ) -> Handoff | None:
        """Facts of calling ``name(...)`` or ``name.attr(...)`` (``name`` hoisted)."""
        local = (
            None if attr else self.defs.get(name) or self.regions.get(name) or self.nested.get(name)
        )
        if local is not None:
            return self.calling(local, deliver)
        found = self._imported(name, attr)
        if found is None:
            deliver(UNKNOWN)
            return None
        target, node, with_context = found
        if with_context:
            return target.calling(node, deliver)
        return target.calling(node, lambda facts: deliver(facts.without_context()))

    def _imported(self, name: str, attr: str | None) -> tuple[Unit, n.Def | n.Region, bool] | None:
        """The template, def and ``with context`` flag that ``name``/``name.attr`` imports."""
        binding = self.imports.get(name)
        if binding is None or binding.template is None:
            return None
        member = attr if binding.member is None else None if attr else binding.member
        target = self.program.load(binding.template, self.name)
        if target is None or member is None:
            return None
        node = target.defs.get(member) or target.regions.get(member)
        return None if node is None else (target, node, binding.with_context)

    def include(self, node: n.Include | n.Embed) -> Facts:
        """Facts of ``{% include %}``/``{% embed %}``: the target template's, or unknown."""
        for candidate in _literal_names(node.template) or ():
            target = self.program.load(candidate, self.name)
            if target is not None:
                facts = target.whole()
                return facts if node.with_context else facts.without_context()
        return UNKNOWN

    def super_of(self, block: str) -> Facts:
        """Facts of ``super()`` in ``block``: the next definition up the chain."""
        units, complete = self.ancestry()
        for unit in units[1:]:
            scan = unit.scanned()
            if scan is not None and block in scan.blocks:
                return Chain(unit).block_facts(block)
        return EMPTY if complete else UNKNOWN


class Chain:
    """A template seen through its extends chain (the most derived first)."""

    def __init__(self, unit: Unit) -> None:
        units, self.complete = unit.ancestry()
        self._scans = [(u, scan) for u in units if (scan := u.scanned()) is not None]
        self._foreign = {
            id(u): frozenset().union(*(o.setup_names for o in units if o is not u)) for u in units
        }
        self.definitions: dict[str, tuple[Unit, n.Block | n.Region, Section]] = {}
        for u, scan in self._scans:
            for name, (node, section) in scan.blocks.items():
                self.definitions.setdefault(name, (u, node, section))

    def names_root_first(self) -> tuple[str, ...]:
        """Every block name, the root template's first, each in source order."""
        scans = reversed(self._scans)
        return tuple(dict.fromkeys(name for _, scan in scans for name in scan.blocks))

    def _local(self, unit: Unit, facts: Facts) -> Facts:
        """``facts`` of ``unit`` with names set up by the rest of the chain resolved."""
        foreign = self._foreign[id(unit)] & {root(path) for path in facts.depends_on}
        values = [
            value
            for other, _ in self._scans
            if other is not unit
            for name in foreign
            if (value := other.setup_values().get(name))
        ]
        return facts.without_roots(foreign).merge(*values)

    def top_facts(self) -> Facts:
        """What the chain reads outside blocks."""
        return EMPTY.merge(*(self._local(u, scan.top.facts()) for u, scan in self._scans))

    def block_facts(self, name: str, _outer: tuple[str, ...] = ()) -> Facts:
        """What the winning definition of ``name`` reads, nested blocks included."""
        unit, _, section = self.definitions[name]
        inner = (*_outer, name)
        nested = [
            self.block_facts(child, inner)
            for child in section.nested
            if child in self.definitions and child not in inner
        ]
        return self._local(unit, section.facts()).merge(*nested)

    def whole(self) -> Facts:
        """Everything the chain reads; purity unknown when the chain is cut."""
        facts = self.top_facts().merge(*(self.block_facts(name) for name in self.definitions))
        return facts if self.complete else facts.merge(UNKNOWN)


#: Nodes whose bodies keep a definition hoisted: the template level, ``if``
#: branches, blocks and other definitions.
_DEFINITION_HOMES = (n.If, n.Block, n.Def, n.Region)


def _hoisted_definitions(root: n.TemplateNode) -> Iterator[n.Def | n.Region]:
    """Every def and region in source order, also inside blocks and defs.

    A macro inside a loop, ``with`` or another construct opening a scope is
    left out: it is bound where it stands (see :meth:`Scanner.visit_Def`).
    """
    pending: list[tuple[n.Node, bool]] = [(root, False)]
    while pending:
        node, in_scope = pending.pop()
        if isinstance(node, n.Def | n.Region) and not in_scope:
            yield node
        inner = in_scope or (node.opens is not None and not isinstance(node, _DEFINITION_HOMES))
        children = [(child, inner) for child in n.iter_child_nodes(node)]
        pending.extend(reversed(children))
