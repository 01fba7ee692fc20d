"""The error an adapter raises when its framework is not installed."""

from __future__ import annotations


def missing_framework(framework: str, extra: str) -> ImportError:
    """An ImportError saying which framework the adapter needs and how to install it.

    Raise it ``from`` the original ImportError, which stays attached as the cause.
    """
    return ImportError(
        f"kida.contrib.{extra} needs {framework}, which is not installed: "
        f"pip install 'kida[{extra}]' (or install {framework} itself)"
    )
