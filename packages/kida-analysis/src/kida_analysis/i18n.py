"""Message extraction: the translatable strings of a template, for a ``.pot`` catalog.

Two sources of messages, found in document order:

* ``{% trans %}`` blocks, reported under the gettext function they compile to:
  ``gettext`` (singular), ``ngettext`` (with ``{% plural %}``), ``pgettext`` /
  ``npgettext`` (with a context string). The message ids are the ones looked
  up at render time. Expressions bound in the tag are searched too:
  ``{% trans title=_("Home") %}`` also yields ``Home``.
* Calls of a gettext function by its bare name with string literals:
  ``_("Hello")``, ``_n("One", "Many", n)``, ``pgettext("menu", "Post")``.
  Which names count, and which argument is what, is given by *keywords* in
  Babel's form (``{"_": (1,), "_n": (1, 2), "pgettext": ((1, "c"), 2)}``):
  the 1-based positions of the message ids, a ``(position, "c")`` pair for
  the context. A call is skipped when an argument named there is not a
  string literal, when a non-plural form has other positional arguments
  (``_("a", "b")``) or when a plural form lacks the count (``_n("s", "p")``);
  keyword arguments are ignored.

:class:`ExtractMessagesVisitor` walks a parsed template; :func:`extract_from_source`
also parses and attaches translator comments (``{# NOTE: … #}`` on the line of
a message or the line before, when ``NOTE:`` is a comment tag);
:func:`extract_from_ast` gives the tuples Jinja2's function of that name gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeAlias

from kida_core import nodes as n
from kida_core.visitor import NodeVisitor

if TYPE_CHECKING:
    from kida_core.lexer import Comment, LexerConfig

__all__ = [
    "DEFAULT_KEYWORDS",
    "GETTEXT_FUNCTIONS",
    "ExtractMessagesVisitor",
    "ExtractedMessage",
    "KeywordSpec",
    "TranslatorComments",
    "extract_from_ast",
    "extract_from_source",
    "parse_keyword",
    "parse_template",
]

#: Positions (1-based) of a gettext function's message ids; ``(position, "c")`` is the context.
KeywordSpec: TypeAlias = tuple[int | tuple[int, Literal["c"]], ...]
Function: TypeAlias = Literal["gettext", "ngettext", "pgettext", "npgettext"]

DEFAULT_KEYWORDS: Mapping[str, KeywordSpec] = {
    "_": (1,),
    "gettext": (1,),
    "_n": (1, 2),
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
"""The functions recognised by default: Kida's ``_``/``_n`` and the four gettext globals."""

GETTEXT_FUNCTIONS: tuple[str, ...] = ("_", "_n", "gettext", "ngettext", "pgettext", "npgettext")
"""The names :func:`extract_from_ast` looks for by default."""


@dataclass(frozen=True, slots=True)
class ExtractedMessage:
    """One translatable message and where it was found.

    ``message`` is the msgid (``gettext``), ``(msgid, msgid_plural)``
    (``ngettext``), ``(context, msgid)`` (``pgettext``) or
    ``(context, msgid, msgid_plural)`` (``npgettext``).
    """

    filename: str
    lineno: int
    function: str
    message: str | tuple[str, ...]
    comments: tuple[str, ...] = ()

    @property
    def context(self) -> str | None:
        """The message context (msgctxt), if any."""
        if self.function in ("pgettext", "npgettext"):
            return self.message[0]
        return None

    @property
    def msgid(self) -> str:
        """The singular message id."""
        if isinstance(self.message, str):
            return self.message
        return self.message[1 if self.context is not None else 0]

    @property
    def msgid_plural(self) -> str | None:
        """The plural message id, if the message has one."""
        if self.function in ("ngettext", "npgettext"):
            return self.message[-1]
        return None


def _function(context: bool, plural: bool) -> Function:
    """The gettext function of a message with or without context and plural."""
    if context:
        return "npgettext" if plural else "pgettext"
    return "ngettext" if plural else "gettext"


def _trans_parts(node: n.Trans) -> list[n.Node]:
    """The expressions of a trans tag, each once (the count may be one of the bindings)."""
    exprs: list[n.Node] = [var.expr for var in node.variables]
    if node.count_expr is not None and not any(node.count_expr is e for e in exprs):
        exprs.append(node.count_expr)
    return exprs


def _string_args(call: n.Call) -> list[str | None] | None:
    """The positional arguments of ``call``: literal strings, None for anything else.

    None when the positional arguments are not all written out (``*args``).
    """
    if call.dyn_args is not None:
        return None
    return [
        arg.value if isinstance(arg, n.Const) and isinstance(arg.value, str) else None
        for arg in call.args
    ]


class ExtractMessagesVisitor(NodeVisitor):
    """Collects the messages of a template tree (reusable: :meth:`extract` starts afresh)."""

    def __init__(
        self, filename: str = "<template>", keywords: Mapping[str, KeywordSpec] = DEFAULT_KEYWORDS
    ) -> None:
        self.filename = filename
        self.keywords = dict(keywords)
        self._messages: list[ExtractedMessage] = []

    def extract(self, node: n.Node) -> list[ExtractedMessage]:
        """The messages of the tree under ``node``, in document order."""
        self._messages = []
        self.visit(node)
        return self._messages

    def visit_Trans(self, node: n.Trans) -> list[n.Node]:
        parts = (node.context, node.singular, node.plural)
        message = tuple(part for part in parts if part is not None)
        self._add(
            node.lineno, _function(node.context is not None, node.plural is not None), message
        )
        return _trans_parts(node)

    def visit_Call(self, node: n.Call) -> None:
        if isinstance(node.func, n.Name) and node.func.name in self.keywords:
            self._call(node, self.keywords[node.func.name])

    def _call(self, node: n.Call, spec: KeywordSpec) -> None:
        args = _string_args(node)
        if args is None:
            return
        positions = [item if isinstance(item, int) else item[0] for item in spec]
        plural = sum(isinstance(item, int) for item in spec) == 2
        # A plural form takes the count after its strings; other forms take nothing more.
        if len(args) < max(positions) + plural or (not plural and len(args) != max(positions)):
            return
        context = [args[item[0] - 1] for item in spec if not isinstance(item, int)]
        ids = [args[item - 1] for item in spec if isinstance(item, int)]
        strings = tuple(s for s in (*context, *ids) if s is not None)
        if len(strings) == len(spec):
            self._add(node.lineno, _function(bool(context), plural), strings)

    def _add(self, lineno: int, function: Function, strings: tuple[str, ...]) -> None:
        message = strings[0] if len(strings) == 1 else strings
        self._messages.append(ExtractedMessage(self.filename, lineno, function, message))


_KEYWORD_RE = re.compile(r"\s*(?P<name>[^\W\d]\w*)\s*(?::(?P<args>[^:]*))?\Z")
_ARG_RE = re.compile(r"\s*(?P<position>[1-9]\d*)(?P<context>c?)\s*\Z")


def parse_keyword(text: str) -> tuple[str, KeywordSpec]:
    """A keyword given as xgettext's ``NAME[:ARGS]`` (``_``, ``tr:2``, ``ntr:1,2``, ``ptr:1c,2``).

    ``NAME`` alone means the message is the first argument. Raises
    :class:`ValueError` for anything else.
    """
    match = _KEYWORD_RE.match(text)
    if match is None:
        raise ValueError(f"invalid keyword {text!r}: expected NAME or NAME:ARGS, e.g. 'tr:1,2'")
    if match["args"] is None:
        return match["name"], (1,)
    spec: list[int | tuple[int, Literal["c"]]] = []
    for part in match["args"].split(","):
        arg = _ARG_RE.match(part)
        if arg is None:
            raise ValueError(
                f"invalid keyword {text!r}: {part.strip()!r} is not an argument position "
                "(a number from 1, followed by 'c' for the context)"
            )
        position = int(arg["position"])
        spec.append((position, "c") if arg["context"] else position)
    positions = [item if isinstance(item, int) else item[0] for item in spec]
    ids = sum(isinstance(item, int) for item in spec)
    if len(set(positions)) != len(positions) or not 1 <= ids <= 2 or len(spec) - ids > 1:
        raise ValueError(
            f"invalid keyword {text!r}: give one or two message positions, at most one "
            "context position ('c'), each position once"
        )
    return match["name"], tuple(spec)


class TranslatorComments:
    """Hands out the translator comments of one template, each to one message.

    A comment is a translator comment when its text starts with one of the
    ``tags``; it belongs to the first message, in document order, on the line
    the comment ends on or the line after (and on a line the comment has
    started by). The comment is given whole, tag included.
    """

    def __init__(self, comments: Iterable[Comment], tags: Iterable[str]) -> None:
        tags = tuple(tag for tag in tags if tag)
        self._pending = [c for c in comments if tags and c.text.startswith(tags)]

    def take(self, lineno: int) -> tuple[str, ...]:
        """The comments of a message on line ``lineno`` (messages asked for in document order)."""
        taken = [c for c in self._pending if c.lineno <= lineno <= c.end_lineno + 1]
        # Comments before this line can no longer belong to a later message.
        self._pending = [c for c in self._pending if c.end_lineno >= lineno and c not in taken]
        return tuple(c.text for c in taken)


def parse_template(
    source: str, filename: str = "<template>", config: LexerConfig | None = None
) -> tuple[n.TemplateNode, list[Comment]]:
    """The tree and the comments of ``source``, parsed as extraction reads it.

    A ``{% trans %}`` body may use undeclared names (they give the same
    placeholders as declared ones), whatever an Environment's
    ``ext.i18n.implicit_variables`` policy says: messages are extracted from
    every template an application may accept. A template that does not parse
    raises its ``TemplateSyntaxError``.
    """
    # Deferred: analysing compiled templates never needs the lexer or the parser.
    from kida_core.lexer import Lexer
    from kida_core.parser import Parser

    lexer = Lexer(source, config, name=filename)
    parser = Parser(lexer.tokenize(), name=filename, source=source, trans_implicit_variables=True)
    return parser.parse(), lexer.comments


def extract_from_source(
    source: str,
    filename: str = "<template>",
    *,
    keywords: Mapping[str, KeywordSpec] = DEFAULT_KEYWORDS,
    comment_tags: Sequence[str] = (),
    config: LexerConfig | None = None,
) -> list[ExtractedMessage]:
    """Parse ``source`` (see :func:`parse_template`); its messages with their translator comments.

    ``config`` gives the delimiters and line syntax (default: an Environment's defaults).
    """
    tree, found = parse_template(source, filename, config)
    messages = ExtractMessagesVisitor(filename, keywords).extract(tree)
    if not comment_tags:
        return messages
    comments = TranslatorComments(found, comment_tags)
    return [
        ExtractedMessage(m.filename, m.lineno, m.function, m.message, comments.take(m.lineno))
        for m in messages
    ]


#: One message as Jinja2 reports it: line, function name, string(s).
JinjaMessage: TypeAlias = "tuple[int, str, str | tuple[str | None, ...] | None]"


class _Finder(NodeVisitor):
    """Collects the trans blocks and the calls of named functions, in document order."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.found: list[n.Trans | n.Call] = []

    def visit_Trans(self, node: n.Trans) -> list[n.Node]:
        self.found.append(node)
        return _trans_parts(node)

    def visit_Call(self, node: n.Call) -> None:
        if isinstance(node.func, n.Name) and node.func.name in self.names:
            self.found.append(node)


def extract_from_ast(
    ast: n.Node,
    gettext_functions: Iterable[str] = GETTEXT_FUNCTIONS,
    babel_style: bool = True,
) -> Iterator[JinjaMessage]:
    """``(lineno, function, message)`` for every trans block and gettext call, as Jinja2 gives.

    A call is reported under the name it is called by, with its positional
    arguments: the string literals, and (``babel_style``) None for any other
    argument and one None for keyword arguments; a single argument is given
    bare. Without ``babel_style`` only the strings are given, always as a
    tuple, and a call without any is skipped. A trans block is reported as
    ``gettext``/``ngettext``/``pgettext``/``npgettext``, the plural forms with
    a None for the count in babel style.
    """
    finder = _Finder(gettext_functions)
    finder.visit(ast)
    for node in finder.found:
        strings: list[str | None]
        if isinstance(node, n.Trans):
            plural = node.plural is not None
            function: str = _function(node.context is not None, plural)
            strings = [s for s in (node.context, node.singular, node.plural) if s is not None]
            if plural:
                strings.append(None)
        else:
            assert isinstance(node.func, n.Name)
            function = node.func.name
            strings = [
                arg.value if isinstance(arg, n.Const) and isinstance(arg.value, str) else None
                for arg in node.args
            ]
            if node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None:
                strings.append(None)
        if not babel_style:
            only = tuple(s for s in strings if s is not None)
            if only:
                yield node.lineno, function, only
        elif len(strings) == 1:
            yield node.lineno, function, strings[0]
        else:
            yield node.lineno, function, tuple(strings)
