"""Context-path collection: which dotted paths a piece of template reads.

A read of ``page.title`` is the longest static chain of attribute accesses
(``a.b``, ``a?.b``) and literal string subscripts (``a["b"]`` → ``a.b``)
starting at a name; ``a[0].b`` stops at ``a``, ``a[k]`` reports ``a`` and
whatever ``k`` reads. A method call reports its receiver: ``user.get_name()``
reads ``user``, ``site.pages.items()`` reads ``site.pages``. Both branches of
conditionals count.

Names that are not context reads: loop targets and ``loop`` (inside the
loop), ``with``/``match``/``fallback``/list-comprehension bindings (inside
their bodies), def and region parameters, ``caller``/``has_slot`` inside
defs, ``super`` inside blocks, template-level defs, regions and import
names, macros defined inside a loop or ``with`` (from their definition on),
known globals, and names bound by ``set``/``let``/``export``/
``promote``/``capture``; ``loop(...)`` in a ``recursive`` loop re-renders the
loop body and adds nothing of its own. The latter are tracked in source order: once a name
is bound anywhere earlier in the template it counts as local, while a read
before the first binding (and the target of ``x ??= v`` before it) is a
dependency. Reading such a local counts what its value read instead: after
``{% let heading = page.title %}`` a block showing ``heading`` depends on
``page.title`` (and is as pure as the value), wherever the block is. Writes
into a namespace the template made (``{% set ns.total = cart.total %}``) add
to what reading that namespace counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeAlias

from kida_analysis.purity import PurityRules, combine
from kida_core import nodes as n
from kida_core import symbols
from kida_core.metadata import Purity
from kida_core.visitor import NodeVisitor

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    #: One step of a :class:`Scanner` walk: a node to visit, a callback, tasks of
    #: another scanner, or nothing.
    Task: TypeAlias = "n.Node | Callable[[], object] | Handoff | None"

__all__ = [
    "EMPTY",
    "UNKNOWN",
    "Facts",
    "Handoff",
    "Linker",
    "Scanner",
    "Section",
    "drive",
    "path_of",
    "root",
]


def root(path: str) -> str:
    """The context name a dotted path starts with."""
    return path.partition(".")[0]


@dataclass(frozen=True, slots=True)
class Facts:
    """Context paths read and purity of something that renders."""

    depends_on: frozenset[str] = frozenset()
    purity: Purity = "pure"

    def merge(self, *others: Facts) -> Facts:
        """Union of the reads, least purity."""
        return Facts(
            self.depends_on.union(*(o.depends_on for o in others)),
            combine((self.purity, *(o.purity for o in others))),
        )

    def without_roots(self, names: Iterable[str]) -> Facts:
        """These facts minus the paths rooted at ``names`` (bound by the reader)."""
        drop = frozenset(names)
        return Facts(frozenset(p for p in self.depends_on if root(p) not in drop), self.purity)

    def without_context(self) -> Facts:
        """Only the purity: what is rendered without access to the caller's context."""
        return Facts(frozenset(), self.purity)


EMPTY = Facts()
UNKNOWN = Facts(purity="unknown")


class Linker(Protocol):
    """What a scan needs to know about the template it belongs to."""

    @property
    def hoisted(self) -> frozenset[str]:
        """Template-level names (defs, regions, imports), visible everywhere."""
        ...

    def hoists(self, node: n.Def) -> bool:
        """Whether ``node`` is one of the definitions scanned when called.

        A macro inside a loop, ``with`` or another scoped construct is not: it
        is bound where it stands, and its body is read there.
        """
        ...

    def call(
        self, name: str, attr: str | None, deliver: Callable[[Facts], object]
    ) -> Handoff | None:
        """Pass ``deliver`` the facts of calling def/region ``name`` (or ``name.attr``).

        When the called body still has to be scanned, return that scan for the
        caller's walk to run; ``deliver`` is called at its end. Otherwise
        ``deliver`` has been called already and the result is None.
        """
        ...

    def include(self, node: n.Include | n.Embed) -> Facts:
        """Facts of rendering an included or embedded template (without context if so declared)."""
        ...

    def super_of(self, block: str) -> Facts:
        """Facts of ``super()`` inside block ``block``."""
        ...


@dataclass(slots=True)
class Section:
    """A scanned part of a template: the top level, one block, or one def body."""

    reads: set[str] = field(default_factory=set)
    purity: Purity = "pure"
    nested: list[str] = field(default_factory=list)

    def facts(self) -> Facts:
        """The section's own reads and purity (nested blocks excluded)."""
        return Facts(frozenset(self.reads), self.purity)

    def add(self, facts: Facts) -> None:
        """Merge facts of something rendered from this section."""
        self.reads |= facts.depends_on
        self.purity = combine((self.purity, facts.purity))


@dataclass(frozen=True, slots=True)
class Handoff:
    """Tasks that run on another scanner within the same walk (a called def's body)."""

    scanner: Scanner
    tasks: list[Task]


def drive(start: Handoff) -> None:
    """Run ``start`` and every task its visit methods add, each on its own scanner.

    One loop serves every scanner of the walk, so neither long chains nor
    defs calling defs make Python recurse.
    """
    pending: list[tuple[Scanner, Task]] = [(start.scanner, start)]
    while pending:
        owner, task = pending.pop()
        if isinstance(task, Handoff):
            owner, more = task.scanner, task.tasks
        elif isinstance(task, n.Node):
            more = list(owner.dispatch(task))
        else:
            if task is not None:
                task()
            continue
        pending += ((owner, item) for item in reversed(more))


def path_of(expr: n.Expr) -> tuple[str, ...] | None:
    """The static chain ``expr`` denotes (``page.title`` → ``("page", "title")``), if any."""
    parts: list[str] = []  # outermost first; a loop, as chains can be long
    while not isinstance(expr, n.Name):
        if isinstance(expr, n.Getattr):
            parts.append(expr.attr)
        elif (
            isinstance(expr, n.Getitem)
            and isinstance(expr.key, n.Const)
            and isinstance(expr.key.value, str)
        ):
            parts.append(expr.key.value)
        else:
            return None
        expr = expr.obj
    return (expr.name, *reversed(parts))


class Scanner(NodeVisitor):
    """Walks template nodes in source order, collecting reads and purity per section.

    With ``split_blocks`` every block and region gets its own :class:`Section`
    (listed in :attr:`blocks` in source order and recorded in the enclosing
    section's ``nested``); without it their bodies count for the enclosing
    section. Def bodies are skipped: they are scanned on their own.

    The walk uses an explicit stack of tasks (see :func:`drive`) instead of
    recursion, because long operator and filter chains nest deeper than
    Python's recursion limit: a node's ``visit_<ClassName>`` method does its
    own work and returns the tasks for its children -- nodes, callbacks such
    as closing a scope, and the scan of a called def -- which run, in order,
    before whatever followed the node. Scoping comes from
    :mod:`kida_core.symbols`: nodes without a method of their own are walked
    by :meth:`generic_visit` with the names their scope binds.
    """

    def __init__(
        self,
        linker: Linker,
        rules: PurityRules,
        known_globals: frozenset[str],
        *,
        split_blocks: bool = True,
        specials: frozenset[str] = frozenset(),
        bound: Iterable[str] = (),
        values: Mapping[str, Facts] | None = None,
    ) -> None:
        self._linker = linker
        self._rules = rules
        self._globals = known_globals
        self._split = split_blocks
        self._specials = specials
        self.values = dict(values or {})
        self._bound = set(bound) | self.values.keys()
        self._scopes: list[frozenset[str]] = []
        #: For each non-scoped block being scanned, innermost last: how many of
        #: ``_scopes`` it cannot see (it renders with the template context only).
        self._hidden: list[int] = [0]
        #: For each ``for`` loop being scanned, innermost last: whether it is recursive.
        self._loops: list[bool] = []
        self._sections = [Section()]
        self._block_names: list[str] = []
        self.blocks: dict[str, tuple[n.Block | n.Region, Section]] = {}

    @property
    def top(self) -> Section:
        """The outermost section (outside every block)."""
        return self._sections[0]

    def scan(self, nodes: Sequence[n.Node], *, scope: Iterable[str] = ()) -> None:
        """Visit ``nodes`` with ``scope`` names bound locally."""
        drive(Handoff(self, self.scoped(nodes, scope)))

    # -- names -------------------------------------------------------------------

    def _in_scope(self, name: str) -> bool:
        """Whether ``name`` is bound by a scope visible here (a loop, ``with``...)."""
        return any(name in scope for scope in self._scopes[self._hidden[-1] :])

    def _is_local(self, name: str) -> bool:
        return name in self._bound or self._in_scope(name)

    def _is_known(self, name: str) -> bool:
        return (
            self._is_local(name)
            or name in self._specials
            or name in self._linker.hoisted
            or name in self._globals
        )

    def _read(self, path: tuple[str, ...]) -> None:
        name = path[0]
        if self._in_scope(name):
            return
        if name in self._bound:
            self._section.add(self.values.get(name, EMPTY))
        elif not self._is_known(name):
            self._section.reads.add(".".join(path))

    def _bind(self, names: Iterable[str], facts: Facts) -> None:
        """Bind template-scope names to a value computed from ``facts``."""
        for name in names:
            self.values[name] = self.values.get(name, EMPTY).merge(facts)
            self._bound.add(name)

    # -- task builders -----------------------------------------------------------

    def scoped(self, nodes: Iterable[n.Node], scope: Iterable[str]) -> list[Task]:
        """Tasks visiting ``nodes`` with ``scope`` names bound locally."""
        names = frozenset(scope)
        return [lambda: self._scopes.append(names), *nodes, self._scopes.pop]

    def _collect(self, nodes: Iterable[n.Node], then: Callable[[Facts], object]) -> list[Task]:
        """Tasks visiting ``nodes`` for the current section; ``then`` gets what they alone read."""
        section = Section()

        def finish() -> None:
            self._sections.pop()
            self._section.nested += section.nested
            self._section.add(section.facts())
            then(section.facts())

        return [lambda: self._sections.append(section), *nodes, finish]

    @property
    def _section(self) -> Section:
        return self._sections[-1]

    def _mark(self, purity: Purity) -> None:
        self._section.purity = combine((self._section.purity, purity))

    # -- expressions -------------------------------------------------------------

    def generic_visit(self, node: n.Node) -> list[Task] | None:
        """A node without a method of its own: its children, in source order.

        Those evaluated inside the scope it opens see the names it binds there.
        """
        if node.opens is None:
            return None
        parts = symbols.scope_parts(node)
        inside = self.scoped(parts.inside, symbols.inner_names(node))
        return [*parts.before, *inside, *parts.after]

    def visit_Name(self, node: n.Name) -> list[Task]:
        self._read((node.name,))
        return []

    def visit_Getattr(self, node: n.Getattr | n.Getitem) -> list[Task]:
        path = path_of(node)
        if path is not None:
            self._read(path)
            return []
        return [node.obj] if isinstance(node, n.Getattr) else [node.obj, node.key]

    visit_Getitem = visit_Getattr

    def visit_Call(self, node: n.Call) -> list[Task]:
        func = node.func
        callee: Task = None
        if isinstance(func, n.Name):
            callee = self._call_name(func.name)
        elif _is_self_block(func) and not self._is_local("self"):
            # ``self.name()``: the most derived definition of a block, which a
            # template extending this one may provide; it is not a context read.
            self._mark("unknown")
        elif (
            isinstance(func, n.Getattr)
            and isinstance(func.obj, n.Name)
            and func.obj.name in self._linker.hoisted
            and not self._is_local(func.obj.name)
        ):
            callee = self._linker.call(func.obj.name, func.attr, self._section.add)
        else:
            self._mark("unknown")
            callee = func.obj if isinstance(func, n.Getattr) else func
        return [callee, *node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]

    def _call_name(self, name: str) -> Handoff | None:
        """Account for calling ``name``; the scan of a def still to be scanned, if any."""
        if name == "loop" and self._loops and self._loops[-1]:
            pass  # renders the recursive loop's body again: as pure as it
        elif name == "super" and self._block_names and not self._is_local(name):
            self._section.add(self._linker.super_of(self._block_names[-1]))
        elif name in self._specials:
            pass
        elif self._is_local(name):
            self._mark("unknown")
        elif name in self._linker.hoisted:
            return self._linker.call(name, None, self._section.add)
        else:
            self._read((name,))
            self._mark(self._rules.function(name))
        return None

    def visit_Filter(self, node: n.Filter | n.FilterCall) -> list[Task]:
        self._mark(self._rules.filter(node.name))
        return list(n.iter_child_nodes(node))

    visit_FilterCall = visit_Filter

    def visit_Await(self, node: n.Await) -> list[Task]:
        self._mark("unknown")
        return [node.value]

    def visit_Trans(self, node: n.Trans) -> list[Task]:
        self._mark("impure")  # the output depends on the language of the render
        return list(n.iter_child_nodes(node))

    def visit_Set(self, node: n.Set) -> list[Task]:
        tasks: list[Task] = []
        for assign in node.assignments:
            bind = partial(self._bind, symbols.bound_names(assign))
            tasks += self._collect(symbols.value_reads(assign), bind)
        return tasks

    def visit_Capture(self, node: n.Capture) -> list[Task]:
        bind = partial(self._bind, symbols.bound_names(node))
        return self._collect([*node.body, *node.filters], bind)

    def visit_For(self, node: n.For) -> list[Task]:
        parts = symbols.scope_parts(node)
        inside = self.scoped(parts.inside, symbols.inner_names(node))
        enter = partial(self._loops.append, node.recursive)
        return [*parts.before, enter, *inside, self._loops.pop, *parts.after]

    def visit_NamespaceSet(self, node: n.NamespaceSet) -> list[Task]:
        return [node.namespace, *self._collect([node.value], partial(self._store, node))]

    def visit_NamespaceCapture(self, node: n.NamespaceCapture) -> list[Task]:
        store = partial(self._store, node)
        return [*self._collect([*node.body, *node.filters], store), node.namespace]

    def _store(self, node: n.NamespaceSet | n.NamespaceCapture, facts: Facts) -> None:
        """A write into a template-made namespace: reading it later reads ``facts`` too."""
        target = node.namespace
        if isinstance(target, n.Name) and target.name in self._bound:
            self._bind((target.name,), facts)

    def visit_Include(self, node: n.Include) -> list[Task]:
        return [node.template, partial(self._link_include, node)]

    def visit_Embed(self, node: n.Embed) -> list[Task]:
        # The overrides read in this scope; the embedded template's reads count as an include's.
        return [node.template, *node.blocks, partial(self._link_include, node)]

    def _link_include(self, node: n.Include | n.Embed) -> None:
        """Add what the included template reads (after its target expression)."""
        facts = self._linker.include(node)
        local = {root(p) for p in facts.depends_on if self._is_local(root(p))}
        for name in local:
            self._read((name,))
        self._section.add(facts.without_roots(local))

    def visit_Block(self, node: n.Block) -> list[Task]:
        return [node.condition, *self._enter(node, [], node.body, [])]

    def visit_Region(self, node: n.Region) -> list[Task]:
        # Only the parameters: ``caller``/``has_slot`` count as reads in a region.
        parts = symbols.scope_parts(node)
        params = symbols.inner_names(node, implicit=False)
        return self._enter(node, parts.before, parts.inside, params)

    def _enter(
        self,
        node: n.Block | n.Region,
        before: Sequence[n.Node],
        body: Sequence[n.Node],
        names: Iterable[str],
    ) -> list[Task]:
        """Tasks scanning a block or region (its own section with ``split_blocks``).

        ``before`` (parameter defaults) is read in that section, ``body`` with
        ``names`` bound. A block that is not ``scoped`` renders with the
        template context alone: the loop variables and ``with`` names around it
        are context reads inside it.
        """
        sees_around = isinstance(node, n.Region) or node.scoped

        def open_section() -> None:
            self._hidden.append(self._hidden[-1] if sees_around else len(self._scopes))
            if self._split:
                section = Section()
                self._section.nested.append(node.name)
                self.blocks[node.name] = (node, section)
                self._sections.append(section)
            self._block_names.append(node.name)

        def close_section() -> None:
            self._hidden.pop()
            self._block_names.pop()
            if self._split:
                self._sections.pop()

        return [open_section, *before, *self.scoped(body, names), close_section]

    def visit_Def(self, node: n.Def) -> list[Task]:
        """Def bodies are scanned separately, when called."""
        return []

    def visit_Macro(self, node: n.Macro) -> list[Task] | None:
        """A macro body is read where it stands, with its parameters and implicit names.

        A macro bound in place (inside a loop or ``with``) is not scanned again
        when called: its name is local from here on.
        """
        if not self._linker.hoists(node):
            self._bind((node.name,), EMPTY)
        return self.generic_visit(node)


def _is_self_block(func: n.Expr) -> bool:
    """Whether ``func`` is ``self.<block>`` (called, it renders that block)."""
    return (
        isinstance(func, n.Getattr)
        and isinstance(func.obj, n.Name)
        and func.obj.name == "self"
        and not func.optional
    )
