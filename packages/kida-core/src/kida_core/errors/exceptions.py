"""The Kida exception hierarchy.

Every exception derives from :class:`TemplateError` and carries ``code``
(an :class:`ErrorCode` or ``None``); passing ``code=`` to a constructor
overrides the class default. Messages are built lazily in ``__str__`` from the
public attributes, so the runtime can fill in a location (``lineno``,
template name, ``source_snippet``) after the exception was raised and the text
follows. All exceptions pickle through :meth:`TemplateError.__reduce__`, which
restores the instance state instead of re-calling the constructor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self

from kida_core.errors.codes import ErrorCode

if TYPE_CHECKING:
    from kida_core.errors.snippets import SourceSnippet

_REPR_LIMIT = 80

TemplateStackEntry = tuple[str | None, int]
ComponentStackEntry = tuple[str | None, int, str]


def _restore_exception(
    cls: type[TemplateError], args: tuple[Any, ...], state: dict[str, Any]
) -> TemplateError:
    """Rebuild a pickled exception without calling ``cls.__init__``."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


#: Names a Jinja2 template may read that exist only in certain places, or not at
#: all in Kida: what an undefined-variable error says instead of a did-you-mean.
JINJA2_NAME_HINTS: dict[str, str] = {
    "lipsum": "lipsum() is Jinja2's placeholder-text global, which Kida does not provide: "
    "write the text, or register a global with env.add_global('lipsum', ...).",
    "caller": "caller() exists only inside a {% macro %} or {% def %} that a "
    "{% call %}…{% endcall %} invokes.",
    "varargs": "'varargs' exists only inside a {% macro %}: the extra positional arguments "
    "of a call.",
    "kwargs": "'kwargs' exists only inside a {% macro %}: the extra keyword arguments of a call.",
    "loop": "'loop' exists only inside a {% for %} body; a {% block %} inside a loop sees it "
    "when declared {% block name scoped %}.",
    "super": "super() exists only inside a {% block %}: it renders the parent template's "
    "definition of that block.",
    "self": "write {{ self.name() }} to render the block 'name'; 'self' alone is not a value.",
}


def _location(template: str | None, lineno: int | None, col_offset: int | None = None) -> str:
    """``name:line[:column]`` with ``<template>`` standing in for an unknown name.

    ``col_offset`` is 0-based; the column shown is 1-based, as compilers and
    editors count (the first character of a line is column 1).
    """
    text = template or "<template>"
    if lineno is not None:
        text += f":{lineno}"
        if col_offset is not None:
            text += f":{col_offset + 1}"
    return text


def _short_repr(value: object) -> str:
    """``repr(value)`` cut to about 80 characters (never raises)."""
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ must not hide the real error
        text = f"<unrepresentable: {type(exc).__name__}>"
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    return text


def format_template_stack(template_stack: Sequence[TemplateStackEntry]) -> str:
    """The "Template stack:" section for ``(template, line)`` entries, outermost first.

    One ``  • name:line`` line per include, extends, import or imported-def call
    (runs of one entry collapsed with a count); ``""`` for an empty stack.
    """
    return "\n".join(_template_stack_lines(template_stack))


def _template_stack_lines(template_stack: Sequence[TemplateStackEntry]) -> list[str]:
    """The lines of :func:`format_template_stack` (none for an empty stack)."""
    if not template_stack:
        return []
    entries = (f"  • {_location(name, line)}" for name, line in template_stack)
    return ["Template stack:", *_collapse_repeats(entries)]


def _stack_lines(
    template_stack: list[TemplateStackEntry], component_stack: list[ComponentStackEntry]
) -> list[str]:
    """The "Template stack" / "Component stack" sections (omitted when empty)."""
    out = _template_stack_lines(template_stack)
    if component_stack:
        out.append("Component stack:")
        entries = (
            f"  • {_location(name, line)} → {def_name}()"
            for name, line, def_name in component_stack
        )
        out.extend(_collapse_repeats(entries))
    return out


def _collapse_repeats(lines: Iterable[str]) -> list[str]:
    """Runs of one repeated line (runaway recursion) shown once with a count."""
    out: list[str] = []
    previous, count = None, 0
    for line in [*lines, None]:
        if line == previous:
            count += 1
            continue
        if previous is not None:
            out.append(previous if count == 1 else f"{previous} (repeated {count} times)")
        previous, count = line, 1
    return out


class TemplateError(Exception):
    """Base class of every Kida exception.

    ``code`` is ``None`` at this level; subclasses set a default and the
    ``code=`` keyword overrides it per instance.
    """

    code: ErrorCode | None = None

    def __init__(self, *args: object, code: ErrorCode | None = None) -> None:
        super().__init__(*args)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The one-line description, without location or hints."""
        return str(self.args[0]) if self.args else ""

    def _headline(self) -> str:
        """First line of :meth:`format_compact` after the code."""
        return self.message

    def _detail_lines(self) -> list[str]:
        """Location and snippet lines for :meth:`format_compact`."""
        return []

    def _context_lines(self) -> list[str]:
        """Template/component stacks and the ``Hint:`` line for :meth:`format_compact`."""
        return []

    def format_compact(self) -> str:
        """Short form: ``CODE: message``, location/snippet, stacks, hint, then ``Docs: url``.

        Runtime errors leave out the expression and values that ``str()`` shows.
        """
        header = f"{self.code.value}: {self._headline()}" if self.code else self._headline()
        lines = [header, *self._detail_lines(), *self._context_lines()]
        if self.code is not None:
            lines.append(f"Docs: {self.code.docs_url}")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_exception, (type(self), self.args, dict(self.__dict__)))


class TemplateSyntaxError(TemplateError):
    """The template source could not be tokenized or parsed.

    ``str()`` shows ``Kida Syntax Error [CODE]: message``, a ``--> file:line:col``
    pointer (1-based column: ``col_offset + 1``; the ``col_offset`` attribute
    stays 0-based), the offending source line with a caret under that
    character, and a ``Suggestion:`` line when ``suggestion`` is set.
    """

    code: ErrorCode | None = ErrorCode.SYNTAX_ERROR

    def __init__(
        self,
        message: str,
        lineno: int | None = None,
        name: str | None = None,
        filename: str | None = None,
        source: str | None = None,
        col_offset: int | None = None,
        *,
        code: ErrorCode | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.lineno = lineno
        self.name = name
        self.filename = filename
        self.source = source
        self.col_offset = col_offset
        self.suggestion: str | None = None
        self.source_snippet: SourceSnippet | None = None

    @property
    def template_name(self) -> str | None:
        """Alias of ``name`` so the runtime can treat all errors alike."""
        return self.name

    @template_name.setter
    def template_name(self, value: str | None) -> None:
        self.name = value

    def _snippet(self) -> SourceSnippet | None:
        """An explicit ``source_snippet``, else the error line cut from ``source``."""
        if self.source_snippet is not None:
            return self.source_snippet
        if self.source is None or self.lineno is None:
            return None
        lines = self.source.splitlines()
        if not 1 <= self.lineno <= len(lines):
            return None
        from kida_core.errors.snippets import SourceSnippet

        return SourceSnippet(((self.lineno, lines[self.lineno - 1]),), self.lineno, self.col_offset)

    def _detail_lines(self) -> list[str]:
        lines = [f"  --> {_location(self.filename or self.name, self.lineno, self.col_offset)}"]
        snippet = self._snippet()
        if snippet is not None:
            lines.append(snippet.format())
        return lines

    def __str__(self) -> str:
        code = f" [{self.code.value}]" if self.code else ""
        lines = [f"Kida Syntax Error{code}: {self.message}", *self._detail_lines()]
        if self.suggestion:
            lines.append(f"Suggestion: {self.suggestion}")
        return "\n".join(lines)


class ParseError(TemplateSyntaxError):
    """The parser met a token it cannot accept.

    ``token`` is the offending lexer token; its ``lineno``/``col_offset`` give
    the location. ``name`` mirrors ``filename``.
    """

    code: ErrorCode | None = ErrorCode.UNEXPECTED_TOKEN

    def __init__(
        self,
        message: str,
        token: Any,
        source: str | None = None,
        filename: str | None = None,
        suggestion: str | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        super().__init__(
            message,
            getattr(token, "lineno", None),
            filename,
            filename,
            source,
            getattr(token, "col_offset", None),
            code=code,
        )
        self.token = token
        self.suggestion = suggestion


class LexerError(TemplateSyntaxError):
    """The lexer could not tokenize the source (for example an unclosed ``{{``).

    A :class:`TemplateSyntaxError` subclass so that
    ``except TemplateError`` catches lexer failures too. The class default code
    stays the generic K-TPL-002; the lexer passes the specific ``K-LEX-00x``.
    """

    def __init__(
        self,
        message: str,
        source: str | None,
        lineno: int | None,
        col_offset: int | None,
        suggestion: str | None = None,
        *,
        code: ErrorCode | None = None,
    ) -> None:
        super().__init__(message, lineno, None, None, source, col_offset, code=code)
        self.suggestion = suggestion


class _RuntimeLocation:
    """Location fields the runtime fills in after an error is raised."""

    template_name: str | None
    lineno: int | None
    source_snippet: SourceSnippet | None
    template_stack: list[TemplateStackEntry]
    component_stack: list[ComponentStackEntry]

    def _hint(self) -> str | None:
        """The ``Hint:`` text, if any."""
        return None

    def _context_lines(self) -> list[str]:
        """Stacks, then ``Hint:`` when there is one."""
        lines = _stack_lines(self.template_stack, self.component_stack)
        hint = self._hint()
        if hint:
            lines.append(f"Hint: {hint}")
        return lines

    def _detail_lines(self) -> list[str]:
        """``Location:`` and the source snippet, when known."""
        lines: list[str] = []
        if self.template_name is not None or self.lineno is not None:
            lines.append(f"Location: {_location(self.template_name, self.lineno)}")
        if self.source_snippet is not None:
            lines.append(self.source_snippet.format())
        return lines

    def with_location(
        self, template_name: str | None, lineno: int | None, source: str | None
    ) -> Self:
        """Fill in a missing template name, line and snippet; never overwrite them.

        Nothing is filled when the error already names a different template
        (it was raised inside an include and already knows where). Returns self.
        """
        if self.template_name is not None and self.template_name != template_name:
            return self
        if self.template_name is None:
            self.template_name = template_name
        if self.lineno is None:
            self.lineno = lineno
        if self.source_snippet is None and source is not None and self.lineno is not None:
            from kida_core.errors.snippets import build_source_snippet

            self.source_snippet = build_source_snippet(source, self.lineno)
        return self


class TemplateRuntimeError(_RuntimeLocation, TemplateError):
    """Rendering failed; carries the expression, values and location involved.

    ``str()`` layout::

        K-RUN-012: unsupported operand type(s) for +: 'int' and 'str'
        Location: cart.html:12
        <source snippet>
        Expression: total + label
        Values:
          total = 3 (int)
        Template stack: / Component stack: (when non-empty)
        Hint: ...
        Docs: https://kida-project.github.io/kida/errors/#k-run-012
    """

    code: ErrorCode | None = ErrorCode.RUNTIME_ERROR

    def __init__(
        self,
        message: str,
        *,
        expression: str | None = None,
        values: Mapping[str, Any] | None = None,
        template_name: str | None = None,
        lineno: int | None = None,
        suggestion: str | None = None,
        source_snippet: SourceSnippet | None = None,
        template_stack: list[TemplateStackEntry] | None = None,
        component_stack: list[ComponentStackEntry] | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.expression = expression
        self.values: dict[str, Any] = dict(values) if values else {}
        self.template_name = template_name
        self.lineno = lineno
        self.suggestion = suggestion
        self.source_snippet = source_snippet
        self.template_stack: list[TemplateStackEntry] = list(template_stack or [])
        self.component_stack: list[ComponentStackEntry] = list(component_stack or [])

    def __str__(self) -> str:
        header = f"{self.code.value}: {self.message}" if self.code else self.message
        lines = [header, *self._detail_lines()]
        if self.expression:
            lines.append(f"Expression: {self.expression}")
        if self.values:
            lines.append("Values:")
            lines.extend(
                f"  {name} = {_short_repr(value)} ({type(value).__name__})"
                for name, value in self.values.items()
            )
        lines.extend(self._context_lines())
        if self.code is not None:
            lines.append(f"Docs: {self.code.docs_url}")
        return "\n".join(lines)

    def _hint(self) -> str | None:
        return self.suggestion


class BlockNotFoundError(TemplateRuntimeError, KeyError):
    """``render_block``/``render_with_blocks`` named a block that does not exist.

    Both a :class:`TemplateRuntimeError` and a ``KeyError``, so code written
    for either documented behaviour catches it.
    """

    def __str__(self) -> str:
        return TemplateRuntimeError.__str__(self)


class RequiredValueError(TemplateRuntimeError):
    """A ``require``-style check found ``None`` or a missing value."""

    code: ErrorCode | None = ErrorCode.REQUIRED_VALUE

    def __init__(self, field_name: str, message: str | None = None, **kw: Any) -> None:
        super().__init__(message or f"Required value '{field_name}' is None or missing", **kw)
        self.field_name = field_name


class NoneComparisonError(TemplateRuntimeError):
    """``None`` took part in a comparison or sort while ``strict_none`` is on."""

    code: ErrorCode | None = ErrorCode.NONE_COMPARISON

    def __init__(
        self, left_value: Any, right_value: Any, attribute: str | None = None, **kw: Any
    ) -> None:
        message = f"Cannot compare {type(left_value).__name__} with {type(right_value).__name__}"
        if attribute:
            message += f" when sorting by '{attribute}'"
        values = {"left": left_value, "right": right_value, **(kw.pop("values", None) or {})}
        super().__init__(message, values=values, **kw)
        self.left_value = left_value
        self.right_value = right_value
        self.attribute = attribute


_UNDEFINED_KINDS = ("variable", "attribute", "key")


class UndefinedError(_RuntimeLocation, TemplateError):
    """A variable, attribute or key was looked up but does not exist.

    Deliberately not a :class:`TemplateRuntimeError`: ``except TemplateRuntimeError``
    handlers written for failing filters and calls do not swallow missing names
    (except subscript misses, :class:`UndefinedItemError`, which are both).
    ``template`` reads ``"<template>"`` while the name is unknown;
    ``template_name`` is the raw, settable value (``None`` when unknown).
    ``owner`` optionally describes what an attribute/key was looked up on
    (``"Customer object"``). ``suggestion`` is the closest entry of
    ``available_names`` (difflib, cutoff 0.6), or ``None``.
    """

    code: ErrorCode | None = ErrorCode.UNDEFINED_VARIABLE

    def __init__(
        self,
        name: str,
        template: str | None = None,
        lineno: int | None = None,
        available_names: Iterable[str] | None = None,
        source_snippet: SourceSnippet | None = None,
        template_stack: list[TemplateStackEntry] | None = None,
        component_stack: list[ComponentStackEntry] | None = None,
        kind: str = "variable",
        declared_definitions: Iterable[str] | None = None,
        *,
        owner: str | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        if kind not in _UNDEFINED_KINDS:
            raise ValueError(f"kind must be one of {_UNDEFINED_KINDS}, got {kind!r}")
        # Not super(): in UndefinedItemError the next class is TemplateRuntimeError,
        # whose constructor would assign the read-only ``suggestion``.
        TemplateError.__init__(self, name, code=code)
        self.name = name
        self.template_name = template
        self.lineno = lineno
        self.available_names: list[str] = list(available_names or [])
        self.source_snippet = source_snippet
        self.template_stack: list[TemplateStackEntry] = list(template_stack or [])
        self.component_stack: list[ComponentStackEntry] = list(component_stack or [])
        self.kind = kind
        self.declared_definitions: frozenset[str] = frozenset(declared_definitions or ())
        self.owner = owner

    @property
    def template(self) -> str:
        """The template name, or ``"<template>"`` when unknown."""
        return self.template_name or "<template>"

    @template.setter
    def template(self, value: str | None) -> None:
        self.template_name = value

    @property
    def suggestion(self) -> str | None:
        """The available name closest to ``name``, if any is close enough."""
        import difflib  # deferred: only this path needs it

        matches = difflib.get_close_matches(self.name, self.available_names, n=1, cutoff=0.6)
        return matches[0] if matches else None

    @property
    def message(self) -> str:
        """``Undefined <kind> '<name>'[ on <owner>] in <template>[:<line>]``."""
        owner = f" on {self.owner}" if self.owner and self.kind != "variable" else ""
        where = _location(self.template_name, self.lineno)
        return f"Undefined {self.kind} '{self.name}'{owner} in {where}"

    @property
    def hint(self) -> str:
        """Declaration pointer, did-you-mean, or the idioms for optional values."""
        if self.name in self.declared_definitions:
            return (
                f"'{self.name}' is a {{% def %}} declared in this template but not bound here; "
                "call it after its declaration, or import it with {% from ... import %}."
            )
        if self.kind == "variable" and self.name in JINJA2_NAME_HINTS:
            return JINJA2_NAME_HINTS[self.name]
        suggestion = self.suggestion
        if suggestion is not None:
            return f"Did you mean '{suggestion}'?"
        if self.kind == "variable":
            return (
                f"Pass '{self.name}' in the render context, or make it optional with "
                f"{{{{ {self.name} | default('') }}}}, {{{{ {self.name} ?? \"\" }}}} "
                f"or {{% if {self.name} is defined %}}."
            )
        access = f"?.{self.name}" if self.kind == "attribute" else f"?[{self.name!r}]"
        return (
            f"Check the {self.kind} name, or make it optional with "
            f"{{{{ obj{access} }}}}, '| default(...)' or '?? \"\"'."
        )

    def _detail_lines(self) -> list[str]:
        return [self.source_snippet.format()] if self.source_snippet is not None else []

    def _hint(self) -> str | None:
        return self.hint

    def __str__(self) -> str:
        return self.format_compact()

    def to_diagnostic(self) -> dict[str, Any]:
        """A JSON-serialisable description for editors and language servers."""
        return {
            "code": self.code.value if self.code else None,
            "kind": self.kind,
            "name": self.name,
            "message": self.message,
            "template": self.template,
            "lineno": self.lineno,
            "suggestion": self.suggestion,
            "hint": self.hint,
            "available_names": list(self.available_names),
            "template_stack": [list(entry) for entry in self.template_stack],
            "component_stack": [list(entry) for entry in self.component_stack],
            "docs_url": self.code.docs_url if self.code else None,
        }


# ``suggestion`` stays UndefinedError's computed, read-only did-you-mean.
class UndefinedItemError(UndefinedError, TemplateRuntimeError):  # type: ignore[override]
    """A subscript (``d['k']``, ``xs[100]``) found no item (kind ``"key"``).

    Both an :class:`UndefinedError` and a :class:`TemplateRuntimeError`, so
    handlers written for either catch it (as :class:`BlockNotFoundError` is
    for missing blocks). ``expression`` is None, ``values`` empty, and
    ``suggestion`` is the computed did-you-mean (read-only).
    """

    def __init__(self, name: str, **kw: Any) -> None:
        super().__init__(name, kind="key", **kw)
        self.expression: str | None = None
        self.values: dict[str, Any] = {}


class TemplateNotFoundError(TemplateError):
    """A loader could not find the template.

    The caller composes the message (template name, searched locations, and
    the including template:line); ``str()`` is that message unchanged.
    """

    code: ErrorCode | None = ErrorCode.TEMPLATE_NOT_FOUND

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(message, code=code)


class TemplatesNotFoundError(TemplateNotFoundError):
    """None of the templates a selection tried exists (``select_template``, a list include).

    ``templates`` holds every name tried, in order; ``name`` is the last one
    (None when the list was empty).
    """

    def __init__(self, templates: Sequence[object], message: str | None = None) -> None:
        names = [getattr(t, "name", None) if not isinstance(t, str) else t for t in templates]
        if message is None:
            if names:
                message = "None of these templates exist: " + ", ".join(map(str, names))
            else:
                message = "Cannot select a template from an empty list of names"
        super().__init__(message)
        self.templates: list[object] = list(templates)
        self.name: object = names[-1] if names else None


class SecurityError(_RuntimeLocation, TemplateError):
    """The sandbox refused an operation.

    No class default code: the sandbox always says which ``K-SEC-00x`` rule fired.
    The runtime fills in the template location (``with_location``), so ``str()``
    is the message, ``Location:`` and the source snippet when known, the
    template stack, then ``Hint:`` and ``Docs:`` lines.
    """

    def __init__(
        self, message: str, *, code: ErrorCode | None = None, suggestion: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.suggestion = suggestion
        self.template_name: str | None = None
        self.lineno: int | None = None
        self.source_snippet: SourceSnippet | None = None
        self.template_stack: list[TemplateStackEntry] = []
        self.component_stack: list[ComponentStackEntry] = []

    def __str__(self) -> str:
        return self.format_compact()

    def _hint(self) -> str | None:
        return self.suggestion
