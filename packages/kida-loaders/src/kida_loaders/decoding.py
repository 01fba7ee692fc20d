"""Decoding template bytes, with an error that points at the offending byte."""

from __future__ import annotations

from kida_core.errors import ErrorCode, TemplateSyntaxError

__all__ = ["decode_source"]


def decode_source(data: bytes, encoding: str, *, name: str, filename: str) -> str:
    """Decode ``data``; raise ``TemplateSyntaxError`` naming file, encoding, byte and line.

    The error carries the offending line (undecodable bytes shown as U+FFFD)
    and suggests passing the file's real encoding to the loader.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode(encoding, errors="replace"))
        error = TemplateSyntaxError(
            f"Cannot decode {filename} as {encoding}: {exc.reason} "
            f"at byte {exc.start} (line {lineno})",
            lineno,
            name,
            filename,
            data.decode(encoding, errors="replace"),
            column,
            code=ErrorCode.SYNTAX_ERROR,
        )
        error.suggestion = (
            f"save the file as {encoding}, or pass its encoding to the loader, "
            "e.g. encoding='latin-1'"
        )
        raise error from exc
