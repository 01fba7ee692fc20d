"""Debug logging for best-effort paths (``logging`` is imported only when used)."""

from __future__ import annotations


def debug(logger: str, message: str, *args: object) -> None:
    """Log ``message`` at DEBUG on ``logger`` with the current exception's traceback."""
    import logging

    logging.getLogger(logger).debug(message, *args, exc_info=True)
