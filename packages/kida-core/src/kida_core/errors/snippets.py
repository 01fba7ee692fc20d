"""Source excerpts shown inside error messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceSnippet:
    """A few numbered template lines around an error.

    ``lines`` holds ``(lineno, text)`` pairs (1-based line numbers);
    ``error_line`` is the line to highlight and ``column`` the 0-based column
    for the caret, when known.
    """

    lines: tuple[tuple[int, str], ...]
    error_line: int
    column: int | None = None

    def format(self) -> str:
        """Render the excerpt with a ``|`` gutter, a ``>`` marker and an optional caret.

        ::

               |
             8 |   <dt>Email</dt>
            >9 |   <dd>{{ customer.emial }}</dd>
               |               ^
        """
        width = max((len(str(lineno)) for lineno, _ in self.lines), default=1)
        gutter = " " * (width + 1) + " |"
        out = [gutter]
        for lineno, text in self.lines:
            marker = ">" if lineno == self.error_line else " "
            out.append(f"{marker}{lineno:>{width}} | {text}".rstrip())
            if lineno == self.error_line and self.column is not None:
                # Keep tabs so the caret lines up with the text as the terminal shows it.
                pad = "".join(ch if ch == "\t" else " " for ch in text[: self.column])
                out.append(f"{gutter} {pad}^")
        out.append(gutter)
        return "\n".join(out)

    def __str__(self) -> str:
        return self.format()


def build_source_snippet(
    source: str, error_line: int, context_lines: int = 3, *, column: int | None = None
) -> SourceSnippet:
    """Cut ``context_lines`` lines either side of ``error_line`` out of ``source``.

    The window is clamped to the file, so a line number past the end shows the
    last lines of the template (with nothing highlighted).
    """
    all_lines = source.splitlines()
    if not all_lines:
        return SourceSnippet((), error_line, column)
    center = min(max(error_line, 1), len(all_lines))
    first = max(center - context_lines, 1)
    last = min(center + context_lines, len(all_lines))
    lines = tuple((n, all_lines[n - 1]) for n in range(first, last + 1))
    return SourceSnippet(lines, error_line, column)
