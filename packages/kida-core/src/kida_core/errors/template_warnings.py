"""Compile-time warning categories (the record type is in ``warning_record``)."""

from __future__ import annotations

from kida_core.errors.codes import ErrorCode


class KidaWarning(UserWarning):
    """Base category of every warning Kida emits through :mod:`warnings`."""

    code: ErrorCode | None = None


class ComponentWarning(KidaWarning):
    """A def call does not match the def's signature (K-CMP-001 / K-CMP-002).

    ``code`` is ``None`` because the category covers two codes; the
    :class:`TemplateWarning` record holds the specific one.
    """


class PrecedenceWarning(KidaWarning):
    """A filter binds tighter than ``??`` where the author likely meant otherwise."""

    code = ErrorCode.FILTER_PRECEDENCE


class CoercionWarning(KidaWarning):
    """A filter silently coerced a value (``"abc" | float`` gives ``0.0``)."""


class MigrationWarning(KidaWarning):
    """Jinja2 semantics would differ here (``set`` leaking out of an ``if``)."""

    code = ErrorCode.JINJA2_SET_SCOPING


_CATEGORY_BY_CODE: dict[ErrorCode, type[KidaWarning]] = {
    ErrorCode.FILTER_PRECEDENCE: PrecedenceWarning,
    ErrorCode.JINJA2_SET_SCOPING: MigrationWarning,
    ErrorCode.COMPONENT_CALL_SIGNATURE: ComponentWarning,
    ErrorCode.COMPONENT_TYPE_MISMATCH: ComponentWarning,
}


def category_for(code: ErrorCode) -> type[KidaWarning]:
    """The :mod:`warnings` category used to emit ``code``.

    K-WARN-001 → PrecedenceWarning, K-WARN-002 → MigrationWarning,
    K-CMP-* → ComponentWarning, anything else → KidaWarning.
    """
    return _CATEGORY_BY_CODE.get(code, KidaWarning)
