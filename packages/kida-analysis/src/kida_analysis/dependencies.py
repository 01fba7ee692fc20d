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
names, known globals, and names bound by ``set``/``let``/``export``/
``promote``/``capture``. The latter are tracked in source order: once a name
is bound anywhere earlier in the template it counts as local, while a read
before the first binding (and the target of ``x ??= v`` before it) is a
dependency. Reading such a local counts what its value read instead: after
``{% let heading = page.title %}`` a block showing ``heading`` depends on
``page.title`` (and is as pure as the value), wherever the block is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kida_analysis.purity import PurityRules, combine
from kida_core import nodes as n
from kida_core.metadata import Purity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "EMPTY",
    "UNKNOWN",
    "Facts",
    "Linker",
    "Scanner",
    "Section",
    "path_of",
    "root",
    "target_names",
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

    def call(self, name: str, attr: str | None) -> Facts | None:
        """Facts of calling def/region ``name`` (or ``name.attr`` of an imported module)."""
        ...

    def include(self, node: n.Include) -> Facts:
        """Facts of rendering an included template (already without context if so declared)."""
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


def path_of(expr: n.Expr) -> tuple[str, ...] | None:
    """The static chain ``expr`` denotes (``page.title`` → ``("page", "title")``), if any."""
    if isinstance(expr, n.Name):
        return (expr.name,)
    if isinstance(expr, n.Getattr):
        base = path_of(expr.obj)
        return None if base is None else (*base, expr.attr)
    if isinstance(expr, n.Getitem) and isinstance(expr.key, n.Const):
        key = expr.key.value
        base = path_of(expr.obj) if isinstance(key, str) else None
        return None if base is None else (*base, key)  # type: ignore[arg-type]
    return None


def target_names(expr: n.Expr) -> list[str]:
    """Names bound by an assignment or loop target."""
    if isinstance(expr, n.Name):
        return [expr.name]
    if isinstance(expr, n.TupleExpr | n.ListExpr):
        return [name for item in expr.items for name in target_names(item)]
    return []


class Scanner:
    """Walks template nodes in source order, collecting reads and purity per section.

    With ``split_blocks`` every block and region gets its own :class:`Section`
    (listed in :attr:`blocks` in source order and recorded in the enclosing
    section's ``nested``); without it their bodies count for the enclosing
    section. Def bodies are skipped: they are scanned on their own.
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
        self._sections = [Section()]
        self._block_names: list[str] = []
        self.blocks: dict[str, tuple[n.Block | n.Region, Section]] = {}

    @property
    def top(self) -> Section:
        """The outermost section (outside every block)."""
        return self._sections[0]

    def scan(self, nodes: Sequence[n.Node], *, scope: Iterable[str] = ()) -> None:
        """Visit ``nodes`` with ``scope`` names bound locally."""
        self._scopes.append(frozenset(scope))
        for node in nodes:
            self._visit(node)
        self._scopes.pop()

    # -- names -------------------------------------------------------------------

    def _is_local(self, name: str) -> bool:
        return name in self._bound or any(name in scope for scope in self._scopes)

    def _is_known(self, name: str) -> bool:
        return (
            self._is_local(name)
            or name in self._specials
            or name in self._linker.hoisted
            or name in self._globals
        )

    def _read(self, path: tuple[str, ...]) -> None:
        name = path[0]
        if any(name in scope for scope in self._scopes):
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

    def _collect(self, nodes: Sequence[n.Node | None]) -> Facts:
        """Visit ``nodes`` for the current section and return what they alone read."""
        section = Section()
        self._sections.append(section)
        self._children(*nodes)
        self._sections.pop()
        self._section.nested += section.nested
        self._section.add(section.facts())
        return section.facts()

    @property
    def _section(self) -> Section:
        return self._sections[-1]

    def _mark(self, purity: Purity) -> None:
        self._section.purity = combine((self._section.purity, purity))

    # -- dispatch ----------------------------------------------------------------

    def _visit(self, node: n.Node) -> None:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            for child in n.iter_child_nodes(node):
                self._visit(child)
        else:
            handler(self, node)

    def _children(self, *nodes: n.Node | Sequence[n.Node] | None) -> None:
        for item in nodes:
            if isinstance(item, n.Node):
                self._visit(item)
            elif item is not None:
                for node in item:
                    self._visit(node)

    # -- expressions -------------------------------------------------------------

    def _name(self, node: n.Name) -> None:
        self._read((node.name,))

    def _access(self, node: n.Getattr | n.Getitem) -> None:
        path = path_of(node)
        if path is not None:
            self._read(path)
        elif isinstance(node, n.Getattr):
            self._visit(node.obj)
        else:
            self._children(node.obj, node.key)

    def _call(self, node: n.Call) -> None:
        func = node.func
        if isinstance(func, n.Name):
            self._call_name(func.name)
        elif (
            isinstance(func, n.Getattr)
            and isinstance(func.obj, n.Name)
            and func.obj.name in self._linker.hoisted
            and not self._is_local(func.obj.name)
        ):
            self._section.add(self._linker.call(func.obj.name, func.attr) or UNKNOWN)
        else:
            self._mark("unknown")
            self._visit(func.obj if isinstance(func, n.Getattr) else func)
        self._children(node.args, node.kwargs, node.dyn_args, node.dyn_kwargs)

    def _call_name(self, name: str) -> None:
        if name == "super" and self._block_names and not self._is_local(name):
            self._section.add(self._linker.super_of(self._block_names[-1]))
        elif name in self._specials:
            return
        elif self._is_local(name):
            self._mark("unknown")
        elif name in self._linker.hoisted:
            self._section.add(self._linker.call(name, None) or UNKNOWN)
        else:
            self._read((name,))
            self._mark(self._rules.function(name))

    def _filter(self, node: n.Filter | n.FilterCall) -> None:
        self._mark(self._rules.filter(node.name))
        for child in n.iter_child_nodes(node):
            self._visit(child)

    def _await(self, node: n.Await) -> None:
        self._mark("unknown")
        self._visit(node.value)

    def _listcomp(self, node: n.ListComp) -> None:
        self._visit(node.iter)
        self.scan([node.elt, *([node.cond] if node.cond else [])], scope=target_names(node.target))

    # -- statements --------------------------------------------------------------

    def _for(self, node: n.For) -> None:
        self._visit(node.iter)
        inner = [*([node.test] if node.test else []), *node.body]
        self.scan(inner, scope=[*target_names(node.target), "loop"])
        self._children(node.else_)

    def _set(self, node: n.Set) -> None:
        for assign in node.assignments:
            names = target_names(assign.target)
            read = [assign.value, assign.target] if assign.coalesce else [assign.value]
            self._bind(names, self._collect(read))

    def _capture(self, node: n.Capture) -> None:
        self._bind([node.name], self._collect([*node.body, *node.filters]))

    def _with(self, node: n.With) -> None:
        self._children(tuple(a.value for a in node.assignments))
        names = [name for a in node.assignments for name in target_names(a.target)]
        self.scan(node.body, scope=names)

    def _with_cond(self, node: n.WithCond) -> None:
        self._children(node.values)
        self.scan(node.body, scope=node.targets)
        self._children(node.else_)

    def _match(self, node: n.Match) -> None:
        self._children(node.subject)
        for case in node.cases:
            captures: list[str] = []
            self._pattern(case.pattern, captures)
            self.scan([*([case.guard] if case.guard else []), *case.body], scope=captures)

    def _pattern(self, pattern: n.Expr, captures: list[str]) -> None:
        if isinstance(pattern, n.Name):
            if pattern.name != "_":
                captures.append(pattern.name)
        elif isinstance(pattern, n.TupleExpr):
            for item in pattern.items:
                self._pattern(item, captures)
        else:
            self._visit(pattern)

    def _try(self, node: n.Try) -> None:
        self._children(node.body)
        self.scan(node.fallback, scope=[node.error_name] if node.error_name else [])

    def _include(self, node: n.Include) -> None:
        self._visit(node.template)
        facts = self._linker.include(node)
        local = {root(p) for p in facts.depends_on if self._is_local(root(p))}
        for name in local:
            self._read((name,))
        self._section.add(facts.without_roots(local))

    def _block(self, node: n.Block) -> None:
        self._children(node.condition)
        self._enter(node, node.body)

    def _region(self, node: n.Region) -> None:
        self._enter(node, node.body, node.params)

    def _enter(
        self, node: n.Block | n.Region, body: n.Body, params: tuple[n.Param, ...] = ()
    ) -> None:
        if self._split:
            section = Section()
            self._section.nested.append(node.name)
            self.blocks[node.name] = (node, section)
            self._sections.append(section)
        self._block_names.append(node.name)
        self._children(tuple(p.default for p in params if p.default is not None))
        self.scan(body, scope=[p.name for p in params])
        self._block_names.pop()
        if self._split:
            self._sections.pop()

    def _skip(self, node: n.Node) -> None:
        """Def bodies are scanned separately, when called."""


_HANDLERS: dict[type[n.Node], Callable[[Scanner, Any], None]] = {
    n.Name: Scanner._name,
    n.Getattr: Scanner._access,
    n.Getitem: Scanner._access,
    n.Call: Scanner._call,
    n.Filter: Scanner._filter,
    n.FilterCall: Scanner._filter,
    n.Await: Scanner._await,
    n.ListComp: Scanner._listcomp,
    n.For: Scanner._for,
    n.Set: Scanner._set,
    n.Capture: Scanner._capture,
    n.With: Scanner._with,
    n.WithCond: Scanner._with_cond,
    n.Match: Scanner._match,
    n.Try: Scanner._try,
    n.Include: Scanner._include,
    n.Block: Scanner._block,
    n.Region: Scanner._region,
    n.Def: Scanner._skip,
}
