"""Template lexer: source text to a flat list of positioned tokens.

The lexer resolves everything that is purely textual so the parser never sees
it: comments vanish (tools find them on ``Lexer.comments``), whitespace
control (``{%-``, ``-%}``, ``{%+``, ``+%}``, ``trim_blocks``,
``lstrip_blocks``) is applied to the surrounding ``DATA`` tokens, and the
body of ``{% raw %}…{% endraw %}`` (or ``{% end %}``) becomes one ``DATA``
token. As in Jinja2, ``trim_blocks``/``lstrip_blocks`` apply to
block tags and comments, never to ``{{ … }}``; every newline of the source
(``\n``, ``\r\n``, ``\r``) reads as ``\n`` and is written out as the
configured ``newline_sequence``, and one trailing newline is dropped unless
``keep_trailing_newline`` is set. With a ``line_statement_prefix`` a line
starting with it is a block tag ending at the end of the line (an optional
trailing ``:`` is dropped); a ``line_comment_prefix`` comments out the rest of
its line (the newline stays).

Inside a tag the lexer produces ``NAME``, ``STRING``, ``INTEGER``, ``FLOAT`` and
``OPERATOR`` tokens. Number literals follow Python: ``0x1F``, ``0o17``,
``0b101``, ``1_000`` and ``1_000.5`` are accepted (underscores between digits),
exponents like ``1e3`` make a float, and ``1..5`` lexes as ``1`` ``..`` ``5`` (a
float needs a digit after the dot); a malformed number (``0x``, ``1__0``,
``017``) is a syntax error. ``STRING`` tokens carry the decoded value (Python
backslash escapes applied).

Scanning uses precompiled regular expressions: one search per tag start, then
for a one-line tag one ``findall`` over its body up to the first closing
delimiter (when that text holds an unterminated string or an open bracket, the
delimiter may not close the tag: the body is then matched token by token, the
closing delimiter counting only outside brackets). Positions are tracked
incrementally, so every token knows its 1-based ``lineno`` and 0-based
``col_offset`` at no extra pass.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Literal, NamedTuple, NoReturn

from kida_core.errors import ErrorCode, LexerError
from kida_core.lexer_config import LexerConfig as LexerConfig

MAX_TOKENS = 100_000

# Longest first, so ``?|>`` wins over ``?|`` and ``...`` over ``..``.
OPERATORS: tuple[str, ...] = tuple(
    sorted(
        [
            "?|>",
            "...",
            "??=",
            "??",
            "?.",
            "?[",
            "?|",
            "|>",
            "..",
            "**",
            "//",
            "==",
            "!=",
            "<=",
            ">=",
            "~",
            "|",
            ":",
            ",",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "=",
            "+",
            "-",
            "*",
            "/",
            "%",
            "<",
            ">",
            ".",
        ],
        key=len,
        reverse=True,
    )
)
_OPENING = frozenset({"(", "[", "{", "?["})
_CLOSING: dict[str, tuple[str, ...]] = {")": ("(",), "]": ("[", "?["), "}": ("{",)}
_BRACKETS = _OPENING | frozenset(_CLOSING)

_ESCAPE_RE = re.compile(
    r"\\(?:(?P<simple>[\\'\"abfnrtv\n])|(?P<oct>[0-7]{1,3})|x(?P<x>[0-9a-fA-F]{2})"
    r"|u(?P<u>[0-9a-fA-F]{4})|U(?P<U>[0-9a-fA-F]{8})|N\{(?P<N>[^}]+)\})"
)
_SIMPLE_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\n": "",
}
_WHITESPACE_RE = re.compile(r"\s*")
_LINE_BLANK_RE = re.compile(r"[ \t]*")
_NEWLINE_RE = re.compile(r"\r\n?")
_RADIX_PREFIXES = ("0x", "0X", "0o", "0O", "0b", "0B")
_NUMBER_HINT = (
    "write integers as 1000 or 1_000 (underscores only between digits), 0x1F, 0o17 or 0b101, "
    "and floats as 1.5 or 1e3"
)

#: What follows a tag: whitespace stripped (``-``), kept (``+``, ``}}``, line
#: statements) or the first newline dropped when ``trim_blocks`` is on.
_After = Literal["strip", "keep", "trim"]


def _skip(pattern: re.Pattern[str], source: str, pos: int) -> int:
    """End of ``pattern`` matched at ``pos`` (both skip patterns accept ``""``)."""
    match = pattern.match(source, pos)
    assert match is not None
    return match.end()


class TokenType(Enum):
    """Kinds of lexer tokens."""

    DATA = "data"
    VARIABLE_BEGIN = "variable_begin"
    VARIABLE_END = "variable_end"
    BLOCK_BEGIN = "block_begin"
    BLOCK_END = "block_end"
    NAME = "name"
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    OPERATOR = "operator"
    EOF = "eof"


#: Token types as module globals for the per-token code: reading a member off
#: the enum class (``TokenType.NAME``) costs several times a global lookup.
_DATA = TokenType.DATA
_NAME = TokenType.NAME
_STRING = TokenType.STRING
_INTEGER = TokenType.INTEGER
_FLOAT = TokenType.FLOAT
_OPERATOR = TokenType.OPERATOR


class Comment(NamedTuple):
    """A template comment (``{# … #}`` or a line comment): where it is and its text.

    The lexer drops comments from the token stream and lists them on
    :attr:`Lexer.comments`, for tools that read them (translator comments).
    """

    lineno: int
    """Line of the comment's opening delimiter."""
    end_lineno: int
    """Line of its closing delimiter (of its last character for a line comment)."""
    text: str
    """The text between the delimiters, whitespace-control marks and surrounding blanks removed."""


class Token(NamedTuple):
    """One token: its type, value (decoded for strings) and start position.

    A named tuple: the lexer makes one per token, and a tuple is built in a
    single step (a frozen dataclass sets each field separately).
    """

    type: TokenType
    value: str
    lineno: int
    col_offset: int


_DEFAULT_CONFIG = LexerConfig()
#: ``_new_tuple(Token, (type, value, lineno, col))`` is ``Token(type, value, lineno, col)``
#: built in one C call; ``Token(...)`` runs the named tuple's ``__new__`` written in
#: Python (the lexer makes every token of a template).
_new_tuple = tuple.__new__


class _FastTag(NamedTuple):
    """How the fast path reads one kind of tag (see :attr:`_Patterns.fast_tags`)."""

    begin: str
    end: str
    marks: str
    begin_type: TokenType
    end_type: TokenType
    after: _After


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Regexes compiled once per delimiter configuration."""

    start: re.Pattern[str]
    #: Tag-body tokenizers by tag kind (``variable``, ``block``, ``line``).
    body_top: dict[str, re.Pattern[str]]
    body_nested: re.Pattern[str]
    raw_open: re.Pattern[str]
    raw_close: re.Pattern[str]
    #: The first characters of the tag openers: only a token starting with one
    #: can be an opener (one inside a tag means that tag was never closed).
    opener_chars: frozenset[str]
    #: Tags the fast path of :meth:`Lexer.tokenize` lexes, by kind: opener,
    #: closing delimiter, the whitespace-control marks that may be glued to it,
    #: token types and what follows the tag when no mark is. Empty when a
    #: closing delimiter could be read as part of a token or the openers start
    #: with different characters; ``block`` is missing with ``lstrip_blocks``.
    fast_tags: dict[str, _FastTag]


def _operator_regex() -> str:
    """Regex matching the longest operator, one branch per first character.

    Equivalent to the operators joined longest first, but the regex engine
    skips a branch after comparing one character.
    """
    tails: dict[str, list[str]] = {}
    for op in OPERATORS:  # longest first
        tails.setdefault(op[0], []).append(op[1:])
    singles = "".join(re.escape(first) for first, ends in tails.items() if ends == [""])
    branches = [f"[{singles}]"]
    for first, ends in tails.items():
        longer = "|".join(re.escape(end) for end in ends if end)
        if longer:
            branches.append(re.escape(first) + f"(?:{longer})" + ("?" if "" in ends else ""))
    return "|".join(branches)


#: Token regexes of a tag body. Each kind starts with characters no other
#: starts with, so the order only matters for speed: the most frequent first.
_TOKEN_REGEXES = (
    ("name", r"[^\W\d]\w*"),
    ("op", _operator_regex()),
    ("string", r"'[^'\\]*(?:\\.[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\""),
    ("number", r"0[xXoObB]\w*|\d\w*(?:\.\d\w*)?(?:(?<=[eE])[+-]\d\w*)?"),
)
#: Characters that continue an operator: a closing delimiter starting with one
#: could be read as the end of an operator begun inside the tag.
_OPERATOR_TAILS = frozenset("".join(op[1:] for op in OPERATORS))
#: Tag-body tokens for ``findall``: ``(blank, token)`` pairs, where a token is
#: one of ``_TOKEN_REGEXES`` or any other non-blank character (a stray one, so
#: no text is ever skipped unnoticed).
_BODY_ALL = re.compile(
    r"(\s*)(" + "|".join(regex for _, regex in _TOKEN_REGEXES) + r"|\S)", re.DOTALL
)
#: The kind of a body token by its first character, for ASCII ones (a token
#: starting with any other character is lexed by the slow path): a name, an
#: operator (``!`` and ``?`` alone are stray), a string (a quote alone is
#: stray) or a number (``_INTEGER`` standing for both).
_FIRST_KINDS: dict[str, TokenType] = {
    **dict.fromkeys(string.ascii_letters + "_", _NAME),
    **dict.fromkeys("".join(op[0] for op in OPERATORS), _OPERATOR),
    **dict.fromkeys("'\"", _STRING),
    **dict.fromkeys(string.digits, _INTEGER),
}


def _body_pattern(end: str | None, blank: str = r"\s*") -> re.Pattern[str]:
    """Tag-body tokenizer: leading ``blank``, then one token.

    ``end`` is the regex of the closing delimiter, recognised only outside brackets.
    A number takes every word character after its first digit (``0x``, ``1__0``
    and ``12ab`` are one malformed token, reported as such, never two tokens).
    """
    parts = [] if end is None else [f"(?P<end>{end})"]
    parts += [f"(?P<{name}>{regex})" for name, regex in _TOKEN_REGEXES]
    return re.compile(blank + "(?:" + "|".join(parts) + ")", re.DOTALL)


def _fast_tags(config: LexerConfig, opener_chars: frozenset[str]) -> dict[str, _FastTag]:
    """The tags the fast path lexes (see :attr:`_Patterns.fast_tags`)."""
    if len(opener_chars) != 1 or not _fast_path_safe(config, opener_chars):
        return {}
    tags = {
        "variable": _FastTag(
            config.variable_start,
            config.variable_end,
            "-",
            TokenType.VARIABLE_BEGIN,
            TokenType.VARIABLE_END,
            "keep",
        )
    }
    if not config.lstrip_blocks:
        tags["block"] = _FastTag(
            config.block_start,
            config.block_end,
            "-+",
            TokenType.BLOCK_BEGIN,
            TokenType.BLOCK_END,
            "trim",
        )
    return tags


def _fast_path_safe(config: LexerConfig, opener_chars: frozenset[str]) -> bool:
    """Whether a tag body ends at the first closing delimiter whenever its tokens are balanced.

    That holds unless the delimiter could continue a token begun inside the tag
    (a word character, a quote, ``.``, an operator's tail, a whitespace-control
    mark) or start a tag opener.
    """
    for end in (config.variable_end, config.block_end):
        first = end[:1]
        if (
            not first
            or first.isspace()
            or re.match(r"\w", first)
            or first in "'\".-+"
            or first in _OPERATOR_TAILS
            or first in opener_chars
        ):
            return False
    return True


@lru_cache(maxsize=32)
def _patterns(config: LexerConfig) -> _Patterns:
    """Compile (and cache) the regexes for one delimiter set.

    Openers are tried longest first; a line statement starts at a line start
    (after spaces and tabs), a line comment takes the blanks before it along.
    """
    starts = [
        (config.variable_start, f"(?P<variable>{re.escape(config.variable_start)})"),
        (config.block_start, f"(?P<block>{re.escape(config.block_start)})"),
        (config.comment_start, f"(?P<comment>{re.escape(config.comment_start)})"),
    ]
    if config.line_statement_prefix:
        prefix = config.line_statement_prefix
        starts.append((prefix, rf"(?P<line>^[ \t\v]*{re.escape(prefix)})"))
    if config.line_comment_prefix:
        prefix = config.line_comment_prefix
        starts.append((prefix, rf"(?P<linecomment>[^\S\n]*{re.escape(prefix)})"))
    starts.sort(key=lambda item: len(item[0]), reverse=True)
    start = re.compile("|".join(regex for _, regex in starts), re.MULTILINE)
    bs, be = re.escape(config.block_start), re.escape(config.block_end)
    opener_chars = frozenset(
        opener[:1] for opener in (config.block_start, config.variable_start, config.comment_start)
    )
    return _Patterns(
        start=start,
        body_top={
            "variable": _body_pattern(rf"-?{re.escape(config.variable_end)}"),
            "block": _body_pattern(rf"[-+]?{be}"),
            "line": _body_pattern(r"\n|\Z", r"[^\S\n]*"),
        },
        body_nested=_body_pattern(None),
        raw_open=re.compile(rf"\s*raw\s*(-?){be}"),
        raw_close=re.compile(rf"{bs}([-+]?)\s*end(?:raw)?\s*([-+]?){be}"),
        opener_chars=opener_chars,
        fast_tags=_fast_tags(config, opener_chars),
    )


def _unescape_match(match: re.Match[str]) -> str:
    """Replacement for one backslash escape (unknown ones are kept verbatim)."""
    kind = match.lastgroup
    assert kind is not None
    text = match.group(kind)
    try:
        if kind == "simple":
            return _SIMPLE_ESCAPES[text]
        if kind == "oct":
            return chr(int(text, 8))
        if kind == "N":
            return unicodedata.lookup(text)
        return chr(int(text, 16))
    except (KeyError, ValueError):
        return match.group()


def _modifier_after(modifier: str) -> _After:
    """What follows a tag closed with ``modifier`` glued to its end delimiter."""
    if modifier == "-":
        return "strip"
    return "keep" if modifier == "+" else "trim"


def _prepare(source: str, config: LexerConfig) -> str:
    """``source`` with every newline as ``\\n``, minus one trailing newline unless kept."""
    if "\r" in source:
        source = _NEWLINE_RE.sub("\n", source)
    if not config.keep_trailing_newline and source.endswith("\n"):
        source = source[:-1]
    return source


def unescape_string(body: str) -> str:
    """Decode Python backslash escapes in a string literal body (quotes stripped)."""
    if "\\" not in body:
        return body
    return _ESCAPE_RE.sub(_unescape_match, body)


class Lexer:
    """Tokenizer for one template source."""

    def __init__(
        self,
        source: str,
        config: LexerConfig | None = None,
        *,
        name: str | None = None,
        filename: str | None = None,
    ) -> None:
        self.source = source
        self.config = config or _DEFAULT_CONFIG
        self.name = name
        self.filename = filename
        self._tokens: list[Token] = []
        #: The comments met by :meth:`tokenize`, in source order.
        self.comments: list[Comment] = []
        self._lineno = 1
        self._line_start = 0
        self._counted = 0

    # -- position tracking --------------------------------------------------

    def _position(self, offset: int) -> tuple[int, int]:
        """``(lineno, col_offset)`` of ``offset``; offsets must not decrease."""
        source = self.source
        newlines = source.count("\n", self._counted, offset)
        if newlines:
            self._lineno += newlines
            self._line_start = source.rfind("\n", self._counted, offset) + 1
        self._counted = offset
        return self._lineno, offset - self._line_start

    def _error(
        self,
        message: str,
        offset: int,
        code: ErrorCode,
        suggestion: str | None = None,
    ) -> LexerError:
        """A located ``LexerError`` for ``offset`` (computed from scratch)."""
        lineno = self.source.count("\n", 0, offset) + 1
        col = offset - (self.source.rfind("\n", 0, offset) + 1)
        exc = LexerError(message, self.source, lineno, col, suggestion, code=code)
        exc.name = self.name
        exc.filename = self.filename
        return exc

    # -- emission -----------------------------------------------------------

    def _emit_data(self, start: int, end: int) -> None:
        """Emit ``source[start:end]`` as a DATA token unless empty."""
        if end > start:
            lineno, col = self._position(start)
            text = self.source[start:end]
            newline = self.config.newline_sequence
            if newline != "\n":
                text = text.replace("\n", newline)
            self._tokens.append(_new_tuple(Token, (_DATA, text, lineno, col)))

    def _check_limit(self, offset: int) -> None:
        """Enforce the token cap (K-LEX-004); ``offset`` is where to report it."""
        if len(self._tokens) > MAX_TOKENS:
            raise self._error(
                f"template produces more than {MAX_TOKENS} tokens",
                offset,
                ErrorCode.TOKEN_LIMIT,
                "split the template into smaller templates with include or import",
            )

    # -- main loop ----------------------------------------------------------

    def tokenize(self) -> list[Token]:
        """Tokenize the whole source; the list always ends with an ``EOF`` token.

        A one-line ``{{ … }}`` or ``{% … %}`` without a whitespace-control mark
        after its opener is lexed right here: its body up to the first closing
        delimiter (holding no opener character) in one ``findall``. Any other
        tag, or one whose body turns out not to end there, is lexed by
        :meth:`_lex_any`.
        """
        config = self.config
        source = self.source = _prepare(self.source, config)
        patterns = _patterns(config)
        search = patterns.start.search
        findall = _BODY_ALL.findall
        first_kinds = _FIRST_KINDS
        fast_tags = patterns.fast_tags
        (opener_char,) = patterns.opener_chars if fast_tags else ("",)
        tokens = self._tokens
        append = tokens.append
        new = _new_tuple
        newline = config.newline_sequence
        trim_blocks = config.trim_blocks
        # The fast path tracks positions in locals, like ``_position``: the
        # line and line start at ``counted``.
        line, line_start, counted = 1, 0, 0
        pos = data_start = 0
        after: _After
        while match := search(source, pos):
            kind = match.lastgroup
            assert kind is not None
            tag_start, body_start = match.start(), match.end()
            fast = fast_tags.get(kind)
            if fast is not None and source[body_start : body_start + 1] not in "-+":
                begin, end, marks, begin_type, end_type, plain_after = fast
                close = source.find(end, body_start)
                if close > body_start:
                    body_end = close - 1 if source[close - 1] in marks else close
                else:  # no closing delimiter, or an empty tag: the slow path reports it
                    body_end = close = body_start
                body = source[body_start:body_end]
                if (
                    close > body_start
                    and "\n" not in body
                    and opener_char not in body
                    and (kind == "variable" or "raw" not in body)  # no ``{% raw %}``
                ):
                    if data_start != counted:  # blanks skipped after the previous tag
                        newlines = source.count("\n", counted, data_start)
                        if newlines:
                            line += newlines
                            line_start = source.rfind("\n", counted, data_start) + 1
                    if tag_start > data_start:
                        text = source[data_start:tag_start]
                        newlines = text.count("\n")
                        data = text.replace("\n", newline) if newlines and newline != "\n" else text
                        append(new(Token, (_DATA, data, line, data_start - line_start)))
                        if newlines:
                            line += newlines
                            line_start = data_start + text.rfind("\n") + 1
                    counted = tag_start
                    append(new(Token, (begin_type, begin, line, tag_start - line_start)))
                    begin_index = len(tokens)
                    # The body's tokens; it ends at ``close`` unless a character no
                    # token starts with (an unterminated string: the delimiter may
                    # sit inside it) or an open bracket says otherwise.
                    col = body_start - line_start
                    brackets: list[str] = []
                    for blank, text in findall(body):
                        if blank:
                            col += len(blank)
                        token_kind = first_kinds.get(text[0])
                        if token_kind is _NAME:
                            append(new(Token, (_NAME, text, line, col)))
                        elif token_kind is _OPERATOR and text not in "!?":  # alone, those are stray
                            if text in _BRACKETS:
                                if text in _OPENING:
                                    brackets.append(text)
                                elif brackets and brackets[-1] in _CLOSING[text]:
                                    brackets.pop()
                            append(new(Token, (_OPERATOR, text, line, col)))
                        elif token_kind is _STRING and len(text) > 1:  # not a stray quote
                            value = text[1:-1]
                            if "\\" in value:
                                value = _ESCAPE_RE.sub(_unescape_match, value)
                            append(new(Token, (_STRING, value, line, col)))
                        elif token_kind is _INTEGER:
                            number_type = self._number_type(text, line_start + col)
                            append(new(Token, (number_type, text, line, col)))
                        else:  # counted as an open bracket: the tag is lexed again
                            brackets.append(text)
                            break
                        col += len(text)
                    if not brackets:
                        append(new(Token, (end_type, end, line, body_end - line_start)))
                        pos = counted = close + len(end)
                        if body_end == close:
                            after = plain_after
                        else:
                            after = "strip" if source[body_end] == "-" else "keep"
                        data_start = pos
                        if after == "strip":
                            data_start = _skip(_WHITESPACE_RE, source, pos)
                        elif after == "trim" and trim_blocks and source.startswith("\n", pos):
                            data_start = pos + 1
                        if len(tokens) > MAX_TOKENS:
                            self._check_limit(tag_start)
                        continue
                    # Lexed again below, the text before the tag already out.
                    del tokens[begin_index - 1 :]
                    data_start = tag_start
            self._lineno, self._line_start, self._counted = line, line_start, counted
            pos, data_start = self._lex_any(kind, match, data_start, patterns)
            line, line_start, counted = self._lineno, self._line_start, self._counted
        self._lineno, self._line_start, self._counted = line, line_start, counted
        self._emit_data(data_start, len(source))
        lineno, col = self._position(len(source))
        append(Token(TokenType.EOF, "", lineno, col))
        return tokens

    def _lex_any(
        self, kind: str, match: re.Match[str], data_start: int, patterns: _Patterns
    ) -> tuple[int, int]:
        """Lex the tag found by ``match`` and the text before it from ``data_start``.

        Returns where to search for the next tag and where the text after this
        one starts.
        """
        config, source = self.config, self.source
        tag_start = match.start()
        if kind == "linecomment":
            self._emit_data(data_start, tag_start)
            line_end = source.find("\n", match.end())
            pos = len(source) if line_end < 0 else line_end
            self._record_comment(tag_start, match.end(), pos, pos)
            return pos, pos
        body_start = match.end()
        self._emit_data(data_start, self._data_end(kind, data_start, tag_start, body_start))
        if kind != "line" and source.startswith(("-", "+"), body_start):
            body_start += 1

        after: _After
        if kind == "comment":
            pos, after = self._lex_comment(tag_start, body_start)
            body_end = pos - len(config.comment_end)
            if after != "trim":  # a whitespace-control mark before the closing delimiter
                body_end -= 1
            self._record_comment(tag_start, body_start, max(body_start, body_end), pos)
        elif kind == "block" and (raw := patterns.raw_open.match(source, body_start)):
            pos, after = self._lex_raw(tag_start, raw, patterns.raw_close)
        else:
            pos, after = self._lex_tag(kind, tag_start, body_start, patterns)

        data_start = pos
        if after == "strip":
            data_start = _skip(_WHITESPACE_RE, source, pos)
        elif after == "trim" and config.trim_blocks and source.startswith("\n", pos):
            data_start = pos + 1
        self._check_limit(tag_start)
        return pos, data_start

    def _record_comment(self, start: int, body_start: int, body_end: int, end: int) -> None:
        """List the comment from ``start`` to ``end`` with its text ``body_start:body_end``."""
        lineno, _ = self._position(start)
        end_lineno, _ = self._position(end)
        self.comments.append(Comment(lineno, end_lineno, self.source[body_start:body_end].strip()))

    def _data_end(self, kind: str, data_start: int, tag_start: int, body_start: int) -> int:
        """Where the text before a tag ends once ``-`` and ``lstrip_blocks`` apply.

        ``{%+`` (a ``+`` glued to the opener) keeps the text whole.
        """
        source = self.source
        modifier = source[body_start : body_start + 1]
        if kind == "line" or modifier == "+":
            return tag_start
        if modifier == "-":
            return data_start + len(source[data_start:tag_start].rstrip())
        if self.config.lstrip_blocks and kind != "variable":
            line_start = source.rfind("\n", 0, tag_start) + 1
            if line_start >= data_start and _skip(_LINE_BLANK_RE, source, line_start) == tag_start:
                return line_start
        return tag_start

    def _lex_comment(self, tag_start: int, body_start: int) -> tuple[int, _After]:
        """Skip a comment; returns (end offset, what follows)."""
        config, source = self.config, self.source
        close = source.find(config.comment_end, body_start)
        if close < 0:
            raise self._error(
                "unclosed comment",
                tag_start,
                ErrorCode.UNCLOSED_COMMENT,
                f"add '{config.comment_end}' to close the comment",
            )
        return close + len(config.comment_end), _modifier_after(
            source[close - 1] if close > body_start else ""
        )

    def _lex_raw(
        self, tag_start: int, raw: re.Match[str], raw_close: re.Pattern[str]
    ) -> tuple[int, _After]:
        """Emit a raw body as one DATA token; returns (end offset, what follows).

        The opening ``{% raw %}`` keeps the newline after it even with
        ``trim_blocks``; the closing tag is a block tag like any other.
        """
        source, config = self.source, self.config
        body_start = raw.end()
        if raw.group(1):
            body_start = _skip(_WHITESPACE_RE, source, body_start)
        close = raw_close.search(source, body_start)
        if close is None:
            raise self._error(
                "unclosed {% raw %} block",
                tag_start,
                ErrorCode.UNCLOSED_BLOCK,
                "add {% endraw %} or {% end %} to close the raw block",
            )
        body_end = close.start()
        if close.group(1) == "-":
            body_end = body_start + len(source[body_start:body_end].rstrip())
        elif config.lstrip_blocks and not close.group(1):
            line_start = source.rfind("\n", 0, body_end) + 1
            if line_start >= body_start and _skip(_LINE_BLANK_RE, source, line_start) == body_end:
                body_end = line_start
        self._emit_data(body_start, body_end)
        return close.end(), _modifier_after(close.group(2))

    def tokenize_expression(self) -> list[Token]:
        """Tokenize the whole source as one expression, the inside of an output tag.

        The tokens are ``VARIABLE_BEGIN``, the expression's and ``EOF``; errors
        quote the source as given.
        """
        source = self.source
        end = self.config.variable_end
        # Lexed as the body of a tag closed right after the source; the closing
        # becomes the end of input.
        self.source = f"{source} {end}"
        try:
            pos, _ = self._lex_tag("variable", 0, 0, _patterns(self.config))
            if pos != len(self.source):
                raise self._error(
                    f"unexpected {end!r} in the expression",
                    self._tokens[-1].col_offset,
                    ErrorCode.SYNTAX_ERROR,
                )
        except LexerError as exc:
            exc.source = source
            raise
        finally:
            self.source = source
        stop = self._tokens.pop()
        self._tokens.append(Token(TokenType.EOF, "", stop.lineno, stop.col_offset))
        return self._tokens

    def _lex_tag(
        self, kind: str, tag_start: int, body_start: int, patterns: _Patterns
    ) -> tuple[int, _After]:
        """Tokenize ``{{ … }}``, ``{% … %}`` or a line statement; returns (end, what follows).

        The closing delimiter only counts outside brackets, so ``{{ {'a': {}} }}``
        works (and a line statement continues past a newline inside brackets);
        a new tag opener inside a tag means this one was never closed.
        """
        source, tokens = self.source, self._tokens
        config = self.config
        new = _new_tuple
        is_variable = kind == "variable"
        begin_type = TokenType.VARIABLE_BEGIN if is_variable else TokenType.BLOCK_BEGIN
        end_type = TokenType.VARIABLE_END if is_variable else TokenType.BLOCK_END
        lineno, col = self._position(tag_start)
        tokens.append(new(Token, (begin_type, source[tag_start:body_start], lineno, col)))
        begin_index = len(tokens)
        top = patterns.body_top[kind].match
        nested = patterns.body_nested.match
        starts = (config.block_start, config.variable_start, config.comment_start)
        opener_chars = patterns.opener_chars
        newline = config.newline_sequence
        brackets: list[tuple[str, int]] = []
        pos = body_start
        # Inline position tracking: only whitespace and strings contain newlines.
        line, line_start = self._position(pos)[0], self._line_start
        while True:
            match = nested(source, pos) if brackets else top(source, pos)
            if match is None:
                self._raise_bad_tag(kind, tag_start, _skip(_WHITESPACE_RE, source, pos), brackets)
            group = match.lastgroup
            assert group is not None
            start = match.start(group)
            if start > pos:
                blank = source[pos:start]  # mostly one space: a cached string, no copy
                if "\n" in blank:
                    line += blank.count("\n")
                    line_start = pos + blank.rfind("\n") + 1
            # ``start:start + 1``: the end of a line statement may be the end of the source.
            if source[start : start + 1] in opener_chars and source.startswith(starts, start):
                self._raise_bad_tag(kind, tag_start, start, brackets)
            text = match.group(group)
            pos = match.end()
            col = start - line_start
            if group == "end":
                if kind == "line":
                    # ``# for x in y:`` reads like Python; the colon is not part of the tag.
                    last = tokens[-1]
                    if len(tokens) > begin_index and last.type is _OPERATOR and last.value == ":":
                        tokens.pop()
                    tokens.append(new(Token, (end_type, text, line, col)))
                    if text:
                        line, line_start = line + 1, pos
                    self._lineno, self._line_start, self._counted = line, line_start, pos
                    return pos, "keep"
                tokens.append(new(Token, (end_type, text.lstrip("-+"), line, col)))
                self._lineno, self._line_start, self._counted = line, line_start, pos
                return pos, "keep" if is_variable and text[0] != "-" else _modifier_after(text[0])
            if group == "op":
                if text in _OPENING:
                    brackets.append((text, start))
                elif brackets and brackets[-1][0] in _CLOSING.get(text, ()):
                    brackets.pop()
                tokens.append(new(Token, (_OPERATOR, text, line, col)))
            elif group == "name":
                tokens.append(new(Token, (_NAME, text, line, col)))
            elif group == "string":
                body = text[1:-1]
                if newline != "\n":
                    body = body.replace("\n", newline)
                tokens.append(new(Token, (_STRING, unescape_string(body), line, col)))
                newlines = text.count("\n")
                if newlines:
                    line += newlines
                    line_start = start + text.rfind("\n") + 1
            else:
                tokens.append(new(Token, (self._number_type(text, start), text, line, col)))

    def _number_type(self, text: str, offset: int) -> TokenType:
        """``INTEGER`` or ``FLOAT`` for a number literal; a malformed one raises."""
        try:
            if text.startswith(_RADIX_PREFIXES):
                int(text, 0)
                return _INTEGER
            if "." in text or "e" in text or "E" in text:
                float(text)
                return _FLOAT
            int(text, 0)
            return _INTEGER
        except ValueError:
            hint = _NUMBER_HINT
            if text[0] == "0" and text.isdigit():
                octal = "0o" + text.lstrip("0")
                hint = f"leading zeros are not allowed in decimal numbers; write {octal} for octal"
            raise self._error(
                f"malformed number literal {text!r}", offset, ErrorCode.SYNTAX_ERROR, hint
            ) from None

    def _raise_bad_tag(
        self, kind: str, tag_start: int, pos: int, brackets: list[tuple[str, int]]
    ) -> NoReturn:
        """Raise the right error for a tag body that cannot continue at ``pos``."""
        source, config = self.source, self.config
        if pos < len(source) and not source.startswith(
            (config.block_start, config.variable_start, config.comment_start), pos
        ):
            char = source[pos]
            if char in "'\"":
                raise self._error(
                    "unterminated string literal",
                    pos,
                    ErrorCode.SYNTAX_ERROR,
                    f"close the string with {char}",
                )
            raise self._error(f"unexpected character {char!r}", pos, ErrorCode.SYNTAX_ERROR)
        if kind == "variable":
            code, what, end = ErrorCode.UNCLOSED_VARIABLE, "output tag", repr(config.variable_end)
        elif kind == "line":
            code, what, end = ErrorCode.UNCLOSED_TAG, "line statement", "the end of the line"
        else:
            code, what, end = ErrorCode.UNCLOSED_TAG, "block tag", repr(config.block_end)
        if brackets:
            opener, offset = brackets[-1]
            raise self._error(
                f"unclosed {opener!r} in {what}",
                offset,
                code,
                f"close {opener!r} before {end}",
            )
        raise self._error(f"unclosed {what}", tag_start, code, f"add {end} to close the tag")


def tokenize(
    source: str,
    config: LexerConfig | None = None,
    *,
    name: str | None = None,
    filename: str | None = None,
) -> list[Token]:
    """Tokenize ``source`` (see :class:`Lexer`)."""
    return Lexer(source, config, name=name, filename=filename).tokenize()
