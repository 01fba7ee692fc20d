"""FunctionLoader: templates produced by a callable."""

from __future__ import annotations

from collections.abc import Callable

from kida_core.errors import TemplateNotFoundError

__all__ = ["FunctionLoader", "LoadFunc"]

LoadFunc = Callable[[str], str | tuple[str, str | None] | None]
"""``name -> source``, ``name -> (source, filename)`` or ``name -> None`` when absent."""

FUNCTION_FILENAME = "<function>"
"""The ``filename`` reported for a source returned as a bare string."""


class FunctionLoader:
    """Load templates by calling ``load_func(name)``.

    A string result is the source (filename ``"<function>"``), a
    ``(source, filename)`` tuple is used as given, and ``None`` means the
    template does not exist. The function cannot be enumerated, so
    :meth:`list_templates` is empty, and there is no change detection.
    """

    def __init__(self, load_func: LoadFunc) -> None:
        self.load_func = load_func

    def get_source(self, name: str) -> tuple[str, str | None]:
        """Call the function and normalize its result."""
        result = self.load_func(name)
        if result is None:
            raise TemplateNotFoundError(
                f"Template {name!r} not found: {self._func_name()} returned None"
            )
        if isinstance(result, str):
            return result, FUNCTION_FILENAME
        if (
            isinstance(result, tuple)
            and len(result) == 2
            and isinstance(result[0], str)
            and isinstance(result[1], str | None)
        ):
            return result
        raise TypeError(
            f"{self._func_name()} returned {type(result).__name__} for {name!r}; "
            "expected a source string, a (source, filename) tuple or None"
        )

    def list_templates(self) -> list[str]:
        """Always empty: a function cannot list what it would return."""
        return []

    def _func_name(self) -> str:
        func = self.load_func
        module = getattr(func, "__module__", None)
        qualname = getattr(func, "__qualname__", None) or repr(func)
        return f"{module}.{qualname}" if module else qualname

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._func_name()})"
