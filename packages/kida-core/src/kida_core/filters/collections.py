"""Collection filters.

Filters that look attributes up by name go through ``env.getattr`` (mapping
key first, then attribute) so a sandboxed environment can guard them.
Attribute names may be dotted paths (``"author.name"``); all-digit segments
index sequences (``"0.name"``).
"""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import islice
from typing import Any, NamedTuple

from kida_core.decorators import pass_environment, pure, wants_environment
from kida_core.errors import CoercionWarning, NoneComparisonError, UndefinedError
from kida_core.markup import escape
from kida_core.undefined import is_undefined

_MAX_LISTED_ITEMS = 5
#: Sort keys compared directly (their order is the same inside the flagged tuples).
_PLAIN_KEYS = frozenset({str, int, float})


def _coercion_warning(message: str) -> None:
    warnings.warn(message, CoercionWarning, stacklevel=3)


def _lookup(env: Any, obj: Any, path: str | int) -> Any:
    """Resolve a dotted attribute/key path on ``obj``.

    Indexes go through ``env.getitem`` like names through ``env.getattr``, so a
    sandbox checks every step (``[list] | map(attribute=0)`` must not yield ``list[0]``).
    """
    if isinstance(path, int):
        return env.getitem(obj, path)
    for part in path.split("."):
        if part.isdigit() and isinstance(obj, Sequence) and not isinstance(obj, str):
            obj = env.getitem(obj, int(part))
        else:
            obj = env.getattr(obj, part)
    return obj


def _fold_case(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _getter(
    env: Any, attribute: str | int | None, case_sensitive: bool = True
) -> Callable[[Any], Any]:
    """Build ``item -> value`` for ``attribute`` (``None`` = the item itself)."""
    if isinstance(attribute, str) and "." not in attribute and not attribute.isdigit():
        return _name_getter(env.getattr, attribute, case_sensitive)

    def get(item: Any) -> Any:
        value = item if attribute is None else _lookup(env, item, attribute)
        return value if case_sensitive else _fold_case(value)

    return get


def _name_getter(
    lookup: Callable[[Any, str], Any], name: str, case_sensitive: bool
) -> Callable[[Any], Any]:
    """``item -> item.name`` for a plain name: one lookup per item, no path parsing."""
    if case_sensitive:

        def get(item: Any) -> Any:
            return lookup(item, name)

    else:

        def get(item: Any) -> Any:
            value = lookup(item, name)
            return value.lower() if isinstance(value, str) else value

    return get


def _test_function(env: Any, name: str) -> Callable[..., Any]:
    """Test ``name`` from the environment's registry (user tests included)."""
    try:
        test: Callable[..., Any] = env.tests[name]
    except KeyError:
        raise ValueError(f"No test named {name!r} (used in select/reject filter)") from None
    return partial(test, env) if wants_environment(test) else test


def registered_filter(env: Any, name: str) -> Callable[..., Any] | None:
    """Filter ``name`` from the environment's registry, environment bound; None when absent."""
    func: Callable[..., Any] | None = env.filters.get(name)
    if func is None:
        return None
    return partial(func, env) if wants_environment(func) else func


@pure
def first(value: Any) -> Any:
    """First item; ``None`` for empty or ``None`` input (non-iterable: ``CoercionWarning``)."""
    if value is None:
        return None
    try:
        return next(iter(value), None)
    except TypeError:
        _coercion_warning(f"first: {type(value).__name__} is not iterable; returning None")
        return None


@pure
def last(value: Any) -> Any:
    """Last item; ``None`` for empty or ``None`` input (non-iterable: ``CoercionWarning``)."""
    if value is None:
        return None
    try:
        return next(reversed(value), None)
    except TypeError:
        pass
    try:
        tail = deque(value, maxlen=1)
    except TypeError:
        _coercion_warning(f"last: {type(value).__name__} is not iterable; returning None")
        return None
    return tail[0] if tail else None


@pure
def length(value: Any) -> int:
    """``len(value)``; ``None``/undefined give 0 (unsized values: ``CoercionWarning``, 0)."""
    if value is None:
        return 0
    try:
        return len(value)
    except TypeError:
        _coercion_warning(f"length: {type(value).__name__} has no length; returning 0")
        return 0


def list_filter(value: Any) -> list[Any]:
    """Convert an iterable to a list."""
    return list(value)


@pure
@pass_environment
def join(env: Any, value: Any, separator: str = "", attribute: str | int | None = None) -> str:
    """Join items (or their ``attribute``) with ``separator``; ``None`` gives ``""``.

    With autoescape on and any item or the separator being ``Markup``, the plain
    items are escaped and the result is ``Markup`` (so markup items survive and
    text items are still escaped). Otherwise the result is a plain ``str``.
    Non-iterable scalars raise ``TypeError``.
    """
    if value is None:
        return ""
    if (
        attribute is None
        and type(separator) is str
        and type(value) in (list, tuple)
        and all(type(item) is str for item in value)
    ):
        return separator.join(value)  # the common case: plain strings, nothing to escape
    if not isinstance(value, Iterable):
        raise TypeError(f"join needs an iterable, got {type(value).__name__}")
    items = [item if attribute is None else _lookup(env, item, attribute) for item in value]
    if env.autoescape and (
        hasattr(separator, "__html__") or any(hasattr(item, "__html__") for item in items)
    ):
        return escape(separator).join(escape(item) for item in items)
    return str(separator).join(str(item) for item in items)


def reverse(value: Any) -> Any:
    """Reverse: strings give a reversed string, other reversibles a list.

    Non-reversible iterables (generators) raise ``TypeError``; use ``| list | reverse``.
    """
    if isinstance(value, str):
        return value[::-1]
    try:
        return list(reversed(value))
    except TypeError:
        raise TypeError(
            f"{type(value).__name__} is not reversible. Hint: use value | list | reverse"
        ) from None


@pass_environment
def sort(
    env: Any,
    value: Any,
    reverse: bool = False,
    case_sensitive: bool = False,
    attribute: str | int | None = None,
) -> list[Any]:
    """Sorted list; strings compare case-insensitively unless ``case_sensitive``.

    ``attribute`` may be dotted (``"author.name"``) or a comma-separated
    multi-key (``"weight,title"``). ``None`` keys sort last (also with
    ``reverse``); under ``env.strict_none`` they raise ``NoneComparisonError``.
    """
    items = list(value)
    if attribute is None and all(type(item) is str for item in items):
        # The common case, without per-item key tuples: plain strings, no None.
        return sorted(items, key=None if case_sensitive else str.lower, reverse=reverse)
    names: list[str | int | None]
    if isinstance(attribute, str) and "," in attribute:
        names = [part.strip() for part in attribute.split(",")]
    else:
        names = [attribute]
    getters = [_getter(env, name, case_sensitive) for name in names]
    if len(getters) == 1:
        single = [getters[0](item) for item in items]
        if set(map(type, single)) <= _PLAIN_KEYS:
            # No None and one plain key type family: sorting the keys themselves
            # orders as the flagged tuples below do, without building them.
            order = sorted(range(len(items)), key=single.__getitem__, reverse=reverse)
            return [items[index] for index in order]
        keys = [(key,) for key in single]
    else:
        keys = [tuple(get(item) for get in getters) for item in items]

    if env.strict_none and len(items) > 1:
        for position, name in enumerate(names):
            offenders = [
                item for item, key in zip(items, keys, strict=True) if key[position] is None
            ]
            if offenders:
                others = [key[position] for key in keys if key[position] is not None]
                shown = ", ".join(repr(item) for item in offenders[:_MAX_LISTED_ITEMS])
                raise NoneComparisonError(
                    None,
                    others[0] if others else None,
                    attribute=None if name is None else str(name),
                    values={"none_items": offenders[:_MAX_LISTED_ITEMS]},
                    suggestion=(
                        f"{len(offenders)} item(s) have None: {shown}. Filter them out "
                        "or give them a value with | default(...)."
                    ),
                )

    def sort_key(pair: tuple[tuple[Any, ...], Any]) -> tuple[tuple[bool, Any], ...]:
        # None last: its flag is the largest ascending and the smallest when reversed.
        return tuple(((part is None) != reverse, 0 if part is None else part) for part in pair[0])

    ordered = sorted(zip(keys, items, strict=True), key=sort_key, reverse=reverse)
    return [item for _, item in ordered]


def dictsort(
    value: Mapping[Any, Any],
    case_sensitive: bool = False,
    by: str = "key",
    reverse: bool = False,
) -> list[tuple[Any, Any]]:
    """Sorted ``(key, value)`` pairs, by key or (``by="value"``) by value."""
    if by not in ("key", "value"):
        raise ValueError(f"dictsort: by must be 'key' or 'value', got {by!r}")
    position = 0 if by == "key" else 1

    def sort_key(pair: tuple[Any, Any]) -> Any:
        return pair[position] if case_sensitive else _fold_case(pair[position])

    return sorted(value.items(), key=sort_key, reverse=reverse)


@pass_environment
def unique(
    env: Any, value: Any, case_sensitive: bool = False, attribute: str | int | None = None
) -> list[Any]:
    """Drop duplicates (by ``attribute`` if given), keeping the first occurrence."""
    get = _getter(env, attribute, case_sensitive)
    seen: set[Any] = set()
    result = []
    for item in value:
        key = get(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def items(value: Any) -> Iterator[tuple[Any, Any]]:
    """The ``(key, value)`` pairs of a mapping; ``None`` and undefined give none.

    Other values raise ``TypeError``.
    """
    if value is None or is_undefined(value):
        return iter(())
    if not isinstance(value, Mapping):
        raise TypeError(f"items needs a mapping, got {type(value).__name__}")
    return iter(value.items())


class Group(NamedTuple):
    """One ``groupby`` group: unpacks as ``(grouper, list)``; ``g["grouper"]`` works too."""

    grouper: Any
    list: list[Any]

    def __getitem__(self, key: Any) -> Any:
        if key == "grouper" or key == "list":
            return getattr(self, key)
        return tuple.__getitem__(self, key)


@pass_environment
def groupby(
    env: Any,
    value: Any,
    attribute: str | int,
    default: Any = None,
    case_sensitive: bool = False,
) -> list[Group]:
    """Group items by ``attribute`` (dotted paths ok) into ``(grouper, list)`` groups.

    Items missing the attribute fall in group ``default`` when it is given.
    Keys compare case-insensitively unless ``case_sensitive`` (the group keeps
    the first item's spelling). Groups are sorted by key with ``None`` and
    ``""`` keys last; items keep their order inside a group.
    """
    groups: dict[Any, list[Any]] = {}
    spelling: dict[Any, Any] = {}
    for item in value:
        key = _lookup_or_default(env, item, attribute, default)
        folded = key if case_sensitive else _fold_case(key)
        spelling.setdefault(folded, key)
        groups.setdefault(folded, []).append(item)

    def sort_key(key: Any) -> tuple[bool, Any]:
        empty = key is None or key == ""
        return (empty, 0 if empty else key)

    return [Group(spelling[key], groups[key]) for key in sorted(groups, key=sort_key)]


def _lookup_or_default(env: Any, item: Any, attribute: str | int, default: Any) -> Any:
    """``item``'s ``attribute``, or ``default`` (when not None) if it is missing."""
    if default is None:
        return _lookup(env, item, attribute)
    try:
        found = _lookup(env, item, attribute)
    except UndefinedError:
        return default
    return default if is_undefined(found) else found


@pass_environment
def map_filter(
    env: Any, value: Any, *args: Any, attribute: str | int | None = None, **kwargs: Any
) -> list[Any]:
    """Map items through a filter, to an ``attribute``, or through a method call.

    ``map("int")`` / ``map("round", 1)`` apply the filter of that name (user
    filters included) with the extra arguments; a name that is no filter calls
    the method of that name on each item (``map("split", "-")``).
    ``map(attribute="name")`` takes ``item.name`` (key first, dotted paths and
    integer parts ok), ``default=`` replacing a missing one. ``None`` gives
    ``[]``; a non-iterable gives ``[]`` with a ``CoercionWarning``.
    """
    if value is None:
        return []
    if not isinstance(value, Iterable):
        _coercion_warning(f"map: {type(value).__name__} is not iterable; returning []")
        return []
    if attribute is not None:
        default = kwargs.pop("default", None)
        if kwargs:
            raise TypeError(f"map(attribute=...) takes only default=, got {sorted(kwargs)}")
        return [_lookup_or_default(env, item, attribute, default) for item in value]
    if not args:
        raise TypeError("map needs a filter name, a method name or attribute=...")
    name, *rest = args
    func = registered_filter(env, name)
    if func is not None:
        return [func(item, *rest, **kwargs) for item in value]
    return [env.getattr(item, name)(*rest, **kwargs) for item in value]


def _select(
    env: Any,
    value: Any,
    attribute: str | int | None,
    test_name: str | None,
    args: tuple[Any, ...],
    keep: bool,
) -> list[Any]:
    get = _getter(env, attribute)
    if test_name is None:
        return [item for item in value if bool(get(item)) is keep]
    test = _test_function(env, test_name)
    return [item for item in value if bool(test(get(item), *args)) is keep]


@pass_environment
def select(env: Any, value: Any, test_name: str | None = None, *args: Any) -> list[Any]:
    """Items passing test ``test_name`` called with ``args`` (truthy items when no test)."""
    return _select(env, value, None, test_name, args, keep=True)


@pass_environment
def reject(env: Any, value: Any, test_name: str | None = None, *args: Any) -> list[Any]:
    """Items failing test ``test_name`` (falsy items when no test)."""
    return _select(env, value, None, test_name, args, keep=False)


@pass_environment
def selectattr(
    env: Any, value: Any, attribute: str | int, test_name: str | None = None, *args: Any
) -> list[Any]:
    """Items whose ``attribute`` passes the test, e.g. ``selectattr("role", "eq", "admin")``."""
    return _select(env, value, attribute, test_name, args, keep=True)


@pass_environment
def rejectattr(
    env: Any, value: Any, attribute: str | int, test_name: str | None = None, *args: Any
) -> list[Any]:
    """Items whose ``attribute`` fails the test (or is falsy when no test is named)."""
    return _select(env, value, attribute, test_name, args, keep=False)


def batch(value: Any, linecount: int, fill_with: Any = None) -> list[list[Any]]:
    """Split into chunks of ``linecount``; the last chunk is padded when ``fill_with`` is given."""
    size = int(linecount)
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {linecount!r}")
    items = list(value)
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    if fill_with is not None and chunks:
        chunks[-1].extend([fill_with] * (size - len(chunks[-1])))
    return chunks


def slice_filter(value: Any, slices: int, fill_with: Any = None) -> list[list[Any]]:
    """Split into ``slices`` columns; earlier columns take the remainder.

    With ``fill_with``, every column that got no remainder item gets one
    ``fill_with`` (all of them when the items divide evenly), as in Jinja2.
    """
    count = int(slices)
    if count < 1:
        raise ValueError(f"slice count must be at least 1, got {slices!r}")
    items = list(value)
    base, extra = divmod(len(items), count)
    columns = []
    start = 0
    for index in range(count):
        size = base + (index < extra)
        column = items[start : start + size]
        start += size
        if fill_with is not None and index >= extra:
            column.append(fill_with)
        columns.append(column)
    return columns


def take(value: Any, count: int) -> list[Any]:
    """The first ``count`` items as a list."""
    return list(islice(value, int(count)))


def skip(value: Any, count: int) -> list[Any]:
    """All items after the first ``count`` as a list."""
    return list(islice(value, int(count), None))


def compact(value: Any, *, truthy: bool = True) -> list[Any]:
    """Drop falsy items (only ``None`` when ``truthy=False``)."""
    if truthy:
        return [item for item in value if item]
    return [item for item in value if item is not None]


def _extreme(
    env: Any,
    value: Any,
    attribute: str | int | None,
    case_sensitive: bool,
    pick: Callable[..., Any],
) -> Any:
    items = list(value)
    if not items:
        return None
    return pick(items, key=_getter(env, attribute, case_sensitive))


@pass_environment
def min_filter(
    env: Any, value: Any, attribute: str | int | None = None, case_sensitive: bool = False
) -> Any:
    """Smallest item (by ``attribute``); strings compare case-insensitively; empty → ``None``."""
    return _extreme(env, value, attribute, case_sensitive, min)


@pass_environment
def max_filter(
    env: Any, value: Any, attribute: str | int | None = None, case_sensitive: bool = False
) -> Any:
    """Largest item (by ``attribute``); strings compare case-insensitively; empty → ``None``."""
    return _extreme(env, value, attribute, case_sensitive, max)


@pass_environment
def sum_filter(env: Any, value: Any, attribute: str | int | None = None, start: Any = 0) -> Any:
    """Sum of the items (or of their ``attribute``) plus ``start``."""
    get = _getter(env, attribute)
    return sum((get(item) for item in value), start)


@pass_environment
def attr(env: Any, value: Any, name: str) -> Any:
    """Attribute ``name`` of ``value`` (mapping key first)."""
    return env.getattr(value, name)


@pass_environment
def get(env: Any, value: Any, key: Any, default: Any = None) -> Any:
    """Safe lookup with a default, never clashing with method names.

    Mappings read key ``key`` (so ``d | get("items")`` reads the key, not
    ``dict.items``) and sequences accept an integer index, both through
    ``env.getitem``; anything else reads attribute ``key`` through ``env.getattr``.
    Missing → ``default``.
    """
    if isinstance(value, Mapping):
        return env.getitem(value, key) if key in value else default
    if isinstance(key, int) and isinstance(value, Sequence):
        return env.getitem(value, key) if -len(value) <= key < len(value) else default
    try:
        result = env.getattr(value, str(key))
    except UndefinedError:
        return default
    return default if is_undefined(result) else result


def random(value: Any) -> Any:
    """A random item (impure)."""
    items = value if isinstance(value, Sequence) else list(value)
    import random  # deferred: only the impure random/shuffle filters need it

    return random.choice(items)


def shuffle(value: Any) -> list[Any]:
    """A shuffled copy as a list (impure)."""
    items = list(value)
    import random

    random.shuffle(items)
    return items
