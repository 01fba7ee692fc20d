"""The lenient-mode undefined value.

With ``strict_undefined=False`` a missing variable, attribute or key evaluates
to :data:`UNDEFINED`: falsy, printed as ``""``, iterating as empty, and
absorbing further attribute/item lookups and calls. In strict mode (the
default) the generated code raises ``UndefinedError`` instead and this value
never reaches user code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Undefined:
    """A missing value that renders as the empty string."""

    __slots__ = ("_name",)

    def __init__(self, name: str = "") -> None:
        self._name = name

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""

    def __html__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"Undefined({self._name!r})" if self._name else "Undefined"

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __getattr__(self, name: str) -> Undefined:
        if name.startswith("__"):
            raise AttributeError(name)
        return UNDEFINED

    def __getitem__(self, key: object) -> Undefined:
        return UNDEFINED

    def __call__(self, *args: object, **kwargs: object) -> Undefined:
        return UNDEFINED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Undefined)

    def __hash__(self) -> int:
        return 0

    def __contains__(self, item: object) -> bool:
        return False


UNDEFINED = Undefined()


def is_undefined(value: object) -> bool:
    """Return True for an :class:`Undefined` value."""
    return isinstance(value, Undefined)
