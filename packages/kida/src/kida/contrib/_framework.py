"""Errors the adapters share: a framework that is not installed, a misused option."""

from __future__ import annotations

from typing import Any


def missing_framework(framework: str, extra: str) -> ImportError:
    """An ImportError saying which framework the adapter needs and how to install it.

    Raise it ``from`` the original ImportError, which stays attached as the cause.
    """
    return ImportError(
        f"kida.contrib.{extra} needs {framework}, which is not installed: "
        f"pip install 'kida[{extra}]' (or install {framework} itself)"
    )


def check_translations_factory(translations: Any, signature: str) -> None:
    """Refuse a ``translations=`` option that is not a function (typically a catalog itself).

    ``signature`` is how the adapter calls it, for the message.
    """
    if translations is not None and not callable(translations):
        raise TypeError(
            f"translations= takes a function {signature} returning the translations of "
            f"a request, not {type(translations).__name__!r}; to translate every request "
            "with one catalog, call env.install_gettext_translations(catalog) instead"
        )
