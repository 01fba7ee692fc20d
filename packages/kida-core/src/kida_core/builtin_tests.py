"""Built-in tests (``x is name``, ``x is name(args)``); every test returns a plain ``bool``.

HTMX tests read framework metadata from the active ``RenderContext``
(``ctx.set_meta(...)``); without a render context they are false:

* ``hx_request``: meta ``"hx_request"`` (truthy), else meta ``"headers"``
  (a request-headers mapping) with ``HX-Request: true``.
* ``hx_target(id)``: meta ``"hx_target"``, else header ``HX-Target``, equals
  ``id`` (a leading ``#`` on ``id`` is ignored).
* ``hx_boosted``: meta ``"hx_boosted"`` (truthy), else header ``HX-Boosted: true``.
"""

from __future__ import annotations

import numbers
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from kida_core.decorators import pass_environment
from kida_core.render_context import get_render_context
from kida_core.undefined import is_undefined


def defined(value: Any) -> bool:
    """The value resolved (is not undefined)."""
    return not is_undefined(value)


def undefined(value: Any) -> bool:
    """The value is undefined."""
    return is_undefined(value)


def none(value: Any) -> bool:
    """``value is None``."""
    return value is None


def true(value: Any) -> bool:
    """``value is True``."""
    return value is True


def false(value: Any) -> bool:
    """``value is False``."""
    return value is False


def string(value: Any) -> bool:
    """``value`` is a ``str``."""
    return isinstance(value, str)


def number(value: Any) -> bool:
    """``value`` is a number (``int``, ``float``, ``Decimal``...) but not a ``bool``."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def sequence(value: Any) -> bool:
    """``value`` is sized and indexable (list, tuple, str...), but not a mapping."""
    return (
        hasattr(value, "__len__")
        and hasattr(value, "__getitem__")
        and not isinstance(value, Mapping)
        and not is_undefined(value)
    )


def mapping(value: Any) -> bool:
    """``value`` is a mapping (``dict`` or any ``Mapping``)."""
    return isinstance(value, Mapping)


def iterable(value: Any) -> bool:
    """``iter(value)`` works."""
    try:
        iter(value)
    except TypeError:
        return False
    return True


def callable_test(value: Any) -> bool:
    """``callable(value)``."""
    return callable(value)


def _real(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Real)


def odd(value: Any) -> bool:
    """An odd integral number (non-integers are neither odd nor even)."""
    return _real(value) and bool(value % 2 == 1)


def even(value: Any) -> bool:
    """An even integral number (non-integers are neither odd nor even)."""
    return _real(value) and bool(value % 2 == 0)


def divisibleby(value: Any, num: Any) -> bool:
    """``value % num == 0``."""
    return bool(value % num == 0)


def _comparison(op: Callable[[Any, Any], Any], doc: str) -> Callable[[Any, Any], bool]:
    def test(value: Any, other: Any) -> bool:
        return bool(op(value, other))

    test.__name__ = op.__name__
    test.__doc__ = doc
    return test


eq = _comparison(operator.eq, "``value == other``.")
ne = _comparison(operator.ne, "``value != other``.")
lt = _comparison(operator.lt, "``value < other``.")
le = _comparison(operator.le, "``value <= other``.")
gt = _comparison(operator.gt, "``value > other``.")
ge = _comparison(operator.ge, "``value >= other``.")


def boolean(value: Any) -> bool:
    """``value`` is ``True`` or ``False``."""
    return value is True or value is False


def integer(value: Any) -> bool:
    """``value`` is an ``int`` but not a ``bool``."""
    return isinstance(value, int) and value is not True and value is not False


def float_test(value: Any) -> bool:
    """``value`` is a ``float``."""
    return isinstance(value, float)


def escaped(value: Any) -> bool:
    """``value`` is markup (has ``__html__``), so autoescape leaves it alone."""
    return hasattr(value, "__html__")


@pass_environment
def is_filter_name(env: Any, value: Any) -> bool:
    """``value`` names a filter registered in the environment."""
    return isinstance(value, str) and value in env.filters


@pass_environment
def is_test_name(env: Any, value: Any) -> bool:
    """``value`` names a test registered in the environment."""
    return isinstance(value, str) and value in env.tests


def sameas(value: Any, other: Any) -> bool:
    """``value is other``."""
    return value is other


def in_test(value: Any, container: Any) -> bool:
    """``value in container``."""
    return value in container


def lower(value: Any) -> bool:
    """A string whose cased characters are all lower case."""
    return isinstance(value, str) and value.islower()


def upper(value: Any) -> bool:
    """A string whose cased characters are all upper case."""
    return isinstance(value, str) and value.isupper()


def match(value: Any, pattern: str) -> bool:
    """``re.match(pattern, str(value))`` succeeds (``None``/undefined never match)."""
    if value is None or is_undefined(value):
        return False
    return re.match(pattern, str(value)) is not None


def _header(headers: Any, name: str) -> Any:
    """Case-insensitive header lookup in a mapping."""
    if not isinstance(headers, Mapping):
        return None
    if name in headers:
        return headers[name]
    lowered = name.lower()
    return next((v for k, v in headers.items() if str(k).lower() == lowered), None)


def _htmx_value(meta_key: str, header: str) -> Any:
    """Meta ``meta_key`` of the render context, else request header ``header``."""
    ctx = get_render_context()
    if ctx is None:
        return None
    value = ctx.get_meta(meta_key)
    if value is not None:
        return value
    return _header(ctx.get_meta("headers"), header)


def _htmx_flag(meta_key: str, header: str) -> bool:
    value = _htmx_value(meta_key, header)
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def hx_request(value: Any = None) -> bool:
    """The current render serves an HTMX request (see module docstring)."""
    return _htmx_flag("hx_request", "HX-Request")


def hx_target(value: Any, target_id: str) -> bool:
    """The HTMX target element id equals ``target_id`` (see module docstring)."""
    target = _htmx_value("hx_target", "HX-Target")
    return target is not None and str(target).lstrip("#") == str(target_id).lstrip("#")


def hx_boosted(value: Any = None) -> bool:
    """The current render serves an ``hx-boost`` request (see module docstring)."""
    return _htmx_flag("hx_boosted", "HX-Boosted")


DEFAULT_TESTS: dict[str, Callable[..., bool]] = {
    "defined": defined,
    "undefined": undefined,
    "none": none,
    "true": true,
    "false": false,
    "string": string,
    "number": number,
    "sequence": sequence,
    "mapping": mapping,
    "iterable": iterable,
    "callable": callable_test,
    "boolean": boolean,
    "integer": integer,
    "float": float_test,
    "escaped": escaped,
    "filter": is_filter_name,
    "test": is_test_name,
    "odd": odd,
    "even": even,
    "divisibleby": divisibleby,
    "eq": eq,
    "equalto": eq,
    "==": eq,
    "ne": ne,
    "!=": ne,
    "lt": lt,
    "lessthan": lt,
    "<": lt,
    "le": le,
    "<=": le,
    "gt": gt,
    "greaterthan": gt,
    ">": gt,
    "ge": ge,
    ">=": ge,
    "sameas": sameas,
    "in": in_test,
    "lower": lower,
    "upper": upper,
    "match": match,
    "hx_request": hx_request,
    "hx_target": hx_target,
    "hx_boosted": hx_boosted,
}
