"""Babel's extraction method for Kida templates (``pybabel extract`` with method ``kida``).

Registered in the ``babel.extractors`` entry-point group as ``kida``::

    # babel.cfg
    [kida: templates/**.html]
    encoding = utf-8

Babel calls :func:`extract` for each matching file. It reports every
``{% trans %}`` block (as ``gettext``, ``ngettext``, ``pgettext`` or
``npgettext``) and every call of a name among Babel's *keywords* with its
arguments, in Babel's form; Babel then applies the keyword specs. Kida's
``_n`` shorthand is reported as ``ngettext`` unless ``_n`` is itself a
keyword. Translator comments come from template comments starting with one
of Babel's comment tags (``pybabel extract -c NOTE:``), on the line of the
message or the line before. A trans body may use undeclared names whatever
the application's ``ext.i18n.implicit_variables`` policy (see
:func:`kida_analysis.i18n.parse_template`).

Options (the keys of the ``babel.cfg`` section):

* ``encoding`` — of the template files (default ``utf-8``);
* ``silent`` — ``true`` (default) skips a file that does not parse;
  ``false`` lets its ``TemplateSyntaxError`` stop the extraction;
* the Environment's delimiters and line syntax, under their Kida names
  (``block_start``, ``variable_end``…) or Jinja2's (``block_start_string``…),
  plus ``line_statement_prefix``, ``line_comment_prefix``, ``trim_blocks``,
  ``lstrip_blocks``, ``newline_sequence`` and ``keep_trailing_newline``;
* ``extensions`` — comma-separated, as in Jinja2 configurations: the names
  an Environment accepts (``jinja2.ext.i18n``…), whose features are built in;
* ``newstyle_gettext`` — accepted for Jinja2 configurations; it does not
  change message ids in Kida (a literal ``%`` is never doubled);
* ``trimmed`` — accepted when true: Kida always normalises the whitespace of
  trans bodies (write ``{% trans notrimmed %}`` to keep a body verbatim).

Any other option is an error. Babel is never imported here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from kida_analysis.i18n import TranslatorComments, extract_from_ast, parse_template
from kida_core.environment import Environment
from kida_core.errors import TemplateSyntaxError

__all__ = ["extract"]

#: Babel's ``(lineno, funcname, message, comments)``.
BabelMessage = tuple[int, str, "str | tuple[str | None, ...] | None", list[str]]

#: Option names (Kida's and Jinja2's) -> Environment field.
_SYNTAX_OPTIONS: dict[str, str] = {
    **{f"{part}_{end}": f"{part}_{end}" for part in ("block", "variable", "comment")
       for end in ("start", "end")},
    **{f"{part}_{end}_string": f"{part}_{end}" for part in ("block", "variable", "comment")
       for end in ("start", "end")},
    "line_statement_prefix": "line_statement_prefix",
    "line_comment_prefix": "line_comment_prefix",
    "newline_sequence": "newline_sequence",
}  # fmt: skip
_FLAG_OPTIONS = ("trim_blocks", "lstrip_blocks", "keep_trailing_newline")
_OTHER_OPTIONS = ("encoding", "silent", "newstyle_gettext", "trimmed", "extensions")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
#: Kida's own shorthands and the gettext function they stand for.
_SHORTHANDS = {"_n": "ngettext"}


def _flag(options: Mapping[str, Any], name: str, default: bool) -> bool:
    """A boolean option; Babel passes the text of the configuration file."""
    value = options.get(name, default)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"kida extractor: option {name!r} must be true or false, not {value!r}")


def _environment(options: Mapping[str, Any]) -> Environment:
    """An Environment with the syntax ``options`` give (unknown options are an error)."""
    known = (*_SYNTAX_OPTIONS, *_FLAG_OPTIONS, *_OTHER_OPTIONS)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(
            f"kida extractor: unknown option(s) {', '.join(map(repr, unknown))}; "
            f"known options: {', '.join(sorted(known))}"
        )
    if not _flag(options, "trimmed", True):
        raise ValueError(
            "kida extractor: trimmed = false is not supported: Kida always normalises the "
            "whitespace of {% trans %} bodies; write {% trans notrimmed %} to keep one verbatim"
        )
    _flag(options, "newstyle_gettext", False)  # validated; message ids do not depend on it
    settings: dict[str, Any] = {
        field: str(options[name]) for name, field in _SYNTAX_OPTIONS.items() if name in options
    }
    settings |= {name: _flag(options, name, False) for name in _FLAG_OPTIONS if name in options}
    # Validated like an Environment's: only the extensions Kida has built in.
    extensions = [e.strip() for e in str(options.get("extensions", "")).split(",") if e.strip()]
    return Environment(extensions=extensions, **settings)


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[BabelMessage]:
    """Yield ``(lineno, funcname, message, comments)`` for each message of one template file."""
    env = _environment(options)
    silent = _flag(options, "silent", True)
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    name = getattr(fileobj, "name", None)
    filename = name if isinstance(name, str) else "<template>"
    try:
        tree, found = parse_template(source, filename, env.syntax)
    except TemplateSyntaxError:
        if silent:
            return
        raise
    names = set(keywords)
    comments = TranslatorComments(found, comment_tags)
    for lineno, function, message in extract_from_ast(tree, names | _SHORTHANDS.keys()):
        if function not in names:
            function = _SHORTHANDS.get(function, function)
            if function not in names:
                continue  # Babel reports only its keywords (a trans block without gettext)
        yield lineno, function, message, list(comments.take(lineno))
