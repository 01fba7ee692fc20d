"""Sandboxed replacements for the built-in filters and tests that format, call, allocate
or run template-supplied code by argument."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from typing import Any

from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.decorators import pass_environment, wants_environment
from kida_core.filters import DEFAULT_FILTERS
from kida_sandbox.guard import SandboxGuard
from kida_sandbox.sizes import JSON, REPR

__all__ = ["sandboxed_filters", "sandboxed_tests"]

Filter = Callable[..., Any]

#: Built-in filters that turn their value into text (``str()``, ``repr()``, escaping).
_TEXT_FILTERS = (
    "upper", "lower", "capitalize", "title", "trim", "strip", "truncate", "wordwrap",
    "wordcount", "striptags", "urlencode", "slug", "string", "escape", "e", "safe",
    "xmlattr", "classes", "debug", "date", "forceescape", "urlize",
)  # fmt: skip


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str) -> Any:
    """Argument ``name`` of a filter call, given positionally at ``index`` or by keyword."""
    return args[index] if len(args) > index else kwargs.get(name)


def _as_int(size: Any) -> int:
    """``size`` as the filters read it (``int("20")``); 0 when ``int()`` refuses it,
    which the filter then reports itself."""
    try:
        return int(size)
    except (TypeError, ValueError):
        return 0


def sandboxed_filters(guard: SandboxGuard) -> dict[str, Filter]:
    """The filters a sandboxed environment registers over the built-in ones."""
    core = DEFAULT_FILTERS
    core_join, core_replace = core["join"], core["replace"]

    @pass_environment
    def map(
        env: Any, value: Any, *args: Any, attribute: str | int | None = None, **kwargs: Any
    ) -> list[Any]:
        """``map``; a name that is no filter is a method, looked up and called under the
        policy (``map("mro")`` or ``map("__class__")`` are refused like in the template)."""
        if (
            attribute is None
            and args
            and isinstance(value, Iterable)
            and args[0] not in env.filters
        ):
            method, *rest = args
            return [
                guard.call(env.getattr(item, method), *rest, **kwargs)
                for item in guard.iterate(value)
            ]
        return core["map"](env, value, *args, attribute=attribute, **kwargs)  # type: ignore[no-any-return]

    def sized(name: str, index: int, param: str, *, stringifies: bool = False) -> Filter:
        """``name`` with its size argument checked after the ``int()`` the filter applies
        (and its value sized as text first when the filter ``stringifies`` it)."""

        func, check_text = core[name], guard.check_text
        value_what, size_what = f"{name} filter value", f"{name} filter {param}"

        @functools.wraps(func)
        def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
            # An existing str is its own text: check_text would only return its length.
            if stringifies and type(value) is not str:
                check_text(value, value_what)
            size = _arg(args, kwargs, index, param)
            if size is not None:
                count = size if type(size) is int else _as_int(size)
                if count > guard.policy.max_repetition:  # check_sizes raises exactly then
                    guard.check_sizes([count], size_what)
            return func(value, *args, **kwargs)

        return checked

    def digits(name: str, param: str) -> Filter:
        """``name`` refusing to write out more digits than ``max_repetition``."""

        func, what = core[name], f"{name} filter"

        @functools.wraps(func)
        def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
            places = _arg(args, kwargs, 0, param)
            guard.check_places(value, 0 if places is None else places, what)
            return func(value, *args, **kwargs)

        return checked

    def text(name: str) -> Filter:
        """``name``, which converts its value to text, with that text sized first."""

        func, check_text, what = core[name], guard.check_text, f"{name} filter value"
        if wants_environment(func):

            @functools.wraps(func)  # keeps the mark: the engine passes the environment
            def checked_with_env(env: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
                if type(value) is not str:
                    check_text(value, what)
                return func(env, value, *args, **kwargs)

            return checked_with_env

        @functools.wraps(func)
        def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
            # An existing str is its own text: check_text would only return its length.
            if type(value) is not str:
                check_text(value, what)
            if args or kwargs:
                return func(value, *args, **kwargs)
            return func(value)  # the common bare ``| upper``: a plain call is cheaper

        return checked

    def indent(value: Any, *args: Any, **kwargs: Any) -> str:
        """``indent`` refusing results over ``max_sequence_length``."""
        size = guard.check_text(value, "indent filter value")
        width = _arg(args, kwargs, 0, "width")
        width = 4 if width is None else width
        unit = width if isinstance(width, int) else guard.check_text(width, "indent filter width")
        guard.check_sizes([unit], "indent filter width")
        lines = (value if isinstance(value, str) else str(value)).count("\n") + 1
        guard.check_total(size + unit * lines, "indent filter result")
        return core["indent"](value, *args, **kwargs)  # type: ignore[no-any-return]

    @pass_environment
    def join(env: Any, value: Any, separator: Any = "", attribute: str | int | None = None) -> str:
        """``join`` with every item and separator sized before any text is built."""
        if attribute is None and type(separator) is str and type(value) in (list, tuple):
            # Plain strings only (core's own fast case): their sizes are their lengths,
            # which is all the checks below would add up; past the limit they run to
            # raise their exact error.
            size = len(separator) * max(len(value) - 1, 0)
            for item in value:
                if type(item) is not str:
                    break
                size += len(item)
            else:
                if size <= guard.policy.max_sequence_length:
                    return separator.join(value)
        if value is None or not isinstance(value, Iterable):
            return core_join(env, value, separator, attribute)  # type: ignore[no-any-return]
        if attribute is None:
            # A list or tuple is joined whole; other iterables (possibly endless) are
            # capped like a loop.
            items = list(value if isinstance(value, list | tuple) else guard.iterate(value))
        else:
            items = core["map"](env, guard.iterate(value), attribute=attribute)
        gap = guard.check_text(separator, "join filter separator")
        guard.check_texts(items, "join filter result", gap * max(len(items) - 1, 0))
        return guard.check_length(core_join(env, items, separator))  # type: ignore[no-any-return]

    def replace(value: Any, old: Any, new: Any, *args: Any, **kwargs: Any) -> str:
        """``replace`` refusing results over ``max_sequence_length``."""
        if type(value) is str and type(old) is str and type(new) is str:
            text, old_text, new_text = value, old, new  # existing strs are their own text
        else:
            for part in (value, old, new):
                guard.check_text(part, "replace filter argument")
            text, old_text, new_text = str(value), str(old), str(new)
        growth = max(len(new_text) - len(old_text), 0)
        # At most len(text) // len(old_text) hits: when even that many fit, the exact
        # count (a scan of the text) cannot change the outcome of the check.
        most = len(text) // len(old_text) if old_text else len(text) + 1
        if len(text) + most * growth > guard.policy.max_sequence_length:
            hits = text.count(old_text) if old_text else len(text) + 1
            guard.check_total(len(text) + hits * growth, "replace filter result")
        if args or kwargs:
            return core_replace(value, old, new, *args, **kwargs)  # type: ignore[no-any-return]
        return core_replace(value, old, new)  # type: ignore[no-any-return]

    def pprint(value: Any) -> str:
        """``pprint`` with the ``repr`` sized first and the pretty text counted as written.

        ``pformat`` indents the elements of a long container to the column where it
        opened, which can be far right of a long dict key: the text is written to
        a stream that refuses to grow past ``max_sequence_length``.
        """
        import pprint  # deferred: a debugging filter

        guard.check_text(value, "pprint filter value", REPR)
        stream = _CountingStream(guard, "pprint filter result")
        pprint.PrettyPrinter(stream=stream).pprint(value)
        return stream.getvalue()[:-1]  # pprint() ends with a newline, pformat() does not

    @pass_environment
    def tojson(env: Any, value: Any, indent: Any = None, *, attr: bool = False) -> Any:
        """``tojson`` with the indentation (an int or a string) and the JSON text sized first."""
        if isinstance(indent, str):
            width = len(indent)
        else:
            width = max(indent, 0) if isinstance(indent, int) else 0
        guard.check_sizes([width], "tojson filter indent")
        guard.check_text(value, "tojson filter value", JSON, width)
        return core["tojson"](env, value, indent, attr=attr)

    @pass_environment
    def sum(env: Any, value: Any, attribute: str | int | None = None, start: Any = 0) -> Any:
        """``sum``; a sum of lists or tuples is sized first (see :meth:`SandboxGuard.sum`)."""
        if not isinstance(start, list | tuple):
            return core["sum"](env, value, attribute, start)
        if attribute is not None:
            value = core["map"](env, guard.iterate(value), attribute=attribute)
        return guard.sum(value, start)

    return {
        "format": guard.format_filter,
        "map": map,
        "indent": indent,
        "join": join,
        "replace": replace,
        "tojson": tojson,
        "pprint": pprint,
        "sum": sum,
        "center": sized("center", 0, "width", stringifies=True),
        "batch": sized("batch", 0, "linecount"),
        "slice": sized("slice", 0, "slices"),
        "round": digits("round", "precision"),
        "decimal": digits("decimal", "places"),
        "format_number": digits("format_number", "decimal_places"),
        **{name: text(name) for name in _TEXT_FILTERS},
    }


class _CountingStream(io.StringIO):
    """A text stream refusing to grow past ``max_sequence_length`` characters."""

    def __init__(self, guard: SandboxGuard, what: str) -> None:
        super().__init__()
        self._guard = guard
        self._what = what
        self._size = 0

    def write(self, text: str) -> int:
        self._size += len(text)
        self._guard.check_total(self._size, self._what)
        return super().write(text)


def sandboxed_tests(guard: SandboxGuard) -> dict[str, Callable[..., bool]]:
    """The tests a sandboxed environment registers over the built-in ones."""
    core_match = DEFAULT_TESTS["match"]

    def match(value: Any, pattern: str) -> bool:
        """``match``, refused unless ``SandboxPolicy.allow_regex``; the value is sized first."""
        guard.check_regex("The match test")
        guard.check_text(value, "match test value")
        return core_match(value, pattern)

    return {"match": match}
