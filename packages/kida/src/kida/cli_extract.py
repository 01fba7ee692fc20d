"""What ``kida extract`` does: find the template files, collect their messages, write a ``.pot``.

Files are found extension by extension (``rglob``), each list sorted; their
names are paths relative to the scanned directory, ``/``-separated. Messages
are merged by context and message id, as gettext identifies them, in the
order first seen; each keeps every place it was found (and every translator
comment). A message used both with and without a plural becomes one entry
with the plural (the first plural seen), as xgettext and Babel merge it: two
entries with the same msgid would make the catalog invalid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kida_analysis.i18n import ExtractedMessage, KeywordSpec, extract_from_source

DEFAULT_EXTENSIONS = (".html", ".kida", ".txt", ".xml")
"""File endings ``kida extract`` reads when no ``--ext`` is given."""

POT_HEADER = """\
# SOME DESCRIPTIVE TITLE.
# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER
# This file is distributed under the same license as the PACKAGE package.
# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.
#
msgid ""
msgstr ""
"POT-Creation-Date: {date}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""


def with_dots(extensions: Iterable[str]) -> tuple[str, ...]:
    """Each extension with a leading dot (``txt`` → ``.txt``)."""
    return tuple(ext if ext.startswith(".") else f".{ext}" for ext in extensions)


def template_files(root: Path, extensions: Sequence[str]) -> list[tuple[Path, str]]:
    """``(path, name)`` of each template under ``root``: extension by extension, sorted.

    A file matching several extensions is listed once, under the first.
    """
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for ext in extensions:
        for path in sorted(root.rglob(f"*{ext}")):
            if path.is_file() and path not in seen:
                seen.add(path)
                found.append((path, path.relative_to(root).as_posix()))
    return found


def extract_file(
    path: Path, name: str, keywords: Mapping[str, KeywordSpec], comment_tags: Sequence[str]
) -> list[ExtractedMessage]:
    """The messages of one template file (read as UTF-8); read and parse errors propagate."""
    source = path.read_text(encoding="utf-8")
    return extract_from_source(source, name, keywords=keywords, comment_tags=comment_tags)


#: What makes two messages the same catalog entry: context and msgid.
EntryKey = tuple[str | None, str]


@dataclass
class Entry:
    """One catalog entry: a message and where it was found."""

    context: str | None
    msgid: str
    msgid_plural: str | None
    locations: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def collect(messages: Iterable[ExtractedMessage]) -> list[Entry]:
    """Merge the messages into entries, in the order first seen."""
    entries: dict[EntryKey, Entry] = {}
    for message in messages:
        key = (message.context, message.msgid)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = Entry(*key, message.msgid_plural)
        elif entry.msgid_plural is None:
            entry.msgid_plural = message.msgid_plural
        entry.locations.append((message.filename, message.lineno))
        entry.comments += (c for c in message.comments if c not in entry.comments)
    return list(entries.values())


def po_string(text: str) -> str:
    """``text`` as a quoted PO string: ``\\``, ``"`` and newlines escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_pot(
    entries: Iterable[Entry],
    *,
    created: datetime | None = None,
    sort: bool = False,
    locations: bool = True,
) -> str:
    """The ``.pot`` text of ``entries`` (with ``sort``: ordered by msgid, then context)."""
    date = (created or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M%z")
    if sort:
        entries = sorted(entries, key=lambda e: (e.msgid, e.context or "", e.msgid_plural or ""))
    lines = [POT_HEADER.format(date=date)]
    for entry in entries:
        lines += (f"#. {line}" for comment in entry.comments for line in comment.splitlines())
        if locations:
            lines += (f"#: {filename}:{lineno}" for filename, lineno in entry.locations)
        if entry.context is not None:
            lines.append(f"msgctxt {po_string(entry.context)}")
        lines.append(f"msgid {po_string(entry.msgid)}")
        if entry.msgid_plural is None:
            lines.append('msgstr ""')
        else:
            lines += [
                f"msgid_plural {po_string(entry.msgid_plural)}",
                'msgstr[0] ""',
                'msgstr[1] ""',
            ]
        lines.append("")
    return "\n".join(lines) + "\n"
