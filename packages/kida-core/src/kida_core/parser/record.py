"""What the parser noted while building a tree, so the compiler need not walk it again."""

from __future__ import annotations

from dataclasses import dataclass, field

from kida_core.nodes import Block, Extends, Region, TemplateNode


@dataclass(slots=True, eq=False)
class Section:
    """An ``extends``, ``block`` or ``region`` and where it stands in the tree."""

    #: At the top level: directly, or in a top-level ``{% globals %}``/``{% imports %}``.
    top_level: bool
    #: Inside a def, macro or call block.
    inside_callable: bool
    #: Set once the node is built (its entry is made when its tag starts).
    node: Extends | Block | Region | None = None


@dataclass(slots=True, eq=False)
class ParseRecord:
    """The nodes of one parsed tree that shape its compiled layout.

    ``sections`` holds every ``extends``, ``block`` and ``region`` of the tree
    in the order a depth-first walk of the tree meets them. ``filters``, ``tests``
    and ``calls`` are the names of every filter (``|f`` and ``{% filter f %}``),
    test and call of a plain name, in no particular order.
    """

    #: The tree described; a record describes no other tree (e.g. a rewritten one).
    root: TemplateNode | None = None
    sections: list[Section] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    #: An ``{% async for %}`` or an ``await`` exists.
    is_async: bool = False
    #: An ``{% include %}`` exists.
    includes: bool = False
    #: False when the tree keeps some sections in another order than the source
    #: (a call block stores its slots apart from its body): the record is unusable.
    in_order: bool = True

    def describes(self, root: TemplateNode) -> bool:
        """Whether this record is complete and was made while parsing ``root`` itself."""
        return self.root is root and self.in_order
