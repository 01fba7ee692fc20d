"""``TemplateWarning``: the record stored on ``Template.warnings``.

Kept apart from the categories so that importing Kida does not need the
dataclass machinery until a warning is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from kida_core.errors.codes import ErrorCode
from kida_core.errors.template_warnings import KidaWarning, category_for


@dataclass(frozen=True, slots=True)
class TemplateWarning:
    """One warning recorded on ``Template.warnings`` (a record, not a ``Warning``)."""

    code: ErrorCode
    message: str
    template_name: str | None = None
    lineno: int | None = None
    suggestion: str | None = None

    @staticmethod
    def category_for(code: ErrorCode) -> type[KidaWarning]:
        """The :mod:`warnings` category used to emit ``code`` (see :func:`category_for`)."""
        return category_for(code)

    @property
    def category(self) -> type[KidaWarning]:
        """The :mod:`warnings` category for this record's code."""
        return self.category_for(self.code)

    def format_message(self) -> str:
        """``[CODE] message (name:line)`` plus an indented ``Hint:`` line when known."""
        text = f"[{self.code.value}] {self.message}"
        if self.template_name is not None or self.lineno is not None:
            where = self.template_name or "<template>"
            if self.lineno is not None:
                where += f":{self.lineno}"
            text += f" ({where})"
        if self.suggestion:
            text += f"\n  Hint: {self.suggestion}"
        return text
